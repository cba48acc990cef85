/// A fitted decision tree, stored as parallel arrays indexed by node (node 0 is the root),
/// as scikit-learn and LightGBM store theirs: no object per node, no recursion to predict.
public struct DecisionTree: Sendable, Equatable {
    public static let leaf = -1

    /// The features the tree was trained on, in order.
    public var featureNames: [String]
    /// The levels each categorical feature had in training (nil for numeric features); a
    /// level outside this list is unseen and goes to the larger child.
    public var featureLevels: [[String]?]
    public var task: TeacherTask

    /// The feature a node splits on, or `DecisionTree.leaf`.
    public var feature: [Int] = []
    /// Numeric split: values ≤ threshold go left.
    public var threshold: [Float] = []
    /// Categorical split: levels going left and right (by name).
    public var leftLevels: [[String]] = []
    public var rightLevels: [[String]] = []
    public var missingGoesLeft: [Bool] = []
    /// Where a level that this node never saw in training goes: the child with more rows.
    public var unseenGoesLeft: [Bool] = []
    public var left: [Int] = []
    public var right: [Int] = []
    /// Mean teacher output of the node's rows: class probabilities, or the value.
    public var value: [[Float]] = []
    /// Training rows reaching the node: real and synthetic (queried from the teacher).
    public var realRows: [Int] = []
    public var syntheticRows: [Int] = []
    /// The node's impurity under the criterion it was grown with.
    public var impurity: [Double] = []

    public init(featureNames: [String], featureLevels: [[String]?], task: TeacherTask) {
        self.featureNames = featureNames
        self.featureLevels = featureLevels
        self.task = task
    }

    public var nodeCount: Int { feature.count }

    public func isLeaf(_ node: Int) -> Bool { feature[node] == DecisionTree.leaf }

    public var leafCount: Int { feature.reduce(0) { $0 + ($1 == DecisionTree.leaf ? 1 : 0) } }

    /// The features some split tests, by index in `featureNames`, in increasing order.
    public var splitFeatures: [Int] {
        Set(feature.filter { $0 != DecisionTree.leaf }).sorted()
    }

    /// Edges on the longest path from the root to a leaf.
    public var depth: Int {
        var deepest = 0
        var stack = [(0, 0)]
        while let (node, level) = stack.popLast() {
            if isLeaf(node) {
                deepest = max(deepest, level)
            } else {
                stack.append((left[node], level + 1))
                stack.append((right[node], level + 1))
            }
        }
        return deepest
    }

    public func rows(_ node: Int) -> Int { realRows[node] + syntheticRows[node] }

    /// The index of the class a node gives most probability to (the first on ties).
    public func topClass(_ node: Int) -> Int {
        let probabilities = value[node]
        return probabilities.indices.max { probabilities[$0] < probabilities[$1] } ?? 0
    }

    /// Makes `index` split as `node` of `tree` does (its children are set by the caller), for
    /// copying a tree node by node.
    mutating func copySplit(of node: Int, in tree: DecisionTree, to index: Int) {
        feature[index] = tree.feature[node]
        threshold[index] = tree.threshold[node]
        leftLevels[index] = tree.leftLevels[node]
        rightLevels[index] = tree.rightLevels[node]
        missingGoesLeft[index] = tree.missingGoesLeft[node]
        unseenGoesLeft[index] = tree.unseenGoesLeft[node]
    }

    /// Appends a leaf and returns its index.
    mutating func addNode(value: [Float], realRows: Int, syntheticRows: Int, impurity: Double) -> Int {
        feature.append(DecisionTree.leaf)
        threshold.append(0)
        leftLevels.append([])
        rightLevels.append([])
        missingGoesLeft.append(true)
        unseenGoesLeft.append(true)
        left.append(DecisionTree.leaf)
        right.append(DecisionTree.leaf)
        self.value.append(value)
        self.realRows.append(realRows)
        self.syntheticRows.append(syntheticRows)
        self.impurity.append(impurity)
        return feature.count - 1
    }
}
