import Foundation
import Testing

@Suite("distill rules, and rule lists in predict, fidelity and explain")
struct RulesCommandTests {
    let scratch = CLIScratch()

    func penguinRules(out: String, _ extra: [String] = []) throws -> CLIRunner.Result {
        try CLIRunner.run(["rules", "--teacher", CLIRunner.sample("penguins", "teacher.onnx"),
                           "--data", CLIRunner.sample("penguins", "train.csv"), "--eval-data", CLIRunner.sample("penguins", "test.csv"),
                           "--label", "species", "--out", out] + extra)
    }

    func csvRows(_ text: String) -> [[String]] {
        text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    @Test func learnsAListThatPredictAndFidelityAgreeOn() throws {
        let out = scratch.path("rules")
        let result = try penguinRules(out: out, ["--max-rules", "4"])
        #expect(result.status == 0, "\(result.stderr)")
        for name in ["student.json", "fidelity.json", "rules.txt", "rules.dot", "rules.svg", "run.json", "report.html"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + name), "\(name) missing")
        }
        let fidelity = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/fidelity.json"))) as? [String: Any]
        let eval = try #require(fidelity?["eval"] as? [String: Any])
        let agreement = try #require(eval["agreement"] as? Double)
        #expect(agreement > 0.85)
        let rules = try #require((fidelity?["student"] as? [String: Any])?["rules"] as? Int)
        #expect((1...4).contains(rules))

        // `distill fidelity` on the same held-out rows measures the same agreement.
        let measured = try CLIRunner.run(["fidelity", "--student", out + "/student.json", "--teacher", CLIRunner.sample("penguins", "teacher.onnx"),
                                          "--data", CLIRunner.sample("penguins", "test.csv"), "--label", "species"])
        #expect(measured.status == 0, "\(measured.stderr)")
        #expect(measured.stdout.contains(String(format: "%.4f agreement", agreement)), "\(measured.stdout)")

        let predicted = try CLIRunner.run(["predict", "--student", out + "/student.json", "--data", CLIRunner.sample("penguins", "test.csv")])
        let table = csvRows(predicted.stdout)
        #expect(table[0].last == "rule")
        let numbers = Set(table.dropFirst().compactMap { Int($0.last ?? "") })
        #expect(numbers.isSubset(of: Set(1...(rules + 1))) && numbers.count > 1)
        #expect(result.stdout.contains("rules: \(rules) rules and a default"))
    }

    @Test func aTreeRewrittenAsRulesPredictsTheSame() throws {
        let tree = try CLIRunner.run(["tree", "--teacher", CLIRunner.sample("penguins", "teacher.onnx"),
                                      "--data", CLIRunner.sample("penguins", "train.csv"), "--drop", "species",
                                      "--max-leaves", "12", "--no-report", "--out", scratch.path("tree")])
        #expect(tree.status == 0, "\(tree.stderr)")
        let rewritten = try CLIRunner.run(["rules", "--from-tree", scratch.path("tree") + "/student.json", "--out", scratch.path("from-tree")])
        #expect(rewritten.status == 0, "\(rewritten.stderr)")
        // Refinement may drop a branch, so the count is the tree's, as it reported it.
        let leaves = tree.stdout.split(separator: "\n").first { $0.hasPrefix("tree: ") }?
            .split(separator: " ").dropFirst().first.map(String.init)
        #expect(leaves != nil && rewritten.stdout.contains("\(leaves ?? "?") leaves became"))
        let answers = { (student: String) throws -> [[String]] in
            let result = try CLIRunner.run(["predict", "--student", student, "--data", CLIRunner.sample("penguins", "test.csv")])
            // The answer columns, without the leaf or rule number.
            return self.csvRows(result.stdout).dropFirst().map { Array($0.dropLast().suffix(4)) }
        }
        #expect(try answers(scratch.path("tree") + "/student.json") == answers(scratch.path("from-tree") + "/student.json"))
    }

    @Test func explainsWhichRuleAnswers() throws {
        let out = scratch.path("rules")
        #expect(try penguinRules(out: out, ["--no-report"]).status == 0)
        let result = try CLIRunner.run(["explain", "--student", out + "/student.json", "--data", CLIRunner.sample("penguins", "test.csv"),
                                        "--drop", "species", "--row", "3", "--teacher", CLIRunner.sample("penguins", "teacher.onnx"),
                                        "--out", scratch.path("why")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(": yes"))
        #expect(result.stdout.contains("teacher: "))
        let dot = try String(contentsOfFile: scratch.path("why") + "/explain.dot", encoding: .utf8)
        #expect(dot.contains("penwidth=2.5"))
    }

    @Test(arguments: [
        (["--max-rules", "0"], "--max-rules must be at least 1"),
        (["--max-conditions", "0"], "--max-conditions must be at least 1"),
        (["--bins", "many"], "--bins must be auto, exact or a number"),
    ])
    func badOptionsAreNamed(options: [String], message: String) throws {
        let result = try penguinRules(out: scratch.path("bad"), options)
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path("bad") + "/student.json"))
    }

    @Test func fromTreeLearnsNothing() throws {
        let result = try CLIRunner.run(["rules", "--from-tree", "s.json", "--teacher", CLIRunner.sample("penguins", "teacher.onnx"),
                                        "--out", scratch.path("x")])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--from-tree rewrites a saved tree and learns nothing, so --teacher do not apply"))
        let linear = scratch.path("linear.json")
        try Data(#"{"format":"distill.student/v1","kind":"rules","task":"regression","features":[],"parameters":{},"rules":[{"conditions":[],"value":[1],"rows":1,"synthetic_rows":0}]}"#.utf8)
            .write(to: URL(fileURLWithPath: linear))
        let notTree = try CLIRunner.run(["rules", "--from-tree", linear, "--out", scratch.path("y")])
        #expect(notTree.status != 0)
        #expect(notTree.stderr.contains("holds a 'rules' student, which this command cannot use; it takes tree students"))
    }
}
