/// A linear student as `student.json` holds it (under `"linear"`).
public struct LinearRecord: Codable, Sendable, Equatable {
    /// One linear predictor: for the second class (two classes), for each class (more), or
    /// the value (regression).
    public struct Output: Codable, Sendable, Equatable {
        public var `class`: String?
        /// In the data's units (see `LinearModel.rawWeights`).
        public var intercept: Double
        public var weights: [Double]
        public var standardizedIntercept: Double
        public var standardizedWeights: [Double]

        enum CodingKeys: String, CodingKey {
            case `class`, intercept, weights
            case standardizedIntercept = "standardized_intercept", standardizedWeights = "standardized_weights"
        }
    }

    public struct Convergence: Codable, Sendable, Equatable {
        public var iterations: Int
        public var maxChange: Double
        public var converged: Bool
        /// The penalised objective at the solution (see `ElasticNetSolver`).
        public var objective: Double

        enum CodingKeys: String, CodingKey {
            case iterations, maxChange = "max_change", converged, objective
        }
    }

    /// One model on the penalty path, for the coefficient-path chart.
    public struct PathPoint: Codable, Sendable, Equatable {
        public var lambda: Double
        public var nonzeroFeatures: Int
        /// Per output, in standardised units.
        public var standardizedWeights: [[Double]]

        enum CodingKeys: String, CodingKey {
            case lambda, nonzeroFeatures = "nonzero_features", standardizedWeights = "standardized_weights"
        }
    }

    public var link: LinearModel.Link
    public var lambda: Double
    public var l1Ratio: Double
    public var terms: [LinearTerm]
    public var referenceLevels: [String: String]
    public var outputs: [Output]
    public var convergence: Convergence
    public var path: [PathPoint]

    enum CodingKeys: String, CodingKey {
        case link, lambda, l1Ratio = "l1_ratio", terms, referenceLevels = "reference_levels", outputs, convergence, path
    }
}

extension LinearModel {
    /// The student file of this model, with the penalty path it was chosen from.
    public func file(parameters: [String: JSONScalar], path: [LinearFit]) -> StudentFile {
        let features = StudentFile.Feature.list(names: featureNames, levels: featureLevels)
        let classes: [String]? = if case .classification(let names) = task { names } else { nil }
        let outputs = fit.weights.indices.map { k in
            let raw = rawWeights(output: k)
            return LinearRecord.Output(class: link == .identity ? nil : outputNames[k], intercept: raw.intercept, weights: raw.weights,
                                       standardizedIntercept: fit.intercepts[k], standardizedWeights: fit.weights[k])
        }
        let record = LinearRecord(
            link: link, lambda: fit.lambda, l1Ratio: l1Ratio, terms: terms.terms, referenceLevels: terms.referenceLevels,
            outputs: outputs,
            convergence: .init(iterations: fit.iterations, maxChange: fit.maxChange, converged: fit.converged, objective: fit.objective),
            path: path.map { .init(lambda: $0.lambda, nonzeroFeatures: $0.nonzeroGroups(terms.groups).count, standardizedWeights: $0.weights) })
        var file = StudentFile(format: StudentFile.format, kind: "linear", task: classes == nil ? "regression" : "classification",
                               classes: classes, features: features, parameters: parameters, nodes: nil)
        file.linear = record
        return file
    }

    /// The model a student file holds.
    /// - Throws: `DataError` naming the file when it is not a well-formed linear student.
    public init(file: StudentFile, path: String) throws {
        func fail(_ message: String) -> DataError { DataError("\(path): \(message)") }
        guard file.kind == "linear", let record = file.linear else { throw fail("not a linear student (no \"linear\" section)") }
        let task = try file.declaredTask(path: path)
        let expected = switch (record.link, task) {
        case (.identity, .regression): 1
        case (.logit, .classification(let classes)) where classes.count == 2: 1
        case (.softmax, .classification(let classes)): classes.count
        default: -1
        }
        guard expected == record.outputs.count else {
            throw fail("link '\(record.link.rawValue)' with \(record.outputs.count) outputs does not fit a \(file.task) task\(file.classes.map { " of \($0.count) classes" } ?? "")")
        }
        let kinds = Dictionary(file.features.map { ($0.name, $0.kind) }, uniquingKeysWith: { first, _ in first })
        for (index, term) in record.terms.enumerated() {
            guard let kind = kinds[term.feature] else { throw fail("term \(index) ('\(term.name)') uses '\(term.feature)', which is not among the features") }
            guard (term.level == nil) == (kind == "numeric") else {
                throw fail("term \(index) ('\(term.name)') is \(term.level == nil ? "a number" : "a level"), but '\(term.feature)' is \(kind)")
            }
            guard term.scale > 0, term.scale.isFinite, term.mean.isFinite else { throw fail("term \(index) ('\(term.name)') has a scale that is not a positive number") }
        }
        for (k, output) in record.outputs.enumerated() where output.standardizedWeights.count != record.terms.count {
            throw fail("output \(k) has \(output.standardizedWeights.count) weights for \(record.terms.count) terms")
        }
        let fit = LinearFit(lambda: record.lambda, weights: record.outputs.map(\.standardizedWeights),
                            intercepts: record.outputs.map(\.standardizedIntercept), iterations: record.convergence.iterations,
                            maxChange: record.convergence.maxChange, converged: record.convergence.converged,
                            objective: record.convergence.objective)
        self.init(featureNames: file.features.map(\.name), featureLevels: file.featureLevels, task: task,
                  terms: LinearTerms(terms: record.terms, referenceLevels: record.referenceLevels),
                  link: record.link, l1Ratio: record.l1Ratio, fit: fit)
        // The weights in the data's units are written for people and other tools; they must
        // say what the standardised ones (which this model computes with) say.
        for (k, output) in record.outputs.enumerated() {
            let (intercept, weights) = rawWeights(output: k)
            let agrees = { (a: Double, b: Double) in abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1) }
            guard output.weights.count == weights.count, agrees(output.intercept, intercept),
                  zip(output.weights, weights).allSatisfy(agrees) else {
                throw fail("output \(k)'s weights in the data's units disagree with its standardised weights")
            }
        }
    }
}
