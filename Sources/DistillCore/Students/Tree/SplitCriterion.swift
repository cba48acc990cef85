/// The impurity measures of the tree learner, on a node's per-class (or value) sums.
///
/// Every criterion is written as a *cost*: n × impurity less any term that is the same for
/// a node and its two children together. The impurity decrease of a split, weighted by rows
/// as in scikit-learn, is then `cost(parent) − cost(left) − cost(right)`, and the best split
/// is the one whose children cost least.
/// - gini: n·(1 − Σ p²) = n − Σ s²/n
/// - entropy (bits): n·H = n·log₂n − Σ s·log₂s
/// - squared error: n·variance = Σy² − s²/n, whose Σy² cancels: −s²/n
extension TreeConfiguration.Criterion {
    func cost(_ sums: UnsafePointer<Double>, width: Int, count: Double) -> Double {
        guard count > 0 else { return 0 }
        switch self {
        case .gini:
            var squares = 0.0
            for k in 0..<width { squares += sums[k] * sums[k] }
            return count - squares / count
        case .squaredError:
            return -(sums[0] * sums[0]) / count
        case .entropy:
            var total = count * PortableMath.log2(count)
            for k in 0..<width where sums[k] > 0 { total -= sums[k] * PortableMath.log2(sums[k]) }
            return total
        }
    }

    /// The node's impurity as reported (and as `minImpurityDecrease` and pruning use it).
    /// - Parameter sumOfSquares: Σy² of the node's values; used by squared error only.
    func impurity(_ sums: [Double], count: Double, sumOfSquares: Double) -> Double {
        guard count > 0 else { return 0 }
        switch self {
        case .gini:
            return 1 - sums.reduce(0) { $0 + ($1 / count) * ($1 / count) }
        case .entropy:
            return sums.reduce(0) { $1 > 0 ? $0 - ($1 / count) * PortableMath.log2($1 / count) : $0 }
        case .squaredError:
            let mean = sums[0] / count
            return max(0, sumOfSquares / count - mean * mean)
        }
    }
}
