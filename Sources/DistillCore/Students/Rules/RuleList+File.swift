/// One rule of a rule-list student as `student.json` holds it.
public struct RuleRecord: Codable, Sendable, Equatable {
    /// One condition: `test` is "<=", ">", "in", "not in" or "missing"; `threshold` goes
    /// with the first two, `levels` with the next two; `or_missing` says whether a missing
    /// value passes.
    public struct Condition: Codable, Sendable, Equatable {
        public var feature: String
        public var test: String
        public var threshold: Float?
        public var levels: [String]?
        public var orMissing: Bool

        enum CodingKeys: String, CodingKey {
            case feature, test, threshold, levels, orMissing = "or_missing"
        }
    }

    public var conditions: [Condition]
    public var value: [Float]
    public var rows: Int
    public var syntheticRows: Int

    enum CodingKeys: String, CodingKey {
        case conditions, value, rows, syntheticRows = "synthetic_rows"
    }
}

extension RuleList {
    /// The student file of this rule list.
    public func file(parameters: [String: JSONScalar]) -> StudentFile {
        let records = rules.map { rule in
            RuleRecord(conditions: rule.conditions.map { condition in
                var record = RuleRecord.Condition(feature: featureNames[condition.feature], test: "",
                                                  orMissing: condition.missingMatches)
                switch condition.test {
                case .atMost(let t): (record.test, record.threshold) = ("<=", t)
                case .above(let t): (record.test, record.threshold) = (">", t)
                case .inLevels(let levels): (record.test, record.levels) = ("in", levels)
                case .notInLevels(let levels): (record.test, record.levels) = ("not in", levels)
                case .missing: record.test = "missing"
                }
                return record
            }, value: rule.value, rows: rule.realRows, syntheticRows: rule.syntheticRows)
        }
        let classes: [String]? = if case .classification(let names) = task { names } else { nil }
        return StudentFile(format: StudentFile.format, kind: "rules",
                           task: classes == nil ? "regression" : "classification", classes: classes,
                           features: StudentFile.Feature.list(names: featureNames, levels: featureLevels),
                           parameters: parameters, rules: records)
    }

    /// The rule list a student file holds, checked so that every command can apply it:
    /// rules before the last have conditions and the last (the default) none, every answer
    /// and count valid (`StudentFile.checkAnswer`, `checkRows`), every condition on a
    /// feature the file lists with a test of that feature's kind, a finite threshold, levels
    /// named once (a level the feature never had is allowed: it tests what training never
    /// saw), and a "missing" test passing missing values.
    /// - Throws: `DataError` naming the file, the rule and the condition when it is not a
    ///   well-formed rule list.
    public init(file: StudentFile, path: String) throws {
        func fail(_ message: String) -> DataError { DataError("\(path): \(message)") }
        guard file.kind == "rules" else { throw fail("holds a \(file.kind) student, not a rule list") }
        let task = try file.declaredTask(path: path)
        guard let records = file.rules, let last = records.last else { throw fail("a rule-list student needs \"rules\"") }
        guard last.conditions.isEmpty else { throw fail("the last rule is the default and must have no conditions") }
        let featureIndex = try file.featureIndex(path: path)
        let levels = file.featureLevels
        let rules = try records.enumerated().map { number, record -> Rule in
            let where_ = "rule \(number + 1)"
            if record.conditions.isEmpty, number < records.count - 1 {
                throw fail("\(where_) has no conditions, so the rules after it could never answer; only the last rule may have none")
            }
            try StudentFile.checkAnswer(record.value, task: task, of: where_, path: path)
            try StudentFile.checkRows(record.rows, synthetic: record.syntheticRows, of: where_, path: path)
            let conditions = try record.conditions.enumerated().map { index, condition -> RuleCondition in
                let at = "\(where_), condition \(index + 1)"
                guard let feature = featureIndex[condition.feature] else {
                    throw fail("\(at) tests '\(condition.feature)', which is not among \"features\"")
                }
                let isText = levels[feature] != nil
                let test: RuleCondition.Test
                switch (condition.test, condition.threshold, condition.levels) {
                case ("<=", let t?, nil) where !isText && t.isFinite: test = .atMost(t)
                case (">", let t?, nil) where !isText && t.isFinite: test = .above(t)
                case ("in", nil, let names?) where isText: test = .inLevels(names)
                case ("not in", nil, let names?) where isText: test = .notInLevels(names)
                case ("missing", nil, nil) where condition.orMissing: test = .missing
                default:
                    throw fail("\(at) on \(isText ? "categorical" : "numeric") '\(condition.feature)' must be " +
                               (isText ? "\"in\" or \"not in\" with \"levels\"" : "\"<=\" or \">\" with a finite \"threshold\"") +
                               ", or \"missing\" with \"or_missing\": true")
                }
                if let repeated = condition.levels.flatMap(StudentFile.firstRepeated) {
                    throw fail("\(at) names the level '\(repeated)' twice")
                }
                return RuleCondition(feature: feature, test: test, missingMatches: condition.orMissing)
            }
            return Rule(conditions: conditions, value: record.value, realRows: record.rows, syntheticRows: record.syntheticRows)
        }
        self.init(featureNames: file.features.map(\.name), featureLevels: levels, task: task, rules: rules)
    }
}
