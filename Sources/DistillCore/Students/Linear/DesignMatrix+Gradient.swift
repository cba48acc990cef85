extension DesignMatrix {
    /// The sums over some rows that Xᵀr is made of: per numeric term Σᵢ xᵢⱼ rᵢ, per
    /// indicator term Σ rᵢ over the rows of its level, and Σᵢ rᵢ, which turns those into the
    /// indicators' products, Σᵢ xᵢₐ rᵢ = (Σ_{level a} rᵢ − μₐ Σᵢ rᵢ)/sₐ.
    struct ResidualSums: Sendable {
        var total: Double
        var dense: [Double]
        /// Per indicator block, per term.
        var levels: [[Double]]

        /// Adds the sums of later rows (chunks are added in chunk order).
        mutating func add(_ other: ResidualSums) {
            total += other.total
            for j in dense.indices { dense[j] += other.dense[j] }
            for k in levels.indices {
                for a in levels[k].indices { levels[k][a] += other.levels[k][a] }
            }
        }
    }

    /// The sums of `residuals`, which holds the rows `range`, for the terms of the groups
    /// `measured` (every group when nil; the others' sums are left 0): `RowKernels` sums for
    /// the total and the numeric terms, and per indicator block a pass adding each row's
    /// residual to its level's sum, in row order.
    /// - Complexity: O(rows × (numeric terms + blocks) + indicator terms) for those measured.
    func residualSums(_ residuals: UnsafeBufferPointer<Double>, rows range: Range<Int>, measured: [Int]?) -> ResidualSums {
        precondition(residuals.count == range.count, "a residual per row")
        let r = residuals.baseAddress!
        var sums = ResidualSums(total: RowKernels.sum(r, count: range.count),
                                dense: [Double](repeating: 0, count: dense.count / Swift.max(rows, 1)),
                                levels: indicators.map { [Double](repeating: 0, count: $0.count) })
        var columns: [Int] = []
        for g in measured ?? Array(groups.indices) {
            switch groups[g].kind {
            case .dense(let j):
                columns.append(j)
            case .indicators(let k):
                indicators[k].codes.withUnsafeBufferPointer { codes in
                    for row in range where codes[row] >= 0 { sums.levels[k][Int(codes[row])] += r[row - range.lowerBound] }
                }
            }
        }
        let products = dense.withUnsafeBufferPointer { dense in
            RowKernels.dots(columns.map { dense.baseAddress! + $0 * rows + range.lowerBound }, r, count: range.count)
        }
        for (j, product) in zip(columns, products) { sums.dense[j] = product }
        return sums
    }

    /// Xᵀr / n per term, from the sums over all n rows (0 for the terms not measured).
    /// - Complexity: O(terms).
    func gradient(_ sums: ResidualSums) -> [Double] {
        let n = Double(rows)
        var gradient = [Double](repeating: 0, count: columns)
        for group in groups {
            switch group.kind {
            case .dense(let column):
                gradient[group.terms.lowerBound] = sums.dense[column] / n
            case .indicators(let block):
                let means = indicators[block].means, scales = indicators[block].scales
                for a in 0..<means.count {
                    gradient[group.terms.lowerBound + a] = (sums.levels[block][a] - means[a] * sums.total) / (scales[a] * n)
                }
            }
        }
        return gradient
    }
}
