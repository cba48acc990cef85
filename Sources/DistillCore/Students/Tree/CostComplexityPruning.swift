/// Minimal cost-complexity pruning (Breiman et al., 1984, ch. 3), computed once for the
/// whole path.
///
/// The cost of a subtree T is R(T) + α·|leaves(T)|, where R sums each leaf's impurity
/// weighted by its share of the root's rows. Weakest-link pruning repeatedly turns into a
/// leaf the internal node t with the smallest g(t) = (R(t) − R(T_t)) / (|leaves(T_t)| − 1);
/// the g values met on the way are the path's α values, and the tree for any α is the
/// full tree with every node pruned at or below α made a leaf — as scikit-learn's
/// `ccp_alpha` and `cost_complexity_pruning_path` define it.
/// - Complexity: O(internal nodes × nodes) for the path; trees here are small.
public struct PruningPath: Sendable, Equatable {
    /// One tree on the path: the α from which it is optimal and its size.
    public struct Step: Sendable, Equatable {
        public var alpha: Double
        public var leaves: Int
        /// R(T): total weighted leaf impurity.
        public var impurity: Double
    }

    /// From the full tree (α = 0) to the root alone.
    public let steps: [Step]
    /// Per node, the α at which weakest-link pruning made it a leaf (∞ when it went with an
    /// ancestor, or is a leaf already).
    let prunedAt: [Double]

    public init(_ tree: DecisionTree) {
        let n = tree.nodeCount
        let rootRows = Double(max(tree.rows(0), 1))
        let own = (0..<n).map { Double(tree.rows($0)) / rootRows * tree.impurity[$0] }
        var isLeaf = (0..<n).map(tree.isLeaf)
        var parent = [Int](repeating: -1, count: n)
        for node in 0..<n where !tree.isLeaf(node) {
            parent[tree.left[node]] = node
            parent[tree.right[node]] = node
        }
        // Children come after their parent, so a reverse sweep totals each subtree.
        var branch = [Double](repeating: 0, count: n)
        var leaves = [Int](repeating: 0, count: n)
        for node in stride(from: n - 1, through: 0, by: -1) {
            if isLeaf[node] {
                branch[node] = own[node]
                leaves[node] = 1
            } else {
                branch[node] = branch[tree.left[node]] + branch[tree.right[node]]
                leaves[node] = leaves[tree.left[node]] + leaves[tree.right[node]]
            }
        }
        var removed = [Bool](repeating: false, count: n)
        var prunedAt = [Double](repeating: .infinity, count: n)
        var steps = [Step(alpha: 0, leaves: leaves[0], impurity: branch[0])]
        var alpha = 0.0
        while !isLeaf[0] {
            var weakest = -1
            var weakestAlpha = Double.infinity
            for node in 0..<n where !isLeaf[node] && !removed[node] {
                let g = (own[node] - branch[node]) / Double(leaves[node] - 1)
                if g < weakestAlpha - 1e-15 {
                    weakestAlpha = g
                    weakest = node
                }
            }
            // Rounding can make g a hair negative or out of order; the path never goes back.
            alpha = max(alpha, weakestAlpha)
            prunedAt[weakest] = alpha
            isLeaf[weakest] = true
            var stack = [tree.left[weakest], tree.right[weakest]]
            while let node = stack.popLast() {
                removed[node] = true
                if !tree.isLeaf(node) { stack += [tree.left[node], tree.right[node]] }
            }
            let lostLeaves = leaves[weakest] - 1
            let gained = own[weakest] - branch[weakest]
            var node = weakest
            while node >= 0 {
                leaves[node] -= lostLeaves
                branch[node] += gained
                node = parent[node]
            }
            if alpha == steps.last!.alpha, steps.count > 1 {
                steps[steps.count - 1] = Step(alpha: alpha, leaves: leaves[0], impurity: branch[0])
            } else {
                steps.append(Step(alpha: alpha, leaves: leaves[0], impurity: branch[0]))
            }
        }
        self.steps = steps
        self.prunedAt = prunedAt
    }

    /// The tree pruned with strength `alpha`: every node pruned at or below it becomes a
    /// leaf and the nodes below it are gone (node values and counts are kept). As in
    /// scikit-learn, α = 0 keeps the full tree.
    public func prune(_ tree: DecisionTree, alpha: Double) -> DecisionTree {
        pruned(tree) { alpha > 0 && prunedAt[$0] <= alpha }
    }

    /// The tree of one step of the path (step 0 is the full tree).
    public func tree(_ tree: DecisionTree, step: Int) -> DecisionTree {
        pruned(tree) { step > 0 && prunedAt[$0] <= steps[step].alpha }
    }

    /// The kept nodes copied in depth-first order, left before right (so children still come
    /// after their parents), with an explicit stack rather than recursion on the depth.
    private func pruned(_ tree: DecisionTree, where isPruned: (Int) -> Bool) -> DecisionTree {
        var result = DecisionTree(featureNames: tree.featureNames, featureLevels: tree.featureLevels, task: tree.task)
        var stack: [(node: Int, parent: Int, isLeft: Bool)] = [(0, -1, true)]
        while let (node, parent, isLeft) = stack.popLast() {
            let index = result.addNode(value: tree.value[node], realRows: tree.realRows[node],
                                       syntheticRows: tree.syntheticRows[node], impurity: tree.impurity[node])
            if parent >= 0 {
                if isLeft { result.left[parent] = index } else { result.right[parent] = index }
            }
            guard !tree.isLeaf(node), !isPruned(node) else { continue }
            result.copySplit(of: node, in: tree, to: index)
            stack.append((tree.right[node], index, false))
            stack.append((tree.left[node], index, true))
        }
        return result
    }
}
