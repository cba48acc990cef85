/// Grows a CART tree (Breiman et al., 1984) on binned features and teacher targets.
///
/// Objective: each split minimises the children's summed cost under the criterion (see
/// `SplitCriterion`), i.e. maximises the row-weighted impurity decrease. Targets are
/// `width` numbers per row: the teacher's class probabilities (soft), a one-hot of its
/// class (hard), or its value (regression); a node's value is their mean.
///
/// Growth is depth-first to `maxDepth`, or best-first by largest impurity decrease when
/// `maxLeaves` is set (as scikit-learn's max_leaf_nodes). A node stays a leaf when it is at
/// `maxDepth`, has fewer than 2 × `minSamplesLeaf` rows, is pure, or its best split lowers
/// the weighted impurity by less than `minImpurityDecrease` (or not at all).
///
/// Each node builds per-feature histograms of its rows, one feature per task across the
/// cores; a child's histograms are its parent's less its sibling's, so only the smaller
/// child's rows are scanned.
/// - Complexity: O(rows × features × width) per tree level plus O(bins × features) per node.
struct TreeGrower {
    let configuration: TreeConfiguration
    let criterion: TreeConfiguration.Criterion
    let width: Int
    let bins: FeatureBins
    /// Row-major, `width` per row.
    let targets: [Float]
    /// Which rows were made up and labelled by querying the teacher.
    let isSynthetic: [Bool]

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
    }

    func grow(_ tree: inout DecisionTree, rows: [Int32]) {
        let total = Double(rows.count)
        let root = makeNode(&tree, rows: rows, depth: 0, histograms: nil)
        var pending = [root]
        let bestFirst = configuration.maxLeaves != nil
        var leaves = 1
        while !pending.isEmpty {
            if let maxLeaves = configuration.maxLeaves, leaves >= maxLeaves { break }
            let index = bestFirst ? pending.indices.max { pending[$0].gain < pending[$1].gain }! : pending.count - 1
            let item = pending.remove(at: index)
            guard let split = item.split,
                  item.gain > 1e-10 * item.count,
                  item.gain / total + 1e-12 >= configuration.minImpurityDecrease else { continue }
            let children = splitNode(&tree, item, split)
            leaves += 1
            // Depth-first pops the left child next, as a recursive builder would.
            pending.append(children.right)
            pending.append(children.left)
        }
    }

    private func splitNode(_ tree: inout DecisionTree, _ item: Pending, _ split: Split) -> (left: Pending, right: Pending) {
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
        let smaller = makeNode(&tree, rows: smallerRows, depth: item.depth + 1, histograms: smallerHistograms)
        let derived = smallerHistograms.map { zip(item.histograms, $0).map { $0.subtracting($1) } }
        let larger = makeNode(&tree, rows: leftIsSmaller ? rightRows : leftRows, depth: item.depth + 1, histograms: derived)
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

    /// Adds a leaf for `rows` and finds its best split if it may be split.
    private func makeNode(_ tree: inout DecisionTree, rows: [Int32], depth: Int,
                          histograms given: [FeatureHistogram]?) -> Pending {
        var sums = [Double](repeating: 0, count: width)
        var sumOfSquares = 0.0
        var synthetic = 0
        for row in rows {
            let base = Int(row) * width
            for k in 0..<width { sums[k] += Double(targets[base + k]) }
            if width == 1 { sumOfSquares += Double(targets[base]) * Double(targets[base]) }
            if isSynthetic[Int(row)] { synthetic += 1 }
        }
        let count = Double(rows.count)
        let impurity = criterion.impurity(sums, count: count, sumOfSquares: sumOfSquares)
        let node = tree.addNode(value: sums.map { Float($0 / count) }, realRows: rows.count - synthetic,
                                syntheticRows: synthetic, impurity: impurity)
        var pending = Pending(node: node, rows: rows, depth: depth, count: count, sums: sums,
                              histograms: [], split: nil, gain: 0)
        let mayGrow = depth < (configuration.maxDepth ?? Int.max)
            && rows.count >= 2 * configuration.minSamplesLeaf && rows.count >= 2
            && impurity > 1e-12
        guard mayGrow else { return pending }

        let histograms = given ?? buildHistograms(rows)
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
        if let best {
            let nodeCost = sums.withUnsafeBufferPointer { criterion.cost($0.baseAddress!, width: width, count: count) }
            pending.split = best
            pending.gain = nodeCost - best.cost
        }
        let histogramSize = histograms.reduce(0) { $0 + $1.sums.count + $1.counts.count }
        if histogramSize <= TreeGrower.keptHistogramLimit { pending.histograms = histograms }
        return pending
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
