import Foundation

/// A fitted linear student: standardised terms, one weight vector and intercept per output,
/// and the link that turns the linear predictor into the teacher's kind of answer.
public struct LinearModel: Sendable, Equatable {
    public enum Link: String, Sendable, Codable {
        /// Regression: the answer is η.
        case identity
        /// Two classes: P(second class) = σ(η).
        case logit
        /// More classes: one η per class, P = softmax(η).
        case softmax
    }

    /// Every feature the student was given (as the data had them), used or not.
    public var featureNames: [String]
    public var featureLevels: [[String]?]
    public var task: TeacherTask
    public var terms: LinearTerms
    public var link: Link
    public var l1Ratio: Double
    /// The weights in standardised units, with the penalty and how the solve went.
    public var fit: LinearFit

    public init(featureNames: [String], featureLevels: [[String]?], task: TeacherTask, terms: LinearTerms,
                link: Link, l1Ratio: Double, fit: LinearFit) {
        self.featureNames = featureNames
        self.featureLevels = featureLevels
        self.task = task
        self.terms = terms
        self.link = link
        self.l1Ratio = l1Ratio
        self.fit = fit
    }

    /// The features with a nonzero weight for some output, in the data's order.
    public var nonzeroFeatures: [String] {
        fit.nonzeroGroups(terms.groups).map { terms.groupFeatures[$0] }
    }

    /// What each output's η is for: its class (the second one, with two classes), or "value".
    public var outputNames: [String] {
        switch (link, task) {
        case (.logit, .classification(let classes)): [classes[1]]
        case (.softmax, .classification(let classes)): classes
        default: ["value"]
        }
    }

    /// Output k's terms with a nonzero weight, the largest standardised weight first.
    public func termsByWeight(output k: Int) -> [Int] {
        let magnitude: [Double] = fit.weights[k].map { abs($0) }
        return magnitude.indices.filter { magnitude[$0] > 0 }.sorted { (a: Int, b: Int) -> Bool in
            magnitude[a] > magnitude[b] || (magnitude[a] == magnitude[b] && a < b)
        }
    }

    /// Output k's intercept and weights in the data's own units: η = intercept + Σ wⱼ xⱼ,
    /// with an indicator xⱼ of 1 for its level and 0 otherwise (a missing number counts as
    /// the training mean, whose contribution the intercept already holds).
    public func rawWeights(output k: Int) -> (intercept: Double, weights: [Double]) {
        let weights = zip(fit.weights[k], terms.terms).map { $0 / $1.scale }
        let shift = zip(weights, terms.terms).reduce(0) { $0 + $1.0 * $1.1.mean }
        return (fit.intercepts[k] - shift, weights)
    }

    /// The student's answers for every row, laid out as a teacher's: class probabilities
    /// (row-major) or the value.
    /// - Throws: `DataError` when a feature is absent or of the other kind.
    public func predict(_ data: Dataset) throws -> [Float] {
        let design = try terms.design(data)
        let n = data.rowCount
        let eta = fit.weights.indices.map { k in design.linearPredictor(weights: fit.weights[k], intercept: fit.intercepts[k]) }
        switch link {
        case .identity:
            return eta[0].map(Float.init)
        case .logit:
            return eta[0].flatMap { value -> [Float] in
                let p = LinearLoss.sigmoid(value)
                return [Float(1 - p), Float(p)]
            }
        case .softmax:
            var q = [Double](repeating: 0, count: eta.count)
            return (0..<n).flatMap { row -> [Float] in
                LinearLoss.softmax(eta, row: row, into: &q)
                return q.map(Float.init)
            }
        }
    }
}
