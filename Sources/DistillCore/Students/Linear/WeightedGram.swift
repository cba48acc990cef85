/// The sums over rows a Newton step's Hessian is made of, Σᵢ Vᵢ xᵢₐ xᵢᵦ over the intercept
/// and the terms of some of a design's groups, with Vᵢ the loss's curvature (1 for squared
/// error), kept in the form the design's structure allows (`ActiveHessian` turns them into
/// the Hessian):
///
/// - between the intercept (a column of ones) and the numeric terms, the sums themselves;
/// - per indicator block, the curvature summed over each level's rows and over the other
///   rows, and per numeric term Σ Vᵢ xᵢⱼ over each level's rows;
/// - per pair of indicator blocks, Σ Vᵢ over the rows with level a of one and b of the
///   other, for the pairs that occur (at most one per row).
struct WeightedGram: Sendable {
    /// The design's groups covered, in order.
    let groups: [Int]
    /// Over the intercept and the covered numeric terms in order, row-major.
    var dense: [Double]
    /// Per covered indicator block, in order.
    var blocks: [Block]
    /// Per pair k < l of covered blocks, in the order (0, 1), (0, 2), …, (1, 2), ….
    var pairs: [Pair]

    struct Block: Sendable {
        /// Per term, the curvature summed over its level's rows.
        var levels: [Double]
        /// The curvature summed over the rows of no term.
        var others: Double
        /// Per covered numeric term (row) and term of the block, Σ Vᵢ xᵢⱼ over the level's rows.
        var cross: [Double]
    }

    struct Pair: Sendable {
        /// a × (terms of l) + b for each pair of levels (a of k, b of l) seen, increasing.
        var keys: [Int]
        var sums: [Double]
    }

    /// Adds the sums of later rows (chunks are added in chunk order).
    mutating func add(_ other: WeightedGram) {
        for index in dense.indices { dense[index] += other.dense[index] }
        for k in blocks.indices {
            for a in blocks[k].levels.indices { blocks[k].levels[a] += other.blocks[k].levels[a] }
            blocks[k].others += other.blocks[k].others
            for index in blocks[k].cross.indices { blocks[k].cross[index] += other.blocks[k].cross[index] }
        }
        for p in pairs.indices { pairs[p].merge(other.pairs[p]) }
    }
}

extension WeightedGram.Pair {
    /// Adds another pair's sums, key by key (a merge of the two increasing key lists).
    mutating func merge(_ other: WeightedGram.Pair) {
        var keys: [Int] = [], sums: [Double] = []
        keys.reserveCapacity(self.keys.count + other.keys.count)
        sums.reserveCapacity(keys.capacity)
        var i = 0, j = 0
        while i < self.keys.count || j < other.keys.count {
            if j == other.keys.count || (i < self.keys.count && self.keys[i] < other.keys[j]) {
                keys.append(self.keys[i]); sums.append(self.sums[i]); i += 1
            } else if i == self.keys.count || other.keys[j] < self.keys[i] {
                keys.append(other.keys[j]); sums.append(other.sums[j]); j += 1
            } else {
                keys.append(self.keys[i]); sums.append(self.sums[i] + other.sums[j]); i += 1; j += 1
            }
        }
        self.keys = keys
        self.sums = sums
    }
}

extension DesignMatrix {
    /// Rows per block of the numeric terms' products: the block's curvature-weighted copy
    /// of the columns stays in cache while every pair of them is multiplied.
    static let gramBlockRows = 256

    /// The `WeightedGram` sums over the rows `range`, for the design's groups `covered`, with
    /// `curvature` those rows' V (nil: all ones). The numeric part is, per block of rows,
    /// `RowKernels.symmetricProduct` of the V-weighted columns and the plain ones, the
    /// blocks added in order; the others are added row by row, in row order.
    /// - Complexity: O(rows × (numeric terms² + blocks × numeric terms + blocks²)), plus
    ///   O(pairs seen × log) to sort each pair's keys.
    func weightedGram(groups covered: [Int], curvature: [Double]?, rows range: Range<Int>) -> WeightedGram {
        precondition(curvature.map { $0.count == range.count } ?? true, "a curvature per row")
        var columns: [Int] = [], blocks: [Int] = []
        for g in covered {
            switch groups[g].kind {
            case .dense(let column): columns.append(column)
            case .indicators(let block): blocks.append(block)
            }
        }
        let dense = denseProducts(columns: columns, curvature: curvature, rows: range)
        let levelSums = blocks.map { blockSums(indicators[$0], columns: columns, curvature: curvature, rows: range) }
        var pairs: [WeightedGram.Pair] = []
        for k in blocks.indices {
            for l in (k + 1)..<blocks.count {
                pairs.append(pairSums(indicators[blocks[k]], indicators[blocks[l]], curvature: curvature, rows: range))
            }
        }
        return WeightedGram(groups: covered, dense: dense, blocks: levelSums, pairs: pairs)
    }

