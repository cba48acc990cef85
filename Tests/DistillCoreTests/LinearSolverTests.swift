import Foundation
import Testing

@testable import DistillCore

/// Random problems for the linear student's tests, repeatable from a seed.
enum LinearFixtures {
    /// Standard normal draws by Box–Muller, so the numbers depend only on the seed.
    static func normals(_ count: Int, seed: UInt64) -> [Double] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in
            let u = 1 - generator.unitInterval(), v = generator.unitInterval()
            return (-2 * Foundation.log(u)).squareRoot() * Foundation.cos(2 * Double.pi * v)
        }
    }

    /// Columns centred and scaled to population sd 1, as the solver expects its design.
    static func standardised(_ columns: [[Double]]) -> DesignMatrix {
        let n = columns[0].count
        let values = columns.flatMap { column -> [Double] in
            let mean = column.reduce(0, +) / Double(n)
            let sd = (column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n)).squareRoot()
            return column.map { ($0 - mean) / sd }
        }
        return DesignMatrix(rows: n, columns: columns.count, values: values)
    }

    /// `columns` random standard normal columns of `rows` rows.
    static func randomColumns(_ columns: Int, rows: Int, seed: UInt64) -> [[Double]] {
        let draws = normals(rows * columns, seed: seed)
        return (0..<columns).map { Array(draws[($0 * rows)..<(($0 + 1) * rows)]) }
    }

    /// η per output and row for these weights: intercept + Σ wⱼ xⱼ, summed here over the
    /// design's columns made dense rather than by the solver's kernels.
    static func eta(_ x: DesignMatrix, weights: [[Double]], intercepts: [Double]) -> [[Double]] {
        let columns = (0..<x.columns).map { x.column($0) }
        return weights.indices.map { k in
            (0..<x.rows).map { row in
                var sum = intercepts[k]
                for j in 0..<x.columns { sum += weights[k][j] * columns[j][row] }
                return sum
            }
        }
    }

    /// Xᵀ r / n per output.
    static func gradient(_ x: DesignMatrix, residuals: [[Double]]) -> [[Double]] {
        let columns = (0..<x.columns).map { x.column($0) }
        return residuals.map { r in
            columns.map { column in zip(column, r).reduce(0) { $0 + $1.0 * $1.1 } / Double(x.rows) }
        }
    }

    static func sigmoid(_ z: Double) -> Double { 1 / (1 + Foundation.exp(-z)) }

    /// Row-major class distributions, the softmax of `scores` (per class, per row).
    static func softmaxRows(_ scores: [[Double]]) -> [Double] {
        (0..<scores[0].count).flatMap { row -> [Double] in
            let e = scores.map { Foundation.exp($0[row]) }
            let total = e.reduce(0, +)
            return e.map { $0 / total }
        }
    }

    /// Soft two-class targets that depend on the first two columns, with noise.
    static func logisticTargets(_ columns: [[Double]], seed: UInt64) -> [Double] {
        let noise = normals(columns[0].count, seed: seed)
        return columns[0].indices.map { sigmoid(1.2 * columns[0][$0] - 0.7 * columns[1][$0] + 0.5 * noise[$0] + 0.3) }
    }

    /// Soft three-class targets that depend on the first three columns.
    static func softmaxTargets(_ columns: [[Double]], seed: UInt64) -> [Double] {
        let n = columns[0].count
        let noise = normals(n * 3, seed: seed).map { 0.3 * $0 }
        let first: [Double] = (0..<n).map { columns[0][$0] + noise[$0] }
        let second: [Double] = (0..<n).map { row in
            let score: Double = -0.8 * columns[1][row] + 0.5 * columns[2][row]
            return score + noise[n + row]
        }
        let third: [Double] = (0..<n).map { 0.2 + noise[2 * n + $0] }
        return softmaxRows([first, second, third])
    }

    /// The mean loss written out from its definition (cross-entropy as −Σ p log q), not
    /// through `LinearLoss`'s stable forms.
    static func meanLoss(_ loss: LinearLoss, eta: [[Double]]) -> Double {
        let n = eta[0].count
        switch loss {
        case .squared(let y):
            let misfits = zip(y, eta[0]).map { $0 - $1 }
            return misfits.reduce(0) { $0 + 0.5 * $1 * $1 } / Double(n)
        case .logistic(let p):
            var total = 0.0
            for row in 0..<n {
                let q = sigmoid(eta[0][row])
                total -= p[row] * Foundation.log(q) + (1 - p[row]) * Foundation.log(1 - q)
            }
            return total / Double(n)
        case .softmax(let p, let classes):
            let q = softmaxRows(eta)
            return (0..<(n * classes)).reduce(0) { $0 - p[$1] * Foundation.log(q[$1]) } / Double(n)
        }
    }

    /// λ Σ_outputs Σ_groups (α √|G| ‖w_G‖ + (1 − α)/2 ‖w_G‖²), the penalty the solver documents.
    static func penalty(_ weights: [[Double]], groups: [[Int]], lambda: Double, alpha: Double) -> Double {
        var total = 0.0
        for w in weights {
            for group in groups {
                let squared = group.reduce(0) { $0 + w[$1] * w[$1] }
                total += alpha * Double(group.count).squareRoot() * squared.squareRoot() + (1 - alpha) / 2 * squared
            }
        }
        return lambda * total
    }

    /// The loss's own gradient at a fit, from residuals computed here (σ(η) − p, q − p, η − y).
    static func gradients(_ loss: LinearLoss, x: DesignMatrix, fit: LinearFit) -> (weights: [[Double]], intercepts: [Double]) {
        let eta = eta(x, weights: fit.weights, intercepts: fit.intercepts)
        let residuals: [[Double]]
        switch loss {
        case .squared(let y):
            residuals = [zip(eta[0], y).map { $0 - $1 }]
        case .logistic(let p):
            residuals = [zip(eta[0], p).map { sigmoid($0) - $1 }]
        case .softmax(let p, let classes):
            let q = softmaxRows(eta)
            residuals = (0..<classes).map { k in (0..<x.rows).map { q[$0 * classes + k] - p[$0 * classes + k] } }
        }
        return (gradient(x, residuals: residuals), residuals.map { $0.reduce(0, +) / Double(x.rows) })
    }

    static func norm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
}

