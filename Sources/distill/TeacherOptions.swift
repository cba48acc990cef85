import ArgumentParser
import DistillCore
import Foundation

/// Which teacher to ask and how.
struct TeacherOptions: ParsableArguments {
    @Option(help: "The teacher as an ONNX model file.")
    var teacher: String?

    @Option(help: "The teacher as a program speaking Distill's line protocol (run with /bin/sh -c).")
    var teacherCommand: String?

    @Option(help: "The ONNX output to use, when the model has several.")
    var teacherOutput: String?

    @Option(parsing: .unconditional, help: "Rows sent to the teacher at once.")
    var batchSize: Int = 4096

    @Option(parsing: .unconditional, help: "Seconds a teacher program may take per batch.")
    var timeout: Double = 60

    @Option(parsing: .unconditional, help: "Threads for ONNX inference (default: all cores).")
    var threads: Int?

    func validate() throws {
        if teacher != nil, teacherCommand != nil {
            throw ValidationError("give either --teacher or --teacher-command, not both")
        }
        if teacherOutput != nil, teacher == nil {
            throw ValidationError("--teacher-output applies to an ONNX --teacher only")
        }
        guard batchSize > 0 else { throw ValidationError("--batch-size must be at least 1, not \(batchSize)") }
        guard timeout > 0, timeout.isFinite else { throw ValidationError("--timeout must be a positive number of seconds, not \(timeout)") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, not \(threads)") }
    }

    var isGiven: Bool { teacher != nil || teacherCommand != nil }

    func load() throws -> any Teacher {
        if let teacher {
            return try ONNXTeacher(contentsOf: URL(fileURLWithPath: teacher), outputName: teacherOutput, threads: threads)
        }
        guard let teacherCommand else {
            throw ValidationError("give the teacher with --teacher MODEL.onnx or --teacher-command 'CMD ARGS'")
        }
        return try ProgramTeacher(command: teacherCommand, timeout: timeout)
    }
}
