/// One model on a student's path from simple to complex, and its held-out fidelity: a tree
/// on the cost-complexity pruning path, a linear model on the penalty path, or a rule list
/// cut after its first rules (its default refitted). Only the
/// fields of the student's kind are present in `fidelity.json`.
public struct FidelityCurvePoint: Sendable, Equatable, Codable {
    // Trees.
    public var leaves: Int?
    public var depth: Int?
    public var alpha: Double?
    // Linear models.
    public var lambda: Double?
    public var nonzeroFeatures: Int?
    // Rule lists: rules before the default.
    public var rules: Int?
    /// Agreement (classification) or R² (regression) on the evaluation rows.
    public var fidelity: Double?
    public var chosen: Bool

    enum CodingKeys: String, CodingKey {
        case leaves, depth, alpha, lambda, nonzeroFeatures = "nonzero_features", rules, fidelity, chosen
    }

    public init(leaves: Int? = nil, depth: Int? = nil, alpha: Double? = nil, lambda: Double? = nil,
                nonzeroFeatures: Int? = nil, rules: Int? = nil, fidelity: Double?, chosen: Bool) {
        self.leaves = leaves
        self.depth = depth
        self.alpha = alpha
        self.lambda = lambda
        self.nonzeroFeatures = nonzeroFeatures
        self.rules = rules
        self.fidelity = fidelity
        self.chosen = chosen
    }
}
