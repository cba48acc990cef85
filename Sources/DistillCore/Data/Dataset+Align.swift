extension Dataset {
    /// This data set's feature columns put in the order of `names`, found by name.
    ///
    /// A teacher with one wide input (a network exported with a single `input` tensor) takes
    /// the features by position, so rows from two files must reach it in one column order:
    /// the order it was trained in, which is the training file's (or a student's) order.
    /// Columns are moved, never renamed or converted.
    /// - Parameters:
    ///   - names: the features wanted, in order; each must be a column here, of the kind
    ///     `numeric` says (nil: either kind).
    ///   - exact: refuse feature columns that `names` lacks; otherwise leave them out.
    ///   - source: this data's file, and `reference` where `names` come from, for messages.
    /// - Throws: `DataError` naming both places and the first column that differs.
    public func aligned(to names: [String], numeric: [Bool?], exact: Bool,
                        source: String, reference: String) throws -> Dataset {
        precondition(names.count == numeric.count, "one kind per name")
        let byName = Dictionary(features.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var columns: [Column] = []
        for (name, wantsNumbers) in zip(names, numeric) {
            guard var column = byName[name] else {
                throw DataError("\(source): has no column '\(name)', which \(reference) has; its feature columns are \(DataSelection.list(featureNames))")
            }
            if let wantsNumbers, wantsNumbers != column.isNumeric, column.missingCount == rowCount {
                // A column with no values reads as numbers; it is as empty in either kind.
                column = wantsNumbers ? Column(name: name, values: .numeric([Float](repeating: .nan, count: rowCount)))
                    : Column(name: name, values: .categorical(codes: [Int32](repeating: Column.missingCode, count: rowCount), levels: []))
            }
            if let wantsNumbers, wantsNumbers != column.isNumeric {
                let kind = { (numbers: Bool) in numbers ? "numbers" : "text" }
                throw DataError("\(source): column '\(name)' holds \(kind(column.isNumeric)), but in \(reference) it holds \(kind(wantsNumbers))")
            }
            columns.append(column)
        }
        if exact {
            let wanted = Set(names)
            let extra = featureNames.filter { !wanted.contains($0) }
            guard extra.isEmpty else {
                throw DataError("\(source): has the column(s) \(DataSelection.list(extra)), which \(reference) has not; both must have the same columns (leave them out with --drop)")
            }
        }
        return Dataset(features: columns, label: label, rowCount: rowCount)
    }

    /// This data set's features in the order and of the kinds of `reference`'s, which must
    /// have exactly the same feature columns.
    public func aligned(to reference: Dataset, source: String, referenceSource: String) throws -> Dataset {
        try aligned(to: reference.featureNames, numeric: reference.features.map(\.isNumeric), exact: true,
                    source: source, reference: referenceSource)
    }
}
