extension DecisionTree {
    /// The leaf each row of `data` reaches.
    /// - Throws: `DataError` when a feature the tree uses is missing from the data or has
    ///   another kind (numbers where the tree saw text, or the reverse).
    public func leaves(for data: Dataset) throws -> [Int] {
        let router = try TreeRouter(tree: self, data: data)
        var result = [Int](repeating: 0, count: data.rowCount)
        for row in 0..<data.rowCount {
            var node = 0
            while !isLeaf(node) {
                node = router.child(of: node, row: row)
            }
            result[row] = node
        }
        return result
    }

    /// The tree's answers for every row, laid out as a teacher's (row-major).
    public func predict(_ data: Dataset) throws -> [Float] {
        try leaves(for: data).flatMap { value[$0] }
    }

    /// The data's columns in the tree's feature order, matched by name.
    func featureColumns(in data: Dataset) throws -> [Column] {
        try featureNames.enumerated().map { index, name in
            guard let column = data.feature(named: name) else {
                throw DataError("the student uses the feature '\(name)', which the data does not have; its features are \(DataSelection.list(data.featureNames))")
            }
            let trainedOnText = featureLevels[index] != nil
            if trainedOnText == column.isNumeric {
                throw DataError("the student learned '\(name)' as \(trainedOnText ? "text" : "numbers"), but the data's column holds \(column.isNumeric ? "numbers" : "text")")
            }
            return column
        }
    }
}
