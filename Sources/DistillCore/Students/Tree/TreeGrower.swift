/// Grows a CART tree (Breiman et al., 1984) on binned features and teacher targets.
///
/// Objective: each split minimises the children's summed cost under the criterion (see
/// `SplitCriterion`), i.e. maximises the row-weighted impurity decrease. Targets are
/// `width` numbers per row: the teacher's class probabilities (soft), a one-hot of its
/// class (hard), or its value (regression); a node's value is their mean.
///
/// Growth is depth-first to `maxDepth`, or best-first by largest impurity decrease when
/// there is a leaf limit (`maxLeaves`, as scikit-learn's max_leaf_nodes, or the default
/// size when no limit is set). A node stays a leaf when it is at
/// `maxDepth`, has fewer than 2 × `minSamplesLeaf` rows, is pure, or its best split lowers
/// the weighted impurity by less than `minImpurityDecrease` (or not at all).
///
/// With an augmenter, a node with few rows first gets synthetic rows inside its region,
/// labelled by the teacher, and its split is chosen on real and synthetic rows together.
///
/// Each node builds per-feature histograms of its rows, one feature per task across the
/// cores; a child's histograms are its parent's less its sibling's, so only the smaller
/// child's rows are scanned.
/// - Complexity: O(rows × features × width) per tree level plus O(bins × features) per node.
struct TreeGrower {
    let configuration: TreeConfiguration
    let criterion: TreeConfiguration.Criterion
    let width: Int
    /// Real rows first, then synthetic rows as the augmenter adds them.
    private(set) var bins: FeatureBins
    /// Row-major, `width` per row.
    private(set) var targets: [Float]
    /// Which rows were made up and labelled by querying the teacher.
    private(set) var isSynthetic: [Bool]
    let augmenter: TreeAugmenter?
    let hard: Bool

    /// Histograms above this many numbers per node are rebuilt, not kept for subtraction.
    private static let keptHistogramLimit = 1 << 17

    private struct Pending {
        var node: Int
        var rows: [Int32]
        var depth: Int
        var count: Double
        var sums: [Double]
        var histograms: [FeatureHistogram]
        var split: Split?
        /// cost(node) − cost(children): the weighted impurity decrease × total rows.
        var gain: Double
        /// Real rows over all rows in the node. Synthetic rows help choose a node's split, but
        /// the node matters only as much as the real data reaching it, so priorities and
        /// `minImpurityDecrease` weigh its gain by this share (as TREPAN ranks nodes by reach).
        var realShare: Double
        /// The splits leading here, which bound where synthetic rows may fall.
        var path: [PathStep]
        var priority: Double { gain * realShare }
        /// Real rows whose values synthetic rows for this node and its children are drawn from.
        var pool: [Int32]
    }

    /// - Throws: what the teacher throws while labelling synthetic rows.
    mutating func grow(_ tree: inout DecisionTree, rows: [Int32]) throws {
        let total = Double(rows.count)
        let root = try makeNode(&tree, rows: rows, depth: 0, histograms: nil, path: [], pool: rows)
        var pending = [root]
        let bestFirst = configuration.leafLimit != nil
        var leaves = 1
        while !pending.isEmpty {
            if let maxLeaves = configuration.leafLimit, leaves >= maxLeaves { break }
            let index = bestFirst ? pending.indices.max { pending[$0].priority < pending[$1].priority }! : pending.count - 1
            let item = pending.remove(at: index)
            guard let split = item.split,
                  item.gain > 1e-10 * item.count,
                  item.priority / total + 1e-12 >= configuration.minImpurityDecrease else { continue }
            let children = try splitNode(&tree, item, split)
            leaves += 1
            // Depth-first pops the left child next, as a recursive builder would.
            pending.append(children.right)
            pending.append(children.left)
        }
    }

