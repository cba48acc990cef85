/// A way to divide a node's rows in two.
struct Split: Sendable {
    enum Rule: Sendable, Equatable {
        /// Rows whose bin is at most `lastLeftBin` go left; `threshold` is the same cut on
        /// the feature's values.
        case threshold(lastLeftBin: Int, threshold: Float)
        /// Rows whose level is in `left` go left, those in `right` go right.
        case levels(left: [Int], right: [Int])
    }

    var feature: Int
    var rule: Rule
    var missingLeft: Bool
    /// Cost of the two children (see `SplitCriterion`); lower is better.
    var cost: Double
    var leftCount: Double
    var rightCount: Double

    func goesLeft(_ code: UInt16) -> Bool {
        if code == FeatureBins.missing { return missingLeft }
        switch rule {
        case .threshold(let lastLeftBin, _): return Int(code) <= lastLeftBin
        case .levels(let left, _): return left.contains(Int(code))
        }
    }
}

/// Per-bin row counts and target sums of one node's rows for one feature; the last bin
/// holds the rows where the feature is missing.
struct FeatureHistogram: Sendable {
    var counts: [Double]
    /// `(bins + 1) × width`, row-major.
    var sums: [Double]

    init(bins: Int, width: Int) {
        counts = [Double](repeating: 0, count: bins + 1)
        sums = [Double](repeating: 0, count: (bins + 1) * width)
    }

    /// Fills the histogram from rows; the cost is one pass over them.
    init(codes: [UInt16], targets: [Float], width: Int, rows: [Int32], bins: Int) {
        self.init(bins: bins, width: width)
        let missingBin = bins
        counts.withUnsafeMutableBufferPointer { counts in
            sums.withUnsafeMutableBufferPointer { sums in
                codes.withUnsafeBufferPointer { codes in
                    targets.withUnsafeBufferPointer { targets in
                        for row in rows {
                            let code = codes[Int(row)]
                            let bin = code == FeatureBins.missing ? missingBin : Int(code)
                            counts[bin] += 1
                            let target = Int(row) * width
                            let sum = bin * width
                            for k in 0..<width { sums[sum + k] += Double(targets[target + k]) }
                        }
                    }
                }
            }
        }
    }

    /// The sibling's histogram: this (the parent's) less `child`'s, which spares a pass over
    /// the larger child's rows.
    func subtracting(_ child: FeatureHistogram) -> FeatureHistogram {
        var result = self
        for i in result.counts.indices { result.counts[i] -= child.counts[i] }
        for i in result.sums.indices { result.sums[i] -= child.sums[i] }
        return result
    }
}

/// Finds the best split of a node on one feature from its histogram.
///
/// Numeric features try every cut between neighbouring non-empty bins. Categorical
/// features order their levels by the mean teacher output in the node and then cut the
/// ordered list, which finds the best subset exactly for a regression or a two-class
/// teacher (Fisher, 1958; Breiman et al., 1984, §9.4); for more classes the order is by
/// the mean probability of the node's most common class, a heuristic. Levels with fewer
/// than `minLevelRows` rows in the node are kept together as one group. Missing values are
/// tried on each side, as scikit-learn does, and the better side is kept.
struct SplitFinder {
    let criterion: TreeConfiguration.Criterion
    let width: Int
    let minSamplesLeaf: Double
    let minLevelRows: Double

