import ArgumentParser
import DistillCore

/// Which rows a student learns from and which rows judge it.
struct EvaluationOptions: ParsableArguments {
    @Option(help: "Held-out rows to measure fidelity on (default: a --holdout part of --data). Its columns are matched to --data's by name.")
    var evalData: String?

    @Option(parsing: .unconditional, help: "Share of --data held out for measuring fidelity when there is no --eval-data.")
    var holdout: Double = 0.2

    @Option(parsing: .unconditional, help: "Seed for every random choice.")
    var seed: UInt64 = 0

    func validate() throws {
        guard holdout > 0, holdout < 1 else {
            throw ValidationError("--holdout must be a fraction strictly between 0 and 1, not \(holdout)")
        }
    }

    var evalSource: String {
        evalData.map { "held-out rows of \($0)" } ?? "held-out rows (\(Int((holdout * 100).rounded()))% of --data)"
    }

    struct Sets {
        var train: Dataset
        var eval: Dataset
        /// Where each part's rows come from, for messages.
        var trainSource: String
        var evalSource: String
        /// Fills missing values for the teacher when --impute asks, learned from `train`.
        var imputation: Imputation?

        func teacherView(_ data: Dataset) -> Dataset {
            imputation?.apply(to: data) ?? data
        }
    }

    /// The training and held-out rows; `--eval-data`'s columns are put in `--data`'s order
    /// by name, since a teacher with one wide input takes them by position.
    func load(_ dataOptions: DataOptions, for teacher: any Teacher) throws -> Sets {
        let all = try dataOptions.load(for: teacher)
        let path = dataOptions.data ?? ""
        let train: Dataset
        let eval: Dataset
        let evalPlace: String
        if let evalData {
            train = all
            eval = try dataOptions.load(path: evalData, for: teacher).aligned(to: all, source: evalData, referenceSource: "--data \(path)")
            evalPlace = evalData
        } else {
            (train, eval) = try all.split(holdout: holdout, seed: seed)
            evalPlace = "\(path) (held-out rows)"
        }
        let imputation = dataOptions.impute.map { Imputation(strategy: $0, learningFrom: train) }
        return Sets(train: train, eval: eval, trainSource: path, evalSource: evalPlace, imputation: imputation)
    }

    /// The training and evaluation rows with the teacher's answers to both, asked with a
    /// progress line.
    /// - Parameter check: runs once the rows are read, before the teacher is asked anything,
    ///   so that options that depend on the rows fail before the expensive part.
    func answered(_ dataOptions: DataOptions, query: TeacherQuery,
                  check: (Dataset) throws -> Void = { _ in }) throws -> (set: TransferSet, imputation: Imputation?) {
        let sets = try load(dataOptions, for: query.teacher)
        try check(sets.train)
        let progress = Progress(total: sets.train.rowCount + sets.eval.rowCount, noun: "teacher answered")
        let trainOutputs = try query.answers(for: sets.teacherView(sets.train), source: sets.trainSource) { progress.update(done: $0) }
        let evalOutputs = try query.answers(for: sets.teacherView(sets.eval), source: sets.evalSource) {
            progress.update(done: sets.train.rowCount + $0)
        }
        progress.finish()
        return (TransferSet(train: sets.train.withoutDoubles, trainOutputs: trainOutputs,
                            eval: sets.eval.withoutDoubles, evalOutputs: evalOutputs), sets.imputation)
    }
}
