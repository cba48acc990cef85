import Foundation
import Testing

@testable import DistillCore

/// Problems with text features for the group solver's tests, repeatable from a seed.
enum GroupFixtures {
    /// Two numbers and two text columns: `many` with `levels` levels, each row's level drawn
    /// from one of three families whose effects the targets carry (so the many-level group
    /// enters the model), every level present; `few` with three levels and missing values.
    /// Returns the design and a signal per row.
    static func problem(rows: Int, levels: Int, seed: UInt64) throws -> (terms: LinearTerms, x: DesignMatrix, signal: [Double]) {
        precondition(rows >= levels, "every level needs a row")
        let columns = LinearFixtures.randomColumns(2, rows: rows, seed: seed)
        var generator = SeededGenerator(seed: seed + 1)
        // The first `levels` rows see every level once; the others draw one.
        let many = (0..<rows).map { row in Int32(row < levels ? row : generator.index(below: levels)) }
        let few = (0..<rows).map { _ in generator.index(below: 10) == 0 ? Column.missingCode : Int32(generator.index(below: 3)) }
        let data = Dataset(features: [
            Column(name: "a", values: .numeric(columns[0].map(Float.init))),
            Column(name: "many", values: .categorical(codes: many, levels: (0..<levels).map { "level \($0)" })),
            Column(name: "b", values: .numeric(columns[1].map(Float.init))),
            Column(name: "few", values: .categorical(codes: few, levels: ["x", "y", "z"])),
        ], rowCount: rows)
        let terms = try LinearTerms(learningFrom: data)
        let family = [0.0, 0.8, -0.6]
        let signal = (0..<rows).map { row in
            0.7 * Double(Float(columns[0][row])) - 0.4 * Double(Float(columns[1][row])) + family[Int(many[row]) % 3]
                + (few[row] == 1 ? 0.3 : 0)
        }
        return (terms, try terms.design(data), signal)
    }

    /// Every column of the design made dense, with a column of ones first.
    static func denseColumns(_ x: DesignMatrix) -> [[Double]] {
        [[Double](repeating: 1, count: x.rows)] + (0..<x.columns).map { x.column($0) }
    }

    /// (1/n) Σᵢ Vᵢ xᵢ xᵢᵀ over the intercept and the given terms, row-major.
    static func denseHessian(_ columns: [[Double]], coordinates: [Int], curvature: [Double]) -> [[Double]] {
        let n = Double(curvature.count)
        return coordinates.map { a in
            coordinates.map { b in
                curvature.indices.reduce(0) { $0 + curvature[$1] * columns[a][$1] * columns[b][$1] } / n
            }
        }
    }

    static func close(_ a: [Double], _ b: [Double], relative: Double) -> Bool {
        let scale = max(a.map(abs).max() ?? 0, b.map(abs).max() ?? 0, 1e-300)
        return zip(a, b).allSatisfy { abs($0 - $1) <= relative * scale } && a.count == b.count
    }
}

/// A plain dense solver of the elastic net's objective for the tests: accelerated proximal
/// gradient (FISTA, Beck & Teboulle 2009) with adaptive restart (O'Donoghue & Candès 2015)
/// on the dense design, for squared error or the logistic loss; slow, but with nothing in
/// common with `ElasticNetSolver` except the objective.
struct DenseReferenceSolver {
    let columns: [[Double]]  // the intercept's ones first
    let groups: [[Int]]  // term indices (column index - 1)
    let loss: LinearLoss
    let alpha: Double

    /// η = Xw with w[0] the intercept.
    func eta(_ w: [Double]) -> [Double] {
        var eta = [Double](repeating: 0, count: columns[0].count)
        for (j, column) in columns.enumerated() where w[j] != 0 {
            for i in eta.indices { eta[i] += w[j] * column[i] }
        }
        return eta
    }

    func objective(_ w: [Double], lambda: Double) -> Double {
        LinearFixtures.meanLoss(loss, eta: [eta(w)])
            + LinearFixtures.penalty([Array(w.dropFirst())], groups: groups, lambda: lambda, alpha: alpha)
    }

    func gradient(_ w: [Double]) -> [Double] {
        let e = eta(w)
        let residuals: [Double] = switch loss {
        case .squared(let y): zip(e, y).map { $0 - $1 }
        case .logistic(let p): zip(e, p).map { LinearFixtures.sigmoid($0) - $1 }
        case .softmax: preconditionFailure("two outputs or one")
        }
        let n = Double(residuals.count)
        return columns.map { column in zip(column, residuals).reduce(0) { $0 + $1.0 * $1.1 } / n }
    }

