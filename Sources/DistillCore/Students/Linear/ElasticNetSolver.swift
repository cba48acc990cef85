import CBLAS
import Foundation

/// A linear model at one penalty, in standardised units, with how its solve went.
public struct LinearFit: Sendable, Equatable {
    public var lambda: Double
    /// Per output, one weight per term.
    public var weights: [[Double]]
    public var intercepts: [Double]
    /// Newton (outer) iterations at this penalty.
    public var iterations: Int
    /// The largest weight change of the last iteration, in standardised units.
    public var maxChange: Double
    public var converged: Bool
    /// The penalised objective the solver minimised (see `ElasticNetSolver`).
    public var objective: Double

    /// Groups (features) with a nonzero weight in any output.
    func nonzeroGroups(_ groups: [[Int]]) -> [Int] {
        groups.indices.filter { g in groups[g].contains { j in weights.contains { $0[j] != 0 } } }
    }
}

/// Elastic-net coordinate descent along a path of penalties, after glmnet (Friedman,
/// Hastie & Tibshirani, 2010), minimising
///
///     (1/n) Σ loss(ηᵢ) + λ Σ_outputs Σ_groups ( α √|G| ‖w_G‖₂ + (1 − α)/2 ‖w_G‖₂² )
///
/// with unpenalised intercepts. A group of one term is the plain elastic net; a text
/// feature's indicators form one group, entering or leaving together (group lasso).
///
/// At each penalty, warm-started from the previous one, a Newton step replaces the loss by
/// its quadratic model around the current weights (exact for squared error; for the
/// logistic losses the usual IRLS weights, per class for softmax), restricted to an active
/// set of groups (nonzero before, or passing the sequential strong rule). Coordinate descent
/// minimises that model in the space of the active terms, using the weighted Gram matrix
/// (so each coordinate step costs O(|active|), not O(rows)); a group's step is a proximal
/// step on a Gershgorin bound of its block. Steps repeat until the largest curvature-scaled
/// change is below the tolerance; then every inactive group is checked against the
/// optimality (KKT) condition and any violator joins the active set.
struct ElasticNetSolver {
    let x: DesignMatrix
    let loss: LinearLoss
    let groups: [[Int]]
    let l1Ratio: Double
    /// Relative to the null model's loss, the curvature-scaled squared change below which a
    /// solve counts as converged.
    var tolerance = 1e-10
    var maxIterations = 200
    var maxSweeps = 10_000

    private var rows: Int { x.rows }
    private var outputs: Int { loss.outputs }

    init(x: DesignMatrix, loss: LinearLoss, groups: [[Int]], l1Ratio: Double) {
        self.x = x
        self.loss = loss
        self.groups = groups
        self.l1Ratio = l1Ratio
    }

    /// The smallest penalty at which every weight is zero (for α = 0, that of α = 0.001, as
    /// glmnet does, since a ridge penalty never zeroes a weight).
    var lambdaMax: Double {
        let intercepts = loss.nullIntercepts
        let eta = intercepts.map { [Double](repeating: $0, count: rows) }
        let gradients = loss.residuals(eta).map(gradient)
        var largest = 0.0
        for g in gradients {
            for group in groups {
                largest = max(largest, norm(group.map { g[$0] }) / Double(group.count).squareRoot())
            }
        }
        return largest / max(l1Ratio, 1e-3)
    }

    /// `count` penalties from `lambdaMax` down to `lambdaMax × ratio`, evenly spaced in log.
    func lambdas(count: Int, ratio: Double) -> [Double] {
        let top = lambdaMax
        guard count > 1 else { return [top] }
        return (0..<count).map { top * Foundation.pow(ratio, Double($0) / Double(count - 1)) }
    }

    /// The fits at each penalty, in the order given (which should be decreasing, so each
    /// warm start is close).
    func path(_ lambdas: [Double]) -> [LinearFit] {
        var state = State(solver: self)
        var previousLambda = lambdas.first ?? 0
        return lambdas.map { lambda in
            let fit = state.solve(lambda: lambda, previous: previousLambda)
            previousLambda = lambda
            return fit
        }
    }

    /// ∇ of the mean loss with respect to the weights: Xᵀ r / n.
    fileprivate func gradient(_ residual: [Double]) -> [Double] {
        var g = [Double](repeating: 0, count: x.columns)
        x.values.withUnsafeBufferPointer { matrix in
            cblas_dgemv(CblasColMajor, CblasTrans, Int32(rows), Int32(x.columns), 1 / Double(rows),
                        matrix.baseAddress, Int32(rows), residual, 1, 0, &g, 1)
        }
        return g
    }

