import DistillCore

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

    static func load(teacherOptions: TeacherOptions, dataOptions: DataOptions, evaluation: EvaluationOptions,
                     transfer: String?) throws -> LearningRows {
        let teacher: (any Teacher)? = transfer == nil || teacherOptions.isGiven ? try teacherOptions.load() : nil
        let query = teacher.map { TeacherQuery(teacher: $0, batchSize: teacherOptions.batchSize) }
        let set: TransferSet
        let imputation: Imputation?
        if let transfer {
            set = try TransferSet.read(transfer, selection: dataOptions.selection, delimiter: Character(dataOptions.delimiter))
            if let teacher, teacher.task != set.trainOutputs.task {
                throw DataError("\(transfer) holds answers for \(FidelityCommand.describe(set.trainOutputs.task)), but the teacher gives \(FidelityCommand.describe(teacher.task))")
            }
            imputation = dataOptions.impute.map { Imputation(strategy: $0, learningFrom: set.train) }
        } else {
            guard let query else { preconditionFailure("a teacher is loaded whenever there is no transfer set") }
            (set, imputation) = try evaluation.answered(dataOptions, query: query)
        }
        let label: ((Dataset) throws -> TeacherOutputs)? = query.map { query in
            { rows in try query.answers(for: imputation?.apply(to: rows) ?? rows) }
        }
        return LearningRows(set: set, teacher: teacher, label: label,
                            queries: transfer == nil ? set.train.rowCount + set.eval.rowCount : 0,
                            evalSource: transfer.map { "held-out rows of \($0)" } ?? evaluation.evalSource)
    }
}
