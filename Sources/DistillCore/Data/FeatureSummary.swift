/// What one column of the training data holds, for the report's data section and `run.json`.
public struct FeatureSummary: Codable, Sendable, Equatable {
    public struct LevelCount: Codable, Sendable, Equatable {
        public var level: String
        public var rows: Int
    }

    public var name: String
    /// "numeric" or "text".
    public var kind: String
    public var rows: Int
    public var missing: Int
    /// Numeric columns: the smallest, largest and mean present value (absent when all missing).
    public var minimum: Double?
    public var maximum: Double?
    public var mean: Double?
    /// Text columns: how many levels, and the most frequent ones (at most `shownLevels`).
    public var levels: Int?
    public var topLevels: [LevelCount]?

    public static let shownLevels = 8

    enum CodingKeys: String, CodingKey {
        case name, kind, rows, missing, minimum, maximum, mean, levels, topLevels = "top_levels"
    }

    public init(column: Column) {
        name = column.name
        rows = column.count
        missing = column.missingCount
        switch column.values {
        case .numeric(let values):
            kind = "numeric"
            let present = values.filter { !$0.isNaN }
            if let low = present.min(), let high = present.max() {
                // Through the shortest Float32 text, so 0.1 is recorded as 0.1, not 0.10000000149.
                minimum = Double(Column.format(low))
                maximum = Double(Column.format(high))
                mean = present.reduce(0.0) { $0 + Double($1) } / Double(present.count)
            }
        case .categorical(let codes, let names):
            kind = "text"
            var counts = [Int](repeating: 0, count: names.count)
            for code in codes where code != Column.missingCode { counts[Int(code)] += 1 }
            let used = names.indices.filter { counts[$0] > 0 }
            levels = used.count
            topLevels = used.sorted { counts[$0] > counts[$1] || (counts[$0] == counts[$1] && $0 < $1) }
                .prefix(FeatureSummary.shownLevels)
                .map { LevelCount(level: names[$0], rows: counts[$0]) }
        }
    }
}
