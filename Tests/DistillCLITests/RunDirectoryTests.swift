import Foundation
import Testing

/// What a learning command leaves behind when it fails, is interrupted or runs beside
/// another one: never an empty or half-written --out, never files of two runs mixed.
@Suite("Run directories: nothing partial, nothing mixed", .serialized)
struct RunDirectoryTests {
    let scratch = CLIScratch()

    func path(_ name: String) -> String { scratch.path(name) }

    var fakeTeacher: String { CLIRunner.fixture("programs/fake_teacher.py") }

    /// A program teacher that records its process id, and every batch it is asked, in files.
    func teacherCommand(_ mode: String = "good") -> [String] {
        ["--teacher-command", "python3 '\(fakeTeacher)' \(mode) '\(path("teacher.pid"))' '\(path("asked"))'"]
    }

    var breastCancer: [String] {
        ["--data", CLIRunner.sample("breast-cancer", "train.csv"), "--label", "diagnosis"]
    }

    func json(_ file: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any] ?? [:]
    }

    func hiddenFiles(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasPrefix(".") }
    }

    /// Each bad option fails with a message naming it, before the teacher is asked anything,
    /// and leaves no --out directory behind.
    @Test(arguments: [
        (["tree", "--max-depth", "0"], "--max-depth must be at least 1, not 0"),
        (["tree", "--max-depth", "-1"], "--max-depth must be at least 1, not -1"),
        (["tree", "--max-leaves", "1"], "--max-leaves must be at least 2, not 1"),
        (["tree", "--bins", "1"], "--bins must be between 2 and 65534"),
        (["tree", "--criterion", "squared_error"], "--criterion squared_error is for regression teachers"),
        (["tree", "--target-fidelity", "1.5"], "--target-fidelity must be in (0, 1], not 1.5"),
        (["tree", "--min-node-rows", "100000000"], "--min-node-rows must be between 1 and 1000000, not 100000000"),
        (["tree", "--query-budget", "-5"], "--query-budget must be 0 or more, not -5"),
        (["tree", "--holdout", "0.999"], "rows to train on"),
        (["tree", "--holdout", "1.5"], "--holdout must be a fraction strictly between 0 and 1, not 1.5"),
        (["tree", "--label", "nosuch"], "--label: no column 'nosuch'"),
        (["tree", "--eval-data", "/nonexistent/eval.csv"], "/nonexistent/eval.csv: cannot open"),
        (["tree", "--batch-size", "-3"], "--batch-size must be at least 1, not -3"),
        (["linear", "--max-features", "0"], "--max-features must be at least 1, not 0"),
        (["linear", "--l1-ratio", "2"], "--l1-ratio must be in [0, 1], not 2"),
        (["linear", "--lambda", "-1"], "--lambda must be a positive number, not -1"),
        (["rules", "--max-rules", "0"], "--max-rules must be at least 1, not 0"),
        (["rules", "--max-conditions", "-2"], "--max-conditions must be at least 1, not -2"),
        (["rules", "--bins", "70000"], "--bins must be between 2 and 65534"),
    ])
    func aBadOptionFailsBeforeAnyWorkAndLeavesNoDirectory(arguments: [String], message: String) throws {
        let out = path("out")
        let result = try CLIRunner.run([arguments[0]] + teacherCommand() + breastCancer + arguments.dropFirst() + ["--out", out])
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(!FileManager.default.fileExists(atPath: path("asked")), "the teacher was asked before the options were checked")
    }

    @Test func anUnwritableOutFailsBeforeAnyWork() throws {
        let blocker = try scratch.write("file", "a file, not a directory")
        for command in [["tree"], ["linear"], ["rules"]] {
            let result = try CLIRunner.run(command + teacherCommand() + breastCancer + ["--out", blocker + "/out"])
            #expect(result.status != 0)
            #expect(result.stderr.contains("--out: cannot create the directory \(blocker)/out: \(blocker) is a file"), "\(result.stderr)")
        }
        let label = try CLIRunner.run(["label"] + teacherCommand() + breastCancer + ["--out", blocker + "/labelled.csv"])
        #expect(label.status != 0 && label.stderr.contains("--out: cannot write \(blocker)/labelled.csv"), "\(label.stderr)")
        #expect(!FileManager.default.fileExists(atPath: path("asked")))
    }

    /// A file that cannot be written is found before the student is applied or the teacher
    /// asked, with a message that says why.
    @Test func anUnwritableOutFileFailsBeforeAnyWork() throws {
        let student = CLIRunner.fixture("students/small-tree.json")
        let data = CLIRunner.sample("penguins", "test.csv")
        for (out, reason) in [("/nonexistent-dir/out.csv", "the directory /nonexistent-dir does not exist"),
                              ("/proc/version", "/proc does not take new files")] {
            for arguments in [["predict", "--student", student, "--data", data],
                              ["fidelity", "--student", student, "--data", data] + teacherCommand(),
                              ["export", "--student", student, "--format", "sql"]] {
                let result = try CLIRunner.run(arguments + ["--out", out])
                #expect(result.status != 0)
                #expect(result.stderr.contains("--out: cannot write \(out): \(reason)"), "\(arguments[0]): \(result.stderr)")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: path("asked")))
    }

    @Test func aRunWithoutAReportRemovesTheEarlierRunsReport() throws {
        let out = path("run")
        let common = ["tree", "--max-depth", "2", "--augment", "none"] + teacherCommand() + breastCancer + ["--out", out]
        #expect(try CLIRunner.run(common).status == 0)
        #expect(FileManager.default.fileExists(atPath: out + "/report.html"))
        let second = try CLIRunner.run(common + ["--no-report"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out + "/report.html"))
        #expect(!FileManager.default.fileExists(atPath: out + "/run.json"))
        #expect(FileManager.default.fileExists(atPath: out + "/student.json"))
        #expect(hiddenFiles(out).isEmpty)
    }

    /// Two runs with different seeds into one directory at once: each leaves its whole set,
    /// so the student and the run record always come from the same run.
    @Test func concurrentRunsIntoOneDirectoryNeverMixTheirFiles() throws {
        let out = path("shared")
        for round in 0..<3 {
            let runs = [UInt64(2 * round + 1), UInt64(2 * round + 2)].map { seed in
                let process = Process()
                process.executableURL = CLIRunner.executable
                process.arguments = ["tree", "--teacher", CLIRunner.sample("penguins", "teacher.onnx"),
                                     "--data", CLIRunner.sample("penguins", "train.csv"), "--label", "species",
                                     "--max-leaves", "4", "--seed", "\(seed)", "--out", out]
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                return process
            }
            for process in runs { try process.run() }
            for process in runs { process.waitUntilExit() }
            #expect(runs.allSatisfy { $0.terminationStatus == 0 })
            let student = try json(out + "/student.json")
            let record = try json(out + "/run.json")
            let studentSeed = (student["parameters"] as? [String: Any])?["seed"] as? Double
            #expect(studentSeed != nil && studentSeed == (record["seed"] as? Double), "round \(round)")
            let report = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
            #expect(report.contains("--seed \(Int(studentSeed ?? -1))"), "round \(round)")
        }
    }

    /// Stopped while its teacher program answers, `distill label` stops the program too and
    /// leaves nothing behind.
    @Test func anInterruptedCommandStopsItsTeacherAndLeavesNoFile() throws {
        let out = path("labelled.csv")
        let process = Process()
        process.executableURL = CLIRunner.executable
        process.arguments = ["label"] + teacherCommand("slow") + breastCancer + ["--batch-size", "100", "--out", out]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let started = Date()
        while !FileManager.default.fileExists(atPath: path("asked")), Date().timeIntervalSince(started) < 30 {
            usleep(50_000)
        }
        usleep(300_000)
        let teacher = try #require(Int32(String(contentsOfFile: path("teacher.pid"), encoding: .utf8)))
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 128 + SIGTERM)
        // The teacher, in a process group of its own, is killed too (and reaped by init).
        var gone = false
        for _ in 0..<100 where !gone {
            gone = kill(teacher, 0) != 0
            if !gone { usleep(50_000) }
        }
        #expect(gone, "the teacher program \(teacher) still runs")
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(hiddenFiles(scratch.directory.path).isEmpty)
    }

    /// Stopped at any moment, `distill label` leaves either its whole output or none, and
    /// never a hidden temporary file.
    @Test func stoppedAtAnyMomentLabelLeavesAllOrNothing() throws {
        let rows = try String(contentsOfFile: CLIRunner.sample("breast-cancer", "train.csv"), encoding: .utf8)
            .split(separator: "\n")
        let big = try scratch.write("big.csv", ([String(rows[0])] + Array(repeating: rows.dropFirst().map(String.init), count: 20).flatMap { $0 })
            .joined(separator: "\n") + "\n")
        let arguments = ["label", "--teacher", CLIRunner.sample("breast-cancer", "teacher.onnx"), "--data", big,
                         "--label", "diagnosis", "--threads", "1"]
        let start = Date()
        #expect(try CLIRunner.run(arguments + ["--out", path("whole.csv")]).status == 0)
        let whole = try Data(contentsOf: URL(fileURLWithPath: path("whole.csv")))
        let duration = Date().timeIntervalSince(start)
        for trial in 0..<6 {
            let out = path("trial\(trial).csv")
            let process = Process()
            process.executableURL = CLIRunner.executable
            process.arguments = arguments + ["--out", out]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Late in the run, where the output is being written.
            usleep(useconds_t(duration * (0.7 + 0.06 * Double(trial)) * 1_000_000))
            process.terminate()
            process.waitUntilExit()
            if process.terminationStatus == 0 {
                #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == whole, "trial \(trial)")
            } else {
                #expect(process.terminationStatus == 128 + SIGTERM)
                #expect(!FileManager.default.fileExists(atPath: out), "trial \(trial)")
            }
            #expect(hiddenFiles(scratch.directory.path).isEmpty, "trial \(trial)")
        }
    }
}
