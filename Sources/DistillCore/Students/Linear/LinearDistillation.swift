import Foundation

/// Fits a sparse linear student to a teacher and measures it: the job of `distill linear`.
///
/// The whole penalty path is fitted on the training rows (with `targetFidelity`, on all but
/// a validation part of them, as for trees); every model on it is measured on the
/// evaluation rows for the curve, and one is kept by the configuration's rule.
public struct LinearDistillation: Sendable {
    public var configuration: LinearConfiguration
    public var seed: UInt64
    public var validationFraction = 0.2

    public init(configuration: LinearConfiguration, seed: UInt64 = 0) {
        self.configuration = configuration
        self.seed = seed
    }

    public struct Result: Sendable {
        public var model: LinearModel
        /// Every model on the path, largest penalty first.
        public var path: [LinearFit]
        public var curve: [FidelityCurvePoint]
        public var train: FidelityMetrics
        public var eval: FidelityMetrics
        public var notes: [String]
    }

    /// - Throws: `ConfigurationError` for options out of range, `DataError` when no feature
    ///   varies or the validation split leaves too few rows.
    public func run(train: Dataset, trainOutputs: TeacherOutputs, eval: Dataset, evalOutputs: TeacherOutputs) throws -> Result {
        let (fitRows, validationRows) = configuration.targetFidelity == nil
            ? (Array(0..<train.rowCount), [])
            : try train.splitRows(holdout: validationFraction, seed: seed)
        // Without a validation part every training row is fitted: no copy of them is needed.
        let fitData = validationRows.isEmpty ? train : train.rows(fitRows)
        let fitOutputs = validationRows.isEmpty ? trainOutputs : trainOutputs.rows(fitRows)
        let terms = try LinearTerms(learningFrom: fitData)
        try configuration.validate()
        var notes = terms.leftOut.map { "left out \($0.feature): \($0.reason)" }
        let (featureLimit, limitNote) = configuration.featureLimit(featureCount: terms.groups.count)
        if let limitNote { notes.append(limitNote) }

        let (loss, link) = target(fitOutputs)
        let solver = ElasticNetSolver(x: try terms.design(fitData), loss: loss, l1Ratio: configuration.l1Ratio)
        var lambdas = solver.lambdas(count: configuration.pathLength, ratio: configuration.lambdaRatio)
        if let lambda = configuration.lambda {
            lambdas = lambdas.filter { $0 > lambda } + [lambda]
        }
        let path = solver.path(lambdas)
        let model = { (fit: LinearFit) in
            LinearModel(featureNames: train.featureNames, featureLevels: train.featureLevels,
                        task: trainOutputs.task, terms: terms, link: link, l1Ratio: self.configuration.l1Ratio, fit: fit)
        }
        let features = path.map { $0.nonzeroGroups(terms.groups).count }

        let chosen: Int
        if configuration.lambda != nil {
            chosen = path.count - 1
        } else if let targetFidelity = configuration.targetFidelity {
            let validation = train.rows(validationRows)
            let validationOutputs = trainOutputs.rows(validationRows)
            let scores = try path.map { fit in
                Self.fidelity(FidelityMetrics.measure(teacher: validationOutputs, student: try model(fit).predict(validation)))
            }
            if let first = scores.firstIndex(where: { ($0 ?? -.infinity) >= targetFidelity }) {
                chosen = first
            } else {
                chosen = scores.indices.max { (scores[$0] ?? -.infinity) < (scores[$1] ?? -.infinity) } ?? 0
                let best = scores[chosen].map { String(format: "%.4f", $0) } ?? "undefined"
                notes.append("no model on the penalty path reaches validation fidelity \(targetFidelity); kept the most faithful one (\(best))")
            }
        } else {
            chosen = features.lastIndex { $0 <= featureLimit } ?? 0
        }
        var kept = path[chosen]
        if configuration.relaxed, configuration.lambda == nil, configuration.targetFidelity == nil {
            // A strided sample of the fitted rows judges the refits: agreement on 20,000 rows
            // is precise to a few tenths of a point, and predicting every row 11 times is not free.
            let stride = max(1, fitData.rowCount / Self.relaxScoringRows)
            let sample = Array(Swift.stride(from: 0, to: fitData.rowCount, by: stride))
            let (scoreData, scoreOutputs) = stride == 1 ? (fitData, fitOutputs) : (fitData.rows(sample), fitOutputs.rows(sample))
            let score = { (fit: LinearFit) in Self.fidelity(FidelityMetrics.measure(teacher: scoreOutputs, student: try model(fit).predict(scoreData))) }
            let relaxed = try Self.relax(solver, path[chosen], groups: terms.groups, smallest: lambdas.last ?? 0, score: score)
            if relaxed.fit.lambda != kept.lambda {
                notes.append(String(format: "relaxed lasso: the %d chosen features refitted at λ = %.4g instead of %.4g, fidelity on the training rows %.4f against %.4f (--no-relax keeps the lasso's weights)",
                                    features[chosen], relaxed.fit.lambda, kept.lambda, relaxed.score, relaxed.lassoScore))
                kept = relaxed.fit
            }
        }

        let evalScores = try path.map { fit in
            Self.fidelity(FidelityMetrics.measure(teacher: evalOutputs, student: try model(fit).predict(eval)))
        }
        let curve = path.indices.map { index in
            FidelityCurvePoint(lambda: path[index].lambda, nonzeroFeatures: features[index], fidelity: evalScores[index],
                               chosen: index == chosen)
        }
        let student = model(kept)
        let train = FidelityMetrics.measure(teacher: trainOutputs, student: try student.predict(train), truth: train.label)
        let evalMetrics = FidelityMetrics.measure(teacher: evalOutputs, student: try student.predict(eval), truth: eval.label)
        if !kept.converged {
            notes.append(String(format: "warning: the solver did not converge at λ = %.4g (%d iterations, last weight change %.2g); the weights may be off",
                                kept.lambda, kept.iterations, kept.maxChange))
        }
        if configuration.hard, case .classification = trainOutputs.task, let last = path.last,
           FidelityMetrics.measure(teacher: fitOutputs, student: try model(last).predict(fitData)).agreement == 1 {
            notes.append("a linear model separates the teacher's classes perfectly on the training rows; only the penalty keeps the weights finite, and the smallest penalties on the path give the largest weights")
        }
        return Result(model: student, path: path, curve: curve, train: train, eval: evalMetrics, notes: notes)
    }

