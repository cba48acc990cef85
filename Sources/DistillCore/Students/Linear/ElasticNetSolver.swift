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
/// (`ActiveHessian`, so a step costs O(|active|), not O(rows)). A numeric term's step is
/// the elastic net's closed form; a text feature's is the exact minimiser of the model
/// over its block (`IndicatorHessian.minimiser`), so block coordinate descent converges
/// as the scalar one does however unequal its levels' curvatures (Tseng, 2001; a proximal
/// step on a bound of the block's largest eigenvalue moved its rarely seen or confidently
/// predicted levels by a fraction of their distance per sweep). Sweeps, and Newton steps,
/// repeat until the largest curvature-scaled squared change of a unit (a number's Hₐₐδₐ²,
/// a text feature's δ_Gᵀ H_GG δ_G, whose levels' small changes add up in the loss) is
/// below the tolerance; then every inactive group is checked against the optimality (KKT)
/// condition and any violator joins the active set.
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
/// fixed chunks of rows spread over the cores (`RowChunks`), their sums added in chunk
/// order with `RowKernels`, so a fit depends on neither the number of cores nor the CPU.
///
/// A text feature of L levels costs O(rows + L) per pass over the rows and O(L) per step
/// of coordinate descent, not O(rows × L) and O(L²) (`DesignMatrix`, `IndicatorHessian`).
struct ElasticNetSolver {
    let x: DesignMatrix
    let loss: LinearLoss
    /// The design's groups, as lists of terms.
    let groups: [[Int]]
    let l1Ratio: Double
    /// The chunks of rows and the threads that share them.
    var chunks: RowChunks
    /// Relative to the null model's loss, the curvature-scaled squared change below which a
    /// solve counts as converged.
    var tolerance = 1e-10
    var maxIterations = 200
    var maxSweeps = 10_000
    /// How far η may move before the logistic loss's Gram matrix is made afresh: the sum,
    /// over the steps since it was made, of the root of the curvature-weighted mean square of
    /// each step's change of η.
    var gramRefresh = 1e-3
    /// The groups that may take a weight; nil for all. The relaxed lasso refits the groups
    /// one penalty chose, with the others held at zero.
    var allowedGroups: Set<Int>?

    private var rows: Int { x.rows }
    private var outputs: Int { loss.outputs }

