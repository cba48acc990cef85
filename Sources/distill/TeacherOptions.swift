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

    @Option(help: ArgumentHelp(
        "What the ONNX output holds: probabilities, logits (softmax applied; sigmoid for one column) or value (regression).",
        discussion: "Detected where the graph makes it certain (a final Softmax/Sigmoid, a ZipMap, an ai.onnx.ml regressor or classifier); otherwise required for an output of several values per row.",
        valueName: "probabilities|logits|value"))
    var teacherOutputKind: TeacherOutputKind?

    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Softmax temperature for logits: the teacher answers softmax(logits / T) (default 1).", valueName: "T"))
    var teacherTemperature: Double?

    @Option(name: .customLong("input"), parsing: .unconditionalSingleValue, help: ArgumentHelp(
        "Binds an ONNX input to feature columns, in order, when matching by name is ambiguous (repeatable).",
        valueName: "NAME=col1,col2,…"))
    var inputs: [String] = []
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
        if teacherOutputKind != nil || teacherTemperature != nil || !inputs.isEmpty, teacher == nil {
            throw ValidationError("--teacher-output-kind, --teacher-temperature and --input apply to an ONNX --teacher only")
        }
        if let teacherTemperature, !(teacherTemperature > 0 && teacherTemperature.isFinite) {
            throw ValidationError("--teacher-temperature must be a positive number, not \(teacherTemperature)")
        }
        for input in inputs {
            do { _ = try TeacherInputAssignment(parsing: input) } catch let error as TeacherError {
                throw ValidationError(error.description)
            }
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
            return try ONNXTeacher(contentsOf: URL(fileURLWithPath: teacher), outputName: teacherOutput,
                                   outputKind: teacherOutputKind, temperature: teacherTemperature.map { Float($0) },
                                   threads: threads, warn: printNote)
        }
        if let teacherUrl {
            return try ServerTeacher(url: teacherUrl, outputName: teacherOutput, concurrency: teacherConcurrency, timeout: timeout)
        }
        guard let teacherCommand else {
            throw ValidationError("give the teacher with --teacher MODEL.onnx, --teacher-command 'CMD ARGS' or --teacher-url URL")
        }
        return try ProgramTeacher(command: teacherCommand, timeout: timeout)
    }

    /// A query of `teacher` in batches of `--batch-size`, with the `--input` bindings.
    func query(_ teacher: any Teacher) throws -> TeacherQuery {
        var query = TeacherQuery(teacher: teacher, batchSize: batchSize)
        query.assignments = try inputs.map { try TeacherInputAssignment(parsing: $0) }
        query.note = printNote
        return query
    }
}

extension TeacherOutputKind: ExpressibleByArgument {}

/// Writes a note or warning about the teacher on stderr, leaving stdout to the results.
@Sendable private func printNote(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
