/// Fits decision-tree students to a teacher's answers.
public enum TreeLearner {
    /// Grows a tree on the rows of `data` with the teacher's answers as targets.
    /// - Parameters:
    ///   - synthetic: per row, whether it was made up and labelled by the teacher; nil when
    ///     all rows are real.
    ///   - augmenter: adds synthetic rows to small nodes while growing; nil for none.
    /// - Throws: `ConfigurationError` for hyperparameters out of range; what the teacher
    ///   throws while labelling synthetic rows.
    public static func fit(_ data: Dataset, outputs: TeacherOutputs, synthetic: [Bool]? = nil,
                           augmenter: TreeAugmenter? = nil, configuration: TreeConfiguration) throws -> DecisionTree {
        precondition(outputs.rowCount == data.rowCount, "one teacher answer per row")
        try configuration.validate(task: outputs.task)
        let bins: Int?
        switch configuration.binning {
        case .automatic: bins = data.rowCount <= TreeConfiguration.exactRowLimit ? nil : TreeConfiguration.automaticBins
        case .exact: bins = nil
        case .bins(let count): bins = count
        }
        var grower = TreeGrower(configuration: configuration,
                                criterion: configuration.criterion,
                                width: outputs.task.outputWidth,
                                bins: FeatureBins(data, bins: bins),
                                targets: targets(outputs, hard: configuration.hard),
                                isSynthetic: synthetic ?? [Bool](repeating: false, count: data.rowCount),
                                augmenter: augmenter, hard: configuration.hard)
        var tree = DecisionTree(featureNames: data.featureNames,
                                featureLevels: data.featureLevels,
                                task: outputs.task)
        try grower.grow(&tree, rows: (0..<data.rowCount).map(Int32.init))
        guard configuration.refine else { return tree }
        let refiner = TreeRefiner(bins: grower.bins, targets: grower.targets, width: outputs.task.outputWidth,
                                  isSynthetic: grower.isSynthetic, criterion: configuration.criterion,
                                  minSamplesLeaf: configuration.minSamplesLeaf, minLevelRows: configuration.minLevelRows)
        return refiner.refine(tree)
    }

    /// The teacher's probabilities, or with `hard` a one-hot of its most probable class.
    static func targets(_ outputs: TeacherOutputs, hard: Bool) -> [Float] {
        guard hard, case .classification(let classes) = outputs.task else { return outputs.values }
        var oneHot = [Float](repeating: 0, count: outputs.values.count)
        for row in 0..<outputs.rowCount { oneHot[row * classes.count + outputs.predictedClass(row)] = 1 }
        return oneHot
    }
}