    fileprivate func penalty(_ weights: [[Double]], lambda: Double) -> Double {
        var total = 0.0
        for w in weights {
            for group in groups {
                let size = norm(group.map { w[$0] })
                total += l1Ratio * Double(group.count).squareRoot() * size + (1 - l1Ratio) / 2 * size * size
            }
        }
        return lambda * total
    }

    fileprivate func norm(_ v: [Double]) -> Double {
        v.reduce(0) { $0 + $1 * $1 }.squareRoot()
    }

    /// The solver's moving parts along one path: weights, predictors, the active set.
    private struct State {
        let solver: ElasticNetSolver
        var weights: [[Double]]
        var intercepts: [Double]
        /// η per output and row.
        var eta: [[Double]]
        var active: Set<Int> = []
        /// The loss's gradient at the current weights, per output.
        var gradients: [[Double]]
        let scale: Double
        /// The Gram matrix Xᵀ X / n with the intercept as column 0, for squared error,
        /// whose curvature never changes.
        let fixedGram: [Double]?
        let columnMeans: [Double]

        init(solver: ElasticNetSolver) {
            self.solver = solver
            let p = solver.x.columns, n = solver.rows
            weights = [[Double]](repeating: [Double](repeating: 0, count: p), count: solver.outputs)
            intercepts = solver.loss.nullIntercepts
            eta = intercepts.map { [Double](repeating: $0, count: n) }
            gradients = solver.loss.residuals(eta).map(solver.gradient)
            scale = max(solver.loss.mean(eta), 1e-12)
            columnMeans = (0..<p).map { j in solver.x.column(j).reduce(0, +) / Double(n) }
            if case .squared = solver.loss {
                fixedGram = State.gram(solver.x, columns: Array(0..<p), curvature: nil)
            } else {
                fixedGram = nil
            }
        }

        mutating func solve(lambda: Double, previous: Double) -> LinearFit {
            let alpha = solver.l1Ratio
            // Sequential strong rule: a group whose gradient is far below the new threshold
            // will almost surely stay at zero. A group merely at the threshold stays out, with
            // the KKT check's slack: at λ_max the group that sets it meets the threshold only
            // up to rounding, and a step on it left weights of 1e-17 in the empty model.
            for (g, group) in solver.groups.enumerated() where !active.contains(g) {
                let threshold = alpha * Double(group.count).squareRoot() * (2 * lambda - previous)
                if alpha == 0 || gradients.contains(where: { gradient in
                    solver.norm(group.map { gradient[$0] }) > threshold * (1 + 1e-9)
                }) {
                    active.insert(g)
                }
            }
            var iterations = 0
            var lastChange = 0.0
            var converged = false
            while iterations < solver.maxIterations {
                iterations += 1
                var largest = 0.0
                var largestWeightChange = 0.0
                for k in 0..<solver.outputs {
                    let (change, weightChange) = newtonStep(output: k, lambda: lambda)
                    largest = max(largest, change)
                    largestWeightChange = max(largestWeightChange, weightChange)
                }
                lastChange = largestWeightChange
                gradients = solver.loss.residuals(eta).map(solver.gradient)
                guard largest < solver.tolerance * scale else { continue }
                // Converged on the active set: any group that breaks optimality at zero joins.
                let violators = solver.groups.indices.filter { g in
                    !active.contains(g) && gradients.contains { gradient in
                        solver.norm(solver.groups[g].map { gradient[$0] })
                            > alpha * Double(solver.groups[g].count).squareRoot() * lambda * (1 + 1e-9)
                    }
                }
                if violators.isEmpty {
                    converged = true
                    break
                }
                active.formUnion(violators)
            }
            let objective = solver.loss.mean(eta) + solver.penalty(weights, lambda: lambda)
            return LinearFit(lambda: lambda, weights: weights, intercepts: intercepts, iterations: iterations,
                             maxChange: lastChange, converged: converged, objective: objective)
        }

