/// The Hessian of a Newton step's quadratic model, H = (1/n) [1, X_A]ᵀ V [1, X_A] over the
/// intercept and the terms of the active groups A, in the form coordinate descent uses it:
/// products of its columns with a step, added to the model's gradient.
///
/// Coordinates: 0 is the intercept, then each active group's terms in order. The
/// intercept and the numeric terms ("dense entries") keep a dense block; each text
/// feature's block is an `IndicatorHessian` (diagonal plus rank two) with its dense
/// columns against the dense entries; two text blocks meet through their sparse table of
/// shared rows, H_kl = S_k⁻¹ (C − v_k μ_lᵀ − μ_k v_lᵀ + V μ_k μ_lᵀ) S_l⁻¹ / n.
/// A column product costs O(dense entries + Σ|G|) for a dense entry and O(dense entries ×
/// |G| + Σ_l (|G_l| + shared pairs)) for a block, where a dense Hessian would cost O(m) per
/// term, O(m |G|) per block.
struct ActiveHessian: Sendable {
    /// The quadratic model's coordinates: 1 + the active terms.
    let size: Int
    /// Coordinate descent's units in order: the intercept, then one per active group.
    let units: [Unit]
    /// The coordinate of each dense entry.
    let denseLocal: [Int]
    /// Over the dense entries, row-major.
    let dense: [Double]
    let blocks: [IndicatorHessian]
    /// Per block, its columns against the dense entries: row e holds H[denseLocal[e], block].
    let cross: [[Double]]
    /// Per pair of blocks k < l, the curvature summed over the rows shared by two levels.
    let pairs: [(k: Int, l: Int, table: WeightedGram.Pair)]
    /// V over all rows.
    let totalCurvature: Double
    /// Hₐₐ per coordinate.
    let diagonal: [Double]

    enum Unit: Sendable {
        case dense(Int)
        case block(Int)
    }

    /// The Hessian of the groups `active` (positions in `gram.groups`, increasing) of
    /// `design`, from the sums over its rows.
    /// - Complexity: O(dense entries² + Σ|G| × dense entries + shared pairs).
    init(_ gram: WeightedGram, active: [Int], design: DesignMatrix) {
        let n = Double(design.rows)
        let coveredDense = gram.groups.indices.filter { if case .dense = design.groups[gram.groups[$0]].kind { true } else { false } }
        let coveredBlocks = gram.groups.indices.filter { if case .indicators = design.groups[gram.groups[$0]].kind { true } else { false } }
        let denseRow = [0] + active.compactMap { coveredDense.firstIndex(of: $0).map { $0 + 1 } }
        let gramWidth = coveredDense.count + 1
        var units: [Unit] = [.dense(0)], denseLocal = [0], blocks: [IndicatorHessian] = []
        // Per active block, its position among the gram's blocks.
        var coveredOf: [Int] = []
        var next = 1
        for position in active {
            let group = design.groups[gram.groups[position]]
            switch group.kind {
            case .dense:
                units.append(.dense(denseLocal.count))
                denseLocal.append(next)
                next += 1
            case .indicators(let block):
                let k = coveredBlocks.firstIndex(of: position)!
                units.append(.block(blocks.count))
                coveredOf.append(k)
                blocks.append(IndicatorHessian(local: next..<(next + group.terms.count), rows: design.rows,
                                               means: design.indicators[block].means, scales: design.indicators[block].scales,
                                               levels: gram.blocks[k].levels, others: gram.blocks[k].others))
                next += group.terms.count
            }
        }
        size = next
        self.units = units
        self.denseLocal = denseLocal
        self.blocks = blocks
        dense = denseRow.flatMap { a in denseRow.map { b in gram.dense[a * gramWidth + b] / n } }
        // H[e, a] = (Σ_{level a} Vᵢ xᵢₑ − μₐ Σᵢ Vᵢ xᵢₑ) / (sₐ n), with xᵢ₀ = 1 for the intercept.
        cross = zip(blocks, coveredOf).map { block, k in
            denseRow.flatMap { row -> [Double] in
                let along = row == 0 ? block.levels : Array(gram.blocks[k].cross[((row - 1) * block.count)..<(row * block.count)])
                let total = row == 0 ? block.total : gram.dense[row]
                return (0..<block.count).map { a in (along[a] - block.means[a] * total) / (block.scales[a] * n) }
            }
        }
        // The gram's pairs run over its blocks k < l in order; keep those of two active blocks.
        var pairs: [(k: Int, l: Int, table: WeightedGram.Pair)] = []
        var index = 0
        for k in coveredBlocks.indices {
            for l in (k + 1)..<coveredBlocks.count {
                if let bk = coveredOf.firstIndex(of: k), let bl = coveredOf.firstIndex(of: l) { pairs.append((bk, bl, gram.pairs[index])) }
                index += 1
            }
        }
        self.pairs = pairs
        totalCurvature = gram.dense[0]
        var diagonal = [Double](repeating: 0, count: next)
        for (e, local) in denseLocal.enumerated() { diagonal[local] = dense[e * denseLocal.count + e] }
        for block in blocks { diagonal.replaceSubrange(block.local, with: block.diagonal) }
        self.diagonal = diagonal
    }

