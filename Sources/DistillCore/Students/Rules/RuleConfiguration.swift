/// The hyperparameters of a rule-list student, checked once before learning.
public struct RuleConfiguration: Sendable, Equatable {
    /// Rules before the default, at most.
    public var maxRules = 8
    /// Conditions per rule, at most.
    public var maxConditions = 3
    /// Training rows (real and synthetic) a rule must answer at least.
    public var minRuleRows = 10
    /// Fit the teacher's argmax labels instead of its probabilities.
    public var hard = false
    public var binning: TreeConfiguration.Binning = .automatic
    /// Drop conditions and rules whose removal does not lower validation fidelity.
    public var prune = true

    public init() {}

    /// Checks what does not depend on the teacher, so it can be done before any work.
    /// - Throws: `ConfigurationError` naming the option and the accepted range.
    public func validate() throws {
        guard maxRules >= 1 else { throw ConfigurationError("--max-rules must be at least 1, not \(maxRules)") }
        guard maxConditions >= 1 else { throw ConfigurationError("--max-conditions must be at least 1, not \(maxConditions)") }
        guard minRuleRows >= 1 else { throw ConfigurationError("--min-rule-rows must be at least 1, not \(minRuleRows)") }
        if case .bins(let count) = binning, !(2...65_534).contains(count) {
            throw ConfigurationError("--bins must be between 2 and 65534 (or 'exact' or 'auto'), not \(count)")
        }
    }

    /// - Throws: `ConfigurationError` naming the option and the accepted range, or the
    ///   option that does not suit the teacher's task.
    public func validate(task: TeacherTask) throws {
        try validate()
        if hard, case .regression = task {
            throw ConfigurationError("--hard applies to classification teachers only")
        }
    }

    /// Bins per numeric feature for `FeatureBins`: nil for exact thresholds.
    func bins(rows: Int) -> Int? {
        switch binning {
        case .automatic: rows <= TreeConfiguration.exactRowLimit ? nil : TreeConfiguration.automaticBins
        case .exact: nil
        case .bins(let count): count
        }
    }
}
