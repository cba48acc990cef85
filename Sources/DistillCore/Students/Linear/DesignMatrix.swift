/// A linear model's standardised design: one column per term, each kind of term stored as
/// it is cheap to use. A numeric term's values are kept column by column. A text feature's
/// indicators are kept as one code per row, since a row has at most one level: its term is
/// (1 − μ)/s there and every other term of the feature −μ/s. A text column of L levels so
/// takes n codes, not n(L − 1) numbers, and a product with all its indicators O(n + L)
/// operations, not O(nL).
public struct DesignMatrix: Sendable {
    public let rows: Int
    /// The numeric terms' standardised values, column-major.
    let dense: [Double]
    /// The text features' indicator blocks.
    let indicators: [IndicatorColumns]
    /// The solver's groups in term order, each a contiguous run of terms: a numeric term
    /// alone, or one block of indicators.
    let groups: [DesignGroup]

    public var columns: Int { groups.last?.terms.upperBound ?? 0 }

    /// A design of numeric terms only, from their values column by column.
    public init(rows: Int, columns: Int, values: [Double]) {
        precondition(values.count == rows * columns, "a value per row and column")
        self.rows = rows
        dense = values
        indicators = []
        groups = (0..<columns).map { DesignGroup(terms: $0..<($0 + 1), kind: .dense(column: $0)) }
    }

    /// One term, or one block of indicator terms, of a design under construction.
    enum Part {
        /// A numeric term: the next column of the dense values.
        case numeric
        case indicators(IndicatorColumns)
    }

    /// A design of these parts, in term order, with `dense` the numeric terms' values
    /// column by column (filled in place by the caller, so the largest part of a design is
    /// never copied).
    init(rows: Int, dense: [Double], parts: [Part]) {
        self.rows = rows
        var indicators: [IndicatorColumns] = [], groups: [DesignGroup] = []
        var next = 0, column = 0
        for part in parts {
            switch part {
            case .numeric:
                groups.append(DesignGroup(terms: next..<(next + 1), kind: .dense(column: column)))
                column += 1
                next += 1
            case .indicators(let block):
                precondition(block.codes.count == rows, "a code per row")
                groups.append(DesignGroup(terms: next..<(next + block.count), kind: .indicators(block: indicators.count)))
                indicators.append(block)
                next += block.count
            }
        }
        precondition(dense.count == rows * column, "a value per row and numeric term")
        self.dense = dense
        self.indicators = indicators
        self.groups = groups
    }

    /// Term j's values, one per row.
    public func column(_ j: Int) -> [Double] {
        guard let group = groups.first(where: { $0.terms.contains(j) }) else { preconditionFailure("no term \(j)") }
        switch group.kind {
        case .dense(let column):
            return Array(dense[(column * rows)..<((column + 1) * rows)])
        case .indicators(let block):
            let a = j - group.terms.lowerBound
            return (0..<rows).map { indicators[block].value(term: a, row: $0) }
        }
    }

    /// η = intercept + Σⱼ wⱼ xⱼ for every row: the intercept, then each group's terms added
    /// in term order (`add(_:to:rows:)`).
    /// - Complexity: O(rows × groups + terms).
    func linearPredictor(weights: [Double], intercept: Double) -> [Double] {
        var eta = [Double](repeating: intercept, count: rows)
        let steps = groups.map { group in GroupStep(group: group, steps: Array(weights[group.terms])) }
            .filter { $0.steps.contains { $0 != 0 } }
        eta.withUnsafeMutableBufferPointer { add(steps, to: $0, rows: 0..<rows) }
        return eta
    }

    /// Adds Σ over `steps` of each term's step times its values to `eta`, which holds the
    /// rows `range`, one group after another in the order given. Numeric terms' values are
    /// added with `RowKernels.axpy`, consecutive ones in one call; an indicator block's as
    /// one number per row, looked up by the row's code: c + δₐ/sₐ for a row of term a's
    /// level and c for the others, with c = Σₐ δₐ(−μₐ/sₐ) in term order.
    /// - Complexity: O(rows × steps + their terms).
    func add(_ steps: [GroupStep], to eta: UnsafeMutableBufferPointer<Double>, rows range: Range<Int>) {
        precondition(eta.count == range.count, "η of the rows")
        guard let target = eta.baseAddress else { return }
        dense.withUnsafeBufferPointer { dense in
            var pending: (steps: [Double], columns: [UnsafePointer<Double>]) = ([], [])
            func flush() {
                RowKernels.axpy(pending.steps, pending.columns, target, count: range.count)
                pending = ([], [])
            }
            for step in steps {
                switch step.group.kind {
                case .dense(let column):
                    pending.steps.append(step.steps[0])
                    pending.columns.append(dense.baseAddress! + column * rows + range.lowerBound)
                case .indicators(let block):
                    flush()
                    indicators[block].add(step.steps, to: target, rows: range)
                }
            }
            flush()
        }
    }
}

/// A group of a design's terms, penalised together.
struct DesignGroup: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// A numeric term, the design's dense column `column`.
        case dense(column: Int)
        /// A text feature's indicators, the design's indicator block `block`.
        case indicators(block: Int)
    }

    let terms: Range<Int>
    let kind: Kind
}

/// Per-term steps of one group (or its weights, as steps from zero).
struct GroupStep: Sendable {
    let group: DesignGroup
    let steps: [Double]
}

/// A text feature's indicator terms: term a's value in a row is (1 − μₐ)/sₐ when the row
/// has term a's level and −μₐ/sₐ otherwise, with μₐ the level's share of the training rows
/// and sₐ = √(μₐ(1 − μₐ)).
struct IndicatorColumns: Sendable {
    /// Per row, the term of its level, or −1 for none (the reference level, a missing
    /// value or a level the model never saw).
    let codes: [Int32]
    let means: [Double]
    let scales: [Double]

    var count: Int { means.count }

    func value(term a: Int, row: Int) -> Double {
        ((codes[row] == Int32(a) ? 1 : 0) - means[a]) / scales[a]
    }

    /// Adds Σₐ δₐ × term a to `eta`, which holds the rows `range` (see `DesignMatrix.add`).
    /// - Complexity: O(rows + terms).
    func add(_ steps: [Double], to eta: UnsafeMutablePointer<Double>, rows range: Range<Int>) {
        var common = 0.0
        for a in 0..<count where steps[a] != 0 { common += steps[a] * (-means[a] / scales[a]) }
        // Entry 0 for a row of no term, entry a + 1 for a row of term a.
        var table = [Double](repeating: common, count: count + 1)
        for a in 0..<count where steps[a] != 0 { table[a + 1] = common + steps[a] / scales[a] }
        table.withUnsafeBufferPointer { table in
            codes.withUnsafeBufferPointer { codes in
                for row in range { eta[row - range.lowerBound] += table[Int(codes[row]) + 1] }
            }
        }
    }
}