@Suite("Elastic-net solver: closed forms, gradients and optimality")
struct LinearSolverTests {
    typealias F = LinearFixtures

    /// The solver stops when a step's curvature-scaled squared change falls below 1e-10 of
    /// the loss (steps of about 1e-5), so its gradients are off by a few 1e-6 (2e-6 at most
    /// in these problems); optimality conditions are checked to this much.
    static let kktTolerance = 1e-5

    // MARK: Orthogonal design

    /// Walsh columns of the 8 × 8 Sylvester Hadamard matrix: ±1, mean 0, population sd 1 and
    /// mutually orthogonal, so XᵀX/n = I and each weight is its own one-dimensional problem.
    static let walsh: DesignMatrix = {
        let columns = [1, 2, 3, 5, 6]
        return DesignMatrix(rows: 8, columns: columns.count, values: columns.flatMap { j in
            (0..<8).map { i in (i & j).nonzeroBitCount % 2 == 0 ? 1.0 : -1.0 }
        })
    }()

    @Test func walshDesignIsOrthonormal() {
        let x = Self.walsh
        for a in 0..<x.columns {
            #expect(x.column(a).reduce(0, +) == 0)
            for b in 0..<x.columns {
                let product = zip(x.column(a), x.column(b)).reduce(0) { $0 + $1.0 * $1.1 } / 8
                #expect(product == (a == b ? 1 : 0))
            }
        }
    }

