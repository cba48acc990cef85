/// One column of a linear model's design: a numeric feature, or one level of a text
/// feature (an indicator), standardised as `(x − mean) / scale` with the training rows'
/// mean and population standard deviation.
public struct LinearTerm: Codable, Sendable, Equatable {
    /// `bill_length_mm`, or `island=Dream` for a level.
    public var name: String
    public var feature: String
    /// The level this indicator stands for; nil for a numeric feature.
    public var level: String?
    public var mean: Double
    public var scale: Double

    public init(name: String, feature: String, level: String?, mean: Double, scale: Double) {
        self.name = name
        self.feature = feature
        self.level = level
        self.mean = mean
        self.scale = scale
    }
}

/// How a data set becomes a linear model's standardised design, learned from the training
/// rows: one term per numeric feature, and per text feature one indicator per level except
/// a reference level (its most frequent), so a text feature's weights read as "against
/// the usual level". A text feature's indicators form one group, in or out of the model
/// together. Features that cannot carry a weight (a constant column, a text column with one
/// level) are left out and named in `leftOut`.
public struct LinearTerms: Sendable, Equatable {
    public var terms: [LinearTerm]
    /// Term indices per feature that has terms, in the data's feature order.
    public var groups: [[Int]]
    /// The features of `groups`, one per group.
    public var groupFeatures: [String]
    /// Per text feature with terms, its reference level.
    public var referenceLevels: [String: String]
    /// Features left out, with the reason in words.
    public var leftOut: [(feature: String, reason: String)]

    public static func == (a: LinearTerms, b: LinearTerms) -> Bool {
        a.terms == b.terms && a.groups == b.groups && a.referenceLevels == b.referenceLevels
    }

    /// - Throws: `DataError` when no feature varies over the training rows.
    public init(learningFrom data: Dataset) throws {
        terms = []
        groups = []
        groupFeatures = []
        referenceLevels = [:]
        leftOut = []
        for column in data.features {
            switch column.values {
            case .numeric(let values):
                let present = values.filter { !$0.isNaN }.map(Double.init)
                let mean = present.isEmpty ? 0 : present.reduce(0, +) / Double(present.count)
                let variance = present.isEmpty ? 0 : present.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(present.count)
                guard variance > 0 else {
                    leftOut.append((column.name, present.isEmpty ? "every value is missing" : "constant column"))
                    continue
                }
                add([LinearTerm(name: column.name, feature: column.name, level: nil, mean: mean, scale: variance.squareRoot())],
                    feature: column.name)
            case .categorical(let codes, let levels):
                var counts = [Int](repeating: 0, count: levels.count)
                for code in codes where code != Column.missingCode { counts[Int(code)] += 1 }
                let used = levels.indices.filter { counts[$0] > 0 }
                guard used.count >= 2 else {
                    leftOut.append((column.name, used.isEmpty ? "every value is missing" : "text column with one level"))
                    continue
                }
                let reference = used.max { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) }!
                referenceLevels[column.name] = levels[reference]
                let n = Double(codes.count)
                add(used.filter { $0 != reference }.map { level in
                    let share = Double(counts[level]) / n
                    return LinearTerm(name: "\(column.name)=\(levels[level])", feature: column.name, level: levels[level],
                                      mean: share, scale: (share * (1 - share)).squareRoot())
                }, feature: column.name)
            }
        }
        guard !terms.isEmpty else {
            throw DataError("no feature varies over the training rows, so a linear model has nothing to weigh: " +
                            leftOut.map { "\($0.feature) (\($0.reason))" }.joined(separator: ", "))
        }
    }

    /// The terms of a saved student, grouped by feature in their order.
    public init(terms: [LinearTerm], referenceLevels: [String: String]) {
        self.terms = terms
        self.referenceLevels = referenceLevels
        groups = []
        groupFeatures = []
        leftOut = []
        for (index, term) in terms.enumerated() {
            if groupFeatures.last == term.feature {
                groups[groups.count - 1].append(index)
            } else {
                groups.append([index])
                groupFeatures.append(term.feature)
            }
        }
    }

    private mutating func add(_ new: [LinearTerm], feature: String) {
        groups.append(Array(terms.count..<(terms.count + new.count)))
        groupFeatures.append(feature)
        terms += new
    }

    /// The standardised design of `data`: a missing number becomes 0 (the training mean), a
    /// missing or unseen level counts as the reference level. A text feature's consecutive
    /// terms form one block of indicators (a new block starts if a level repeats, which
    /// only a hand-made student file could hold).
    /// - Throws: `DataError` when a feature is absent or of the other kind.
    public func design(_ data: Dataset) throws -> DesignMatrix {
        let rows = data.rowCount
        var dense = [Double](repeating: 0, count: rows * terms.filter { $0.level == nil }.count)
        var parts: [DesignMatrix.Part] = []
        var index = 0, next = 0
        while index < terms.count {
            let term = terms[index]
            let column = try StudentColumns.column(term.feature, learnedAsText: term.level != nil, in: data)
            switch column.values {
            case .numeric(let numbers):
                dense.withUnsafeMutableBufferPointer { dense in
                    for row in 0..<rows where !numbers[row].isNaN {
                        dense[next * rows + row] = (Double(numbers[row]) - term.mean) / term.scale
                    }
                }
                parts.append(.numeric)
                next += 1
                index += 1
            case .categorical(let codes, let levels):
                var block: [LinearTerm] = []
                var termOfLevelName: [String: Int32] = [:]
                while index < terms.count, terms[index].feature == term.feature, let level = terms[index].level,
                      termOfLevelName[level] == nil {
                    termOfLevelName[level] = Int32(block.count)
                    block.append(terms[index])
                    index += 1
                }
                let termOfLevel = levels.map { termOfLevelName[$0] ?? -1 }
                parts.append(.indicators(IndicatorColumns(
                    codes: codes.map { $0 == Column.missingCode ? -1 : termOfLevel[Int($0)] },
                    means: block.map(\.mean), scales: block.map(\.scale))))
            }
        }
        return DesignMatrix(rows: rows, dense: dense, parts: parts)
    }
}
