import DistillCore
import Foundation

/// The rows a student learns from and is judged on, with the teacher's answers: asked of
/// the teacher, or read from a transfer set saved earlier (`--transfer`).
struct LearningRows {
    var set: TransferSet
    /// The teacher, when one was given (with a transfer set it is optional: it is only
    /// asked about new synthetic rows).
    var teacher: (any Teacher)?
    /// Asks the teacher about synthetic rows, filling missing values as `--impute` says.
    var label: ((Dataset) throws -> TeacherOutputs)?
    /// Rows the teacher was asked about.
    var queries: Int
    var evalSource: String
    /// The transfer set read, when `--transfer` gave one.
    var transfer: String?

    /// The teacher in words, for a student file's parameters.
    var teacherSummary: String {
        teacher?.summary ?? "answers from the transfer set \(transfer ?? "")"
    }

    /// Why no synthetic rows were made although `augment` asked for them, if so.
    func unaskedNote(augment: AugmentMode) -> String? {
        label == nil && augment != .none ? "no teacher given with --transfer, so no new synthetic rows were asked for" : nil
    }

    /// The `run.json` of a command that learned from these rows.
    func runRecord(teacherOptions: TeacherOptions, dataOptions: DataOptions, evaluation: EvaluationOptions) throws -> RunRecord {
        try RunDescription.record(teacher: teacher, task: set.trainOutputs.task, teacherOptions: teacherOptions,
                                  dataOptions: dataOptions, evaluation: evaluation, transfer: transfer,
                                  train: set.train, evalRows: set.eval.rowCount, evalSource: evalSource)
    }

    /// Writes a run's files into `output` and, when `saveTransfer` names a file, these rows
    /// with the synthetic ones made while learning, all appearing together; returns the line
    /// saying what was written.
    func write(_ files: [(name: String, contents: Data)], to output: OutputDirectory,
               synthetic: (rows: Dataset, outputs: TeacherOutputs)?, saveTransfer: String?) throws -> String {
        var saved = set
        saved.synthetic = synthetic
        let transferFile = saveTransfer.map { [(path: $0, contents: Data(saved.csv().utf8))] } ?? []
        try output.write(files, replacing: RunFiles.names, also: transferFile)
        return "wrote \(output.path)/" + files.map(\.name).joined(separator: ", ") + (saveTransfer.map { ", \($0)" } ?? "")
    }

    /// - Parameter check: runs with the teacher's task and the training rows once both are
    ///   known, before the teacher is asked anything, so that options that depend on them
    ///   fail before the expensive part.
    static func load(teacherOptions: TeacherOptions, dataOptions: DataOptions, evaluation: EvaluationOptions,
                     transfer: String?, check: (TeacherTask, Dataset) throws -> Void) throws -> LearningRows {
        let teacher: (any Teacher)? = transfer == nil || teacherOptions.isGiven ? try teacherOptions.load() : nil
        let query = try teacher.map { try teacherOptions.query($0) }
        let set: TransferSet
        let imputation: Imputation?
        if let transfer {
            set = try TransferSet.read(transfer, selection: dataOptions.selection, delimiter: Character(dataOptions.delimiter))
            if let teacher, teacher.task != set.trainOutputs.task {
                throw DataError("\(transfer) holds answers for \(FidelityCommand.describe(set.trainOutputs.task)), but the teacher gives \(FidelityCommand.describe(teacher.task))")
            }
            try check(set.trainOutputs.task, set.train)
            imputation = dataOptions.impute.map { Imputation(strategy: $0, learningFrom: set.train) }
        } else {
            guard let teacher, let query else { preconditionFailure("a teacher is loaded whenever there is no transfer set") }
            (set, imputation) = try evaluation.answered(dataOptions, query: query) { try check(teacher.task, $0) }
        }
        let label: ((Dataset) throws -> TeacherOutputs)? = query.map { query in
            { rows in try query.answers(for: imputation?.apply(to: rows) ?? rows, source: "synthetic rows") }
        }
        return LearningRows(set: set, teacher: teacher, label: label,
                            queries: transfer == nil ? set.train.rowCount + set.eval.rowCount : 0,
                            evalSource: transfer.map { "held-out rows of \($0)" } ?? evaluation.evalSource, transfer: transfer)
    }
}

/// The files a learning command (`tree`, `linear`, `rules`) may write into its `--out`: a
/// new run removes those of an earlier one it does not write, so one directory never holds
/// a student from one run beside a report from another.
enum RunFiles {
    static let names: Set<String> = {
        var names: Set<String> = ["student.json", "fidelity.json", "run.json", "report.html", "rules.txt",
                                  "coefficients.csv", "equation.txt"]
        for diagram in ["tree", "rules"] {
            for format in DiagramFormatOptions.known { names.insert("\(diagram).\(format)") }
        }
        return names
    }()
}
