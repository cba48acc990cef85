/// An ordered rule list: `IF c1 AND c2 THEN answer ELSE IF … ELSE answer`. A row gets the
/// answer of the first rule whose conditions all pass; the last rule has no conditions
/// (the default), so every row gets one.
public struct RuleList: Sendable, Equatable {
    public struct Rule: Sendable, Equatable {
        public var conditions: [RuleCondition]
        /// Mean teacher output of the training rows the rule answers: class
        /// probabilities, or the value.
        public var value: [Float]
        /// Training rows the rule answers (those no earlier rule took): real and synthetic.
        public var realRows: Int
        public var syntheticRows: Int

        public init(conditions: [RuleCondition], value: [Float], realRows: Int, syntheticRows: Int) {
            self.conditions = conditions
            self.value = value
            self.realRows = realRows
            self.syntheticRows = syntheticRows
        }

        /// The index of the class the rule gives most probability to (the first on ties).
        public var topClass: Int {
            value.indices.max { value[$0] < value[$1] } ?? 0
        }
    }

    public var featureNames: [String]
    /// Each categorical feature's training levels, nil for numeric features.
    public var featureLevels: [[String]?]
    public var task: TeacherTask
    /// In order; the last one is the default.
    public var rules: [Rule]

    public init(featureNames: [String], featureLevels: [[String]?], task: TeacherTask, rules: [Rule]) {
        precondition(rules.last?.conditions.isEmpty == true, "a rule list ends with its default rule")
        self.featureNames = featureNames
        self.featureLevels = featureLevels
        self.task = task
        self.rules = rules
    }

    /// Rules before the default.
    public var ruleCount: Int { rules.count - 1 }

    public var conditionCount: Int { rules.reduce(0) { $0 + $1.conditions.count } }

    /// The features some condition tests, by index in `featureNames`, in increasing order.
    public var testedFeatures: [Int] {
        Set(rules.flatMap { $0.conditions.map(\.feature) }).sorted()
    }

    /// The answer of the default rule (the last) when there is nothing else.
    public var defaultRule: Rule { rules[rules.count - 1] }

    /// A rule's conditions in words.
    public func conditionTexts(_ rule: Int, showing show: (String) -> String = { $0 }) -> [String] {
        rules[rule].conditions.map { $0.text(featureName: featureNames[$0.feature], showing: show) }
    }
}