    /// gradient += H[:, dense entry e] × step.
    /// - Complexity: O(dense entries + Σ|G|).
    func addColumn(ofDense e: Int, times step: Double, to gradient: inout [Double]) {
        let m = denseLocal.count
        for f in 0..<m { gradient[denseLocal[f]] += dense[e * m + f] * step }
        for (b, block) in blocks.enumerated() {
            let column = e * block.count, start = block.local.lowerBound
            for a in 0..<block.count { gradient[start + a] += cross[b][column + a] * step }
        }
    }

    /// gradient += H[:, block b] × steps.
    /// - Complexity: O(dense entries × |G_b| + Σ_l (|G_l| + shared pairs)).
    func addColumns(ofBlock b: Int, times steps: [Double], to gradient: inout [Double]) {
        let block = blocks[b]
        for (a, value) in block.product(steps).enumerated() { gradient[block.local.lowerBound + a] += value }
        for e in denseLocal.indices {
            let row = e * block.count
            var sum = 0.0
            for a in 0..<block.count { sum += cross[b][row + a] * steps[a] }
            gradient[denseLocal[e]] += sum
        }
        for pair in pairs where pair.k == b || pair.l == b {
            let other = blocks[pair.k == b ? pair.l : pair.k]
            let values = crossProduct(pair.table, from: block, fromFirst: pair.k == b, to: other, steps: steps)
            for (a, value) in values.enumerated() { gradient[other.local.lowerBound + a] += value }
        }
    }

    /// H x over every coordinate.
    func product(_ x: [Double]) -> [Double] {
        var result = [Double](repeating: 0, count: size)
        for unit in units {
            switch unit {
            case .dense(let e):
                addColumn(ofDense: e, times: x[denseLocal[e]], to: &result)
            case .block(let b):
                addColumns(ofBlock: b, times: Array(x[blocks[b].local]), to: &result)
            }
        }
        return result
    }

    /// H_{other, block} × steps from the shared table: (C δ′ − v_o (μᵀδ′) − μ_o (vᵀδ′) +
    /// V μ_o (μᵀδ′)) / (s_o n), δ′ = S⁻¹ steps, C oriented from `block` to `other`.
    private func crossProduct(_ table: WeightedGram.Pair, from block: IndicatorHessian, fromFirst: Bool,
                              to other: IndicatorHessian, steps: [Double]) -> [Double] {
        let scaled = zip(steps, block.scales).map { $0 / $1 }
        var m1 = 0.0, m2 = 0.0
        for a in 0..<block.count {
            m1 += block.means[a] * scaled[a]
            m2 += block.levels[a] * scaled[a]
        }
        var shared = [Double](repeating: 0, count: other.count)
        let width = fromFirst ? other.count : block.count
        for (key, sum) in zip(table.keys, table.sums) {
            let (first, second) = key.quotientAndRemainder(dividingBy: width)
            if fromFirst { shared[second] += sum * scaled[first] } else { shared[first] += sum * scaled[second] }
        }
        return (0..<other.count).map { c in
            (shared[c] - other.levels[c] * m1 - other.means[c] * m2 + totalCurvature * other.means[c] * m1) / (other.scales[c] * other.rows)
        }
    }
}
