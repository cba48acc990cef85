/// Finds the columns a student learned from in a data set, by name, and checks their kind.
enum StudentColumns {
    /// The data's column named `name`, which the student learned as text when `learnedAsText`.
    /// - Throws: `DataError` when the data has no such column or it holds the other kind.
    static func column(_ name: String, learnedAsText: Bool, in data: Dataset) throws -> Column {
        guard let column = data.feature(named: name) else {
            throw DataError("the student uses the feature '\(name)', which the data does not have; its features are \(DataSelection.list(data.featureNames))")
        }
        if learnedAsText == column.isNumeric {
            throw DataError("the student learned '\(name)' as \(learnedAsText ? "text" : "numbers"), but the data's column holds \(column.isNumeric ? "numbers" : "text")")
        }
        return column
    }

    /// The columns of every feature, in the student's order (`levels` nil for a number).
    static func match(names: [String], levels: [[String]?], in data: Dataset) throws -> [Column] {
        try zip(names, levels).map { try column($0, learnedAsText: $1 != nil, in: data) }
    }
}
