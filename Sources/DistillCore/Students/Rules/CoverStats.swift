/// What a set of rows adds up to for judging a rule: the row count first, then for a
/// classification teacher the summed probabilities and the count of each most-probable
/// class, for a regression teacher the sum and the sum of squares of its value.
///
/// A rule answers its rows with their mean output, so its class is the one with the
/// largest summed probability; `score` is what that answer is worth on the rows: the rows
/// whose teacher class it is (agreement), or minus the squared error.
///
/// `ruleWorth` ranks the rules a learner could make. The last rule a list may have is worth
/// what it and the default for the rows it lets go are worth together: that is exactly the
/// list's fidelity on the rows left. Before it, for a classification teacher, a rule is
/// worth its Laplace-corrected agreement, (agreeing rows + 1) / (rows + classes), as in CN2
/// (Clark & Boswell, 1991): it rewards purity, since the rows a rule lets go are left to
/// later rules, but not on a handful of rows. Scoring the rule together with a default for
/// the rows it lets go proved short-sighted there: on the penguins, "flipper ≤ 206 → Adelie"
/// kept its Chinstraps, as setting them apart did not help a default that says Gentoo, and
/// no later rule could reach them. For a regression teacher it is, likewise, minus the
/// rule's mean squared error with two rows' worth of the remaining rows' variance added
/// (an m-estimate): a pure rule is worth more the more rows it holds.
struct CoverStats {
    let classes: Int?

    /// Values per row.
    var width: Int { classes.map { 1 + 2 * $0 } ?? 3 }

    /// One row's values, from the teacher's answer (probabilities, or the value).
    func row(_ answer: ArraySlice<Float>) -> [Double] {
        guard let classes else {
            let y = Double(answer[answer.startIndex])
            return [1, y, y * y]
        }
        var values = [Double](repeating: 0, count: width)
        values[0] = 1
        var best = answer.startIndex
        for (k, index) in answer.indices.enumerated() {
            values[1 + k] = Double(answer[index])
            if answer[index] > answer[best] { best = index }
        }
        values[1 + classes + (best - answer.startIndex)] = 1
        return values
    }

    func score(_ stats: UnsafeBufferPointer<Double>) -> Double {
        let count = stats[0]
        guard count > 0 else { return 0 }
        guard let classes else { return -(stats[2] - stats[1] * stats[1] / count) }
        var best = 0
        for k in 1..<classes where stats[1 + k] > stats[1 + best] { best = k }
        return stats[1 + classes + best]
    }

    func score(_ stats: [Double]) -> Double {
        stats.withUnsafeBufferPointer(score)
    }

    /// - Parameters:
    ///   - kept: the stats of the rule's rows; `remaining`: of all rows no earlier rule took.
    ///   - isLast: whether no rule may follow, so that the rows it lets go get the default.
    func ruleWorth(kept: [Double], remaining: [Double], isLast: Bool) -> Double {
        if isLast { return score(kept) + score(zip(remaining, kept).map { $0 - $1 }) }
        if let classes { return (score(kept) + 1) / (kept[0] + Double(classes)) }
        let prior = remaining[0] > 0 ? -score(remaining) / remaining[0] : 0
        return (score(kept) - Self.priorRows * prior) / (kept[0] + Self.priorRows)
    }

    /// Rows' worth of the remaining rows' variance a regression rule's error starts from.
    static let priorRows = 2.0
}