    @Test(arguments: [1.0, 0.5])
    func orthogonalDesignGivesSoftThresholding(alpha: Double) {
        let x = Self.walsh
        let y = [3, -1, 2.5, 0.5, 4, -2, 1, 2.75]
        let mean = y.reduce(0, +) / 8
        let correlations = (0..<x.columns).map { j in zip(x.column(j), y).reduce(0) { $0 + $1.0 * $1.1 } / 8 }
        // The five correlations differ in size, so the λ below zero some weights and not others.
        let lambdaMax = correlations.map(abs).max()! / alpha
        let solver = ElasticNetSolver(x: x, loss: .squared(y: y), l1Ratio: alpha)
        #expect(abs(solver.lambdaMax - lambdaMax) <= 1e-12 * lambdaMax)

        let lambdas = [1, 0.8, 0.5, 0.2, 0.01].map { $0 * lambdaMax }
        let fits = solver.path(lambdas)
        for (fit, lambda) in zip(fits, lambdas) {
            #expect(fit.converged)
            #expect(abs(fit.intercepts[0] - mean) < 1e-10)
            for j in 0..<x.columns {
                let c = correlations[j], t = lambda * alpha
                let expected = (c > t ? c - t : c < -t ? c + t : 0) / (1 + lambda * (1 - alpha))
                #expect(abs(fit.weights[0][j] - expected) < 1e-8, "λ = \(lambda), weight \(j)")
            }
        }
        // The path really passes through both regimes.
        #expect(fits[2].weights[0].contains(0) && fits[2].weights[0].contains { $0 != 0 })
    }

    /// The relaxed lasso ends its refits at the first that does not converge; the path
    /// stops after the fit its predicate names, and is the same up to there.
    @Test func aPathStopsAfterTheFitItIsToldTo() {
        let x = Self.walsh
        let y = [3, -1, 2.5, 0.5, 4, -2, 1, 2.75]
        let solver = ElasticNetSolver(x: x, loss: .squared(y: y), l1Ratio: 1)
        let lambdas = [1, 0.8, 0.5, 0.2, 0.01].map { $0 * solver.lambdaMax }
        let whole = solver.path(lambdas)
        let stopped = solver.path(lambdas) { $0.lambda < 0.6 * solver.lambdaMax }
        #expect(stopped.count == 3)
        #expect(stopped == Array(whole.prefix(3)))
    }

    // MARK: λ_max

    @Test(arguments: [1.0, 0.5])
    func lambdaMaxOfSquaredLossIsTheLargestCorrelation(alpha: Double) {
        let columns = F.randomColumns(5, rows: 60, seed: 11)
        let x = F.standardised(columns)
        let noise = F.normals(60, seed: 12)
        let y = (0..<60).map { 2 + 0.5 * columns[1][$0] - 1.5 * columns[3][$0] + noise[$0] }
        let mean = y.reduce(0, +) / 60
        let expected = (0..<5).map { j in
            abs(zip(x.column(j), y).reduce(0) { $0 + $1.0 * ($1.1 - mean) }) / (60 * alpha)
        }.max()!
        let solver = ElasticNetSolver(x: x, loss: .squared(y: y), l1Ratio: alpha)
        #expect(abs(solver.lambdaMax - expected) <= 1e-12 * expected)
        expectLambdaMaxIsTheEdge(solver)
    }

    /// A group of |G| indicators leaves zero when ‖X_Gᵀ(y − ȳ)‖/n passes λα√|G|. Here the
    /// response follows the text column only, so its group sets λ_max, and meeting its
    /// threshold only up to rounding once let the group in with weights of 1e-17.
    @Test func lambdaMaxOfATextGroupIsItsGradientNormOverRootSize() throws {
        let (terms, x, _) = try Self.groupProblem()
        let colour = try #require(terms.groups.first { $0.count > 1 })
        let noise = F.normals(x.rows, seed: 84)
        let levelEffect = colour.map { j in x.column(j).map { $0 > 0 ? 1.0 : 0 } }
        let y = (0..<x.rows).map { row in 0.9 * levelEffect[0][row] - 0.7 * levelEffect[2][row] + 0.1 * noise[row] }
        let mean = y.reduce(0, +) / Double(x.rows)
        let groupNorm = F.norm(colour.map { j in zip(x.column(j), y).reduce(0) { $0 + $1.0 * ($1.1 - mean) } / Double(x.rows) })
        let expected = groupNorm / (0.8 * Double(colour.count).squareRoot())
        let solver = ElasticNetSolver(x: x, loss: .squared(y: y), l1Ratio: 0.8)
        #expect(abs(solver.lambdaMax - expected) <= 1e-12 * expected)
        expectLambdaMaxIsTheEdge(solver)
    }

