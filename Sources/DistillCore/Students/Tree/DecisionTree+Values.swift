extension DecisionTree {
    /// One row of this tree's features, from `--values` (see `StudentRow`); features no
    /// split tests may be left out.
    public func row(from values: ValueList) throws -> Dataset {
        try StudentRow.make(values, names: featureNames, levels: featureLevels, tested: splitFeatures)
    }
}

extension RuleList {
    /// One row of this list's features, from `--values` (see `StudentRow`); features no
    /// condition tests may be left out.
    public func row(from values: ValueList) throws -> Dataset {
        try StudentRow.make(values, names: featureNames, levels: featureLevels, tested: testedFeatures)
    }
}

/// One row of a student's features from `--values`: a number for each numeric feature,
/// text for each categorical one (a number given there is a level like any other).
enum StudentRow {
    /// - Parameter tested: the features the student reads, which must be given.
    /// - Throws: `DataError` naming `--values` and the names the student does not know (with
    ///   its features), the tested features left out, or a numeric feature given text.
    static func make(_ values: ValueList, names featureNames: [String], levels featureLevels: [[String]?], tested: [Int]) throws -> Dataset {
        let unknown = values.entries.map(\.name).filter { !featureNames.contains($0) }
        guard unknown.isEmpty else {
            throw DataError("--values: the student has no feature \(DataSelection.list(unknown)); its features are \(DataSelection.list(featureNames))")
        }
        let given = Dictionary(values.entries.map { ($0.name, $0.text) }, uniquingKeysWith: { first, _ in first })
        let leftOut = tested.map { featureNames[$0] }.filter { given[$0] == nil }
        guard leftOut.isEmpty else {
            throw DataError("--values: no value for \(DataSelection.list(leftOut)), which the student tests; give each as name=value (empty or NA for missing)")
        }
        let columns = try featureNames.indices.map { index -> Column in
            let name = featureNames[index]
            let text = given[name] ?? nil
            if featureLevels[index] != nil {
                let values: Column.Values = text.map { .categorical(codes: [0], levels: [$0]) }
                    ?? .categorical(codes: [Column.missingCode], levels: [])
                return Column(name: name, values: values)
            }
            // Kept at double precision too, as a CSV read for a float64 teacher is.
            let value = try text.map { try number($0, of: name) } ?? .nan
            return Column(name: name, values: .numeric([Float(value)]), doubles: [value])
        }
        return Dataset(features: columns, rowCount: 1)
    }
    /// A value given for a numeric feature, read as a CSV file would read it.
    private static func number(_ text: String, of name: String) throws -> Double {
        let parsed = Array(text.utf8).withUnsafeBufferPointer { NumberParser.parse($0) }
        guard case .value(let value) = parsed else {
            throw DataError("--values: '\(name)' is a numeric feature, but '\(DataError.cutShort(text))' is not a number")
        }
        guard Float(value).isFinite else {
            throw DataError("--values: '\(name)' = \(DataError.cutShort(text)) is beyond the range of Float32")
        }
        return value
    }
}