    /// A bound on the loss's curvature along any direction: the largest eigenvalue of XᵀX/n
    /// by power iteration, times the loss's largest curvature, with a margin.
    func lipschitz() -> Double {
        var v = [Double](repeating: 1, count: columns.count)
        var value = 0.0
        for _ in 0..<500 {
            let e = eta(v)
            let next = columns.map { column in zip(column, e).reduce(0) { $0 + $1.0 * $1.1 } / Double(e.count) }
            value = LinearFixtures.norm(next) / LinearFixtures.norm(v)
            v = next.map { $0 / LinearFixtures.norm(next) }
        }
        if case .logistic = loss { value /= 4 }
        return value * 1.05
    }

    func minimise(lambda: Double, iterations: Int) -> (weights: [Double], objective: Double) {
        let step = 1 / lipschitz()
        var w = [Double](repeating: 0, count: columns.count), momentumPoint = w
        var t = 1.0, best = objective(w, lambda: lambda)
        for _ in 0..<iterations {
            let g = gradient(momentumPoint)
            var next = zip(momentumPoint, g).map { $0 - step * $1 }
            for group in groups {
                let indices = group.map { $0 + 1 }
                let size = LinearFixtures.norm(indices.map { next[$0] })
                let threshold = step * lambda * alpha * Double(group.count).squareRoot()
                let shrink = size > threshold ? (1 - threshold / size) / (1 + step * lambda * (1 - alpha)) : 0
                for j in indices { next[j] *= shrink }
            }
            let value = objective(next, lambda: lambda)
            if value > best {  // restart the momentum
                t = 1
                momentumPoint = w
                continue
            }
            best = value
            let tNext = (1 + (1 + 4 * t * t).squareRoot()) / 2
            momentumPoint = zip(next, w).map { $0 + (t - 1) / tNext * ($0 - $1) }
            w = next
            t = tNext
        }
        return (w, best)
    }
}

@Suite("Group solver: structured Hessian, exact group steps, many levels, threads")
struct LinearGroupSolverTests {
    typealias F = LinearFixtures
    typealias G = GroupFixtures

    // MARK: The structured Hessian

    /// Curvature of the logistic loss at a random η, kept from 0 as the solver does.
    static func curvature(rows: Int, seed: UInt64) -> [Double] {
        LinearLoss.logistic(p: []).curvature([F.normals(rows, seed: seed).map { 2 * $0 }], output: 0)!
    }

    /// Built from two chunks' sums, the Hessian's products agree with the dense matrix of
    /// the design's columns, for every group and for a subset of them.
    @Test(arguments: [[0, 1, 2, 3], [1, 3], [0, 3]])
    func activeHessianIsTheDenseWeightedGram(active: [Int]) throws {
        let (_, x, _) = try G.problem(rows: 150, levels: 9, seed: 5)
        let v = Self.curvature(rows: 150, seed: 6)
        let all = Array(x.groups.indices)
        var gram = x.weightedGram(groups: all, curvature: Array(v[..<70]), rows: 0..<70)
        gram.add(x.weightedGram(groups: all, curvature: Array(v[70...]), rows: 70..<150))
        let hessian = ActiveHessian(gram, active: active, design: x)
        let coordinates = [0] + active.flatMap { x.groups[$0].terms.map { $0 + 1 } }
        let dense = G.denseHessian(G.denseColumns(x), coordinates: coordinates, curvature: v)
        #expect(hessian.size == coordinates.count)
        #expect(G.close(hessian.diagonal, coordinates.indices.map { dense[$0][$0] }, relative: 1e-12))
        for seed in 0..<3 {
            let z = F.normals(coordinates.count, seed: 40 + UInt64(seed))
            let expected = dense.map { row in zip(row, z).reduce(0) { $0 + $1.0 * $1.1 } }
            #expect(G.close(hessian.product(z), expected, relative: 1e-12), "seed \(seed)")
        }
    }

    /// The exact group step solves its optimality condition (H + βI) w + t w/‖w‖ = b, and is
    /// zero exactly when ‖b‖ ≤ t.
    @Test(arguments: [(0.01, 0.0), (0.05, 0.2), (0.0, 0.5), (0.2, 0.01)])
    func groupStepIsTheBlocksExactMinimiser(threshold t: Double, ridge beta: Double) throws {
        let (_, x, _) = try G.problem(rows: 200, levels: 30, seed: 7)
        let v = Self.curvature(rows: 200, seed: 8)
        let group = try #require(x.groups.firstIndex { $0.terms.count == 29 })
        let hessian = ActiveHessian(x.weightedGram(groups: [group], curvature: v, rows: 0..<200), active: [0], design: x)
        let block = hessian.blocks[0]
        let b = F.normals(29, seed: 9).map { 0.05 * $0 }
        #expect(F.norm(b) > t, "a b outside the threshold")
        let w = block.minimiser(b: b, threshold: t, ridge: beta)
        let size = F.norm(w)
        let residual = zip(zip(block.product(w), w), b).map { $0.0 + beta * $0.1 + t * $0.1 / size - $1 }
        #expect(F.norm(residual) <= 1e-10 * F.norm(b), "\(residual)")
        if t > 0 {
            let inside = b.map { $0 * 0.999 * t / F.norm(b) }
            #expect(block.minimiser(b: inside, threshold: t, ridge: beta).allSatisfy { $0 == 0 })
        }
    }

