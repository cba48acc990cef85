/// Finds the condition on one feature that, added to a growing rule, makes the rule worth
/// the most (`CoverStats.ruleWorth`).
///
/// Numeric features try every cut between bins that hold rows of the rule, either side,
/// with missing values passing or not; the cut sits half-way (in bins) between the two
/// occupied bins. Categorical features order the rule's levels by the share of each
/// class (or by the mean value, both ways, for a regression teacher) and try every first
/// part of each order. A test for missing values is tried too.
struct ConditionFinder {
    let stats: CoverStats
    let minRows: Double
    /// Whether the rule grown is the last the list may have (see `CoverStats.ruleWorth`).
    let isLast: Bool

    struct Candidate {
        var condition: BinCondition
        /// The rows the rule keeps.
        var kept: [Double]
        var worth: Double
    }

    /// - Parameters:
    ///   - histogram: per bin, then missing last, the rule's rows' stats (`stats.width` each).
    ///   - rule: the stats of all the rule's rows; `remaining`: of all rows no rule took.
    func best(feature: Int, kind: FeatureBins.Kind, histogram: [Double], rule: [Double], remaining: [Double]) -> Candidate? {
        let width = stats.width
        let bins = histogram.count / width - 1
        let bin = { (b: Int) in Array(histogram[(b * width)..<((b + 1) * width)]) }
        let missing = bin(bins)
        let hasMissing = missing[0] > 0
        var best: Candidate?
        func consider(_ test: BinCondition.Test, _ kept: [Double], missingMatches: Bool) {
            guard kept[0] >= minRows, kept[0] < rule[0] else { return }
            let worth = stats.ruleWorth(kept: kept, remaining: remaining, isLast: isLast)
            if best == nil || worth > best!.worth {
                best = Candidate(condition: BinCondition(feature: feature, test: test, missingMatches: missingMatches),
                                 kept: kept, worth: worth)
            }
        }
        func considerBothWays(_ test: BinCondition.Test, _ present: [Double]) {
            consider(test, present, missingMatches: false)
            if hasMissing { consider(test, zip(present, missing).map { $0 + $1 }, missingMatches: true) }
        }
        if hasMissing { consider(.missing, missing, missingMatches: true) }
        let occupied = (0..<bins).filter { histogram[$0 * width] > 0 }
        let presentTotal = zip(rule, missing).map { $0 - $1 }
        switch kind {
        case .numeric(let lowest, let highest):
            var below = [Double](repeating: 0, count: width)
            for (g, h) in zip(occupied, occupied.dropFirst()) {
                for k in 0..<width { below[k] += histogram[g * width + k] }
                let lastBin = g + (h - g - 1) / 2
                let threshold = FeatureBins.midpoint(highest[lastBin], lowest[lastBin + 1])
                considerBothWays(.atMost(lastBin: lastBin, threshold: threshold), below)
                considerBothWays(.above(lastBin: lastBin, threshold: threshold), zip(presentTotal, below).map { $0 - $1 })
            }
        case .categorical:
            for order in levelOrders(occupied, histogram) {
                var kept = [Double](repeating: 0, count: width)
                for length in 1..<max(order.count, 1) {
                    let level = bin(order[length - 1])
                    for k in 0..<width { kept[k] += level[k] }
                    considerBothWays(.levels(Array(order.prefix(length))), kept)
                }
            }
        }
        return best
    }

    /// The orders whose first parts are tried as level sets.
    private func levelOrders(_ levels: [Int], _ histogram: [Double]) -> [[Int]] {
        let width = stats.width
        // Per order, the index of the stat it sorts by and the sign.
        let keys: [(index: Int, sign: Double)]
        if let classes = stats.classes {
            keys = (0..<classes).map { (1 + classes + $0, 1) }
        } else {
            keys = [(1, 1), (1, -1)]
        }
        return keys.map { index, sign in
            let key = Dictionary(uniqueKeysWithValues: levels.map { ($0, sign * histogram[$0 * width + index] / histogram[$0 * width]) })
            return levels.sorted { key[$0]! > key[$1]! || (key[$0]! == key[$1]! && $0 < $1) }
        }
    }
}