    /// - Parameters:
    ///   - nodeSums: the target sums of all the node's rows (width values).
    /// - Returns: the best split, or nil when no cut leaves `minSamplesLeaf` rows each side.
    func best(feature: Int, kind: FeatureBins.Kind, histogram: FeatureHistogram,
              nodeCount: Double, nodeSums: [Double]) -> Split? {
        let bins = histogram.counts.count - 1
        var groups = (0..<bins).filter { histogram.counts[$0] > 0 }.map { [$0] }
        if case .categorical = kind {
            groups = orderedLevelGroups(groups, histogram, nodeSums: nodeSums)
        }
        guard groups.count >= 2 || (groups.count == 1 && histogram.counts[bins] > 0) else { return nil }

        let missingCount = histogram.counts[bins]
        let missingSums = Array(histogram.sums[(bins * width)..<((bins + 1) * width)])
        var left = [Double](repeating: 0, count: width)
        var right = [Double](repeating: 0, count: width)
        var leftCount = 0.0
        var best: (cost: Double, boundary: Int, missingLeft: Bool, left: Double)?
        // A cut after group g; after the last group only to set missing rows apart.
        for boundary in 0..<groups.count {
            for bin in groups[boundary] {
                leftCount += histogram.counts[bin]
                for k in 0..<width { left[k] += histogram.sums[bin * width + k] }
            }
            let isLast = boundary == groups.count - 1
            if isLast && missingCount == 0 { break }
            for missingLeft in missingCount > 0 ? [false, true] : [false] {
                if isLast && missingLeft { continue }
                let l = leftCount + (missingLeft ? missingCount : 0)
                let r = nodeCount - l
                guard l >= minSamplesLeaf, r >= minSamplesLeaf else { continue }
                var leftTotal = left
                if missingLeft { for k in 0..<width { leftTotal[k] += missingSums[k] } }
                for k in 0..<width { right[k] = nodeSums[k] - leftTotal[k] }
                let cost = leftTotal.withUnsafeBufferPointer { lp in
                    right.withUnsafeBufferPointer { rp in
                        criterion.cost(lp.baseAddress!, width: width, count: l)
                            + criterion.cost(rp.baseAddress!, width: width, count: r)
                    }
                }
                if best == nil || cost < best!.cost - 1e-12 * abs(cost) {
                    best = (cost, boundary, missingLeft, l)
                }
            }
        }
        guard let best else { return nil }

        let leftBins = groups[...best.boundary].flatMap { $0 }
        let rightBins = groups[(best.boundary + 1)...].flatMap { $0 }
        let rule: Split.Rule
        switch kind {
        case .numeric(let lowest, let highest):
            let lastLeft = leftBins.max()!
            let threshold = rightBins.min().map { FeatureBins.midpoint(highest[lastLeft], lowest[$0]) } ?? highest[lastLeft]
            rule = .threshold(lastLeftBin: lastLeft, threshold: threshold)
        case .categorical:
            rule = .levels(left: leftBins.sorted(), right: rightBins.sorted())
        }
        // With no missing rows in training, missing values later follow the larger side.
        let missingLeft = missingCount > 0 ? best.missingLeft : best.left >= nodeCount - best.left
        return Split(feature: feature, rule: rule, missingLeft: missingLeft, cost: best.cost,
                     leftCount: best.left, rightCount: nodeCount - best.left)
    }

    /// Levels as groups ordered by score, rare levels merged into one group.
    private func orderedLevelGroups(_ levels: [[Int]], _ histogram: FeatureHistogram,
                                    nodeSums: [Double]) -> [[Int]] {
        let scoreClass: Int
        if width <= 2 {
            scoreClass = width - 1
        } else {
            scoreClass = nodeSums.indices.max { nodeSums[$0] < nodeSums[$1] } ?? 0
        }
        var groups = levels.filter { histogram.counts[$0[0]] >= minLevelRows }
        let rare = levels.filter { histogram.counts[$0[0]] < minLevelRows }.flatMap { $0 }
        if !rare.isEmpty { groups.append(rare) }
        func score(_ group: [Int]) -> Double {
            let count = group.reduce(0) { $0 + histogram.counts[$1] }
            let sum = group.reduce(0) { $0 + histogram.sums[$1 * width + scoreClass] }
            return sum / count
        }
        let scores = groups.map(score)
        return groups.indices.sorted { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && groups[$0][0] < groups[$1][0]) }
            .map { groups[$0] }
    }
}
