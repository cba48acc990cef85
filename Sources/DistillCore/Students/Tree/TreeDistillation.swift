import Foundation

/// Fits a tree student to a teacher and measures it: the job of `distill tree`.
///
/// The tree is grown on the training rows and pruned along its cost-complexity path. With
/// `targetFidelity`, a validation part of the training rows (`validationFraction`) is set
/// aside, the tree is grown on the rest, and the smallest tree on the path whose
/// validation fidelity reaches the target is kept (the most faithful one when none does).
/// Fidelity is reported on the training rows and on the evaluation rows, which the tree
/// never saw.
public struct TreeDistillation: Sendable {
    public var configuration: TreeConfiguration
    public var targetFidelity: Double?
    public var seed: UInt64
    /// Synthetic rows while growing (see `TreeAugmenter`); used when `run` gets a labeller.
    public var augmentation = AugmentConfiguration()
    public var validationFraction = 0.2
    /// The most points the fidelity-against-complexity curve keeps.
    public var curveLimit = 200

    public init(configuration: TreeConfiguration, targetFidelity: Double? = nil, seed: UInt64 = 0) {
        self.configuration = configuration
        self.targetFidelity = targetFidelity
        self.seed = seed
    }

    public struct Result: Sendable {
        public var tree: DecisionTree
        public var curve: [FidelityCurvePoint]
        public var train: FidelityMetrics
        public var eval: FidelityMetrics
        public var leaves: [LeafFidelity]
        /// Fidelity on the synthetic rows made while growing, when there were any.
        public var synthetic: FidelityMetrics?
        /// All synthetic rows the tree learned from (given and made), with the teacher's answers.
        public var syntheticRows: (rows: Dataset, outputs: TeacherOutputs)?
        /// Teacher queries made for synthetic rows.
        public var syntheticQueries: Int
        /// Things the user should know about the outcome, in words.
        public var notes: [String]
    }

    /// Checks every option that depends neither on the teacher nor on the data, so that a
    /// command can refuse a bad one before any work.
    /// - Throws: `ConfigurationError` naming the option.
    public func validate() throws {
        try configuration.validate()
        try augmentation.validate()
        if let targetFidelity, !(targetFidelity > 0 && targetFidelity <= 1) {
            throw ConfigurationError("--target-fidelity must be in (0, 1], not \(targetFidelity)")
        }
    }