    /// The relaxed lasso (Meinshausen, 2007): the lasso picks the features, and its penalty,
    /// which also shrinks the weights of the features it keeps, is then lowered on those
    /// features alone, the others held at zero. Shrunken weights leave many predictions on
    /// the wrong side of one half when few features must carry a confident teacher. Of
    /// `relaxSteps` penalties from the chosen one down to the path's smallest, the refit
    /// most faithful on the fitted rows is kept (the larger penalty on ties), and only when
    /// it is more faithful there than the lasso model. The refits stop at the first that
    /// does not converge: with the penalty nearly gone, features that separate the teacher's
    /// classes send the weights off without end (hpc_data's 4-class teacher: 200 iterations
    /// per penalty, a weight change of 2e4 at the last, and a kept model whose weights were
    /// anyone's guess), and smaller penalties only make that worse.
    private static func relax(_ solver: ElasticNetSolver, _ chosen: LinearFit, groups: [[Int]], smallest: Double,
                              score: (LinearFit) throws -> Double?) throws -> (fit: LinearFit, score: Double, lassoScore: Double) {
        let lassoScore = try score(chosen) ?? -.infinity
        let chosenGroups = chosen.nonzeroGroups(groups)
        guard !chosenGroups.isEmpty, smallest < chosen.lambda else { return (chosen, lassoScore, lassoScore) }
        var restricted = solver
        restricted.allowedGroups = Set(chosenGroups)
        let ratio = smallest / chosen.lambda
        let lambdas = (0...relaxSteps).map { chosen.lambda * PortableMath.pow(ratio, Double($0) / Double(relaxSteps)) }
        var best = (fit: chosen, score: lassoScore)
        for fit in restricted.path(lambdas, stoppingAfter: { !$0.converged }).dropFirst() where fit.converged {
            let value = try score(fit) ?? -.infinity
            if value > best.score { best = (fit, value) }
        }
        return (best.fit, best.score, lassoScore)
    }

    static let relaxSteps = 10
    static let relaxScoringRows = 20_000

    /// The loss the solver minimises for these teacher answers, and the link of the model.
    private func target(_ outputs: TeacherOutputs) -> (LinearLoss, LinearModel.Link) {
        guard case .classification(let classes) = outputs.task else {
            return (.squared(y: outputs.values.map(Double.init)), .identity)
        }
        let k = classes.count
        var p = [Double](repeating: 0, count: outputs.rowCount * k)
        for row in 0..<outputs.rowCount {
            if configuration.hard {
                p[row * k + outputs.predictedClass(row)] = 1
                continue
            }
            let softened = outputs.row(row).map { PortableMath.pow(max(Double($0), 0), 1 / configuration.temperature) }
            let total = softened.reduce(0, +)
            for c in 0..<k { p[row * k + c] = total > 0 ? softened[c] / total : 1 / Double(k) }
        }
        if k == 2 {
            return (.logistic(p: stride(from: 1, to: p.count, by: 2).map { p[$0] }), .logit)
        }
        return (.softmax(p: p, classes: k), .softmax)
    }

    private static func fidelity(_ metrics: FidelityMetrics) -> Double? {
        metrics.agreement ?? metrics.r2
    }
}