    init(x: DesignMatrix, loss: LinearLoss, l1Ratio: Double, chunks: RowChunks? = nil) {
        self.x = x
        self.loss = loss
        groups = x.groups.map { Array($0.terms) }
        self.l1Ratio = l1Ratio
        self.chunks = chunks ?? RowChunks(rows: x.rows)
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

    func allows(_ group: Int) -> Bool {
        allowedGroups?.contains(group) ?? true
    }

    /// `count` penalties from `lambdaMax` down to `lambdaMax × ratio`, evenly spaced in log.
    func lambdas(count: Int, ratio: Double) -> [Double] {
        let top = lambdaMax
        guard count > 1 else { return [top] }
        return (0..<count).map { top * PortableMath.pow(ratio, Double($0) / Double(count - 1)) }
    }

    /// The fits at each penalty, in the order given (which should be decreasing, so each
    /// warm start is close).
    /// - Parameter stop: says, of each fit, that the path ends with it.
    func path(_ lambdas: [Double], stoppingAfter stop: (LinearFit) -> Bool = { _ in false }) -> [LinearFit] {
        var state = State(solver: self)
        var previousLambda = lambdas.first ?? 0
        var fits: [LinearFit] = []
        for lambda in lambdas {
            fits.append(state.solve(lambda: lambda, previous: previousLambda))
            previousLambda = lambda
            if stop(fits[fits.count - 1]) { break }
        }
        return fits
    }

    /// The loss's slope at some η, per output: the gradient Xᵀ r / n of the weights and the
    /// mean residual, the intercept's.
    fileprivate struct Slope {
        var gradients: [[Double]]
        var residualMeans: [Double]
    }

    /// What a Newton step changes in one output's η: the intercept, and the moved groups.
    fileprivate struct Move {
        var output: Int
        var intercept: Double
        var groups: [GroupStep]
    }

    /// Adds `move` to η (when there is one), then measures the slope there, for the groups
    /// `measured` (nil: all; the others' gradients are left 0): one pass over the rows, in
    /// which each chunk moves its rows of η and sums its residuals against its rows of X,
    /// so a moved column is read from memory once for both while the chunk is in cache.
    fileprivate func slope(at eta: inout [[Double]], after move: Move?, measuring measured: [Int]? = nil) -> Slope {
        let before = eta, x = x, loss = loss
        let parts = chunks.map { range in
            var local = before.map { Array($0[range]) }
            if let move {
                local[move.output].withUnsafeMutableBufferPointer { eta in
                    for row in eta.indices { eta[row] += move.intercept }
                    x.add(move.groups, to: eta, rows: range)
                }
            }
            let sums = loss.residuals(local, firstRow: range.lowerBound).map { r in
                r.withUnsafeBufferPointer { x.residualSums($0, rows: range, measured: measured) }
            }
            return (moved: move.map { local[$0.output] }, sums: sums)
        }
        if let move { eta[move.output] = parts.flatMap { $0.moved! } }
        var sums = parts[0].sums
        for part in parts.dropFirst() {
            for k in 0..<outputs { sums[k].add(part.sums[k]) }
        }
        return Slope(gradients: sums.map { x.gradient($0) }, residualMeans: sums.map { $0.total / Double(rows) })
    }

    /// The mean loss at η.
    fileprivate func meanLoss(_ eta: [[Double]]) -> Double {
        let loss = loss
        let totals = chunks.map { range in loss.total(eta.map { Array($0[range]) }, firstRow: range.lowerBound) }
        return totals.reduce(0, +) / Double(rows)
    }

    /// The `WeightedGram` sums over every row for the groups `covered`, with the curvature
    /// of output k at η (all ones for squared error).
    fileprivate func gram(groups covered: [Int], eta: [[Double]], output k: Int) -> WeightedGram {
        let x = x, loss = loss
        let parts = chunks.map { range in
            x.weightedGram(groups: covered, curvature: loss.curvature(eta.map { Array($0[range]) }, output: k), rows: range)
        }
        var total = parts[0]
        for part in parts.dropFirst() { total.add(part) }
        return total
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
        /// The Gram sums of every group, for squared error, whose curvature never changes.
        let fixedGram: WeightedGram?
        /// For the logistic loss, the last Hessian made, its groups, and how far η has
        /// moved since (see `gramRefresh`).
        var lastGram: (groups: [Int], hessian: ActiveHessian, drift: Double)?

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
                fixedGram = solver.gram(groups: Array(solver.groups.indices), eta: eta, output: 0)
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
            for (g, group) in solver.groups.enumerated() where !active.contains(g) && solver.allows(g) {
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
                    // starts from the slope measured afresh. The inactive groups' gradients
                    // are needed only where this penalty's solve may end: for the check of
                    // optimality below, or for the next penalty's strong rule.
                    let mayEnd = k == solver.outputs - 1
                        && (largest < solver.tolerance * scale || iterations == solver.maxIterations)
                    slope = solver.slope(at: &eta, after: move, measuring: mayEnd ? nil : active.sorted())
                }
                lastChange = largestWeightChange
                guard largest < solver.tolerance * scale else { continue }
                // Converged on the active set: any group that breaks optimality at zero joins.
                let violators = solver.groups.indices.filter { g in
                    !active.contains(g) && solver.allows(g) && slope.gradients.contains { gradient in
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
        /// Returns the largest curvature-scaled squared change (of a number, or of a text
        /// feature's block as a whole), the largest weight change and the move of η, which
        /// the caller adds.
        private mutating func newtonStep(output k: Int, lambda: Double) -> (Double, Double, Move) {
            let alpha = solver.l1Ratio
            let activeGroups = active.sorted()
            let terms = activeGroups.flatMap { solver.groups[$0] }
            // Coordinate 0 is the intercept, 1... the active terms.
            let hessian: ActiveHessian
            if let fixedGram {
                hessian = ActiveHessian(fixedGram, active: activeGroups, design: solver.x)
            } else if let lastGram, lastGram.groups == activeGroups, lastGram.drift < solver.gramRefresh {
                hessian = lastGram.hessian
            } else {
                hessian = ActiveHessian(solver.gram(groups: activeGroups, eta: eta, output: k),
                                        active: Array(activeGroups.indices), design: solver.x)
                if case .logistic = solver.loss { lastGram = (activeGroups, hessian, 0) }
            }
            let g = slope.gradients[k]
            var grad = [slope.residualMeans[k]] + terms.map { g[$0] }
            let current = [intercepts[k]] + terms.map { weights[k][$0] }
            // The iterate; a weight the threshold removes is an exact zero here.
            var point = current
            let diagonal = hessian.diagonal
            var sweepChange = Double.infinity
            var sweeps = 0
            while sweepChange >= solver.tolerance * scale * 1e-2, sweeps < solver.maxSweeps {
                sweeps += 1
                sweepChange = 0
                for unit in hessian.units {
                    switch unit {
                    case .dense(let e):
                        let a = hessian.denseLocal[e]
                        let h = diagonal[a], w = point[a]
                        let target = a == 0 ? w - grad[0] / h
                            : State.softThreshold(h * w - grad[a], lambda * alpha) / (h + lambda * (1 - alpha))
                        let step = target - w
                        guard step != 0 else { continue }
                        point[a] = target
                        hessian.addColumn(ofDense: e, times: step, to: &grad)
                        sweepChange = max(sweepChange, h * step * step)
                    case .block(let b):
                        let block = hessian.blocks[b]
                        let w = Array(point[block.local])
                        let hw = block.product(w)
                        let target = block.minimiser(b: (0..<block.count).map { hw[$0] - grad[block.local.lowerBound + $0] },
                                                     threshold: lambda * alpha * Double(block.count).squareRoot(),
                                                     ridge: lambda * (1 - alpha))
                        let steps = zip(target, w).map { $0 - $1 }
                        guard steps.contains(where: { $0 != 0 }) else { continue }
                        point.replaceSubrange(block.local, with: target)
                        sweepChange = max(sweepChange, block.quadratic(steps))
                        hessian.addColumns(ofBlock: b, times: steps, to: &grad)
                    }
                }
            }
            let delta = zip(point, current).map { $0 - $1 }
            let weightChange = delta.dropFirst().reduce(0) { max($0, abs($1)) }
            // Per unit of coordinate descent, the change's curvature-scaled square: Hₐₐδₐ² for
            // the intercept and a number, δ_Gᵀ H_GG δ_G for a text feature's block, whose
            // levels' changes add up in the loss.
            var largest = 0.0
            for unit in hessian.units {
                switch unit {
                case .dense(let e):
                    let a = hessian.denseLocal[e]
                    largest = max(largest, diagonal[a] * delta[a] * delta[a])
                case .block(let b):
                    largest = max(largest, hessian.blocks[b].quadratic(Array(delta[hessian.blocks[b].local])))
                }
            }
            let moved = zip(delta, hessian.product(delta)).reduce(0) { $0 + $1.0 * $1.1 }
            lastGram?.drift += max(moved, 0).squareRoot()
            intercepts[k] = point[0]
            var move = Move(output: k, intercept: delta[0], groups: [])
            var start = 1
            for index in activeGroups {
                let group = solver.x.groups[index]
                let local = start..<(start + group.terms.count)
                start = local.upperBound
                let steps = Array(delta[local])
                guard steps.contains(where: { $0 != 0 }) else { continue }
                weights[k].replaceSubrange(group.terms, with: point[local])
                move.groups.append(GroupStep(group: group, steps: steps))
            }
            return (largest, weightChange, move)
        }

        static func softThreshold(_ value: Double, _ threshold: Double) -> Double {
            value > threshold ? value - threshold : value < -threshold ? value + threshold : 0
        }
    }
}
