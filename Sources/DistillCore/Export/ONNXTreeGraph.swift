/// A decision tree as one ai.onnx.ml TreeEnsembleRegressor whose targets are the leaf's
/// stored values and then its node id, so a single routing gives the answer and the leaf.
///
/// A regressor rather than a TreeEnsembleClassifier: the classifier's label breaks ties
/// its own way and it has no leaf output, so the export would route twice.
///
/// Numeric splits are `BRANCH_LEQ` on the float input with the Float32 threshold itself:
/// onnxruntime compares float x ≤ float t, which is Distill's own test. Opset 3 has no
/// set-membership test, so each level split first becomes a column that is 0 where the
/// level goes left, 1 where it goes right (LevelSplit), NaN when missing, split at 0.5.
/// A missing value goes where `nodes_missing_value_tracks_true` says (true = left).
struct ONNXTreeGraph {
    let tree: DecisionTree

    /// Node ids travel as Float32 targets, exact up to 2^24.
    private static let largestNodeCount = 1 << 24

    func build(_ builder: inout ONNXGraphBuilder) throws -> ONNXExport.Answer {
        guard tree.nodeCount <= Self.largestNodeCount else {
            throw DataError("the tree has \(tree.nodeCount) nodes; the ONNX export numbers leaves exactly up to \(Self.largestNodeCount)")
        }
        try NestingLimit.onnx.check(tree)
        let width = tree.task.outputWidth
        var columns: [String] = []
        var numericColumn: [Int: Int] = [:]
        var nodes = Nodes()
        for node in 0..<tree.nodeCount {
            guard !tree.isLeaf(node) else {
                nodes.addLeaf(node, targets: tree.value[node] + [Float(node)])
                continue
            }
            let feature = tree.feature[node]
            if tree.featureLevels[feature] == nil {
                // A number is read as it is, one column however many splits test it.
                let column: Int
                if let known = numericColumn[feature] {
                    column = known
                } else {
                    column = columns.count
                    numericColumn[feature] = column
                    columns.append(tree.featureNames[feature])
                }
                nodes.addSplit(column: column, threshold: tree.threshold[node], tree: tree, node: node)
            } else {
                let split = try LevelSplit(tree: tree, node: node)
                let listedSide: Float = split.negated ? 1 : 0
                columns.append(try builder.levelMap(tree.featureNames[feature], split.listed.map { ($0, listedSide) },
                                                    missing: .nan, otherwise: 1 - listedSide))
                nodes.addSplit(column: columns.count - 1, threshold: 0.5, tree: tree, node: node)
            }
        }
        // A tree that is one leaf reads no feature, but the ensemble needs rows to answer.
        let x = builder.columns(columns.isEmpty ? [builder.column(of: 0, like: tree.featureNames[0])] : columns)
        let y = builder.node("TreeEnsembleRegressor", [x], domain: ONNXOperatorSet.mlDomain,
                             [.int("n_targets", width + 1), .string("aggregate_function", "SUM"),
                              .string("post_transform", "NONE")] + nodes.attributes)
        let scores = builder.node("Slice", [y, builder.constant(.int64s([0]), shape: [1]),
                                            builder.constant(.int64s([Int64(width)]), shape: [1]),
                                            builder.constant(.int64s([1]), shape: [1])])
        let leafColumn = builder.node("Gather", [y, builder.constant(.int64s([Int64(width)]), shape: [])], [.int("axis", 1)])
        return ONNXExport.Answer(scores: scores, position: ("leaf", builder.cast(leafColumn, to: .int64)))
    }

    /// The ensemble's per-node and per-target attribute lists, one tree (id 0) whose node
    /// ids are the student's.
    private struct Nodes {
        var modes: [String] = [], values: [Float] = [], features: [Int] = []
        var trueIds: [Int] = [], falseIds: [Int] = [], missingTrue: [Int] = []
        var targetNodes: [Int] = [], targetIds: [Int] = [], targetWeights: [Float] = []

        mutating func addSplit(column: Int, threshold: Float, tree: DecisionTree, node: Int) {
            modes.append("BRANCH_LEQ")
            values.append(threshold)
            features.append(column)
            trueIds.append(tree.left[node])
            falseIds.append(tree.right[node])
            missingTrue.append(tree.missingGoesLeft[node] ? 1 : 0)
        }

        mutating func addLeaf(_ node: Int, targets: [Float]) {
            modes.append("LEAF")
            values.append(0)
            features.append(0)
            trueIds.append(0)
            falseIds.append(0)
            missingTrue.append(0)
            targetNodes += Array(repeating: node, count: targets.count)
            targetIds += Array(targets.indices)
            targetWeights += targets
        }

        var attributes: [Onnx_AttributeProto] {
            [.ints("nodes_treeids", Array(repeating: 0, count: modes.count)), .ints("nodes_nodeids", Array(modes.indices)),
             .ints("nodes_featureids", features), .strings("nodes_modes", modes), .floats("nodes_values", values),
             .ints("nodes_truenodeids", trueIds), .ints("nodes_falsenodeids", falseIds),
             .ints("nodes_missing_value_tracks_true", missingTrue),
             .ints("target_treeids", Array(repeating: 0, count: targetNodes.count)), .ints("target_nodeids", targetNodes),
             .ints("target_ids", targetIds), .floats("target_weights", targetWeights)]
        }
    }
}
