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

    public init(name: String, values: Values) {
        self.name = name
        self.values = values
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
            return Column(name: name, values: .numeric(rows.map { v[$0] }))
        case .categorical(let codes, let levels):
            return Column(name: name, values: .categorical(codes: rows.map { codes[$0] }, levels: levels))
        }
    }

    /// Shortest text that reads back as the same Float32.
    public static func format(_ value: Float) -> String {
        if value == value.rounded(), abs(value) < 1e7 { return String(Int(value)) }
        return "\(value)"
    }
}
