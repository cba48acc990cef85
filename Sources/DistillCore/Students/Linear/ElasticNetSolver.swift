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
///
/// For the logistic loss the weighted Gram matrix costs more than the rest of a step, and
/// its curvature moves only as η does, so a step reuses the last one made while the steps
/// since have moved η little (`gramRefresh`): with curvature that close a Newton step
/// converges as fast, to the same optimum, as the gradients are always exact. Softmax
/// makes a fresh one every step: each class's curvature moves with every class's η, and on
/// a nearly separable teacher its per-class steps converge so slowly (penguins with hard
/// labels: 176 steps at one penalty) that reused matrices moved where they stop.
///
/// Work over the rows (η, residuals, gradients, Gram matrices, the loss) is split into
/// fixed chunks of rows spread over the cores, their sums added in chunk order, so a fit
/// does not depend on the number of cores.
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
    /// How far η may move before the logistic loss's Gram matrix is made afresh: the sum,
    /// over the steps since it was made, of the root of the curvature-weighted mean square of
    /// each step's change of η.
    var gramRefresh = 1e-3

    /// Rows per chunk of the work over the rows.
    static let chunkRows = 16_384
    /// Rows per block of a Gram matrix's product: the √V-scaled block of the active columns
    /// stays in cache, and OpenBLAS multiplies matrices this small with its own kernel.
    static let gramBlockRows = 256

    private var rows: Int { x.rows }
    private var outputs: Int { loss.outputs }
    private var chunks: [Range<Int>] {
        stride(from: 0, to: rows, by: Self.chunkRows).map { $0..<Swift.min(rows, $0 + Self.chunkRows) }
    }

    init(x: DesignMatrix, loss: LinearLoss, groups: [[Int]], l1Ratio: Double) {
        _ = SolverBLAS.singleThreaded
        self.x = x
        self.loss = loss
        self.groups = groups
        self.l1Ratio = l1Ratio
    }

    /// The smallest penalty at which every weight is zero (for α = 0, that of α = 0.001, as
    /// glmnet does, since a ridge penalty never zeroes a weight).
    var lambdaMax: Double {
        var eta = loss.nullIntercepts.map { [Double](repeating: $0, count: rows) }
        var largest = 0.0
        for g in slope(at: &eta, after: nil).gradients {
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
        return (0..<count).map { top * PortableMath.pow(ratio, Double($0) / Double(count - 1)) }
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

    /// The loss's slope at some η, per output: the gradient Xᵀ r / n of the weights and the
    /// mean residual, the intercept's.
    fileprivate struct Slope {
        var gradients: [[Double]]
        var residualMeans: [Double]
    }

    /// What a Newton step changes in one output's η: the intercept, and the moved terms.
    fileprivate struct Move {
        var output: Int
        var intercept: Double
        var terms: [(column: Int, step: Double)]
    }

    /// Adds `move` to η (when there is one), then measures the slope there: one pass over
    /// the rows, in which each chunk moves its rows of η and multiplies its residuals by its
    /// rows of X, so a moved column is read from memory once for both.
    fileprivate func slope(at eta: inout [[Double]], after move: Move?) -> Slope {
        let chunks = chunks, before = eta
        let parts = concurrentMap(chunks.count) { chunk in
            let range = chunks[chunk]
            var local = before.map { Array($0[range]) }
            if let move {
                local[move.output].withUnsafeMutableBufferPointer { add(move, to: $0, rows: range) }
            }
            let residuals = loss.residuals(local, firstRow: range.lowerBound)
            let gradients = residuals.map { r in
                var g = [Double](repeating: 0, count: x.columns)
                x.values.withUnsafeBufferPointer { design in
                    cblas_dgemv(CblasColMajor, CblasTrans, Int32(range.count), Int32(x.columns), 1 / Double(rows),
                                design.baseAddress! + range.lowerBound, Int32(rows), r, 1, 0, &g, 1)
                }
                return g
            }
            return (moved: move.map { local[$0.output] }, gradients: gradients, sums: residuals.map { $0.reduce(0, +) })
        }
        if let move { eta[move.output] = parts.flatMap { $0.moved! } }
        var slope = Slope(gradients: [[Double]](repeating: [Double](repeating: 0, count: x.columns), count: outputs),
                          residualMeans: [Double](repeating: 0, count: outputs))
        for part in parts {
            for k in 0..<outputs {
                for j in 0..<x.columns { slope.gradients[k][j] += part.gradients[k][j] }
                slope.residualMeans[k] += part.sums[k]
            }
        }
        for k in 0..<outputs { slope.residualMeans[k] /= Double(rows) }
        return slope
    }

    /// Adds `move` to `eta`, which holds the rows `range` of its output's η: the intercept's
    /// change, then each term's, as one pass over every row would add them.
    private func add(_ move: Move, to eta: UnsafeMutableBufferPointer<Double>, rows range: Range<Int>) {
        for row in eta.indices { eta[row] += move.intercept }
        x.values.withUnsafeBufferPointer { design in
            for (j, step) in move.terms {
                cblas_daxpy(Int32(range.count), step, design.baseAddress! + j * rows + range.lowerBound, 1, eta.baseAddress, 1)
            }
        }
    }

    /// The mean loss at η.
    fileprivate func meanLoss(_ eta: [[Double]]) -> Double {
        let chunks = chunks
        let totals = concurrentMap(chunks.count) { chunk in
            loss.total(eta.map { Array($0[chunks[chunk]]) }, firstRow: chunks[chunk].lowerBound)
        }
        return totals.reduce(0, +) / Double(rows)
    }

    /// [1, X_columns]ᵀ V [1, X_columns] / n, row-major, with V the curvature of output k per
    /// row at η (all ones for squared error).
    fileprivate func gram(columns: [Int], eta: [[Double]], output k: Int) -> [Double] {
        let chunks = chunks
        let partials = concurrentMap(chunks.count) { chunk in
            let range = chunks[chunk]
            return gram(columns: columns, rows: range, curvature: loss.curvature(eta.map { Array($0[range]) }, output: k))
        }
        let m = columns.count + 1
        var result = [Double](repeating: 0, count: m * m)
        for partial in partials {
            for index in result.indices { result[index] += partial[index] }
        }
        return result
    }

    /// The Gram matrix's sum over the rows `range`, with `curvature` those rows' V (nil: all
    /// ones). The √V-scaled rows are made a block at a time: a scaled copy of every row
    /// would go to memory and back at each Newton step, costing more than the product.
    private func gram(columns: [Int], rows range: Range<Int>, curvature: [Double]?) -> [Double] {
        let m = columns.count + 1
        let blockRows = Swift.min(range.count, Self.gramBlockRows)
        var roots = [Double](repeating: 1, count: blockRows)
        var block = [Double](repeating: 0, count: blockRows * m)
        var result = [Double](repeating: 0, count: m * m)
        x.values.withUnsafeBufferPointer { design in
            roots.withUnsafeMutableBufferPointer { roots in
                block.withUnsafeMutableBufferPointer { block in
                    let r = roots.baseAddress!, b = block.baseAddress!
                    var start = range.lowerBound
                    while start < range.upperBound {
                        let count = Swift.min(blockRows, range.upperBound - start)
                        if let curvature {
                            for row in 0..<count { r[row] = curvature[start - range.lowerBound + row].squareRoot() }
                        }
                        b.update(from: r, count: count)
                        for (index, j) in columns.enumerated() {
                            let target = b + (index + 1) * blockRows, source = design.baseAddress! + j * rows + start
                            for row in 0..<count { target[row] = source[row] * r[row] }
                        }
                        cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, Int32(m), Int32(m), Int32(count), 1 / Double(rows),
                                    b, Int32(blockRows), b, Int32(blockRows), start == range.lowerBound ? 0 : 1, &result, Int32(m))
                        start += count
                    }
                }
            }
        }
        return result
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
        /// The loss's slope at the current weights.
        var slope: Slope
        let scale: Double
        /// The Gram matrix Xᵀ X / n with the intercept as column 0, for squared error,
        /// whose curvature never changes.
        let fixedGram: [Double]?
        /// For the logistic loss, the last Gram matrix made, its terms, and how far η has
        /// moved since (see `gramRefresh`).
        var lastGram: (terms: [Int], matrix: [Double], drift: Double)?

        init(solver: ElasticNetSolver) {
            self.solver = solver
            let p = solver.x.columns
            weights = [[Double]](repeating: [Double](repeating: 0, count: p), count: solver.outputs)
            intercepts = solver.loss.nullIntercepts
            var eta = intercepts.map { [Double](repeating: $0, count: solver.rows) }
            slope = solver.slope(at: &eta, after: nil)
            self.eta = eta
            scale = max(solver.meanLoss(eta), 1e-12)
            if case .squared = solver.loss {
                fixedGram = solver.gram(columns: Array(0..<p), eta: eta, output: 0)
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
                if alpha == 0 || slope.gradients.contains(where: { gradient in
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
                    let (change, weightChange, move) = newtonStep(output: k, lambda: lambda)
                    largest = max(largest, change)
                    largestWeightChange = max(largestWeightChange, weightChange)
                    // A softmax class's step moves every class's residuals, so the next class
                    // starts from the slope measured afresh.
                    slope = solver.slope(at: &eta, after: move)
                }
                lastChange = largestWeightChange
                guard largest < solver.tolerance * scale else { continue }
                // Converged on the active set: any group that breaks optimality at zero joins.
                let violators = solver.groups.indices.filter { g in
                    !active.contains(g) && slope.gradients.contains { gradient in
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
            let objective = solver.meanLoss(eta) + solver.penalty(weights, lambda: lambda)
            return LinearFit(lambda: lambda, weights: weights, intercepts: intercepts, iterations: iterations,
                             maxChange: lastChange, converged: converged, objective: objective)
        }

        /// One Newton step for output k: minimise the penalised quadratic model of the loss
        /// over the active terms and the intercept by coordinate descent, then move there.
        /// Returns the largest curvature-scaled squared change, the largest weight change and
        /// the move of η, which the caller adds.
        private mutating func newtonStep(output k: Int, lambda: Double) -> (Double, Double, Move) {
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
            } else if let lastGram, lastGram.terms == terms, lastGram.drift < solver.gramRefresh {
                hessian = lastGram.matrix
            } else {
                hessian = solver.gram(columns: terms, eta: eta, output: k)
                if case .logistic = solver.loss { lastGram = (terms, hessian, 0) }
            }
            let g = slope.gradients[k]
            var grad = [slope.residualMeans[k]] + terms.map { g[$0] }
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
            var largest = 0.0, weightChange = 0.0, moved = 0.0
            for a in 0..<m where delta[a] != 0 {
                largest = max(largest, hessian[a * m + a] * delta[a] * delta[a])
                if a > 0 { weightChange = max(weightChange, abs(delta[a])) }
                for b in 0..<m { moved += delta[a] * hessian[a * m + b] * delta[b] }
            }
            lastGram?.drift += max(moved, 0).squareRoot()
            intercepts[k] += delta[0]
            var move = Move(output: k, intercept: delta[0], terms: [])
            for (local, j) in terms.enumerated() where delta[local + 1] != 0 {
                weights[k][j] += delta[local + 1]
                // An exact zero, so a weight that the threshold removed is out of the model.
                if abs(weights[k][j]) < 1e-300 { weights[k][j] = 0 }
                move.terms.append((j, delta[local + 1]))
            }
            return (largest, weightChange, move)
        }

        static func softThreshold(_ value: Double, _ threshold: Double) -> Double {
            value > threshold ? value - threshold : value < -threshold ? value + threshold : 0
        }
    }
}
