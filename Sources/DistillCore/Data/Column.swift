/// One named column of a data set, stored contiguously.
///
/// Numeric values are `Float`; a missing numeric value is NaN (the reader never stores a
/// NaN that was written as a number, because "NaN" in a file means missing). Categorical
/// values are level codes into `levels`, with `Column.missingCode` for missing.
public struct Column: Sendable, Equatable {
    public static let missingCode: Int32 = -1

    public enum Values: Sendable, Equatable {
        case numeric([Float])
        case categorical(codes: [Int32], levels: [String])
    }

    public var name: String
    public var values: Values
    /// A numeric column's values at double precision, as the file wrote them: kept beside
    /// `values` only when a teacher takes float64 or int64 inputs (`CSVReader.read(keepingDoubles:)`),
    /// since Float32 loses digits such a model sees (16777217 reads as 16777216). Nil for
    /// text, for rows Distill made up, and when no teacher asked.
    public var doubles: [Double]?

    public init(name: String, values: Values, doubles: [Double]? = nil) {
        precondition(doubles.map { d in if case .numeric(let v) = values { d.count == v.count } else { false } } ?? true,
                     "doubles are kept for numeric columns only, one per value")
        self.name = name
        self.values = values
        self.doubles = doubles
    }

    public var count: Int {
        switch values {
        case .numeric(let v): v.count
        case .categorical(let codes, _): codes.count
        }
    }

    public var isNumeric: Bool {
        if case .numeric = values { return true }
        return false
    }

    /// The levels of a categorical column; empty for a numeric one.
    public var levels: [String] {
        if case .categorical(_, let levels) = values { return levels }
        return []
    }

    public func isMissing(_ row: Int) -> Bool {
        switch values {
        case .numeric(let v): v[row].isNaN
        case .categorical(let codes, _): codes[row] == Column.missingCode
        }
    }

    public var missingCount: Int {
        switch values {
        case .numeric(let v): v.reduce(0) { $0 + ($1.isNaN ? 1 : 0) }
        case .categorical(let codes, _): codes.reduce(0) { $0 + ($1 == Column.missingCode ? 1 : 0) }
        }
    }

    /// The value of one row as text, as a person would write it ("" when missing).
    public func text(at row: Int) -> String {
        switch values {
        case .numeric(let v): v[row].isNaN ? "" : Column.format(v[row])
        case .categorical(let codes, let levels): codes[row] == Column.missingCode ? "" : levels[Int(codes[row])]
        }
    }

    /// A column like this one (name, kind, levels) holding `count` missing values.
    public func missing(count: Int) -> Column {
        switch values {
        case .numeric: Column(name: name, values: .numeric([Float](repeating: .nan, count: count)))
        case .categorical(_, let levels):
            Column(name: name, values: .categorical(codes: [Int32](repeating: Column.missingCode, count: count), levels: levels))
        }
    }

    /// The column restricted to the given rows, in that order.
    public func gathering(_ rows: [Int]) -> Column {
        switch values {
        case .numeric(let v):
            return Column(name: name, values: .numeric(rows.map { v[$0] }), doubles: doubles.map { d in rows.map { d[$0] } })
        case .categorical(let codes, let levels):
            return Column(name: name, values: .categorical(codes: rows.map { codes[$0] }, levels: levels))
        }
    }

    /// Adds another column's values (of the same kind and levels) at the end; doubles are
    /// kept when either side has them.
    mutating func append(_ other: Column) {
        switch (values, other.values) {
        case (.numeric(var mine), .numeric(let theirs)):
            if doubles != nil || other.doubles != nil { doubles = numbersAsDoubles + other.numbersAsDoubles }
            mine += theirs
            values = .numeric(mine)
        case (.categorical(var mine, let levels), .categorical(let theirs, let otherLevels)):
            precondition(levels == otherLevels, "appending columns with other levels")
            mine += theirs
            values = .categorical(codes: mine, levels: levels)
        default:
            preconditionFailure("appending a column of another kind")
        }
    }

    /// A numeric column's values at double precision: the kept `doubles`, or else the
    /// Float32 values widened (exactly).
    public var numbersAsDoubles: [Double] {
        if let doubles { return doubles }
        guard case .numeric(let v) = values else { return [] }
        return v.map { Double($0) }
    }

    /// Shortest text that reads back as the same Float32.
    public static func format(_ value: Float) -> String {
        if value == value.rounded(), abs(value) < 1e7 { return String(Int(value)) }
        return "\(value)"
    }
}
