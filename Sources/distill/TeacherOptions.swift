import ArgumentParser
import DistillCore
import Foundation

/// Which teacher to ask and how.
struct TeacherOptions: ParsableArguments {
    @Option(help: "The teacher as an ONNX model file.")
    var teacher: String?

    @Option(help: "The teacher as a program speaking Distill's line protocol (run with /bin/sh -c).")
    var teacherCommand: String?

    @Option(help: ArgumentHelp("The teacher as a model behind an inference server (Open Inference Protocol, KServe V2).",
                               valueName: "http://HOST:PORT/v2/models/NAME"))
    var teacherUrl: String?

    @Option(help: "The ONNX or server output to use, when the model has several.")
    var teacherOutput: String?

    @Option(parsing: .unconditional, help: "Requests a --teacher-url server gets at the same time.")
    var teacherConcurrency: Int = 2

    @Option(parsing: .unconditional, help: "Rows sent to the teacher at once.")
    var batchSize: Int = 4096

    @Option(parsing: .unconditional, help: "Seconds a teacher program or server may take per batch.")
    var timeout: Double = 60

    @Option(parsing: .unconditional, help: "Threads for ONNX inference (default: all cores).")
    var threads: Int?

    func validate() throws {
        let given = [("--teacher", teacher), ("--teacher-command", teacherCommand), ("--teacher-url", teacherUrl)].filter { $0.1 != nil }
        if given.count > 1 {
            throw ValidationError("give one of --teacher, --teacher-command and --teacher-url, not " + given.map(\.0).joined(separator: " and "))
        }
        if teacherOutput != nil, teacher == nil, teacherUrl == nil {
            throw ValidationError("--teacher-output applies to an ONNX --teacher or a --teacher-url only")
        }
        if let teacherUrl {
            do { _ = try ServerTeacher.modelURL(teacherUrl) } catch { throw ValidationError("\(error)") }
        }
        guard teacherConcurrency > 0 else { throw ValidationError("--teacher-concurrency must be at least 1, not \(teacherConcurrency)") }
        guard batchSize > 0 else { throw ValidationError("--batch-size must be at least 1, not \(batchSize)") }
        guard timeout > 0, timeout.isFinite else { throw ValidationError("--timeout must be a positive number of seconds, not \(timeout)") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, not \(threads)") }
    }

    var isGiven: Bool { teacher != nil || teacherCommand != nil || teacherUrl != nil }

    func load() throws -> any Teacher {
        if let teacher {
            return try ONNXTeacher(contentsOf: URL(fileURLWithPath: teacher), outputName: teacherOutput, threads: threads)
        }
        if let teacherUrl {
            return try ServerTeacher(url: teacherUrl, outputName: teacherOutput, concurrency: teacherConcurrency, timeout: timeout)
        }
        guard let teacherCommand else {
            throw ValidationError("give the teacher with --teacher MODEL.onnx, --teacher-command 'CMD ARGS' or --teacher-url URL")
        }
        return try ProgramTeacher(command: teacherCommand, timeout: timeout)
    }
}
