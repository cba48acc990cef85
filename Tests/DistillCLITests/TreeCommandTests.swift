import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

@Suite("distill tree, fidelity and predict, end to end")
struct TreeCommandTests {
    let scratch = CLIScratch()

    func path(_ name: String) -> String { scratch.path(name) }

    func write(_ name: String, _ text: String) throws -> String { try scratch.write(name, text) }

    func json(_ file: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any] ?? [:]
    }

    func penguins(_ extra: [String], out: String) throws -> CLIRunner.Result {
        try CLIRunner.run(["tree", "--teacher", CLIRunner.sample("penguins", "teacher.onnx"),
                           "--data", CLIRunner.sample("penguins", "train.csv"),
                           "--eval-data", CLIRunner.sample("penguins", "test.csv"),
                           "--label", "species", "--out", out] + extra)
    }

    @Test func writesStudentFidelityAndRules() throws {
        let out = path("run")
        let result = try penguins(["--max-leaves", "6"], out: out)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("tree: 6 leaves"))
        #expect(result.stdout.contains("held-out fidelity: "))
        let fidelity = try json(out + "/fidelity.json")
        #expect(fidelity["task"] as? String == "classification")
        let student = fidelity["student"] as? [String: Any]
        #expect(student?["kind"] as? String == "tree" && student?["leaves"] as? Int == 6)
        let eval = fidelity["eval"] as? [String: Any]
        #expect(eval?["rows"] as? Int == 86)
        let agreement = try #require(eval?["agreement"] as? Double)
        let interval = try #require(eval?["agreement_ci"] as? [Double])
        #expect(interval.count == 2 && interval[0] <= agreement && agreement <= interval[1])
        let curve = try #require(fidelity["curve"] as? [[String: Any]])
        #expect(curve.first?["leaves"] as? Int == 6 && curve.last?["leaves"] as? Int == 1)
        #expect(curve.filter { $0["chosen"] as? Bool == true }.count == 1)
        let file = try json(out + "/student.json")
        #expect(file["format"] as? String == "distill.student/v1")
        #expect(file["kind"] as? String == "tree")
        let rules = try String(contentsOfFile: out + "/rules.txt", encoding: .utf8)
        #expect(rules.components(separatedBy: "class: ").count - 1 == 6)

        // The saved student gives the same held-out fidelity when measured again.
        let again = try CLIRunner.run(["fidelity", "--student", out + "/student.json",
                                       "--teacher", CLIRunner.sample("penguins", "teacher.onnx"),
                                       "--data", CLIRunner.sample("penguins", "test.csv"), "--label", "species"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.hasPrefix(String(format: "fidelity: %.4f agreement", agreement)))

        let predicted = try CLIRunner.run(["predict", "--student", out + "/student.json",
                                           "--data", CLIRunner.sample("penguins", "test.csv")])
        let lines = predicted.stdout.split(separator: "\n")
        #expect(lines.count == 87)
        #expect(lines[0].hasSuffix("student_p_Adelie,student_p_Chinstrap,student_p_Gentoo,student_class,leaf"))
    }

    @Test func sameInputsGiveByteIdenticalOutputs() throws {
        _ = try penguins(["--max-depth", "3", "--seed", "5"], out: path("a"))
        _ = try penguins(["--max-depth", "3", "--seed", "5"], out: path("b"))
        for name in ["student.json", "fidelity.json", "rules.txt"] {
            #expect(FileManager.default.contentsEqual(atPath: path("a/" + name), andPath: path("b/" + name)), "\(name)")
        }
    }

    @Test func targetFidelityKeepsTheSmallestTreeThatReachesIt() throws {
        let out = path("target")
        let result = try CLIRunner.run(["tree", "--teacher", CLIRunner.sample("breast-cancer", "teacher.onnx"),
                                        "--data", CLIRunner.sample("breast-cancer", "train.csv"),
                                        "--label", "diagnosis", "--target-fidelity", "0.85", "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        let curve = try #require(try json(out + "/fidelity.json")["curve"] as? [[String: Any]])
        let chosen = try #require(curve.first { $0["chosen"] as? Bool == true })
        let leaves = try #require(chosen["leaves"] as? Int)
        #expect(leaves < (curve.first?["leaves"] as? Int ?? 0))
        // Without a size the tree is grown to the default number of leaves first, and says so.
        #expect(curve.first?["leaves"] as? Int == 16)
        #expect(result.stdout.contains("note: no --max-depth or --max-leaves given, so the tree was grown best-first to at most 16 leaves"))
        #expect(!result.stdout.contains("note: no tree on the pruning path"))

        let unreachable = try CLIRunner.run(["tree", "--teacher", CLIRunner.sample("breast-cancer", "teacher.onnx"),
                                             "--data", CLIRunner.sample("breast-cancer", "train.csv"), "--label", "diagnosis",
                                             "--max-depth", "1", "--target-fidelity", "1", "--out", path("unreachable")])
        #expect(unreachable.status == 0)
        #expect(unreachable.stdout.contains("note: no tree on the pruning path reaches validation fidelity 1.0; kept the most faithful one"))
    }

    @Test func savedTransferSetReplacesTheTeacher() throws {
        let transfer = path("transfer.csv")
        let first = try penguins(["--max-depth", "3", "--augment", "none", "--save-transfer", transfer], out: path("t1"))
        #expect(first.status == 0, "\(first.stderr)")
        let roles = try String(contentsOfFile: transfer, encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).last! }
        let trainRows = roles.filter { $0 == "train" }.count
        let evalRows = roles.filter { $0 == "eval" }.count
        #expect(trainRows == 258)
        #expect(evalRows == 86)

        let again = try CLIRunner.run(["tree", "--transfer", transfer, "--label", "species", "--max-depth", "3",
                                       "--augment", "none", "--out", path("t2")])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("teacher queries: 0"))
        #expect(FileManager.default.contentsEqual(atPath: path("t1/rules.txt"), andPath: path("t2/rules.txt")))

        // Synthetic rows made while growing are saved too, and learned from when read back.
        let augmented = try penguins(["--max-leaves", "8", "--save-transfer", path("aug.csv")], out: path("t3"))
        #expect(augmented.status == 0)
        let synthetic = try String(contentsOfFile: path("aug.csv"), encoding: .utf8).split(separator: "\n")
            .filter { $0.hasSuffix(",synthetic") }
        #expect(!synthetic.isEmpty)
        let reused = try CLIRunner.run(["tree", "--transfer", path("aug.csv"), "--label", "species", "--max-leaves", "8",
                                        "--out", path("t4")])
        #expect(reused.stdout.contains("synthetic-row fidelity: ") && reused.stdout.contains("on \(synthetic.count) rows"))

        let notTransfer = try CLIRunner.run(["tree", "--transfer", CLIRunner.sample("penguins", "test.csv"), "--out", path("t5")])
        #expect(notTransfer.status != 0)
        #expect(notTransfer.stderr.contains("not a transfer set: no 'transfer_role' column (write one with --save-transfer)"))
    }

    @Test func teacherWithOneClassGivesOneLeafAndSaysWhy() throws {
        // x is constant and y is always missing: neither can be split on.
        var text = "x,y,z\n"
        for row in 0..<30 { text += "1,,\(row)\n" }
        let data = try write("one.csv", text)
        let script = try write("one.py", """
        import json, sys
        for line in sys.stdin:
            m = json.loads(line)
            print(json.dumps({"classes": ["a", "b"]} if "distill" in m else {"outputs": [[0.9, 0.1] for _ in m["rows"]]}), flush=True)
        """)
        let result = try CLIRunner.run(["tree", "--teacher-command", "python3 '\(script)'", "--data", data, "--out", path("one")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("tree: 1 leaves, depth 0"))
        #expect(result.stdout.contains("note: the teacher gives every training row the same class, so one leaf reproduces it"))
    }

    @Test func diagramsInEveryFormatAsked() throws {
        let out = path("formats")
        // As grown (no refinement), so the tree's first split is known.
        let result = try penguins(["--max-leaves", "4", "--no-refine", "--format", "svg,png,pdf"], out: out)
        #expect(result.status == 0, "\(result.stderr)")
        let png = try Data(contentsOf: URL(fileURLWithPath: out + "/tree.png"))
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] && png.count > 1000)
        let pdf = try Data(contentsOf: URL(fileURLWithPath: out + "/tree.pdf"))
        #expect(String(decoding: pdf.prefix(5), as: UTF8.self) == "%PDF-")
        let svg = try String(contentsOfFile: out + "/tree.svg", encoding: .utf8)
        #expect(svg.contains("<svg") && svg.contains("flipper_length_mm"))
        #expect(FileManager.default.fileExists(atPath: out + "/tree.dot"))
    }

    @Test func histogramsInTheTreeDiagramOnRequest() throws {
        let out = path("histograms")
        let result = try penguins(["--max-leaves", "4", "--no-refine", "--detail", "histograms", "--format", "svg,pdf"], out: out)
        #expect(result.status == 0, "\(result.stderr)")
        // One dark threshold marker per split node (4 leaves, 3 splits) and one in the legend.
        let marker = "#222222"
        let dot = try String(contentsOfFile: out + "/tree.dot", encoding: .utf8)
        #expect(dot.components(separatedBy: "BGCOLOR=\"\(marker)\"").count - 1 == 4)
        let svg = try XMLDocument(data: Data(contentsOf: URL(fileURLWithPath: out + "/tree.svg")))
        #expect(try svg.nodes(forXPath: "//*[local-name()='polygon'][@fill='\(marker)']").count == 4)
        let pdf = try Data(contentsOf: URL(fileURLWithPath: out + "/tree.pdf"))
        #expect(String(decoding: pdf.prefix(5), as: UTF8.self) == "%PDF-")

        let plain = try penguins(["--max-leaves", "4", "--detail", "none"], out: path("plain"))
        #expect(plain.status == 0)
        #expect(!(try String(contentsOfFile: path("plain/tree.dot"), encoding: .utf8)).contains(marker))
    }

    @Test(arguments: [
        (["--detail", "pictures"], "The value 'pictures' is invalid for '--detail <detail>'"),
        (["--format", "gif"], "--format: unknown diagram format 'gif'; use svg, png, pdf or dot"),
        (["--max-depth", "0"], "--max-depth must be at least 1, not 0"),
        (["--target-fidelity", "1.5"], "--target-fidelity must be in (0, 1], not 1.5"),
        (["--target-fidelity", "0"], "--target-fidelity must be in (0, 1], not 0.0"),
        (["--criterion", "entropy"], "--criterion entropy needs --hard"),
        (["--bins", "many"], "--bins must be auto, exact or a number, not 'many'"),
    ])
    func badTreeOptions(extra: [String], message: String) throws {
        let out = path("bad")
        let result = try penguins(extra, out: out)
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out + "/student.json"))
    }

    @Test func holdoutThatLeavesTooFewRows() throws {
        let data = try write("tiny.csv", "x\n1\n2\n3\n")
        let result = try CLIRunner.run(["tree", "--teacher-command", "python3 '\(CLIRunner.fixture("programs/fake_teacher.py"))' good",
                                        "--data", data, "--holdout", "0.2", "--out", path("tiny")])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--holdout 0.2 of 3 rows leaves 2 rows to train on and 1 held out; each needs at least 2"))
    }

    @Test func studentFilesOfAnotherKindOrNewerFormat() throws {
        let other = try write("forest.json", #"{"format": "distill.student/v1", "kind": "forest", "task": "regression", "features": [], "parameters": {}}"#)
        let newer = try write("newer.json", #"{"format": "distill.student/v2", "kind": "tree"}"#)
        let notStudent = try write("x.json", #"{"hello": 1}"#)
        let data = CLIRunner.sample("penguins", "test.csv")
        let cases = [(other, "holds a 'forest' student, which this Distill does not know; it knows tree, linear and rules students"),
                     (newer, "written as distill.student/v2 by a newer Distill; this one reads up to distill.student/v1"),
                     (notStudent, "not a Distill student file")]
        for (file, message) in cases {
            let result = try CLIRunner.run(["predict", "--student", file, "--data", data])
            #expect(result.status != 0)
            #expect(result.stderr.contains(message), "\(result.stderr)")
        }
    }
}
