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

    /// The model a student file holds, checked so that every command can apply it: the link
    /// fits the task and each output is for the class it must be; terms are of features the
    /// file lists, a number once, a level of its feature once and not its reference level,
    /// a feature's terms side by side, each with a finite mean and a positive finite scale;
    /// every text feature with terms has a reference level among its levels; weights,
    /// intercepts, the penalty path and the convergence record are finite and shaped as the
    /// terms and outputs are; and the weights in the data's units say what the standardised
    /// ones say.
    /// - Throws: `DataError` naming the file and the output, term or path point when it is
    ///   not a well-formed linear student.
    public init(file: StudentFile, path: String) throws {
        func fail(_ message: String) -> DataError { DataError("\(path): \(message)") }
        guard file.kind == "linear", let record = file.linear else { throw fail("not a linear student (no \"linear\" section)") }
        let task = try file.declaredTask(path: path)
        _ = try file.featureIndex(path: path)
        let expected = switch (record.link, task) {
        case (.identity, .regression): 1
        case (.logit, .classification(let classes)) where classes.count == 2: 1
        case (.softmax, .classification(let classes)): classes.count
        default: -1
        }
        guard expected == record.outputs.count else {
            throw fail("link '\(record.link.rawValue)' with \(record.outputs.count) outputs does not fit a \(file.task) task\(file.classes.map { " of \($0.count) classes" } ?? "")")
        }
        try LinearModel.checkTerms(record, features: file.features, fail: fail)
        guard record.lambda.isFinite, record.lambda >= 0 else { throw fail("\"lambda\" is \(record.lambda); a penalty is a finite number ≥ 0") }
        guard (0...1).contains(record.l1Ratio) else { throw fail("\"l1_ratio\" is \(record.l1Ratio); it is from 0 to 1") }
        for (k, output) in record.outputs.enumerated() {
            guard output.standardizedWeights.count == record.terms.count else {
                throw fail("output \(k) has \(output.standardizedWeights.count) weights for \(record.terms.count) terms")
            }
            guard ([output.intercept, output.standardizedIntercept] + output.weights + output.standardizedWeights).allSatisfy(\.isFinite) else {
                throw fail("output \(k) has a weight or intercept that is not a finite number")
            }
        }
        for (index, point) in record.path.enumerated() {
            guard point.lambda.isFinite, point.lambda >= 0, point.nonzeroFeatures >= 0,
                  point.standardizedWeights.count == record.outputs.count,
                  point.standardizedWeights.allSatisfy({ $0.count == record.terms.count && $0.allSatisfy(\.isFinite) }) else {
                throw fail("path point \(index) must have a finite \"lambda\" ≥ 0, \"nonzero_features\" ≥ 0, and per output one finite weight per term")
            }
        }
        let convergence = record.convergence
        guard convergence.iterations >= 0, convergence.maxChange.isFinite, convergence.maxChange >= 0, convergence.objective.isFinite else {
            throw fail("\"convergence\" must have \"iterations\" ≥ 0, a finite \"max_change\" ≥ 0 and a finite \"objective\"")
        }
        let fit = LinearFit(lambda: record.lambda, weights: record.outputs.map(\.standardizedWeights),
                            intercepts: record.outputs.map(\.standardizedIntercept), iterations: convergence.iterations,
                            maxChange: convergence.maxChange, converged: convergence.converged, objective: convergence.objective)
        self.init(featureNames: file.features.map(\.name), featureLevels: file.featureLevels, task: task,
                  terms: LinearTerms(terms: record.terms, referenceLevels: record.referenceLevels),
                  link: record.link, l1Ratio: record.l1Ratio, fit: fit)
        for (k, output) in record.outputs.enumerated() {
            let named = link == .identity ? nil : outputNames[k]
            guard output.class == named else {
                let found = output.class.map { "the class '\($0)'" } ?? "no class"
                let wanted = named.map { "the class '\($0)'" } ?? "none, as a regression's output has no class"
                throw fail("output \(k) names \(found) where it must name \(wanted)" +
                           (link == .logit ? "; with two classes the one output is for the second class" : ""))
            }
            // The weights in the data's units are written for people and other tools; they
            // must say what the standardised ones (which this model computes with) say.
            let (intercept, weights) = rawWeights(output: k)
            guard intercept.isFinite, weights.allSatisfy(\.isFinite) else {
                throw fail("output \(k)'s weights in the data's units are not finite numbers: a term's scale is too small for its weight")
            }
            let agrees = { (a: Double, b: Double) in abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1) }
            guard output.weights.count == weights.count, agrees(output.intercept, intercept),
                  zip(output.weights, weights).allSatisfy(agrees) else {
                throw fail("output \(k)'s weights in the data's units disagree with its standardised weights")
            }
        }
    }

    /// Checks the terms and reference levels of a linear student's record.
    /// - Throws: the error `fail` makes, naming the term or feature.
    private static func checkTerms(_ record: LinearRecord, features: [StudentFile.Feature], fail: (String) -> DataError) throws {
        let byName = Dictionary(features.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var finished = Set<String>()
        var current: String?
        var seen = Set<[String?]>()
        for (index, term) in record.terms.enumerated() {
            let at = "term \(index) ('\(term.name)')"
            guard let feature = byName[term.feature] else { throw fail("\(at) uses '\(term.feature)', which is not among the features") }
            guard (term.level == nil) == (feature.kind == "numeric") else {
                throw fail("\(at) is \(term.level == nil ? "a number" : "a level"), but '\(term.feature)' is \(feature.kind)")
            }
            guard term.scale > 0, term.scale.isFinite, term.mean.isFinite else { throw fail("\(at) has a scale that is not a positive number") }
            if let level = term.level {
                guard feature.levels?.contains(level) == true else { throw fail("\(at) stands for the level '\(level)', which '\(term.feature)' does not have") }
                guard record.referenceLevels[term.feature] != level else {
                    throw fail("\(at) stands for '\(level)', the reference level of '\(term.feature)', which has no term of its own")
                }
            }
            guard seen.insert([term.feature, term.level]).inserted else {
                throw fail("\(at) repeats an earlier term of '\(term.feature)'\(term.level.map { " for '\($0)'" } ?? "")")
            }
            if current != term.feature {
                guard !finished.contains(term.feature) else {
                    throw fail("\(at) is apart from the other terms of '\(term.feature)'; a feature's terms are listed together")
                }
                if let current { finished.insert(current) }
                current = term.feature
            }
        }
        let withLevels = Set(record.terms.filter { $0.level != nil }.map(\.feature))
        for feature in withLevels.sorted() {
            guard let reference = record.referenceLevels[feature], byName[feature]?.levels?.contains(reference) == true else {
                throw fail("\"reference_levels\" must give '\(feature)' one of its levels, as it has level terms")
            }
        }
        if let stray = record.referenceLevels.keys.sorted().first(where: { !withLevels.contains($0) }) {
            throw fail("\"reference_levels\" gives '\(stray)', which has no level terms")
        }
    }
}
