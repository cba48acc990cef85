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

    /// The sums of `residuals`, which holds the rows `range`: `RowKernels` sums for the
    /// total and the numeric terms, and per indicator block a pass adding each row's
    /// residual to its level's sum, in row order.
    /// - Complexity: O(rows × numeric terms + rows × blocks + indicator terms).
    func residualSums(_ residuals: UnsafeBufferPointer<Double>, rows range: Range<Int>) -> ResidualSums {
        precondition(residuals.count == range.count, "a residual per row")
        let r = residuals.baseAddress!
        let denseColumns = dense.count / Swift.max(rows, 1)
        let denseSums = dense.withUnsafeBufferPointer { dense in
            (0..<denseColumns).map { j in RowKernels.dot(dense.baseAddress! + j * rows + range.lowerBound, r, count: range.count) }
        }
        let levelSums = indicators.map { block in
            var sums = [Double](repeating: 0, count: block.count)
            block.codes.withUnsafeBufferPointer { codes in
                for row in range where codes[row] >= 0 { sums[Int(codes[row])] += r[row - range.lowerBound] }
            }
            return sums
        }
        return ResidualSums(total: RowKernels.sum(r, count: range.count), dense: denseSums, levels: levelSums)
    }

    /// Xᵀr / n per term, from the sums over all n rows.
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
