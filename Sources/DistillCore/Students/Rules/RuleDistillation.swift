/// Fits a rule-list student to a teacher and measures it: the job of `distill rules`.
///
/// A validation part of the training rows (`validationFraction`) is set aside when pruning;
/// rules are learned on the rest (with synthetic rows when a labeller is given), pruned on
/// the validation rows, and their answers refitted to every row they were learned from.
/// Fidelity is reported on the training rows and on the evaluation rows, which the list
/// never saw, and against the number of rules (the list cut after each rule, its default
/// refitted).
///
/// A tree's leaves are rules too: a tree of `maxRules + 1` leaves grown on the same rows and
/// rewritten as a list (`RuleList(tree:)`), pruned the same way, is kept instead when it is
/// more faithful on the validation rows (on the training rows without pruning). Neither way
/// of learning wins everywhere: separate-and-conquer finds one strong rule at a time, a tree
/// divides all rows at once.
public struct RuleDistillation: Sendable {
    public var configuration: RuleConfiguration
    public var seed: UInt64
    /// Synthetic rows while learning (see `TreeAugmenter`); used when `run` gets a labeller.
    public var augmentation = AugmentConfiguration()
    public var validationFraction = 0.2

    public init(configuration: RuleConfiguration, seed: UInt64 = 0) {
        self.configuration = configuration
        self.seed = seed
    }

    public struct Result: Sendable {
        public var list: RuleList
        public var curve: [FidelityCurvePoint]
        public var train: FidelityMetrics
        public var eval: FidelityMetrics
        /// Held-out fidelity per rule (`leaf` is the rule's index).
        public var rules: [LeafFidelity]
        public var synthetic: FidelityMetrics?
        public var syntheticRows: (rows: Dataset, outputs: TeacherOutputs)?
        public var syntheticQueries: Int
        public var notes: [String]
    }

    /// Checks every option that depends neither on the teacher nor on the data, so that a
    /// command can refuse a bad one before any work.
    /// - Throws: `ConfigurationError` naming the option.
    public func validate() throws {
        try configuration.validate()
        try augmentation.validate()
    }