    /// - Parameters:
    ///   - label: asks the teacher about synthetic rows; nil to grow on the given rows only.
    ///   - synthetic: synthetic rows already labelled (from a saved transfer set), learned
    ///     from together with the training rows.
    /// - Throws: `ConfigurationError` for options out of range, `DataError` when the
    ///   validation split leaves too few rows, and what the teacher throws.
    public func run(train: Dataset, trainOutputs: TeacherOutputs, eval: Dataset, evalOutputs: TeacherOutputs,
                    synthetic given: (rows: Dataset, outputs: TeacherOutputs)? = nil,
                    label: ((Dataset) throws -> TeacherOutputs)? = nil) throws -> Result {
        try validate()
        try configuration.validate(task: trainOutputs.task)
        try augmentation.validate(featureCount: train.features.count)
        var notes: [String] = []
        if configuration.maxDepth == nil, configuration.maxLeaves == nil {
            notes.append("no --max-depth or --max-leaves given, so the tree was grown best-first to at most \(TreeConfiguration.defaultMaxLeaves) leaves")
        }
        let fitRows: [Int]
        let validationRows: [Int]
        if targetFidelity != nil {
            (fitRows, validationRows) = try train.splitRows(holdout: validationFraction, seed: seed)
        } else {
            (fitRows, validationRows) = (Array(0..<train.rowCount), [])
        }
        if configuration.refine, fitRows.count > TreeRefiner.realRowLimit {
            notes.append("the tree is kept as grown: refinement (see --no-refine) is for at most \(TreeRefiner.realRowLimit) training rows, where it pays for its time")
        }
        let fitData = train.rows(fitRows)
        let fitOutputs = trainOutputs.rows(fitRows)
        let augmenter = label.flatMap { label in
            augmentation.mode == .none ? nil : TreeAugmenter(configuration: augmentation, seed: seed, realData: fitData, label: label)
        }
        var growData = fitData
        var growOutputs = fitOutputs
        var isSynthetic = [Bool](repeating: false, count: fitData.rowCount)
        if let (rows, outputs) = given {
            growData = fitData.appending(rows)
            growOutputs = fitOutputs.appending(outputs)
            isSynthetic += [Bool](repeating: true, count: rows.rowCount)
        }
        let full = try TreeLearner.fit(growData, outputs: growOutputs, synthetic: isSynthetic, augmenter: augmenter,
                                       configuration: configuration)
        let path = PruningPath(full)

        var chosenStep: Int?
        var tree = configuration.ccpAlpha > 0 ? path.prune(full, alpha: configuration.ccpAlpha) : full
        if let targetFidelity {
            let validation = train.rows(validationRows)
            let validationOutputs = trainOutputs.rows(validationRows)
            let scores = try path.steps.indices.map { step in
                try Self.fidelity(of: path.tree(full, step: step), on: validation, outputs: validationOutputs)
            }
            // Steps run from the largest tree to the smallest: the last one reaching the target.
            if let step = scores.indices.last(where: { (scores[$0] ?? -.infinity) >= targetFidelity }) {
                chosenStep = step
            } else {
                chosenStep = scores.indices.max { (scores[$0] ?? -.infinity) < (scores[$1] ?? -.infinity) } ?? 0
                let best = scores[chosenStep!].map { String(format: "%.4f", $0) } ?? "undefined"
                notes.append("no tree on the pruning path reaches validation fidelity \(targetFidelity); kept the most faithful one (\(best))")
            }
            tree = path.tree(full, step: chosenStep!)
        }

        if tree.leafCount == 1, case .classification = trainOutputs.task,
           Set((0..<fitOutputs.rowCount).map(fitOutputs.predictedClass)).count == 1 {
            notes.append("the teacher gives every training row the same class, so one leaf reproduces it")
        }

        let curve = try self.curve(path, full, eval: eval, evalOutputs: evalOutputs, chosenLeaves: tree.leafCount,
                                   chosenStep: chosenStep)
        let trainPredictions = try tree.predict(train)
        let evalLeaves = try tree.leaves(for: eval)
        let evalPredictions = evalLeaves.flatMap { tree.value[$0] }
        var syntheticRows = given
        if let augmenter, augmenter.queries > 0 {
            let made = augmenter.syntheticSet(task: trainOutputs.task)
            syntheticRows = syntheticRows.map { ($0.rows.appending(made.0), $0.outputs.appending(made.1)) } ?? made
            if augmenter.budgetUsedUp {
                notes.append("the query budget of \(augmentation.queryBudget) synthetic rows was used up while growing")
            }
        }
        let synthetic = try syntheticRows.map { rows, outputs in
            FidelityMetrics.measure(teacher: outputs, student: try tree.predict(rows))
        }
        return Result(tree: tree, curve: curve,
                      train: FidelityMetrics.measure(teacher: trainOutputs, student: trainPredictions, truth: train.label),
                      eval: FidelityMetrics.measure(teacher: evalOutputs, student: evalPredictions, truth: eval.label),
                      leaves: LeafFidelity.measure(leaves: evalLeaves, teacher: evalOutputs, student: evalPredictions),
                      synthetic: synthetic, syntheticRows: syntheticRows, syntheticQueries: augmenter?.queries ?? 0,
                      notes: notes)
    }

    /// Agreement or R² of a tree on some rows; nil for no rows or an undefined R².
    static func fidelity(of tree: DecisionTree, on data: Dataset, outputs: TeacherOutputs) throws -> Double? {
        guard data.rowCount > 0 else { return nil }
        let metrics = FidelityMetrics.measure(teacher: outputs, student: try tree.predict(data))
        return metrics.agreement ?? metrics.r2
    }

    private func curve(_ path: PruningPath, _ full: DecisionTree, eval: Dataset, evalOutputs: TeacherOutputs,
                       chosenLeaves: Int, chosenStep: Int?) throws -> [FidelityCurvePoint] {
        var steps = Array(path.steps.indices)
        if steps.count > curveLimit {
            let stride = Double(steps.count - 1) / Double(curveLimit - 1)
            steps = (0..<curveLimit).map { steps[Int((Double($0) * stride).rounded())] }
        }
        var chosenMarked = false
        return try steps.map { step in
            let tree = path.tree(full, step: step)
            let isChosen = chosenStep.map { $0 == step } ?? (!chosenMarked && tree.leafCount == chosenLeaves)
            if isChosen { chosenMarked = true }
            return FidelityCurvePoint(leaves: tree.leafCount, depth: tree.depth, alpha: path.steps[step].alpha,
                              fidelity: try Self.fidelity(of: tree, on: eval, outputs: evalOutputs), chosen: isChosen)
        }
    }
}
