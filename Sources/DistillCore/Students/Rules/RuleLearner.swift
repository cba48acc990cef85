/// Learns an ordered rule list by sequential covering, on bin codes.
///
/// Each rule starts from every row no earlier rule took and gains, one at a time, the
/// condition (`ConditionFinder`) that most raises its worth (`CoverStats.ruleWorth`); it
/// stops when no condition raises it, or at `maxConditions`. Its rows are then set aside
/// and the next rule starts, up to `maxRules`, or until no condition makes a rule worth
/// more than answering all remaining rows alike. While a rule holds fewer than
/// `minNodeRows` rows, the augmenter adds synthetic rows inside its conditions (rows an
/// earlier rule would take are kept out of it).
struct RuleLearner {
    let configuration: RuleConfiguration
    let stats: CoverStats
    private(set) var bins: FeatureBins
    /// Per row, `stats.width` values.
    private var rowStats: [Double]
    /// Rows of `augmenter`'s real data (the first rows), the only ones values are drawn from.
    private let realRows: Int
    private let augmenter: TreeAugmenter?

    init(configuration: RuleConfiguration, task: TeacherTask, bins: FeatureBins, targets: [Float], realRows: Int,
         augmenter: TreeAugmenter?) {
        self.configuration = configuration
        let classes: Int? = if case .classification(let names) = task { names.count } else { nil }
        stats = CoverStats(classes: classes)
        self.bins = bins
        let width = task.outputWidth
        rowStats = []
        self.realRows = realRows
        self.augmenter = augmenter
        appendStats(targets, width: width)
    }

    private var rowCount: Int { rowStats.count / stats.width }

    private mutating func appendStats(_ targets: [Float], width: Int) {
        for row in 0..<(targets.count / width) {
            rowStats += stats.row(targets[(row * width)..<((row + 1) * width)])
        }
    }

    /// The conditions of each rule, in order (the default not included).
    mutating func learn() throws -> [[BinCondition]] {
        var remaining = (0..<Int32(rowCount)).map { $0 }
        var rules: [[BinCondition]] = []
        while rules.count < configuration.maxRules, remaining.count >= configuration.minRuleRows {
            let (conditions, kept) = try grow(remaining: &remaining, earlier: rules)
            guard !conditions.isEmpty else { break }
            rules.append(conditions)
            let taken = Set(kept)
            remaining.removeAll(where: taken.contains)
        }
        return rules
    }

    /// One rule: its conditions and its rows.
    private mutating func grow(remaining: inout [Int32], earlier: [[BinCondition]]) throws -> ([BinCondition], [Int32]) {
        var conditions: [BinCondition] = []
        var rows = remaining
        let isLast = earlier.count == configuration.maxRules - 1
        let finder = ConditionFinder(stats: stats, minRows: Double(configuration.minRuleRows), isLast: isLast)
        while conditions.count < configuration.maxConditions {
            if let augmenter, augmenter.shortfall(rows.count) > 0 {
                try augment(augmenter, conditions: conditions, earlier: earlier, rows: &rows, remaining: &remaining)
            }
            let ruleStats = total(rows)
            let remainingStats = total(remaining)
            let current = stats.ruleWorth(kept: ruleStats, remaining: remainingStats, isLast: isLast)
            let (bins, rowStats, width, ruleRows) = (self.bins, self.rowStats, stats.width, rows)
            let candidates = concurrentMap(bins.featureCount) { feature in
                let histogram = Self.histogram(codes: bins.codes[feature], bins: bins.binCount(feature), rowStats: rowStats,
                                               width: width, rows: ruleRows)
                return finder.best(feature: feature, kind: bins.kinds[feature], histogram: histogram,
                                   rule: ruleStats, remaining: remainingStats)
            }
            // The first best feature on ties, so the choice does not depend on timing.
            var best: ConditionFinder.Candidate?
            for candidate in candidates.compactMap({ $0 }) where best == nil || candidate.worth > best!.worth {
                best = candidate
            }
            guard let best, best.worth > current + 1e-9 * max(1, abs(current)) else { break }
            conditions.append(best.condition)
            let codes = bins.codes[best.condition.feature]
            rows = rows.filter { best.condition.passes(codes[Int($0)]) }
        }
        return (conditions, rows)
    }

    private func total(_ rows: [Int32]) -> [Double] {
        let width = stats.width
        var sums = [Double](repeating: 0, count: width)
        rowStats.withUnsafeBufferPointer { values in
            for row in rows {
                let start = Int(row) * width
                for k in 0..<width { sums[k] += values[start + k] }
            }
        }
        return sums
    }

    /// Per bin of a feature, and missing last, the stats of `rows`.
    private static func histogram(codes: [UInt16], bins: Int, rowStats: [Double], width: Int, rows: [Int32]) -> [Double] {
        var histogram = [Double](repeating: 0, count: (bins + 1) * width)
        histogram.withUnsafeMutableBufferPointer { histogram in
            rowStats.withUnsafeBufferPointer { values in
                for row in rows {
                    let code = codes[Int(row)]
                    let bin = code == FeatureBins.missing ? bins : Int(code)
                    let start = Int(row) * width
                    for k in 0..<width { histogram[bin * width + k] += values[start + k] }
                }
            }
        }
        return histogram
    }

    /// Adds synthetic rows inside the rule's conditions: to the rule's rows, and to the
    /// remaining rows, unless an earlier rule would take them.
    private mutating func augment(_ augmenter: TreeAugmenter, conditions: [BinCondition], earlier: [[BinCondition]],
                                  rows: inout [Int32], remaining: inout [Int32]) throws {
        let count = augmenter.shortfall(rows.count)
        var pool = rows.filter { Int($0) < realRows }
        if pool.count < TreeAugmenter.minPoolRows { pool = remaining.filter { Int($0) < realRows } }
        if pool.count < TreeAugmenter.minPoolRows { pool = (0..<Int32(realRows)).map { $0 } }
        let (codes, outputs) = try augmenter.draw(count, pool: pool, path: conditions.map(\.pathStep), bins: bins)
        let first = rowCount
        for feature in codes.indices { bins.codes[feature] += codes[feature] }
        appendStats(outputs.values, width: outputs.task.outputWidth)
        let allCodes = bins.codes
        for row in first..<rowCount {
            let passes = { (rule: [BinCondition]) in rule.allSatisfy { $0.passes(allCodes[$0.feature][row]) } }
            guard !earlier.contains(where: passes) else { continue }
            remaining.append(Int32(row))
            if passes(conditions) { rows.append(Int32(row)) }
        }
    }
}