        /// One Newton step for output k: minimise the penalised quadratic model of the loss
        /// over the active terms and the intercept by coordinate descent, then move there.
        /// Returns the largest curvature-scaled squared change and the largest weight change.
        private mutating func newtonStep(output k: Int, lambda: Double) -> (Double, Double) {
            let alpha = solver.l1Ratio
            let activeGroups = active.sorted().map { solver.groups[$0] }
            let terms = activeGroups.flatMap { $0 }
            let m = terms.count + 1
            // Local index 0 is the intercept, 1... the active terms.
            let hessian: [Double]
            if let fixedGram {
                let p = solver.x.columns + 1
                let local = [0] + terms.map { $0 + 1 }
                hessian = local.flatMap { a in local.map { b in fixedGram[a * p + b] } }
            } else {
                hessian = State.gram(solver.x, columns: terms, curvature: solver.loss.curvature(eta, output: k))
            }
            let g = gradients[k]
            let residualMean = solver.loss.residuals(eta)[k].reduce(0, +) / Double(solver.rows)
            var grad = [residualMean] + terms.map { g[$0] }
            var delta = [Double](repeating: 0, count: m)
            let current = [intercepts[k]] + terms.map { weights[k][$0] }
            var localGroups: [[Int]] = []
            var next = 1
            for group in activeGroups {
                localGroups.append(Array(next..<(next + group.count)))
                next += group.count
            }
            var sweepChange = Double.infinity
            var sweeps = 0
            while sweepChange >= solver.tolerance * scale * 1e-2, sweeps < solver.maxSweeps {
                sweeps += 1
                sweepChange = 0
                func move(_ a: Int, by step: Double) {
                    guard step != 0 else { return }
                    delta[a] += step
                    for b in 0..<m { grad[b] += hessian[a * m + b] * step }
                    sweepChange = max(sweepChange, hessian[a * m + a] * step * step)
                }
                move(0, by: -grad[0] / hessian[0])
                for group in localGroups {
                    if group.count == 1 {
                        let a = group[0]
                        let h = hessian[a * m + a]
                        let w = current[a] + delta[a]
                        let target = State.softThreshold(h * w - grad[a], lambda * alpha) / (h + lambda * (1 - alpha))
                        move(a, by: target - w)
                    } else {
                        // A proximal step on the block, with a bound on its largest eigenvalue.
                        let bound = group.map { a in group.reduce(0) { $0 + abs(hessian[a * m + $1]) } }.max() ?? 1
                        let w = group.map { current[$0] + delta[$0] }
                        let u = zip(w, group).map { $0 - grad[$1] / bound }
                        let size = solver.norm(u)
                        let threshold = lambda * alpha * Double(group.count).squareRoot() / bound
                        let shrink = size > threshold ? (1 - threshold / size) / (1 + lambda * (1 - alpha) / bound) : 0
                        for (index, a) in group.enumerated() { move(a, by: u[index] * shrink - w[index]) }
                    }
                }
            }
            var largest = 0.0, weightChange = 0.0
            for a in 0..<m where delta[a] != 0 {
                largest = max(largest, hessian[a * m + a] * delta[a] * delta[a])
                if a > 0 { weightChange = max(weightChange, abs(delta[a])) }
            }
            intercepts[k] += delta[0]
            let n = solver.rows
            for index in 0..<n { eta[k][index] += delta[0] }
            for (local, j) in terms.enumerated() where delta[local + 1] != 0 {
                weights[k][j] += delta[local + 1]
                // An exact zero, so a weight that the threshold removed is out of the model.
                if abs(weights[k][j]) < 1e-300 { weights[k][j] = 0 }
                solver.x.values.withUnsafeBufferPointer { matrix in
                    cblas_daxpy(Int32(n), delta[local + 1], matrix.baseAddress! + j * n, 1, &eta[k], 1)
                }
            }
            return (largest, weightChange)
        }

        static func softThreshold(_ value: Double, _ threshold: Double) -> Double {
            value > threshold ? value - threshold : value < -threshold ? value + threshold : 0
        }

        /// [1, X_columns]ᵀ V [1, X_columns] / n, row-major, with V the curvature per row
        /// (all ones when nil).
        static func gram(_ x: DesignMatrix, columns: [Int], curvature: [Double]?) -> [Double] {
            let n = x.rows, m = columns.count + 1
            var scaled = [Double](repeating: 0, count: n * m)
            let roots = curvature.map { $0.map { $0.squareRoot() } }
            for row in 0..<n { scaled[row] = roots?[row] ?? 1 }
            for (index, j) in columns.enumerated() {
                let offset = (index + 1) * n, source = j * n
                for row in 0..<n { scaled[offset + row] = x.values[source + row] * (roots?[row] ?? 1) }
            }
            var result = [Double](repeating: 0, count: m * m)
            cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, Int32(m), Int32(n), 1 / Double(n), scaled, Int32(n),
                        0, &result, Int32(m))
            // dsyrk fills the upper triangle (row ≤ column, column-major); mirror it below.
            for a in 0..<m { for b in 0..<a { result[b * m + a] = result[a * m + b] } }
            return result
        }
    }
}
