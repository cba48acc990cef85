/// Which columns of a table are features and which one is the ground-truth label.
public struct DataSelection: Sendable, Equatable {
    /// The label column (`--label`), if any; it is never a feature.
    public var label: String?
    /// Only these features, in this order (`--features`); nil for all.
    public var features: [String]?
    /// Columns to leave out (`--drop`).
    public var drop: [String]

    public init(label: String? = nil, features: [String]? = nil, drop: [String] = []) {
        self.label = label
        self.features = features
        self.drop = drop
    }

    /// Makes a data set from the table's columns.
    /// - Throws: `DataError` naming the option and the unknown column, with the columns there are.
    public func apply(to table: CSVTable) throws -> Dataset {
        let names = table.columns.map(\.name)
        func check(_ name: String, _ option: String) throws {
            guard names.contains(name) else {
                throw DataError("\(option): no column '\(name)' in \(table.path); its columns are \(DataSelection.list(names))")
            }
        }
        if let label { try check(label, "--label") }
        for name in features ?? [] { try check(name, "--features") }
        for name in drop { try check(name, "--drop") }
        if let label, features?.contains(label) == true {
            throw DataError("--features: '\(label)' is the --label column and cannot also be a feature")
        }
        if let features, Set(features).count != features.count {
            throw DataError("--features: a column is named twice in '\(features.joined(separator: ","))'")
        }

        let wanted = (features ?? names).filter { $0 != label && !drop.contains($0) }
        guard !wanted.isEmpty else {
            throw DataError("\(table.path): no feature columns are left after --label, --features and --drop")
        }
        let byName = Dictionary(uniqueKeysWithValues: table.columns.map { ($0.name, $0) })
        // The label never reaches a teacher, so it needs no numbers at double precision.
        var labelColumn = label.flatMap { byName[$0] }
        labelColumn?.doubles = nil
        return Dataset(features: wanted.compactMap { byName[$0] }, label: labelColumn, rowCount: table.rowCount)
    }

    static func list(_ names: [String]) -> String {
        let shown = names.prefix(12).map { "'\($0)'" }.joined(separator: ", ")
        return names.count > 12 ? shown + ", … (\(names.count) in all)" : shown
    }
}
