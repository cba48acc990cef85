import Foundation
import Testing

/// `--teacher-output-kind`, `--teacher-temperature` and `--input` on the command line, with a real
/// torch export ending in a Linear layer (Tests/Peers/fixtures/outputs, made by
/// make_output_fixtures.py).
@Suite("distill with logits, temperatures and explicit input bindings")
struct TeacherOutputOptionsTests {
    let scratch = CLIScratch()
    let logits = CLIRunner.packageRoot.appendingPathComponent("Tests/Peers/fixtures/outputs/torch_logits.onnx").path

    /// Four numeric features f0…f3 and a label y, on a grid.
    func data() throws -> String {
        var text = "f0,f1,f2,f3,y\n"
        for i in 0..<40 {
            let x = [Double(i % 5) - 2, Double(i % 7) / 3 - 1, Double(i % 3) - 1, Double(i % 11) / 5 - 1]
            text += x.map { String($0) }.joined(separator: ",") + ",\(i % 3)\n"
        }
        return try scratch.write("d.csv", text)
    }

    @Test func logitsNeedTheOptionAndTheRunRecordsKindAndTemperature() throws {
        let data = try data()
        let refused = try CLIRunner.run(["label", "--teacher", logits, "--data", data, "--label", "y", "--out", scratch.path("x.csv")])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--teacher-output-kind logits"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path("x.csv")))

        let out = scratch.path("run")
        let learned = try CLIRunner.run(["tree", "--teacher", logits, "--teacher-output-kind", "logits", "--teacher-temperature", "2",
                                         "--data", data, "--label", "y", "--max-depth", "2", "--out", out])
        #expect(learned.status == 0, "\(learned.stderr)")
        let run = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/run.json"))) as? [String: Any]
        let teacher = run?["teacher"] as? [String: Any]
        #expect(teacher?["output_kind"] as? String == "logits")
        #expect(teacher?["temperature"] as? Double == 2)
        #expect(teacher?["output"] as? String == "output")
    }

    @Test func temperatureSoftensTheAnswers() throws {
        let data = try data()
        func largest(_ temperature: String) throws -> Double {
            let out = scratch.path("t\(temperature).csv")
            let result = try CLIRunner.run(["label", "--teacher", logits, "--teacher-output-kind", "logits", "--teacher-temperature", temperature,
                                            "--data", data, "--label", "y", "--out", out])
            #expect(result.status == 0, "\(result.stderr)")
            let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").dropFirst()
            return lines.map { line in
                line.split(separator: ",").dropFirst(5).prefix(3).compactMap { Double($0) }.max() ?? 0
            }.reduce(0, +) / Double(lines.count)
        }
        // Dividing the logits by T > 1 flattens every row's distribution towards 1/3.
        let sharp = try largest("1"), soft = try largest("4")
        #expect(soft < sharp)
        #expect(soft > 1.0 / 3)
    }

    @Test("options are checked before anything is read", arguments: [
        (["--teacher", "m.onnx", "--teacher-output-kind", "logits", "--teacher-temperature", "0"], "--teacher-temperature must be a positive number, not 0.0"),
        (["--teacher", "m.onnx", "--teacher-temperature", "-1"], "--teacher-temperature must be a positive number"),
        (["--teacher-command", "cat", "--teacher-output-kind", "logits"], "--teacher-output-kind, --teacher-temperature and --input apply to an ONNX --teacher only"),
        (["--teacher", "m.onnx", "--teacher-output-kind", "scores"], "--teacher-output-kind"),
        (["--teacher", "m.onnx", "--input", "x=a,b,a"], "--input 'x=a,b,a' names column 'a' twice"),
        (["--teacher", "m.onnx", "--input", "noequals"], "--input 'noequals': expected NAME=col1,col2,…"),
    ])
    func badOptions(arguments: [String], message: String) throws {
        let result = try CLIRunner.run(["label", "--data", "d.csv", "--out", scratch.path("o.csv")] + arguments)
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test func temperatureOnAProbabilityOutputIsRefused() throws {
        let result = try CLIRunner.run(["label", "--teacher", CLIRunner.sample("penguins", "teacher.onnx"), "--teacher-temperature", "2",
                                        "--data", CLIRunner.sample("penguins", "test.csv"), "--out", scratch.path("o.csv")])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--teacher-temperature applies to logits only, and output 'probabilities' holds probabilities"), "\(result.stderr)")
    }

    @Test func inputNamingAMissingColumnIsRefused() throws {
        let result = try CLIRunner.run(["label", "--teacher", logits, "--teacher-output-kind", "logits", "--input", "input=f0,f1,f2,g",
                                        "--data", try data(), "--label", "y", "--out", scratch.path("o.csv")])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--input input=f0,f1,f2,g: there is no feature column 'g'"), "\(result.stderr)")
    }

    @Test func inspectSaysWhatTheOutputHolds() throws {
        let declared = try CLIRunner.run(["teacher", "inspect", "--teacher", logits, "--teacher-output-kind", "logits", "--teacher-temperature", "2"])
        #expect(declared.stdout.contains("answers from: output (logits, softmax at temperature 2.0)"), "\(declared.stdout)")
        let penguins = try CLIRunner.run(["teacher", "inspect", "--teacher", CLIRunner.sample("penguins", "teacher.onnx")])
        #expect(penguins.stdout.contains("answers from: probabilities (probabilities)"), "\(penguins.stdout)")
    }

    @Test func helpDescribesTheOptions() throws {
        let help = try CLIRunner.run(["tree", "--help"])
        #expect(help.stdout.contains("--teacher-output-kind <probabilities|logits|value>"))
        #expect(help.stdout.contains("--teacher-temperature <T>"))
        #expect(help.stdout.contains("--input <NAME=col1,col2,…>"))
    }
}