    private mutating func splitNode(_ tree: inout DecisionTree, _ item: Pending, _ split: Split) throws -> (left: Pending, right: Pending) {
        let codes = bins.codes[split.feature]
        var leftRows: [Int32] = []
        var rightRows: [Int32] = []
        leftRows.reserveCapacity(Int(split.leftCount))
        rightRows.reserveCapacity(Int(split.rightCount))
        for row in item.rows {
            if split.goesLeft(codes[Int(row)]) { leftRows.append(row) } else { rightRows.append(row) }
        }
        // Scan the smaller child; the larger one's histograms follow by subtraction.
        let leftIsSmaller = leftRows.count <= rightRows.count
        let smallerRows = leftIsSmaller ? leftRows : rightRows
        let smallerHistograms = item.histograms.isEmpty ? nil : buildHistograms(smallerRows)
        let smaller = try makeNode(&tree, rows: smallerRows, depth: item.depth + 1, histograms: smallerHistograms,
                                   path: item.path + [PathStep(split: split, wentLeft: leftIsSmaller)], pool: item.pool)
        let derived = smallerHistograms.map { zip(item.histograms, $0).map { $0.subtracting($1) } }
        let larger = try makeNode(&tree, rows: leftIsSmaller ? rightRows : leftRows, depth: item.depth + 1, histograms: derived,
                                  path: item.path + [PathStep(split: split, wentLeft: !leftIsSmaller)], pool: item.pool)
        let (left, right) = leftIsSmaller ? (smaller, larger) : (larger, smaller)

        let node = item.node
        tree.feature[node] = split.feature
        tree.missingGoesLeft[node] = split.missingLeft
        tree.unseenGoesLeft[node] = split.leftCount >= split.rightCount
        tree.left[node] = left.node
        tree.right[node] = right.node
        switch split.rule {
        case .threshold(_, let threshold):
            tree.threshold[node] = threshold
        case .levels(let leftCodes, let rightCodes):
            guard case .categorical(let levels) = bins.kinds[split.feature] else { preconditionFailure("levels on a numeric feature") }
            tree.leftLevels[node] = leftCodes.map { levels[$0] }
            tree.rightLevels[node] = rightCodes.map { levels[$0] }
        }
        return (left, right)
    }

