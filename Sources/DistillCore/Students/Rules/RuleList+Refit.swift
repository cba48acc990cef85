extension RuleList {
    /// The same conditions, each rule answering with the mean target of the training rows it
    /// answers and counting them; a rule (but the default) that answers none is dropped, and
    /// a default that answers none gives the mean of all rows.
    /// - Parameters:
    ///   - targets: per row of `data` the target (the teacher's answer, or its one-hot class).
    ///   - synthetic: per row, whether it was made up and labelled by the teacher.
    func refitted(to data: Dataset, targets: TeacherOutputs, synthetic: [Bool]) throws -> RuleList {
        let width = task.outputWidth
        var sums = [[Double]](repeating: [Double](repeating: 0, count: width), count: rules.count)
        var real = [Int](repeating: 0, count: rules.count)
        var made = [Int](repeating: 0, count: rules.count)
        for (row, rule) in try firedRules(for: data).enumerated() {
            for (k, value) in targets.row(row).enumerated() { sums[rule][k] += Double(value) }
            if synthetic[row] { made[rule] += 1 } else { real[rule] += 1 }
        }
        let everything = sums.reduce([Double](repeating: 0, count: width)) { zip($0, $1).map(+) }
        var kept: [Rule] = []
        for index in rules.indices {
            let count = real[index] + made[index]
            let isDefault = index == rules.count - 1
            guard count > 0 || isDefault else { continue }
            let mean = count > 0 ? sums[index].map { Float($0 / Double(count)) }
                                 : everything.map { Float($0 / Double(max(data.rowCount, 1))) }
            kept.append(Rule(conditions: rules[index].conditions, value: mean, realRows: real[index], syntheticRows: made[index]))
        }
        return RuleList(featureNames: featureNames, featureLevels: featureLevels, task: task, rules: kept)
    }

    /// The first `count` rules and the default.
    func prefix(_ count: Int) -> RuleList {
        RuleList(featureNames: featureNames, featureLevels: featureLevels, task: task,
                 rules: Array(rules.prefix(count)) + [defaultRule])
    }
}
