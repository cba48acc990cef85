import Foundation
import Testing

@Suite("distill teacher inspect and distill label, end to end")
struct TeacherCommandsTests {
    let scratch = CLIScratch()

    func path(_ name: String) -> String { scratch.path(name) }

    func write(_ name: String, _ text: String) throws -> String { try scratch.write(name, text) }

    @Test func inspectShowsInputsClassesAndOperators() throws {
        let result = try CLIRunner.run(["teacher", "inspect", "--teacher", CLIRunner.sample("penguins", "teacher.onnx")])
        #expect(result.status == 0)
        #expect(result.stdout.contains("task: classification, 3 classes: Adelie, Chinstrap, Gentoo"))
        #expect(result.stdout.contains("island: string × 1"))
        let row = result.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
            .first { $0.first == "ai.onnx.ml.OneHotEncoder" }
        #expect(row.map { [$0[0], $0[2], $0[3]] } == ["ai.onnx.ml.OneHotEncoder", "2", "yes"])
    }

    @Test func inspectListsUnsupportedOperatorsInsteadOfFailing() throws {
        let result = try CLIRunner.run(["teacher", "inspect", "--teacher", CLIRunner.fixture("onnx/unsupported_operators.onnx")])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("  LpNormalization  17     2      NO"))
        #expect(lines.contains("  Relu             17     1      yes"))
        #expect(lines.contains("  unsupported: LpNormalization, Shrink"))
        #expect(lines.contains { $0.hasPrefix("this model cannot be used as a teacher: ") && $0.hasSuffix("3 nodes use 2 operators Distill's evaluator does not support:") })
        #expect(lines.contains("  Shrink (domain ai.onnx, opset 17) × 1, first node 'shrink' (Shrink)"))
    }

    @Test func labelAppendsProbabilitiesAndClass() throws {
        let out = path("labelled.csv")
        let result = try CLIRunner.run(["label", "--teacher", CLIRunner.sample("penguins", "teacher.onnx"),
                                        "--data", CLIRunner.sample("penguins", "test.csv"), "--label", "species", "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("labelled 86 rows in "))
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 87)
        // The file's columns in their own order (the label first, as in test.csv), then the answers.
        #expect(lines[0] == "species,island,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,sex,teacher_p_Adelie,teacher_p_Chinstrap,teacher_p_Gentoo,teacher_class")
        var agree = 0
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            let probabilities = fields[7...9].compactMap { Float($0) }
            #expect(abs(probabilities.reduce(0, +) - 1) < 1e-5)
            if fields[0] == fields[10] { agree += 1 }
        }
        // The samples' README gives the teacher's test accuracy as 85 of 86.
        #expect(agree == 85)
    }

    /// A program may round its probabilities (sums of 0.99); the answers are accepted, and
    /// the student learned from them, whose leaves are their means, reads back.
    @Test func aStudentOfRoundedProbabilitiesReadsBack() throws {
        let out = path("rounded")
        let command = "python3 '\(CLIRunner.fixture("programs/fake_teacher.py"))' rounded"
        let learned = try CLIRunner.run(["tree", "--teacher-command", command, "--data", CLIRunner.sample("breast-cancer", "train.csv"),
                                         "--label", "diagnosis", "--max-depth", "2", "--no-report", "--out", out])
        #expect(learned.status == 0, "\(learned.stderr)")
        let applied = try CLIRunner.run(["predict", "--student", out + "/student.json", "--data", CLIRunner.sample("breast-cancer", "test.csv")])
        #expect(applied.status == 0, "\(applied.stderr)")
    }

    @Test func labelWithATeacherProgram() throws {
        let data = try write("d.csv", "x,colour\n-1,red\n2,blue\n")
        let out = path("p.csv")
        let command = "python3 '\(CLIRunner.fixture("programs/fake_teacher.py"))' good"
        let result = try CLIRunner.run(["label", "--teacher-command", command, "--data", data, "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try String(contentsOfFile: out, encoding: .utf8) ==
            "x,colour,teacher_p_no,teacher_p_yes,teacher_class\n-1,red,0.7310586,0.26894143,no\n2,blue,0.11920292,0.8807971,yes\n")
    }

    @Test func failingTeacherLeavesNoOutputFile() throws {
        var text = "x\n"
        for row in 0..<10 { text += "\(row)\n" }
        let data = try write("d.csv", text)
        let out = path("never.csv")
        let command = "python3 '\(CLIRunner.fixture("programs/fake_teacher.py"))' crash"
        let result = try CLIRunner.run(["label", "--teacher-command", command, "--data", data, "--out", out, "--batch-size", "4"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("batch 2 (rows 5–8): the teacher program closed its output before answering; it exited with status 3"))
        #expect(result.stderr.contains("fake teacher: crashing on purpose"))
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func dataWiderThanTheModelNamesBothSides() throws {
        let result = try CLIRunner.run(["label", "--teacher", CLIRunner.sample("diabetes", "teacher.onnx"),
                                        "--data", CLIRunner.sample("diabetes", "test.csv"), "--out", path("x.csv")])
        #expect(result.status != 0)
        #expect(result.stderr.contains("the model's input 'input' takes 10 values per row, but the data has 11 feature columns"))
        #expect(result.stderr.contains("'progression'"))
    }

    @Test func missingValuesNeedImputeForAPlainNetwork() throws {
        let test = try String(contentsOfFile: CLIRunner.sample("breast-cancer", "test.csv"), encoding: .utf8)
        var lines = test.split(separator: "\n").map(String.init)
        var fields = lines[1].split(separator: ",").map(String.init)
        fields[0] = ""
        lines[1] = fields.joined(separator: ",")
        let data = try write("holes.csv", lines.joined(separator: "\n") + "\n")
        let base = ["label", "--teacher", CLIRunner.sample("breast-cancer", "teacher.onnx"), "--data", data,
                    "--label", "diagnosis", "--out", path("filled.csv")]
        let refused = try CLIRunner.run(base)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("column 'mean_radius' has 1 missing value(s) in 1 of 143 rows, and the model's input 'input' cannot take missing values; fill them with --impute median|mean|zero"))
        let filled = try CLIRunner.run(base + ["--impute", "median"])
        #expect(filled.status == 0, "\(filled.stderr)")
        // The written rows keep the hole; only the teacher saw the filled value.
        let written = try String(contentsOfFile: path("filled.csv"), encoding: .utf8).split(separator: "\n")
        #expect(written[1].hasPrefix(",") )
    }

    @Test(arguments: [
        (["label", "--data", "d.csv", "--out", "o.csv"], "give the teacher with --teacher MODEL.onnx, --teacher-command 'CMD ARGS' or --teacher-url URL"),
        (["label", "--teacher", "m.onnx", "--teacher-command", "x", "--data", "d.csv", "--out", "o.csv"], "give one of --teacher, --teacher-command and --teacher-url, not --teacher and --teacher-command"),
        (["label", "--teacher-command", "x", "--teacher-url", "http://127.0.0.1:1/v2/models/m", "--data", "d.csv", "--out", "o.csv"], "not --teacher-command and --teacher-url"),
        (["label", "--teacher-command", "x", "--teacher-output", "y", "--data", "d.csv", "--out", "o.csv"], "--teacher-output applies to an ONNX --teacher or a --teacher-url only"),
        (["label", "--teacher-url", "http://127.0.0.1:1/v2/models/m", "--teacher-concurrency", "0", "--data", "d.csv", "--out", "o.csv"], "--teacher-concurrency must be at least 1, not 0"),
        (["label", "--teacher-url", "http://127.0.0.1:1/models/m", "--data", "d.csv", "--out", "o.csv"], "--teacher-url 'http://127.0.0.1:1/models/m' is not a model's URL in the Open Inference Protocol; give http://HOST:PORT/v2/models/NAME"),
        (["label", "--teacher-command", "x", "--batch-size", "0", "--data", "d.csv", "--out", "o.csv"], "--batch-size must be at least 1, not 0"),
        (["label", "--teacher-command", "x", "--delimiter", "ab", "--data", "d.csv", "--out", "o.csv"], "--delimiter must be one ASCII character"),
        (["label", "--teacher-command", "x", "--impute", "mode", "--data", "d.csv", "--out", "o.csv"], "--impute"),
    ])
    func badOptions(arguments: [String], message: String) throws {
        let result = try CLIRunner.run(arguments)
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test func unknownLabelAndMissingFiles() throws {
        let teacher = CLIRunner.sample("penguins", "teacher.onnx")
        let unknown = try CLIRunner.run(["label", "--teacher", teacher, "--data", CLIRunner.sample("penguins", "test.csv"),
                                         "--label", "kind", "--out", path("o.csv")])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("--label: no column 'kind' in"))
        let noData = try CLIRunner.run(["label", "--teacher", teacher, "--data", path("absent.csv"), "--out", path("o.csv")])
        #expect(noData.stderr.contains("absent.csv: cannot open: No such file or directory"))
        let noModel = try CLIRunner.run(["teacher", "inspect", "--teacher", path("absent.onnx")])
        #expect(noModel.status != 0)
        #expect(noModel.stderr.contains("absent.onnx"))
    }
}