    /// Adds a leaf for `rows` and finds its best split if it may be split; a node that may
    /// be split but has few rows is augmented first.
    /// - Parameter pool: the parent's sampling pool.
    private mutating func makeNode(_ tree: inout DecisionTree, rows given: [Int32], depth: Int,
                                   histograms givenHistograms: [FeatureHistogram]?, path: [PathStep],
                                   pool parentPool: [Int32]) throws -> Pending {
        var rows = given
        var histogramsFromParent = givenHistograms
        var pool = parentPool
        if let augmenter, depth < (configuration.maxDepth ?? Int.max) {
            let realInNode = rows.filter { !isSynthetic[Int($0)] }
            if realInNode.count >= TreeAugmenter.minPoolRows { pool = realInNode }
            let wanted = realInNode.isEmpty ? 0 : augmenter.shortfall(rows.count)
            if wanted > 0 {
                rows += try addSynthetic(wanted, augmenter, path: path, pool: pool)
                histogramsFromParent = nil
            }
        }
        var sums = [Double](repeating: 0, count: width)
        var realSums = [Double](repeating: 0, count: width)
        var sumOfSquares = 0.0
        var synthetic = 0
        for row in rows {
            let base = Int(row) * width
            for k in 0..<width { sums[k] += Double(targets[base + k]) }
            if width == 1 { sumOfSquares += Double(targets[base]) * Double(targets[base]) }
            if isSynthetic[Int(row)] {
                synthetic += 1
            } else {
                for k in 0..<width { realSums[k] += Double(targets[base + k]) }
            }
        }
        let count = Double(rows.count)
        let impurity = criterion.impurity(sums, count: count, sumOfSquares: sumOfSquares)
        // The node answers what the teacher says on the real rows reaching it: synthetic
        // rows help choose splits, but they come from another distribution than the data
        // the student will be used on, and letting them set a leaf's class lost fidelity.
        let real = rows.count - synthetic
        let value = real > 0 ? realSums.map { Float($0 / Double(real)) } : sums.map { Float($0 / count) }
        let node = tree.addNode(value: value, realRows: real, syntheticRows: synthetic, impurity: impurity)
        var pending = Pending(node: node, rows: rows, depth: depth, count: count, sums: sums,
                              histograms: [], split: nil, gain: 0,
                              realShare: Double(rows.count - synthetic) / count, path: path, pool: pool)
        let mayGrow = depth < (configuration.maxDepth ?? Int.max)
            && rows.count >= 2 * configuration.minSamplesLeaf && rows.count >= 2
            && impurity > 1e-12
        guard mayGrow else { return pending }

        let histograms = histogramsFromParent ?? buildHistograms(rows)
        let finder = SplitFinder(criterion: criterion, width: width,
                                 minSamplesLeaf: Double(configuration.minSamplesLeaf),
                                 minLevelRows: Double(configuration.minLevelRows))
        let kinds = bins.kinds
        let nodeSums = sums
        let candidates = concurrentMap(bins.featureCount) { feature in
            finder.best(feature: feature, kind: kinds[feature], histogram: histograms[feature],
                        nodeCount: count, nodeSums: nodeSums)
        }
        // The lowest cost wins; ties go to the first feature, so results never depend on threads.
        var best: Split?
        for candidate in candidates {
            guard let candidate else { continue }
            if best == nil || candidate.cost < best!.cost - 1e-12 * abs(candidate.cost) { best = candidate }
        }
        if let best, dividesRealRows(best, rows) {
            let nodeCost = sums.withUnsafeBufferPointer { criterion.cost($0.baseAddress!, width: width, count: count) }
            pending.split = best
            pending.gain = nodeCost - best.cost
        }
        let histogramSize = histograms.reduce(0) { $0 + $1.sums.count + $1.counts.count }
        if histogramSize <= TreeGrower.keptHistogramLimit { pending.histograms = histograms }
        return pending
    }

    /// Whether `split` sends real rows to both sides. A split that leaves one side with
    /// synthetic rows alone explains none of the data, and allowing it let growth go on
    /// without end: that side's lone real neighbour is augmented again, split again, and so
    /// on to the depth limit. With it, a tree has at most as many leaves as real rows.
    private func dividesRealRows(_ split: Split, _ rows: [Int32]) -> Bool {
        guard augmenter != nil || isSynthetic.contains(true) else { return true }
        let codes = bins.codes[split.feature]
        var left = false, right = false
        for row in rows where !isSynthetic[Int(row)] {
            if split.goesLeft(codes[Int(row)]) { left = true } else { right = true }
            if left && right { return true }
        }
        return false
    }

    /// Appends `count` synthetic rows drawn inside the node's region; returns their indices.
    private mutating func addSynthetic(_ count: Int, _ augmenter: TreeAugmenter, path: [PathStep],
                                       pool: [Int32]) throws -> [Int32] {
        let drawn = try augmenter.draw(count, pool: pool, path: path, bins: bins)
        let first = Int32(isSynthetic.count)
        for feature in drawn.codes.indices { bins.codes[feature] += drawn.codes[feature] }
        targets += TreeLearner.targets(drawn.outputs, hard: hard)
        isSynthetic += [Bool](repeating: true, count: count)
        return Array(first..<(first + Int32(count)))
    }

    private func buildHistograms(_ rows: [Int32]) -> [FeatureHistogram] {
        let codes = bins.codes
        let targets = targets
        let width = width
        let bins = bins
        return concurrentMap(bins.featureCount) { feature in
            FeatureHistogram(codes: codes[feature], targets: targets, width: width, rows: rows,
                             bins: bins.binCount(feature))
        }
    }
}