    @Test func lambdaMaxOfLogisticLossWithSoftTargets() {
        let columns = F.randomColumns(4, rows: 80, seed: 21)
        let solver = ElasticNetSolver(x: F.standardised(columns), loss: .logistic(p: F.logisticTargets(columns, seed: 22)), l1Ratio: 1)
        expectLambdaMaxIsTheEdge(solver)
    }

    @Test func lambdaMaxOfSoftmaxLossWithSoftTargets() {
        let columns = F.randomColumns(4, rows: 90, seed: 31)
        let solver = ElasticNetSolver(x: F.standardised(columns), loss: .softmax(p: F.softmaxTargets(columns, seed: 32), classes: 3), l1Ratio: 0.7)
        expectLambdaMaxIsTheEdge(solver)
    }

    /// At λ_max every weight is exactly zero; just below it, something enters.
    func expectLambdaMaxIsTheEdge(_ solver: ElasticNetSolver, sourceLocation: SourceLocation = #_sourceLocation) {
        let fits = solver.path([solver.lambdaMax, 0.99 * solver.lambdaMax])
        #expect(fits[0].weights.allSatisfy { $0.allSatisfy { $0 == 0 } }, "weights at λ_max: \(fits[0].weights)",
                sourceLocation: sourceLocation)
        #expect(fits[1].weights.contains { $0.contains { $0 != 0 } }, sourceLocation: sourceLocation)
    }

    // MARK: Gradients

    /// The solver's gradient is Xᵀr/n of the residuals `LinearLoss` gives, and the
    /// intercept's is their mean; both must be the derivatives of `LinearLoss.mean`.
    func expectResidualsGiveTheGradient(_ loss: LinearLoss, x: DesignMatrix, seed: UInt64,
                                        sourceLocation: SourceLocation = #_sourceLocation) {
        let draws = F.normals(loss.outputs * (x.columns + 1), seed: seed)
        let weights = (0..<loss.outputs).map { k in draws[(k * x.columns)..<((k + 1) * x.columns)].map { 0.5 * $0 } }
        let intercepts = Array(draws.suffix(loss.outputs))
        let residuals = loss.residuals(F.eta(x, weights: weights, intercepts: intercepts))
        let analytic = F.gradient(x, residuals: residuals)
        let h = 1e-5
        for k in 0..<loss.outputs {
            var numeric: [Double] = []
            for j in 0...x.columns {
                // j == x.columns stands for the intercept.
                var up = (weights, intercepts), down = (weights, intercepts)
                if j < x.columns {
                    up.0[k][j] += h
                    down.0[k][j] -= h
                } else {
                    up.1[k] += h
                    down.1[k] -= h
                }
                numeric.append((loss.mean(F.eta(x, weights: up.0, intercepts: up.1))
                    - loss.mean(F.eta(x, weights: down.0, intercepts: down.1))) / (2 * h))
            }
            let computed = analytic[k] + [residuals[k].reduce(0, +) / Double(x.rows)]
            let error = zip(computed, numeric).map { abs($0 - $1) }.max()!
            #expect(error <= 1e-6 * numeric.map(abs).max()!, "output \(k): \(computed) against \(numeric)",
                    sourceLocation: sourceLocation)
        }
    }

    /// IRLS weights by the curvature: the derivative of a row's residual in its own η.
    func expectCurvatureIsTheResidualsDerivative(_ loss: LinearLoss, rows: Int, seed: UInt64,
                                                 sourceLocation: SourceLocation = #_sourceLocation) {
        let draws = F.normals(loss.outputs * rows, seed: seed)
        let eta = (0..<loss.outputs).map { k in Array(draws[(k * rows)..<((k + 1) * rows)]) }
        let h = 1e-6
        for k in 0..<loss.outputs {
            let curvature = loss.curvature(eta, output: k)!
            for row in 0..<rows {
                var up = eta, down = eta
                up[k][row] += h
                down[k][row] -= h
                let numeric = (loss.residuals(up)[k][row] - loss.residuals(down)[k][row]) / (2 * h)
                #expect(abs(curvature[row] - numeric) <= 1e-7, sourceLocation: sourceLocation)
            }
        }
    }

    @Test func logisticSoftTargetGradientMatchesFiniteDifferences() {
        let columns = F.randomColumns(3, rows: 40, seed: 41)
        let loss = LinearLoss.logistic(p: F.logisticTargets(columns, seed: 42))
        expectResidualsGiveTheGradient(loss, x: F.standardised(columns), seed: 43)
        expectCurvatureIsTheResidualsDerivative(loss, rows: 40, seed: 44)
    }

    @Test func softmaxSoftTargetGradientMatchesFiniteDifferences() {
        let columns = F.randomColumns(3, rows: 40, seed: 51)
        let loss = LinearLoss.softmax(p: F.softmaxTargets(columns, seed: 52), classes: 3)
        expectResidualsGiveTheGradient(loss, x: F.standardised(columns), seed: 53)
        expectCurvatureIsTheResidualsDerivative(loss, rows: 40, seed: 54)
    }

    // MARK: Optimality

    /// The elastic-net KKT conditions of every output at a fit with single-term groups, and
    /// the objective recomputed from its definition.
    func expectOptimal(_ fit: LinearFit, loss: LinearLoss, x: DesignMatrix, alpha: Double,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(fit.converged, sourceLocation: sourceLocation)
        let lambda = fit.lambda
        let (gradients, interceptGradients) = F.gradients(loss, x: x, fit: fit)
        for k in fit.weights.indices {
            #expect(abs(interceptGradients[k]) <= Self.kktTolerance, sourceLocation: sourceLocation)
            for (j, w) in fit.weights[k].enumerated() {
                let g = gradients[k][j]
                if w == 0 {
                    #expect(abs(g) <= lambda * alpha + Self.kktTolerance, "output \(k), weight \(j) at zero",
                            sourceLocation: sourceLocation)
                } else {
                    let stationarity = g + lambda * (alpha * (w > 0 ? 1 : -1) + (1 - alpha) * w)
                    #expect(abs(stationarity) <= Self.kktTolerance, "output \(k), weight \(j) = \(w)",
                            sourceLocation: sourceLocation)
                }
            }
        }
        let objective = F.meanLoss(loss, eta: F.eta(x, weights: fit.weights, intercepts: fit.intercepts))
            + F.penalty(fit.weights, groups: (0..<x.columns).map { [$0] }, lambda: lambda, alpha: alpha)
        #expect(abs(fit.objective - objective) <= 1e-9 * objective, sourceLocation: sourceLocation)
    }

    @Test func logisticFitSatisfiesTheOptimalityConditions() {
        let columns = F.randomColumns(6, rows: 200, seed: 61)
        let x = F.standardised(columns)
        let loss = LinearLoss.logistic(p: F.logisticTargets(columns, seed: 62))
        let solver = ElasticNetSolver(x: x, loss: loss, l1Ratio: 0.7)
        let fits = solver.path(solver.lambdas(count: 20, ratio: 0.01))
        // Somewhere along the path, weights at zero and away from it both occur.
        let middle = fits[8]
        #expect(middle.weights[0].contains(0) && middle.weights[0].contains { $0 != 0 })
        for fit in [middle, fits.last!] { expectOptimal(fit, loss: loss, x: x, alpha: 0.7) }
    }

    @Test func softmaxFitSatisfiesTheOptimalityConditions() {
        let columns = F.randomColumns(5, rows: 240, seed: 71)
        let x = F.standardised(columns)
        let loss = LinearLoss.softmax(p: F.softmaxTargets(columns, seed: 72), classes: 3)
        let solver = ElasticNetSolver(x: x, loss: loss, l1Ratio: 1)
        let fits = solver.path(solver.lambdas(count: 20, ratio: 0.01))
        let middle = fits[6]
        #expect(middle.weights.joined().contains(0) && middle.weights.joined().contains { $0 != 0 })
        for fit in [middle, fits.last!] { expectOptimal(fit, loss: loss, x: x, alpha: 1) }
    }

    // MARK: Group lasso

    /// Two numbers and a text column of four levels (three indicators), with a response
    /// that depends on both numbers and on the level.
    static func groupProblem() throws -> (terms: LinearTerms, x: DesignMatrix, signal: [Double]) {
        let n = 150
        let columns = F.randomColumns(2, rows: n, seed: 81)
        var generator = SeededGenerator(seed: 82)
        let codes = (0..<n).map { _ in Int32(generator.index(below: 4)) }
        let data = Dataset(features: [
            Column(name: "a", values: .numeric(columns[0].map(Float.init))),
            Column(name: "colour", values: .categorical(codes: codes, levels: ["red", "green", "blue", "white"])),
            Column(name: "b", values: .numeric(columns[1].map(Float.init))),
        ], rowCount: n)
        let terms = try LinearTerms(learningFrom: data)
        let effect = [0, 0.6, -0.4, 0.3]
        let signal = (0..<n).map { Double(Float(columns[0][$0])) - 0.3 * Double(Float(columns[1][$0])) + effect[Int(codes[$0])] }
        return (terms, try terms.design(data), signal)
    }

    @Test func textIndicatorsEnterAndLeaveTogetherSquared() throws {
        let (terms, x, signal) = try Self.groupProblem()
        let noise = F.normals(x.rows, seed: 83)
        try expectGroupsBehave(terms: terms, x: x, loss: .squared(y: zip(signal, noise).map { $0 + 0.5 * $1 }), alpha: 1)
    }

    @Test func textIndicatorsEnterAndLeaveTogetherLogistic() throws {
        let (terms, x, signal) = try Self.groupProblem()
        try expectGroupsBehave(terms: terms, x: x, loss: .logistic(p: signal.map { F.sigmoid(1.5 * $0) }), alpha: 0.6)
    }

    func expectGroupsBehave(terms: LinearTerms, x: DesignMatrix, loss: LinearLoss, alpha: Double,
                            sourceLocation: SourceLocation = #_sourceLocation) throws {
        let colour = try #require(terms.groups.first { $0.count > 1 }, sourceLocation: sourceLocation)
        #expect(colour.count == 3, sourceLocation: sourceLocation)
        let solver = ElasticNetSolver(x: x, loss: loss, l1Ratio: alpha)
        expectLambdaMaxIsTheEdge(solver, sourceLocation: sourceLocation)
        let fits = solver.path(solver.lambdas(count: 30, ratio: 0.01))
        var sawZero = false, sawNonzero = false
        for fit in fits {
            #expect(fit.converged, sourceLocation: sourceLocation)
            let w = colour.map { fit.weights[0][$0] }
            let g = F.gradients(loss, x: x, fit: fit).weights[0]
            let gG = colour.map { g[$0] }
            let root = Double(colour.count).squareRoot()
            if w.allSatisfy({ $0 == 0 }) {
                sawZero = true
                #expect(F.norm(gG) <= fit.lambda * alpha * root + Self.kktTolerance, "λ = \(fit.lambda)",
                        sourceLocation: sourceLocation)
            } else {
                sawNonzero = true
                #expect(w.allSatisfy { $0 != 0 }, "λ = \(fit.lambda): \(w)", sourceLocation: sourceLocation)
                // Stationarity: g_G + λ (α √|G| w_G/‖w_G‖ + (1 − α) w_G) = 0.
                let size = F.norm(w)
                let stationarity = zip(gG, w).map { $0 + fit.lambda * (alpha * root * $1 / size + (1 - alpha) * $1) }
                #expect(F.norm(stationarity) <= Self.kktTolerance, "λ = \(fit.lambda): \(stationarity)",
                        sourceLocation: sourceLocation)
            }
        }
        #expect(sawZero && sawNonzero, sourceLocation: sourceLocation)
        let last = fits.last!
        let objective = F.meanLoss(loss, eta: F.eta(x, weights: last.weights, intercepts: last.intercepts))
            + F.penalty(last.weights, groups: terms.groups, lambda: last.lambda, alpha: alpha)
        #expect(abs(last.objective - objective) <= 1e-9 * objective, sourceLocation: sourceLocation)
    }
}