    // MARK: Against a dense reference

    /// On a problem small enough for a dense solver, the path's objectives are the dense
    /// reference's minimum (to 1e-10 relative), where the text groups are in the model.
    @Test(arguments: [true, false])
    func objectiveMatchesADenseReferenceSolve(logistic: Bool) throws {
        let (terms, x, signal) = try G.problem(rows: 160, levels: 12, seed: 11)
        let noise = F.normals(160, seed: 12)
        let loss: LinearLoss = logistic ? .logistic(p: signal.map { F.sigmoid(1.5 * $0) })
            : .squared(y: zip(signal, noise).map { $0 + 0.3 * $1 })
        let alpha = 0.8
        let solver = ElasticNetSolver(x: x, loss: loss, l1Ratio: alpha)
        let lambdas = solver.lambdas(count: 12, ratio: 0.01)
        let fits = solver.path(lambdas)
        let reference = DenseReferenceSolver(columns: G.denseColumns(x), groups: terms.groups, loss: loss, alpha: alpha)
        let many = try #require(terms.groups.first { $0.count == 11 })
        for index in [5, 11] {
            let fit = fits[index]
            #expect(fit.converged)
            #expect(many.contains { fit.weights[0][$0] != 0 }, "the many-level group is in the model at λ = \(fit.lambda)")
            let best = reference.minimise(lambda: fit.lambda, iterations: 4_000).objective
            #expect(abs(fit.objective - best) <= 1e-10 * best, "λ = \(fit.lambda): \(fit.objective) against \(best)")
        }
    }

    // MARK: Many levels

    /// 2,000 levels on 4,000 rows: the path converges with the group in the model and the
    /// group's optimality condition holds, checked on the dense design.
    @Test func aTextFeatureOfTwoThousandLevelsFits() throws {
        let (terms, x, signal) = try G.problem(rows: 4_000, levels: 2_000, seed: 13)
        let loss = LinearLoss.logistic(p: signal.map { F.sigmoid(2 * $0) })
        let solver = ElasticNetSolver(x: x, loss: loss, l1Ratio: 1)
        let lambdaMax = solver.lambdaMax
        let fits = solver.path([1, 0.1, 0.01].map { $0 * lambdaMax })
        #expect(fits.allSatisfy { $0.converged })
        let last = try #require(fits.last)
        let many = try #require(terms.groups.first { $0.count == 1_999 })
        let w = many.map { last.weights[0][$0] }
        #expect(w.allSatisfy { $0 != 0 }, "the group is in the model")
        let gradient = F.gradients(loss, x: x, fit: last).weights[0]
        let size = F.norm(w)
        let root = Double(many.count).squareRoot()
        let stationarity = zip(many.map { gradient[$0] }, w).map { $0 + last.lambda * root * $1 / size }
        #expect(F.norm(stationarity) <= LinearSolverTests.kktTolerance, "\(F.norm(stationarity))")
    }

    // MARK: Threads

    /// With chunks small enough to split the rows many ways, a softmax path with text
    /// groups gives the same bits on one thread, two, three, and one per core.
    @Test func fitDoesNotDependOnTheThreads() throws {
        let (_, x, signal) = try G.problem(rows: 1_500, levels: 40, seed: 17)
        let loss = LinearLoss.softmax(p: F.softmaxRows([signal, signal.map { -$0 }, [Double](repeating: 0.2, count: 1_500)]),
                                      classes: 3)
        let fits = [1, 2, 3, nil].map { threads in
            let solver = ElasticNetSolver(x: x, loss: loss, l1Ratio: 0.9, chunks: RowChunks(rows: 1_500, size: 100, threads: threads))
            return solver.path(solver.lambdas(count: 8, ratio: 0.02))
        }
        let bits = fits.map { path in path.map { fit in (fit.weights.joined() + fit.intercepts + [fit.objective]).map(\.bitPattern) } }
        #expect(bits[0].joined().contains { $0 != 0 })
        for other in bits.dropFirst() { #expect(other == bits[0]) }
    }
}
