import Foundation

/// What a linear student is fitted to, and how its misfit is measured: the mean over rows
/// of the loss below, on the linear predictor η = intercept + x·w of each output.
enum LinearLoss: Sendable {
    /// ½ (y − η)²: regression on the teacher's value.
    case squared(y: [Double])
    /// Cross-entropy of target probabilities `p` (of the second class) against σ(η):
    /// the teacher's probabilities (soft) or its labels (0 or 1).
    case logistic(p: [Double])
    /// Cross-entropy of target distributions (row-major, `classes` per row) against the
    /// softmax of one η per class.
    case softmax(p: [Double], classes: Int)

    /// How many linear predictors (weight vectors) the model has.
    var outputs: Int {
        if case .softmax(_, let classes) = self { return classes }
        return 1
    }

    /// Per output: the model's answers minus the targets (∂loss/∂η), row by row, for the
    /// rows from `firstRow` on, whose η `eta` holds.
    func residuals(_ eta: [[Double]], firstRow: Int = 0) -> [[Double]] {
        let rows = firstRow..<(firstRow + eta[0].count)
        switch self {
        case .squared(let y):
            return [zip(eta[0], y[rows]).map { $0 - $1 }]
        case .logistic(let p):
            return [zip(eta[0], p[rows]).map { LinearLoss.sigmoid($0) - $1 }]
        case .softmax(let p, let classes):
            var residuals = [[Double]](repeating: [Double](repeating: 0, count: eta[0].count), count: classes)
            var q = [Double](repeating: 0, count: classes)
            for row in 0..<eta[0].count {
                LinearLoss.softmax(eta, row: row, into: &q)
                for k in 0..<classes { residuals[k][row] = q[k] - p[(firstRow + row) * classes + k] }
            }
            return residuals
        }
    }

    /// The curvature ∂²loss/∂η² of output k per row (for softmax, the diagonal of the
    /// Hessian, as in a per-class Newton step), kept away from 0 so a confident row still
    /// leaves the quadratic model solvable.
    func curvature(_ eta: [[Double]], output k: Int) -> [Double]? {
        switch self {
        case .squared:
            return nil
        case .logistic:
            return eta[0].map { let q = LinearLoss.sigmoid($0); return max(q * (1 - q), 1e-5) }
        case .softmax(_, let classes):
            var q = [Double](repeating: 0, count: classes)
            return (0..<eta[0].count).map { row in
                LinearLoss.softmax(eta, row: row, into: &q)
                return max(q[k] * (1 - q[k]), 1e-5)
            }
        }
    }

    /// The mean loss over the rows.
    func mean(_ eta: [[Double]]) -> Double {
        total(eta) / Double(eta[0].count)
    }

    /// The loss summed over the rows from `firstRow` on, whose η `eta` holds.
    func total(_ eta: [[Double]], firstRow: Int = 0) -> Double {
        let n = eta[0].count
        var total = 0.0
        switch self {
        case .squared(let y):
            for row in 0..<n {
                let difference = y[firstRow + row] - eta[0][row]
                total += 0.5 * difference * difference
            }
        case .logistic(let p):
            for row in 0..<n {
                // −[p log σ(η) + (1 − p) log(1 − σ(η))] = softplus(η) − p η, computed stably.
                let e = eta[0][row]
                total += LinearLoss.softplus(e) - p[firstRow + row] * e
            }
        case .softmax(let p, let classes):
            for row in 0..<n {
                var largest = -Double.infinity
                for k in 0..<classes { largest = max(largest, eta[k][row]) }
                var sum = 0.0
                for k in 0..<classes { sum += PortableMath.exp(eta[k][row] - largest) }
                let logSum = largest + PortableMath.log(sum)
                for k in 0..<classes { total -= p[(firstRow + row) * classes + k] * (eta[k][row] - logSum) }
            }
        }
        return total
    }

    /// The intercepts of the best model without features: the targets' mean, its log-odds,
    /// or the log of each class's mean share.
    var nullIntercepts: [Double] {
        switch self {
        case .squared(let y):
            return [y.reduce(0, +) / Double(y.count)]
        case .logistic(let p):
            let mean = min(max(p.reduce(0, +) / Double(p.count), 1e-9), 1 - 1e-9)
            return [PortableMath.log(mean / (1 - mean))]
        case .softmax(let p, let classes):
            let n = p.count / classes
            return (0..<classes).map { k in
                PortableMath.log(max(stride(from: k, to: p.count, by: classes).reduce(0) { $0 + p[$1] } / Double(n), 1e-9))
            }
        }
    }

    static func sigmoid(_ x: Double) -> Double {
        if x >= 0 { return 1 / (1 + PortableMath.exp(-x)) }
        // One exp, not two: the compiler does not merge calls it cannot see are pure.
        let e = PortableMath.exp(x)
        return e / (1 + e)
    }

    static func softplus(_ x: Double) -> Double {
        x > 0 ? x + PortableMath.log1p(PortableMath.exp(-x)) : PortableMath.log1p(PortableMath.exp(x))
    }

    static func softmax(_ eta: [[Double]], row: Int, into q: inout [Double]) {
        var largest = -Double.infinity
        for k in q.indices { largest = max(largest, eta[k][row]) }
        var sum = 0.0
        for k in q.indices {
            q[k] = PortableMath.exp(eta[k][row] - largest)
            sum += q[k]
        }
        for k in q.indices { q[k] /= sum }
    }
}
