import DistillCore
import Foundation

/// The `run.json` of a command that learned a student: what it was told and what it read.
enum RunDescription {
    static func record(teacher: (any Teacher)?, task: TeacherTask, teacherOptions: TeacherOptions,
                       dataOptions: DataOptions, evaluation: EvaluationOptions, transfer: String?,
                       train: Dataset, evalRows: Int, evalSource: String) throws -> RunRecord {
        let files = [("teacher", teacherOptions.teacher), ("data", transfer == nil ? dataOptions.data : nil),
                     ("eval data", transfer == nil ? evaluation.evalData : nil), ("transfer set", transfer)]
        let inputs = try files.compactMap { role, path in try path.map { try RunRecord.InputFile(role: role, path: $0) } }
        return RunRecord(command: ["distill"] + CommandLine.arguments.dropFirst(), seed: evaluation.seed,
                         teacher: teacherRecord(teacher, task: task, transfer: transfer), inputs: inputs,
                         train: train, evalRows: evalRows, evalSource: evalSource)
    }

    private static func teacherRecord(_ teacher: (any Teacher)?, task: TeacherTask, transfer: String?) -> RunRecord.TeacherRecord {
        teacher?.record ?? .init(kind: "transfer set", description: "the answers saved in \(transfer ?? "the transfer set")", task: task)
    }
}
