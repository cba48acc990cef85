/// How a tree or rule learner asks the teacher about synthetic rows (see `TreeAugmenter`),
/// checked once before learning.
public struct AugmentConfiguration: Sendable, Equatable {
    public var mode: AugmentMode = .node
    /// A node or rule with fewer rows (real and synthetic) gets synthetic rows up to this many.
    public var minNodeRows = 100
    /// The most synthetic rows asked about in all. Node augmentation keeps small nodes from
    /// becoming pure, so without a budget a tree grown without a size limit would never stop.
    public var queryBudget = AugmentConfiguration.defaultQueryBudget

    public static let defaultQueryBudget = 100_000
    /// Beyond this a single node's rows no longer fit a teacher batch's purpose.
    public static let maxMinNodeRows = 1_000_000
    /// Synthetic values (rows × features) kept in memory at most: about 1.2 GB with their bin codes.
    public static let maxSyntheticValues = 200_000_000

    public init(mode: AugmentMode = .node, minNodeRows: Int = 100, queryBudget: Int = AugmentConfiguration.defaultQueryBudget) {
        self.mode = mode
        self.minNodeRows = minNodeRows
        self.queryBudget = queryBudget
    }

    /// - Throws: `ConfigurationError` naming the option and its range.
    public func validate() throws {
        guard (1...Self.maxMinNodeRows).contains(minNodeRows) else {
            throw ConfigurationError("--min-node-rows must be between 1 and \(Self.maxMinNodeRows), not \(minNodeRows)")
        }
        guard queryBudget >= 0 else { throw ConfigurationError("--query-budget must be 0 or more, not \(queryBudget)") }
        guard queryBudget <= Self.maxSyntheticValues else {
            throw ConfigurationError("--query-budget must be at most \(Self.maxSyntheticValues), not \(queryBudget)")
        }
    }

    /// - Throws: `ConfigurationError` when the budget's synthetic rows of `featureCount`
    ///   features would not fit in memory.
    public func validate(featureCount: Int) throws {
        try validate()
        guard mode == .none || queryBudget * max(featureCount, 1) <= Self.maxSyntheticValues else {
            let largest = Self.maxSyntheticValues / max(featureCount, 1)
            throw ConfigurationError("--query-budget \(queryBudget) synthetic rows of \(featureCount) features would hold more values than Distill keeps in memory; with these data give at most \(largest)")
        }
    }
}
