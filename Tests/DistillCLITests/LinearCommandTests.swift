import Foundation
import Testing

@Suite("distill linear, and linear students in fidelity, predict and report")
struct LinearCommandTests {
    let scratch = CLIScratch()

    func json(_ file: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any] ?? [:]
    }

    func linear(_ sample: String, label: String, out: String, _ extra: [String]) throws -> CLIRunner.Result {
        try CLIRunner.run(["linear", "--teacher", CLIRunner.sample(sample, "teacher.onnx"),
                           "--data", CLIRunner.sample(sample, "train.csv"), "--eval-data", CLIRunner.sample(sample, "test.csv"),
                           "--label", label, "--out", out] + extra)
    }

    /// Features with a nonzero weight for some output, from student.json.
    func nonzeroFeatures(_ student: [String: Any]) throws -> Set<String> {
        let linear = try #require(student["linear"] as? [String: Any])
        let terms = try #require(linear["terms"] as? [[String: Any]])
        let outputs = try #require(linear["outputs"] as? [[String: Any]])
        var used = Set<String>()
        for output in outputs {
            let weights = try #require(output["standardized_weights"] as? [Double])
            for (term, weight) in zip(terms, weights) where weight != 0 { used.insert(term["feature"] as! String) }
        }
        return used
    }

    @Test func fiveFeatureModelOfTheBinarySample() throws {
        let out = scratch.path("bc")
        let result = try linear("breast-cancer", label: "diagnosis", out: out, ["--max-features", "5"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("linear: 5 of 30 features"))
        let student = try json(out + "/student.json")
        #expect(student["kind"] as? String == "linear")
        #expect(try nonzeroFeatures(student).count == 5)
        let convergence = (student["linear"] as? [String: Any])?["convergence"] as? [String: Any]
        #expect(convergence?["converged"] as? Bool == true)

        let fidelity = try json(out + "/fidelity.json")
        let curve = try #require(fidelity["curve"] as? [[String: Any]])
        #expect(curve.count == 100)
        let chosen = try #require(curve.firstIndex { $0["chosen"] as? Bool == true })
        #expect(curve.filter { $0["chosen"] as? Bool == true }.count == 1)
        #expect((curve[chosen]["nonzero_features"] as? Int ?? 99) <= 5)
        #expect(curve[(chosen + 1)...].allSatisfy { ($0["nonzero_features"] as? Int ?? 0) > 5 }, "the last model with at most 5 features")
        let lambdas = curve.compactMap { $0["lambda"] as? Double }
        #expect(lambdas == lambdas.sorted(by: >) && (curve[0]["nonzero_features"] as? Int) == 0)

        let equation = try String(contentsOfFile: out + "/equation.txt", encoding: .utf8)
        #expect(equation.components(separatedBy: "\n").filter { $0.hasPrefix("    + ") || $0.hasPrefix("    − ") }.count == 5)
        let coefficients = try String(contentsOfFile: out + "/coefficients.csv", encoding: .utf8)
        #expect(coefficients.split(separator: "\n").count == 1 + 1 + 30)
    }

    /// The weights in the data's units (coefficients.csv), applied by hand, give the
    /// probabilities `distill predict` gives.
    @Test func predictAgreesWithTheFormulaInTheDataUnits() throws {
        let out = scratch.path("formula")
        #expect(try linear("breast-cancer", label: "diagnosis", out: out, ["--max-features", "8", "--no-report"]).status == 0)
        let coefficients = try String(contentsOfFile: out + "/coefficients.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        var intercept = 0.0
        var weights: [String: Double] = [:]
        for line in coefficients {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if fields[1] == "(intercept)" { intercept = Double(fields[4])! } else { weights[fields[2]] = Double(fields[4])! }
        }
        let predicted = scratch.path("predicted.csv")
        let run = try CLIRunner.run(["predict", "--student", out + "/student.json", "--data", CLIRunner.sample("breast-cancer", "test.csv"), "--out", predicted])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = try String(contentsOfFile: predicted, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = lines[0]
        #expect(!header.contains("leaf"))
        let probability = try #require(header.firstIndex(of: "student_p_malignant"))
        for row in lines.dropFirst() {
            var eta = intercept
            for (name, weight) in weights { eta += weight * Double(row[header.firstIndex(of: name)!])! }
            #expect(abs(1 / (1 + exp(-eta)) - Double(row[probability])!) < 2e-6)
        }
    }

    @Test func fidelityAndReportAcceptLinearStudents() throws {
        let out = scratch.path("penguins")
        let result = try linear("penguins", label: "species", out: out, ["--max-features", "3"])
        #expect(result.status == 0, "\(result.stderr)")
        let student = try json(out + "/student.json")
        let linear = try #require(student["linear"] as? [String: Any])
        #expect(linear["link"] as? String == "softmax" && (linear["outputs"] as? [Any])?.count == 3)
        // A text column's indicators are in or out together, in every output.
        let terms = try #require(linear["terms"] as? [[String: Any]])
        for output in linear["outputs"] as? [[String: Any]] ?? [] {
            let weights = output["standardized_weights"] as? [Double] ?? []
            for feature in ["island", "sex"] {
                let levels = terms.indices.filter { terms[$0]["feature"] as? String == feature }.map { weights[$0] != 0 }
                #expect(Set(levels).count <= 1, "\(feature): \(levels)")
            }
        }
        let agreement = try #require(((try json(out + "/fidelity.json"))["eval"] as? [String: Any])?["agreement"] as? Double)
        let fidelity = try CLIRunner.run(["fidelity", "--student", out + "/student.json", "--teacher", CLIRunner.sample("penguins", "teacher.onnx"),
                                          "--data", CLIRunner.sample("penguins", "test.csv"), "--label", "species"])
        #expect(fidelity.status == 0, "\(fidelity.stderr)")
        #expect(fidelity.stdout.hasPrefix(String(format: "fidelity: %.4f agreement", agreement)), "\(fidelity.stdout)")

        let written = try Data(contentsOf: URL(fileURLWithPath: out + "/report.html"))
        let html = String(decoding: written, as: UTF8.self)
        for section in ["summary", "curve", "weights", "path", "disagreement", "data", "reproducibility"] {
            #expect(html.contains("<section id=\"\(section)\">"), "no section \(section)")
        }
        try FileManager.default.removeItem(atPath: out + "/report.html")
        #expect(try CLIRunner.run(["report", "--run", out]).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: out + "/report.html")) == written)
        let explain = try CLIRunner.run(["explain", "--student", out + "/student.json", "--data", CLIRunner.sample("penguins", "test.csv"), "--row", "1"])
        #expect(explain.status != 0 && explain.stderr.contains("holds a linear student, which this command cannot use; it takes tree and rule-list students"))
    }

    @Test func regressionTeacher() throws {
        let out = scratch.path("diabetes")
        let result = try linear("diabetes", label: "progression", out: out, ["--l1-ratio", "0.5", "--max-features", "4"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("held-out fidelity: R² "))
        let linear = (try json(out + "/student.json"))["linear"] as? [String: Any]
        #expect(linear?["link"] as? String == "identity" && linear?["l1_ratio"] as? Double == 0.5)
    }

    @Test func maxFeaturesAboveTheDataMeansAll() throws {
        let out = scratch.path("all")
        let result = try linear("breast-cancer", label: "diagnosis", out: out, ["--max-features", "31"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("note: --max-features 31: the data has 30 feature(s) that can carry a weight, so the model may use all of them"),
                "\(result.stdout)")
    }

    @Test(arguments: [
        (["--max-features", "0"], "--max-features must be at least 1, not 0"),
        (["--max-features", "3", "--lambda", "0.1"], "give at most one of --max-features, --lambda and --target-fidelity"),
        (["--l1-ratio", "1.5"], "--l1-ratio must be in [0, 1], not 1.5"),
        (["--hard", "--temperature", "2"], "--temperature softens probabilities; it has no meaning with --hard"),
    ])
    func badOptions(extra: [String], message: String) throws {
        let out = scratch.path("bad")
        let result = try linear("breast-cancer", label: "diagnosis", out: out, extra)
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out + "/student.json"))
    }

    /// A constant column and a text column with one level are left out and named; labels a
    /// line separates perfectly are said to be held finite only by the penalty.
    @Test func awkwardColumnsAndSeparableLabels() throws {
        var csv = "x,constant,colour\n"
        for row in 0..<60 { csv += "\(Double(row - 30) / 7),4,red\n" }
        let data = try scratch.write("awkward.csv", csv)
        let out = scratch.path("awkward")
        let result = try CLIRunner.run(["linear", "--teacher-command", "python3 '\(CLIRunner.fixture("programs/fake_teacher.py"))' good",
                                        "--data", data, "--hard", "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("note: left out constant: constant column"))
        #expect(result.stdout.contains("note: left out colour: text column with one level"))
        #expect(result.stdout.contains("note: a linear model separates the teacher's classes perfectly on the training rows; only the penalty keeps the weights finite"))
        let outputs = ((try json(out + "/student.json"))["linear"] as? [String: Any])?["outputs"] as? [[String: Any]]
        let weights = try #require(outputs?.first?["weights"] as? [Double])
        #expect(weights.count == 1 && weights[0].isFinite && weights[0] > 0)

        let flat = try scratch.write("flat.csv", "constant,colour\n" + String(repeating: "1,red\n", count: 20))
        let none = try CLIRunner.run(["linear", "--teacher-command", "python3 '\(CLIRunner.fixture("programs/fake_teacher.py"))' good",
                                      "--data", flat, "--out", scratch.path("flat")])
        #expect(none.status != 0)
        #expect(none.stderr.contains("no feature varies over the training rows, so a linear model has nothing to weigh: constant (constant column), colour (text column with one level)"), "\(none.stderr)")
    }
}
