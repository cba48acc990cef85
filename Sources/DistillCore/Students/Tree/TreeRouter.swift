/// Which way each split of a tree sends each row of one data set: the single place that
/// reads a row's value at a split, shared by prediction and by the paths that explain it.
struct TreeRouter {
    let tree: DecisionTree
    /// The data's columns in the tree's feature order.
    private let columns: [Column]
    /// Per split node on a categorical feature: the direction of each of the data's levels,
    /// worked out once so that routing a row compares codes, not strings.
    private let levelGoesLeft: [[Bool]]

    /// - Throws: `DataError` when a feature the tree uses is missing from the data or has
    ///   another kind (numbers where the tree saw text, or the reverse).
    init(tree: DecisionTree, data: Dataset) throws {
        self.tree = tree
        columns = try StudentColumns.match(names: tree.featureNames, levels: tree.featureLevels, in: data)
        var levelGoesLeft = [[Bool]](repeating: [], count: tree.nodeCount)
        for node in 0..<tree.nodeCount where !tree.isLeaf(node) {
            guard case .categorical(_, let levels) = columns[tree.feature[node]].values else { continue }
            let leftSet = Set(tree.leftLevels[node])
            let rightSet = Set(tree.rightLevels[node])
            levelGoesLeft[node] = levels.map { level in
                leftSet.contains(level) ? true : rightSet.contains(level) ? false : tree.unseenGoesLeft[node]
            }
        }
        self.levelGoesLeft = levelGoesLeft
    }

    /// The child of split `node` that `row` goes to.
    func child(of node: Int, row: Int) -> Int {
        let goLeft: Bool
        switch columns[tree.feature[node]].values {
        case .numeric(let values):
            let x = values[row]
            goLeft = x.isNaN ? tree.missingGoesLeft[node] : x <= tree.threshold[node]
        case .categorical(let codes, _):
            let code = codes[row]
            goLeft = code == Column.missingCode ? tree.missingGoesLeft[node] : levelGoesLeft[node][Int(code)]
        }
        return goLeft ? tree.left[node] : tree.right[node]
    }
}