    private func denseProducts(columns: [Int], curvature: [Double]?, rows range: Range<Int>) -> [Double] {
        let m = columns.count + 1
        var result = [Double](repeating: 0, count: m * m)
        let blockRows = Swift.min(range.count, Self.gramBlockRows)
        let ones = [Double](repeating: 1, count: blockRows)
        // The curvature-weighted block of the numeric columns; the intercept's weighted
        // column is the curvature itself.
        var weighted = [Double](repeating: 0, count: curvature == nil ? 0 : blockRows * columns.count)
        func blocks(_ v: UnsafePointer<Double>?, _ design: UnsafePointer<Double>, _ ones: UnsafePointer<Double>,
                    _ weighted: UnsafeMutablePointer<Double>?, _ result: UnsafeMutablePointer<Double>) {
            var start = range.lowerBound
            while start < range.upperBound {
                let count = Swift.min(blockRows, range.upperBound - start)
                let plain = [ones] + columns.map { design + $0 * rows + start }
                var scaled = plain
                if let v {
                    let rowWeights = v + (start - range.lowerBound)
                    scaled = [rowWeights] + columns.indices.map { index in
                        let target = weighted! + index * blockRows
                        RowKernels.multiply(rowWeights, plain[index + 1], into: target, count: count)
                        return UnsafePointer(target)
                    }
                }
                RowKernels.symmetricProduct(scaled: scaled, plain: plain, count: count, into: result)
                start += count
            }
        }
        dense.withUnsafeBufferPointer { design in
            ones.withUnsafeBufferPointer { ones in
                weighted.withUnsafeMutableBufferPointer { weighted in
                    result.withUnsafeMutableBufferPointer { result in
                        // An empty array's base address may be nil; a design with no numeric
                        // term still has the intercept's column of ones.
                        let designBase = design.baseAddress ?? ones.baseAddress!
                        if let curvature {
                            curvature.withUnsafeBufferPointer { v in
                                blocks(v.baseAddress!, designBase, ones.baseAddress!, weighted.baseAddress, result.baseAddress!)
                            }
                        } else {
                            blocks(nil, designBase, ones.baseAddress!, nil, result.baseAddress!)
                        }
                    }
                }
            }
        }
        return result
    }

    private func blockSums(_ block: IndicatorColumns, columns: [Int], curvature: [Double]?, rows range: Range<Int>) -> WeightedGram.Block {
        let size = block.count
        var levels = [Double](repeating: 0, count: size), others = 0.0
        var cross = [Double](repeating: 0, count: columns.count * size)
        block.codes.withUnsafeBufferPointer { codes in
            for row in range {
                let weight = curvature?[row - range.lowerBound] ?? 1
                if codes[row] >= 0 { levels[Int(codes[row])] += weight } else { others += weight }
            }
            dense.withUnsafeBufferPointer { design in
                for (index, column) in columns.enumerated() {
                    let x = design.baseAddress! + column * rows
                    for row in range where codes[row] >= 0 {
                        cross[index * size + Int(codes[row])] += (curvature?[row - range.lowerBound] ?? 1) * x[row]
                    }
                }
            }
        }
        return WeightedGram.Block(levels: levels, others: others, cross: cross)
    }

    private func pairSums(_ first: IndicatorColumns, _ second: IndicatorColumns, curvature: [Double]?,
                          rows range: Range<Int>) -> WeightedGram.Pair {
        // Each key's sum is added in row order; the dictionary's own order is never read.
        var sums: [Int: Double] = [:]
        for row in range where first.codes[row] >= 0 && second.codes[row] >= 0 {
            sums[Int(first.codes[row]) * second.count + Int(second.codes[row]), default: 0] += curvature?[row - range.lowerBound] ?? 1
        }
        let keys = sums.keys.sorted()
        return WeightedGram.Pair(keys: keys, sums: keys.map { sums[$0]! })
    }
}
