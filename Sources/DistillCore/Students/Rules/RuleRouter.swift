/// Which rule of a list answers each row of one data set: the single place that reads a
/// row's value for a condition, shared by prediction, learning and explanation.
struct RuleRouter {
    let list: RuleList
    private let columns: [Column]
    /// Per rule and condition on a categorical feature: whether each of the data's levels
    /// passes, worked out once so that testing a row compares codes, not strings.
    private let levelPasses: [[[Bool]]]

    /// - Throws: `DataError` when a feature the list uses is missing from the data or has
    ///   another kind.
    init(list: RuleList, data: Dataset) throws {
        self.list = list
        let columns = try StudentColumns.match(names: list.featureNames, levels: list.featureLevels, in: data)
        self.columns = columns
        levelPasses = list.rules.map { rule in
            rule.conditions.map { condition in
                guard case .categorical(_, let levels) = columns[condition.feature].values else { return [] }
                return levels.map(condition.passes(level:))
            }
        }
    }

    /// Whether condition `index` of rule `rule` passes for `row`.
    func passes(rule: Int, condition index: Int, row: Int) -> Bool {
        let condition = list.rules[rule].conditions[index]
        switch columns[condition.feature].values {
        case .numeric(let values):
            let x = values[row]
            return x.isNaN ? condition.missingMatches : condition.passes(x)
        case .categorical(let codes, _):
            let code = codes[row]
            return code == Column.missingCode ? condition.missingMatches : levelPasses[rule][index][Int(code)]
        }
    }

    func covers(rule: Int, row: Int) -> Bool {
        list.rules[rule].conditions.indices.allSatisfy { passes(rule: rule, condition: $0, row: row) }
    }

    /// The first rule that covers `row`.
    func firstRule(row: Int) -> Int {
        list.rules.indices.first { covers(rule: $0, row: row) } ?? list.rules.count - 1
    }
}

extension RuleList {
    /// The rule that answers each row of `data`.
    /// - Throws: `DataError` when a feature the list uses is missing from the data or has
    ///   another kind (numbers where the list saw text, or the reverse).
    public func firedRules(for data: Dataset) throws -> [Int] {
        let router = try RuleRouter(list: self, data: data)
        return (0..<data.rowCount).map(router.firstRule(row:))
    }

    /// Per rule of `rules`, whether each of its conditions holds for row `row` of `data`:
    /// one router for them all, as explaining a row goes through every rule before the one
    /// that answers.
    public func conditionResults(rules range: Range<Int>, row: Int, in data: Dataset) throws -> [[Bool]] {
        let router = try RuleRouter(list: self, data: data)
        return range.map { rule in rules[rule].conditions.indices.map { router.passes(rule: rule, condition: $0, row: row) } }
    }

    /// The list's answers for every row, laid out as a teacher's (row-major).
    public func predict(_ data: Dataset) throws -> [Float] {
        try firedRules(for: data).flatMap { rules[$0].value }
    }
}
