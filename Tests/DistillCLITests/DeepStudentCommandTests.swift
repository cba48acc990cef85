import Foundation
import Testing

/// Student files forged as deep or as long as a file can make them, through every command
/// that reads a student: each either answers right or refuses with a message that names
/// the depth and the limit and writes nothing; none crashes or hangs.
@Suite("Deep and long student files through the commands")
struct DeepStudentCommandTests {
    let scratch = CLIScratch()

    /// A chain of `splits` splits on `x`, as student.json: split i (node 2i) sends
    /// x ≤ splits − i and missing values left to the next split, the rest right to leaf
    /// 2i + 1; the chain ends in leaf 2 × splits. `features` and `classes` are the file's.
    static func chain(_ splits: Int, on x: String = "x",
                      features: String = #"[{"name": "x", "kind": "numeric"}, {"name": "colour", "kind": "categorical", "levels": ["blue", "red"]}]"#,
                      classes: [String] = ["a", "b"]) -> String {
        let width = classes.count
        func value(_ top: Int) -> String { "[" + (0..<width).map { $0 == top % width ? "1" : "0" }.joined(separator: ", ") + "]" }
        var nodes: [String] = []
        nodes.reserveCapacity(2 * splits + 1)
        for i in 0..<splits {
            nodes.append(#"{"id": \#(2 * i), "feature": "\#(x)", "threshold": \#(splits - i), "missing": "left", "left": \#(2 * i + 2), "right": \#(2 * i + 1), "value": \#(value(0)), "rows": 10, "synthetic_rows": 0, "impurity": 0.5}"#)
            nodes.append(#"{"id": \#(2 * i + 1), "value": \#(value(i + 1)), "rows": \#(1 + i % 13), "synthetic_rows": 0, "impurity": 0}"#)
        }
        nodes.append(#"{"id": \#(2 * splits), "value": \#(value(0)), "rows": 5, "synthetic_rows": 0, "impurity": 0}"#)
        let names = classes.map { "\"\($0)\"" }.joined(separator: ", ")
        return #"{"format": "distill.student/v1", "kind": "tree", "task": "classification", "classes": [\#(names)], "features": \#(features), "parameters": {}, "nodes": ["#
            + nodes.joined(separator: ",\n") + "]}"
    }

    /// The leaf x = k + 0.5 reaches in a chain of `splits` (nil: x missing).
    static func expectedLeaf(_ k: Int?, splits: Int) -> Int {
        guard let k, k >= 1 else { return 2 * splits }
        return 2 * (splits - min(k, splits)) + 1
    }

    func rows(splits: Int) throws -> (path: String, ks: [Int?]) {
        let ks: [Int?] = stride(from: 0, through: splits + 2, by: max(1, splits / 100)).map { $0 } + [nil]
        let text = "x,colour\n" + ks.map { ($0.map { "\(Double($0) + 0.5)" } ?? "") + ",red\n" }.joined()
        return (try scratch.write("rows-\(splits).csv", text), ks)
    }

    @Test(arguments: [5_000, 100_000])
    func flatFormatsWriteTheChainAndNestedOnesRefuseIt(splits: Int) throws {
        let student = try scratch.write("chain-\(splits).json", Self.chain(splits))
        for format in ["text", "markdown", "json", "sql"] {
            let out = scratch.path("export-\(splits).\(format)")
            let result = try CLIRunner.run(["export", "--student", student, "--format", format, "--out", out])
            #expect(result.status == 0, "\(format): \(result.stderr)")
            let written = try String(contentsOfFile: out, encoding: .utf8)
            switch format {
            case "text": #expect(written.contains("|--- truncated branch of depth \(splits - 100), \(splits - 100 + 1) leaves"))
            case "markdown": #expect(written.contains("- Leaves: \(splits + 1), depth \(splits)"))
            case "json": #expect(written.contains("\"id\" : \(2 * splits)"))
            default: #expect(written.components(separatedBy: "\n      WHEN ").count - 1 == splits)
            }
        }
        for format in ["python", "c", "swift", "pmml", "onnx"] {
            let out = scratch.path("refused-\(splits).\(format == "c" ? "c" : format)")
            let result = try CLIRunner.run(["export", "--student", student, "--format", format, "--out", out])
            #expect(result.status != 0)
            #expect(result.stderr.contains("the tree is \(splits) splits deep, and --format \(format) writes trees up to"), "\(format): \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out) && !FileManager.default.fileExists(atPath: scratch.path("refused-\(splits).h")))
        }
    }

    @Test(arguments: [5_000, 100_000])
    func predictAndExplainFollowEveryRowDownTheChain(splits: Int) throws {
        let student = try scratch.write("chain-\(splits).json", Self.chain(splits))
        let (data, ks) = try rows(splits: splits)
        let predicted = try CLIRunner.run(["predict", "--student", student, "--data", data])
        #expect(predicted.status == 0, "\(predicted.stderr)")
        let leaves = predicted.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).last.map(String.init) }
        #expect(leaves == ks.map { String(Self.expectedLeaf($0, splits: splits)) })
        let explained = try CLIRunner.run(["explain", "--student", student, "--data", data, "--row", "1", "--out", scratch.path("why-\(splits)")])
        #expect(explained.status == 0, "\(explained.stderr)")
        #expect(explained.stdout.split(separator: "\n").filter { $0.hasSuffix("→ yes") }.count == splits)
        #expect(explained.stdout.contains("leaf \(2 * splits), 5 training rows"))
        let dot = try String(contentsOfFile: scratch.path("why-\(splits)/explain.dot"), encoding: .utf8)
        #expect(dot.contains("folded"), "the diagram of a chain this long is folded")
    }

    @Test func rulesFromTreeRewritesFiveThousandSplitsAndRefusesAHundredThousand() throws {
        let student = try scratch.write("chain-5000.json", Self.chain(5_000))
        let out = scratch.path("rules-5000")
        let rewritten = try CLIRunner.run(["rules", "--from-tree", student, "--out", out])
        #expect(rewritten.status == 0, "\(rewritten.stderr)")
        let (data, _) = try rows(splits: 5_000)
        let fromTree = try CLIRunner.run(["predict", "--student", student, "--data", data])
        let fromRules = try CLIRunner.run(["predict", "--student", out + "/student.json", "--data", data])
        let answers = { (csv: String) in csv.split(separator: "\n").map { $0.split(separator: ",").dropLast().joined(separator: ",") } }
        #expect(fromRules.status == 0 && answers(fromRules.stdout) == answers(fromTree.stdout), "every row gets the tree's answer")

        let deep = try scratch.write("chain-100000.json", Self.chain(100_000))
        let refused = try CLIRunner.run(["rules", "--from-tree", deep, "--out", scratch.path("rules-100000")])
        #expect(refused.status != 0 && refused.stderr.contains("the tree has 100001 leaves"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path("rules-100000/student.json")))
    }

    @Test func explainWalksTenThousandRules() throws {
        let count = 10_001
        let rules = (0..<count).map { i in
            #"{"conditions": [{"feature": "x", "test": ">", "threshold": \#(count - i), "or_missing": false}], "value": [\#(i % 2), \#(1 - i % 2)], "rows": 3, "synthetic_rows": 0}"#
        } + [#"{"conditions": [], "value": [1, 0], "rows": 5, "synthetic_rows": 0}"#]
        let student = try scratch.write("rules.json", #"{"format": "distill.student/v1", "kind": "rules", "task": "classification", "classes": ["a", "b"], "features": [{"name": "x", "kind": "numeric"}], "parameters": {}, "rules": ["#
            + rules.joined(separator: ",\n") + "]}")
        let data = try scratch.write("row.csv", "x\n0.5\n5000.5\n")
        let last = try CLIRunner.run(["explain", "--student", student, "--data", data, "--row", "1", "--out", scratch.path("why")])
        #expect(last.status == 0, "\(last.stderr)")
        #expect(last.stdout.split(separator: "\n").filter { $0.contains(": no — x = 0.5 fails x > ") }.count == count)
        #expect(last.stdout.contains("  rule \(count + 1): yes (the default)\n"))
        #expect(try String(contentsOfFile: scratch.path("why/explain.dot"), encoding: .utf8).contains("rules 499–10001 (9503 rules), folded"))
        let middle = try CLIRunner.run(["explain", "--student", student, "--data", data, "--row", "2"])
        #expect(middle.stdout.contains("  rule 5002: yes — x = 5000.5 meets x > 5000\n"))
    }

    /// A penguins run whose tree is swapped for a chain of 100,000 splits on bill_length_mm:
    /// report redraws it (folded) and writes the report; fidelity measures it on real rows.
    @Test func reportAndFidelityOfAHundredThousandSplitRun() throws {
        let out = scratch.path("run")
        let fitted = try CLIRunner.run(["tree", "--teacher", CLIRunner.sample("penguins", "teacher.onnx"),
                                        "--data", CLIRunner.sample("penguins", "train.csv"),
                                        "--eval-data", CLIRunner.sample("penguins", "test.csv"),
                                        "--label", "species", "--max-leaves", "4", "--out", out])
        #expect(fitted.status == 0, "\(fitted.stderr)")
        let file = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/student.json"))) as? [String: Any])
        let features = String(decoding: try JSONSerialization.data(withJSONObject: try #require(file["features"])), as: UTF8.self)
        let classes = try #require(file["classes"] as? [String])
        try Self.chain(100_000, on: "bill_length_mm", features: features, classes: classes)
            .write(toFile: out + "/student.json", atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: out + "/tree.dot")
        // The 4-leaf tree's per-leaf figures name nodes that are splits in the chain, which
        // report refuses; the chain's run has none.
        var fidelityFile = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/fidelity.json"))) as? [String: Any])
        fidelityFile["leaves"] = [Any]()
        try JSONSerialization.data(withJSONObject: fidelityFile).write(to: URL(fileURLWithPath: out + "/fidelity.json"))
        let report = try CLIRunner.run(["report", "--run", out])
        #expect(report.status == 0, "\(report.stderr)")
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        #expect(html.contains("depth 100000") && html.contains("truncated branch") && html.contains("subtree of"))
        let fidelity = try CLIRunner.run(["fidelity", "--student", out + "/student.json", "--teacher", CLIRunner.sample("penguins", "teacher.onnx"),
                                          "--data", CLIRunner.sample("penguins", "test.csv"), "--label", "species"])
        #expect(fidelity.status == 0, "\(fidelity.stderr)")
        #expect(fidelity.stdout.contains("least faithful leaf: node "))
    }
}
