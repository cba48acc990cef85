/// How missing values are filled before they reach a teacher that cannot take them.
public enum ImputeStrategy: String, Sendable, CaseIterable {
    case median, mean, zero
}

/// Fill values learned from one data set (the training rows) and applied to any other with
/// the same columns, so held-out rows are filled exactly as training rows were.
///
/// Numeric columns get the strategy's value; categorical columns always get their most
/// frequent level (ties to the first level in sorted order), since a median of text means
/// nothing.
public struct Imputation: Sendable, Equatable {
    public let strategy: ImputeStrategy
    /// Per feature name: the number, or the level, that replaces a missing value.
    public private(set) var fills: [String: Fill] = [:]

    public enum Fill: Sendable, Equatable {
        case number(Float)
        case level(String)
    }

    public init(strategy: ImputeStrategy, learningFrom data: Dataset) {
        self.strategy = strategy
        for column in data.features {
            switch column.values {
            case .numeric(let values):
                let present = values.filter { !$0.isNaN }
                fills[column.name] = .number(Imputation.statistic(strategy, of: present))
            case .categorical(let codes, let levels):
                guard !levels.isEmpty else { continue }
                var counts = [Int](repeating: 0, count: levels.count)
                for code in codes where code != Column.missingCode { counts[Int(code)] += 1 }
                let best = counts.indices.max { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) } ?? 0
                fills[column.name] = .level(levels[best])
            }
        }
    }

    /// The data set with every missing feature value filled.
    public func apply(to data: Dataset) -> Dataset {
        var result = data
        for index in result.features.indices {
            let column = result.features[index]
            switch (column.values, fills[column.name]) {
            case (.numeric(let values), .number(let fill)?):
                result.features[index].values = .numeric(values.map { $0.isNaN ? fill : $0 })
                result.features[index].doubles = column.doubles?.map { $0.isNaN ? Double(fill) : $0 }
            case (.categorical(let codes, var levels), .level(let fill)?):
                let code: Int32
                if let existing = levels.firstIndex(of: fill) {
                    code = Int32(existing)
                } else {
                    code = Int32(levels.count)
                    levels.append(fill)
                }
                result.features[index].values = .categorical(
                    codes: codes.map { $0 == Column.missingCode ? code : $0 }, levels: levels)
            default:
                continue
            }
        }
        return result
    }

    static func statistic(_ strategy: ImputeStrategy, of values: [Float]) -> Float {
        guard !values.isEmpty else { return 0 }
        switch strategy {
        case .zero:
            return 0
        case .mean:
            return Float(values.reduce(0.0) { $0 + Double($1) } / Double(values.count))
        case .median:
            let sorted = values.sorted()
            let middle = sorted.count / 2
            return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        }
    }
}
