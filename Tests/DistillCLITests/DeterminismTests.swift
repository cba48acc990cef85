import Foundation
import Testing

/// The same inputs give the same bytes whatever the CPU, the thread count or the batch
/// size. One machine cannot be every CPU, so the child processes run with the settings that
/// make the C libraries behave as on other CPUs: OpenBLAS's kernel choice
/// (`OPENBLAS_CORETYPE`) and glibc's view of the CPU (`GLIBC_TUNABLES`, which also decides
/// the path of Distill's matrix kernels).
@Suite("the same bits on every machine")
struct DeterminismTests {
    /// Environments of a child process that change which CPU-specific code the libraries run.
    static let environments: [[String: String]] = [
        ["OPENBLAS_CORETYPE": "Prescott"],
        ["OPENBLAS_CORETYPE": "Sandybridge"],
        ["OPENBLAS_CORETYPE": "Haswell"],
        // glibc 2.36's spelling; the older "-AVX2_Usable" names are silently ignored.
        ["GLIBC_TUNABLES": "glibc.cpu.hwcaps=-AVX512F"],
        ["GLIBC_TUNABLES": "glibc.cpu.hwcaps=-AVX2,-FMA,-AVX512F"],
    ]
    static let masked = environments[4]
    /// Without FMA there is nothing to mask (Linux lists the CPU's features in /proc/cpuinfo).
    static let cpuHasFMA = ((try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? "").contains(" fma ")

    /// Options that change how rows are cut into threads, batches and chunks.
    static let slicings: [[String]] = [
        ["--threads", "1"], ["--threads", "2"], ["--batch-size", "1"], ["--batch-size", "7"], ["--batch-size", "4096"],
    ]

    let scratch = CLIScratch()

    /// Runs `arguments` in a directory of its own (so relative outputs do not collide and
    /// the recorded command is the same) and returns the named files of that directory.
    private func outputs(_ arguments: [String], files: [String], environment: [String: String] = [:],
                         directory: String) throws -> [String: Data] {
        let place = scratch.directory.appendingPathComponent(directory)
        try FileManager.default.createDirectory(at: place, withIntermediateDirectories: true)
        let result = try CLIRunner.run(arguments, in: place, environment: environment)
        #expect(result.status == 0, "\(arguments) \(environment): \(result.stderr)")
        var contents: [String: Data] = [:]
        for file in files {
            contents[file] = try Data(contentsOf: place.appendingPathComponent(file))
        }
        return contents
    }

    @Test("label writes the same file under every CPU setting, thread count and batch size",
          arguments: ["breast-cancer:diagnosis", "penguins:species"])
    func labelIsBitIdentical(sample: String) throws {
        let (name, label) = (String(sample.split(separator: ":")[0]), String(sample.split(separator: ":")[1]))
        // The training rows: enough for two slices of 64 rows and several batches.
        let arguments = ["label", "--teacher", CLIRunner.sample(name, "teacher.onnx"), "--data", CLIRunner.sample(name, "train.csv"),
                         "--label", label, "--out", "labelled.csv"]
        let baseline = try outputs(arguments, files: ["labelled.csv"], directory: "baseline")
        for (k, environment) in Self.environments.enumerated() {
            let again = try outputs(arguments, files: ["labelled.csv"], environment: environment, directory: "environment-\(k)")
            #expect(again == baseline, "\(name): labels differ under \(environment)")
        }
        for (k, options) in Self.slicings.enumerated() {
            let again = try outputs(arguments + options, files: ["labelled.csv"], directory: "slicing-\(k)")
            #expect(again == baseline, "\(name): labels differ with \(options)")
        }
    }

    @Test("tree, rules and linear runs write the same student, fidelity, text and report everywhere",
          arguments: ["tree:breast-cancer:diagnosis", "rules:penguins:species", "tree:diabetes:progression",
                      "linear:penguins:species", "linear:diabetes:progression"])
    func runDirectoryIsBitIdentical(run: String) throws {
        let parts = run.split(separator: ":").map(String.init)
        let (command, name, label) = (parts[0], parts[1], parts[2])
        let arguments = [command, "--teacher", CLIRunner.sample(name, "teacher.onnx"), "--data", CLIRunner.sample(name, "train.csv"),
                         "--eval-data", CLIRunner.sample(name, "test.csv"), "--label", label, "--out", "run"]
            + (Self.options[command] ?? [])
        let text = command == "linear" ? ["coefficients.csv", "equation.txt"] : ["rules.txt"]
        let files = (["student.json", "fidelity.json", "report.html"] + text).map { "run/" + $0 }
        let baseline = try outputs(arguments, files: files, directory: "baseline")
        for (k, environment) in Self.environments.enumerated() {
            let again = try outputs(arguments, files: files, environment: environment, directory: "environment-\(k)")
            for file in files {
                #expect(again[file] == baseline[file], "\(run): \(file) differs under \(environment)")
            }
        }
        // Other options are another command line, which the report shows; the rest is the same.
        for (k, options) in [["--threads", "1"], ["--threads", "2"], ["--batch-size", "7"]].enumerated() {
            let again = try outputs(arguments + options, files: files, directory: "slicing-\(k)")
            for file in files {
                #expect(Self.withoutCommand(again[file]) == Self.withoutCommand(baseline[file]), "\(run): \(file) differs with \(options)")
            }
        }
    }

    /// What each learning command is run with.
    private static let options = ["tree": ["--max-leaves", "8", "--detail", "histograms"], "rules": ["--max-rules", "6"],
                                  "linear": ["--max-features", "5"]]

    /// The file's lines less the report's line showing the command.
    private static func withoutCommand(_ data: Data?) -> [Substring] {
        String(decoding: data ?? Data(), as: UTF8.self).split(separator: "\n").filter { !$0.contains(#"class="command""#) }
    }

    /// Proof that the masked environment above really runs other CPU-specific code: glibc's
    /// own exp rounds this input differently without FMA (found by a sweep of exp over
    /// [−700, 700]), which the unpatched Distill showed in its outputs. Python's math.exp
    /// is glibc's exp.
    @Test("the glibc.cpu.hwcaps mask changes which libm variant runs", .enabled(if: cpuHasFMA))
    func maskChangesGlibcExp() throws {
        func glibcExp(_ environment: [String: String]) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", "import math; print(math.exp(-577.29714).hex())"]
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            let out = Pipe()
            process.standardOutput = out
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
        let plain = try glibcExp([:])
        let masked = try glibcExp(Self.masked)
        #expect(plain.hasPrefix("0x1.195c702fa82e"))
        #expect(plain != masked, "glibc gave \(plain) both with and without FMA")
    }
}