    /// - Parameters:
    ///   - label: asks the teacher about synthetic rows; nil to learn from the given rows only.
    ///   - synthetic: synthetic rows already labelled (from a saved transfer set).
    /// - Throws: `ConfigurationError` for options out of range, `DataError` when the
    ///   validation split leaves too few rows, and what the teacher throws.
    public func run(train: Dataset, trainOutputs: TeacherOutputs, eval: Dataset, evalOutputs: TeacherOutputs,
                    synthetic given: (rows: Dataset, outputs: TeacherOutputs)? = nil,
                    label: ((Dataset) throws -> TeacherOutputs)? = nil) throws -> Result {
        let task = trainOutputs.task
        try configuration.validate(task: task)
        try augmentation.validate(featureCount: train.features.count)
        let (fitRows, validationRows) = configuration.prune
            ? try train.splitRows(holdout: validationFraction, seed: seed) : (Array(0..<train.rowCount), [])
        let fitData = train.rows(fitRows)
        let fitOutputs = trainOutputs.rows(fitRows)
        var growData = fitData
        var growOutputs = fitOutputs
        var isSynthetic = [Bool](repeating: false, count: fitData.rowCount)
        if let (rows, outputs) = given {
            growData = growData.appending(rows)
            growOutputs = growOutputs.appending(outputs)
            isSynthetic += [Bool](repeating: true, count: rows.rowCount)
        }
        let augmenter = label.flatMap { label in
            augmentation.mode == .none ? nil : TreeAugmenter(configuration: augmentation, seed: seed, realData: fitData, label: label)
        }
        let bins = FeatureBins(growData, bins: configuration.bins(rows: growData.rowCount))
        var learner = RuleLearner(configuration: configuration, task: task, bins: bins,
                                  targets: TreeLearner.targets(growOutputs, hard: configuration.hard),
                                  realRows: fitData.rowCount, augmenter: augmenter)
        let learned = try learner.learn()

        var made: (rows: Dataset, outputs: TeacherOutputs)?
        if let augmenter, augmenter.queries > 0 {
            made = augmenter.syntheticSet(task: task)
        }
        if let made {
            growData = growData.appending(made.rows)
            growOutputs = growOutputs.appending(made.outputs)
            isSynthetic += [Bool](repeating: true, count: made.rows.rowCount)
        }
        let targets = TeacherOutputs(task: task, values: TreeLearner.targets(growOutputs, hard: configuration.hard))
        let refit = { (list: RuleList) in try list.refitted(to: growData, targets: targets, synthetic: isSynthetic) }
        let kinds = bins.kinds
        let unrefined = RuleList(featureNames: growData.featureNames,
                                 featureLevels: growData.featureLevels, task: task,
                                 rules: learned.map { conditions in
                                     RuleList.Rule(conditions: conditions.map { $0.ruleCondition(kinds[$0.feature]) },
                                                   value: [], realRows: 0, syntheticRows: 0)
                                 } + [RuleList.Rule(conditions: [], value: [], realRows: 0, syntheticRows: 0)])
        let (judge, judgeOutputs) = configuration.prune
            ? (train.rows(validationRows), trainOutputs.rows(validationRows)) : (fitData, fitOutputs)
        let pruned = { (list: RuleList) in
            configuration.prune ? try RulePruner(refit: refit, validation: judge, outputs: judgeOutputs).prune(list) : list
        }
        var list = try pruned(try refit(unrefined))

        var notes: [String] = []
        if learned.isEmpty {
            notes.append("no rule agreed with the teacher better than a single answer for every row, so the list is its default")
        } else if list.ruleCount < learned.count {
            notes.append("pruning on validation rows kept \(list.ruleCount) of the \(learned.count) rules learned")
        }
        if let fromTree = try treeRules(growData, targets: targets, synthetic: isSynthetic).map({ try pruned(try refit($0)) }) {
            let learnedScore = try Self.fidelity(of: list, on: judge, outputs: judgeOutputs) ?? -.infinity
            let treeScore = try Self.fidelity(of: fromTree, on: judge, outputs: judgeOutputs) ?? -.infinity
            if treeScore > learnedScore {
                let rows = configuration.prune ? "validation" : "training"
                let figures = String(format: "%.4f on the \(rows) rows against %.4f", treeScore, learnedScore)
                notes.append("kept the rules of a tree of \(configuration.maxRules + 1) leaves (\(fromTree.ruleCount) rules): fidelity \(figures) for the rules learned one by one")
                list = fromTree
            }
        }
        if let augmenter, augmenter.budgetUsedUp {
            notes.append("the query budget of \(augmentation.queryBudget) synthetic rows was used up while learning")
        }
        let curve = try (0...list.ruleCount).map { count in
            FidelityCurvePoint(rules: count, fidelity: try Self.fidelity(of: refit(list.prefix(count)), on: eval, outputs: evalOutputs),
                               chosen: count == list.ruleCount)
        }
        var syntheticRows = given
        if let made {
            syntheticRows = syntheticRows.map { ($0.rows.appending(made.rows), $0.outputs.appending(made.outputs)) } ?? made
        }
        let synthetic = try syntheticRows.map { rows, outputs in
            FidelityMetrics.measure(teacher: outputs, student: try list.predict(rows))
        }
        let evalRules = try list.firedRules(for: eval)
        let evalPredictions = evalRules.flatMap { list.rules[$0].value }
        return Result(list: list, curve: curve,
                      train: FidelityMetrics.measure(teacher: trainOutputs, student: try list.predict(train), truth: train.label),
                      eval: FidelityMetrics.measure(teacher: evalOutputs, student: evalPredictions, truth: eval.label),
                      rules: LeafFidelity.measure(leaves: evalRules, teacher: evalOutputs, student: evalPredictions),
                      synthetic: synthetic, syntheticRows: syntheticRows, syntheticQueries: augmenter?.queries ?? 0,
                      notes: notes)
    }

    /// The leaves of a tree of `maxRules + 1` leaves as rules, grown on the rules' rows with
    /// their targets, each rule answering at least `minRuleRows` rows; grown again at most
    /// `maxConditions` deep when a rule would test more; nil when even that fails.
    private func treeRules(_ data: Dataset, targets: TeacherOutputs, synthetic: [Bool]) throws -> RuleList? {
        var tree = TreeConfiguration()
        tree.maxLeaves = configuration.maxRules + 1
        tree.minSamplesLeaf = configuration.minRuleRows
        tree.binning = configuration.binning
        if case .regression = targets.task { tree.criterion = .squaredError }
        for maxDepth in [nil, configuration.maxConditions] {
            tree.maxDepth = maxDepth
            let fitted = try TreeLearner.fit(data, outputs: targets, synthetic: synthetic, configuration: tree)
            let list = try RuleList(tree: fitted)
            if list.rules.allSatisfy({ $0.conditions.count <= configuration.maxConditions }) { return list }
        }
        return nil
    }

    /// Agreement or R² of a list on some rows; nil for no rows or an undefined R².
    static func fidelity(of list: RuleList, on data: Dataset, outputs: TeacherOutputs) throws -> Double? {
        guard data.rowCount > 0 else { return nil }
        let metrics = FidelityMetrics.measure(teacher: outputs, student: try list.predict(data))
        return metrics.agreement ?? metrics.r2
    }
}
