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
}
