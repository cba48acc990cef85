import Foundation
import Testing

@Suite("distill report and the reports distill tree writes")
struct ReportCommandTests {
    let scratch = CLIScratch()
    let files = FileManager.default

    func penguinsTree(out: String, _ extra: [String] = []) throws -> CLIRunner.Result {
        try CLIRunner.run(["tree", "--teacher", CLIRunner.sample("penguins", "teacher.onnx"),
                           "--data", CLIRunner.sample("penguins", "train.csv"),
                           "--eval-data", CLIRunner.sample("penguins", "test.csv"),
                           "--label", "species", "--max-leaves", "6", "--out", out] + extra)
    }

    func contents(_ path: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path))
    }

    @Test func treeWritesTheReportAndReportRebuildsTheSameBytes() throws {
        let out = scratch.path("run")
        let tree = try penguinsTree(out: out)
        #expect(tree.status == 0, "\(tree.stderr)")
        let written = try contents(out + "/report.html")
        let html = String(decoding: written, as: UTF8.self)
        let fidelity = try JSONSerialization.jsonObject(with: contents(out + "/fidelity.json")) as? [String: Any]
        let agreement = try #require((fidelity?["eval"] as? [String: Any])?["agreement"] as? Double)
        #expect(html.contains("<div class=\"figure\">\(String(format: "%.3f", agreement))</div>"))
        for section in ["summary", "curve", "tree", "disagreement", "importance", "data", "reproducibility"] {
            #expect(html.contains("<section id=\"\(section)\">"), "no section \(section)")
        }
        #expect(!html.contains("<script"))
        #expect(!html.contains("<?xml"), "Graphviz's XML prolog must not be inlined")
        let digest = try #require(try JSONSerialization.jsonObject(with: contents(out + "/run.json")) as? [String: Any])
        let inputs = try #require(digest["inputs"] as? [[String: Any]])
        #expect(inputs.map { $0["role"] as? String } == ["teacher", "data", "eval data"])
        for input in inputs {
            let sha = try #require(input["sha256"] as? String)
            #expect(html.contains(sha))
        }

        try files.removeItem(atPath: out + "/report.html")
        let report = try CLIRunner.run(["report", "--run", out])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(try contents(out + "/report.html") == written)
    }

    /// A fidelity.json whose per-leaf figures name a split node of the student (as a forged
    /// or mixed-up run directory may) is refused before anything is drawn.
    @Test func aFidelityFileThatDoesNotFitItsStudentIsNamedAndNothingIsWritten() throws {
        let committed = CLIRunner.packageRoot.appendingPathComponent("Reports/penguins")
        let run = scratch.directory.appendingPathComponent("forged")
        try files.createDirectory(at: run, withIntermediateDirectories: true)
        for name in ["student.json", "run.json", "tree.dot"] {
            try files.copyItem(at: committed.appendingPathComponent(name), to: run.appendingPathComponent(name))
        }
        let fidelity = try String(contentsOf: committed.appendingPathComponent("fidelity.json"), encoding: .utf8)
        #expect(fidelity.contains("\"leaf\" : 6,"))
        try fidelity.replacingOccurrences(of: "\"leaf\" : 6,", with: "\"leaf\" : 1,")
            .write(to: run.appendingPathComponent("fidelity.json"), atomically: true, encoding: .utf8)
        let report = try CLIRunner.run(["report", "--run", run.path])
        #expect(report.status != 0)
        let leaves = try #require((try JSONSerialization.jsonObject(with: Data(fidelity.utf8)) as? [String: Any])?["leaves"] as? [[String: Any]])
        let forged = try #require(leaves.firstIndex { $0["leaf"] as? Int == 6 })
        #expect(report.stderr.contains("fidelity.json: .leaves[\(forged)].leaf is 1, which is not a leaf of the student"), "\(report.stderr)")
        #expect(!files.fileExists(atPath: run.appendingPathComponent("report.html").path))
    }

    @Test func noReportWritesNeitherReportNorRunRecord() throws {
        let out = scratch.path("quiet")
        let tree = try penguinsTree(out: out, ["--no-report"])
        #expect(tree.status == 0, "\(tree.stderr)")
        #expect(files.fileExists(atPath: out + "/student.json"))
        #expect(!files.fileExists(atPath: out + "/report.html") && !files.fileExists(atPath: out + "/run.json"))
    }

    /// Every committed sample report is made again, by the exact command its run.json
    /// records, run from a directory where the same relative paths lead to the samples.
    @Test func committedReportsRegenerateByteForByte() throws {
        let reports = CLIRunner.packageRoot.appendingPathComponent("Reports")
        let samples = try files.contentsOfDirectory(atPath: reports.path).filter {
            files.fileExists(atPath: reports.appendingPathComponent("\($0)/run.json").path)
        }.sorted()
        #expect(samples == ["breast-cancer", "breast-cancer-linear", "diabetes", "penguins", "penguins-rules"])
        let workspace = scratch.directory.appendingPathComponent("workspace")
        try files.createDirectory(at: workspace, withIntermediateDirectories: true)
        try files.createSymbolicLink(at: workspace.appendingPathComponent("Samples"),
                                     withDestinationURL: CLIRunner.packageRoot.appendingPathComponent("Samples"))
        for sample in samples {
            let committed = reports.appendingPathComponent(sample)
            let record = try JSONSerialization.jsonObject(with: contents(committed.appendingPathComponent("run.json").path)) as? [String: Any]
            let command = try #require(record?["command"] as? [String])
            #expect(command.first == "distill" && command.contains("Reports/\(sample)"))
            let result = try CLIRunner.run(Array(command.dropFirst()), in: workspace)
            #expect(result.status == 0, "\(sample): \(result.stderr)")
            let again = workspace.appendingPathComponent("Reports/\(sample)/report.html").path
            #expect(try contents(again) == contents(committed.appendingPathComponent("report.html").path),
                    "Reports/\(sample)/report.html differs when made again")

            // And from the committed run files alone, as `distill report` reads them.
            let copy = scratch.directory.appendingPathComponent("copy-\(sample)")
            try files.createDirectory(at: copy, withIntermediateDirectories: true)
            for name in ["student.json", "fidelity.json", "run.json", "tree.dot", "rules.dot"] where files.fileExists(atPath: committed.appendingPathComponent(name).path) {
                try files.copyItem(at: committed.appendingPathComponent(name), to: copy.appendingPathComponent(name))
            }
            let report = try CLIRunner.run(["report", "--run", copy.path])
            #expect(report.status == 0, "\(sample): \(report.stderr)")
            #expect(try contents(copy.appendingPathComponent("report.html").path) == contents(committed.appendingPathComponent("report.html").path))
        }
    }

    @Test func runDirectoryWithoutItsFiles() throws {
        let missing = scratch.path("nowhere")
        let notDirectory = try scratch.write("file.txt", "x")
        let empty = scratch.path("empty")
        try files.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let cases = [(missing, "--run: \(missing) is not a directory"),
                     (notDirectory, "--run: \(notDirectory) is not a directory"),
                     (empty, "--run: \(empty) holds no student.json; give the --out directory of distill tree")]
        for (directory, message) in cases {
            let result = try CLIRunner.run(["report", "--run", directory])
            #expect(result.status != 0)
            #expect(result.stderr.contains(message), "\(result.stderr)")
        }
        #expect(try files.contentsOfDirectory(atPath: empty).isEmpty)
    }

    @Test func brokenRunFilesAreNamed() throws {
        let out = scratch.path("broken")
        #expect(try penguinsTree(out: out, ["--no-report"]).status == 0)
        let cases = [
            ("run.json", #"{"format": "distill.run/v1", "command": "not a list"}"#, "\(out)/run.json: the run record"),
            ("fidelity.json", "{}", "\(out)/fidelity.json: not a Distill fidelity report"),
            ("tree.dot", "digraph {", "\(out)/tree.dot: Graphviz could not parse the DOT text"),
        ]
        // run.json is absent after --no-report; a good one comes from a second run.
        #expect(try penguinsTree(out: scratch.path("good")).status == 0)
        try files.copyItem(atPath: scratch.path("good") + "/run.json", toPath: out + "/run.json")
        for (name, broken, message) in cases {
            let path = out + "/" + name
            let original = try contents(path)
            try Data(broken.utf8).write(to: URL(fileURLWithPath: path))
            let result = try CLIRunner.run(["report", "--run", out])
            #expect(result.status != 0)
            #expect(result.stderr.contains(message), "\(result.stderr)")
            #expect(!files.fileExists(atPath: out + "/report.html"))
            try original.write(to: URL(fileURLWithPath: path))
        }
        #expect(try CLIRunner.run(["report", "--run", out]).status == 0)
    }

    @Test func unwritableOutputDirectoryFailsBeforeAnyWork() throws {
        let blocker = try scratch.write("blocker", "a file where a directory should be")
        let result = try penguinsTree(out: blocker + "/run")
        #expect(result.status != 0)
        #expect(result.stderr.contains("--out: cannot create the directory \(blocker)/run"), "\(result.stderr)")
        let unknownFormat = scratch.path("never")
        let format = try penguinsTree(out: unknownFormat, ["--format", "svg,bmp"])
        #expect(format.status != 0)
        #expect(format.stderr.contains("--format: unknown diagram format 'bmp'"))
        #expect(!files.fileExists(atPath: unknownFormat), "an invalid command must leave nothing behind")
    }
}
