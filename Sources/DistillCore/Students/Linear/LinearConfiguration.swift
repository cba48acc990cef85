/// The hyperparameters of a linear student, checked once before fitting.
public struct LinearConfiguration: Sendable, Equatable {
    /// α: 1 is the lasso, 0 ridge, between them the elastic net.
    public var l1Ratio = 1.0
    /// Penalties on the path, from the one that zeroes every weight down.
    public var pathLength = 100
    /// The smallest penalty on the path as a share of the largest.
    public var lambdaRatio = 1e-3
    /// Keep the last model on the path with at most this many features (the default rule
    /// when no other is given: `defaultMaxFeatures`).
    public var maxFeatures: Int?
    /// Keep the model at exactly this penalty.
    public var lambda: Double?
    /// Keep the sparsest model whose validation fidelity reaches this.
    public var targetFidelity: Double?
    /// Softens the teacher's probabilities, p^(1/T) renormalised, before fitting.
    public var temperature = 1.0
    /// Fit the teacher's most probable class instead of its probabilities.
    public var hard = false
    /// Refit the features `maxFeatures` chose with a smaller penalty (the relaxed lasso;
    /// see `LinearDistillation`).
    public var relaxed = true

    public static let defaultMaxFeatures = 10

    public init() {}

    /// Checks what does not depend on the data, so it can be done before any work.
    /// - Throws: `ConfigurationError` naming the option.
    public func validate() throws {
        guard l1Ratio >= 0, l1Ratio <= 1 else { throw ConfigurationError("--l1-ratio must be in [0, 1], not \(l1Ratio)") }
        guard pathLength >= 2 else { throw ConfigurationError("--path-length must be at least 2, not \(pathLength)") }
        guard lambdaRatio > 0, lambdaRatio < 1 else { throw ConfigurationError("--lambda-ratio must be in (0, 1), not \(lambdaRatio)") }
        guard temperature > 0, temperature.isFinite else { throw ConfigurationError("--temperature must be a positive number, not \(temperature)") }
        let rules = [maxFeatures != nil, lambda != nil, targetFidelity != nil].filter { $0 }.count
        guard rules <= 1 else { throw ConfigurationError("give at most one of --max-features, --lambda and --target-fidelity") }
        if let maxFeatures, maxFeatures < 1 {
            throw ConfigurationError("--max-features must be at least 1, not \(maxFeatures)")
        }
        if let lambda, !(lambda > 0 && lambda.isFinite) { throw ConfigurationError("--lambda must be a positive number, not \(lambda)") }
        if let targetFidelity, !(targetFidelity > 0 && targetFidelity <= 1) {
            throw ConfigurationError("--target-fidelity must be in (0, 1], not \(targetFidelity)")
        }
        if hard, temperature != 1 { throw ConfigurationError("--temperature softens probabilities; it has no meaning with --hard") }
    }

    /// The features a model may use when `featureCount` can carry a weight: `maxFeatures`
    /// is an upper bound ("at most"), so a bound above what the data has means all of them,
    /// with a note saying so.
    func featureLimit(featureCount: Int) -> (limit: Int, note: String?) {
        guard let maxFeatures else { return (min(Self.defaultMaxFeatures, featureCount), nil) }
        guard maxFeatures > featureCount else { return (maxFeatures, nil) }
        return (featureCount, "--max-features \(maxFeatures): the data has \(featureCount) feature(s) that can carry a weight, so the model may use all of them")
    }
}
