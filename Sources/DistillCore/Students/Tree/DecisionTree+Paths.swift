extension DecisionTree {
    /// The rows of `data` that reach each node, in increasing order: `nodeRows[0]` holds every
    /// row, and a split's rows are its children's together.
    /// - Throws: `DataError` when the data lacks a feature the tree uses or has it as another kind.
    /// - Complexity: O(rows × depth).
    public func nodeRows(for data: Dataset) throws -> [[Int]] {
        let router = try TreeRouter(tree: self, data: data)
        var result = [[Int]](repeating: [], count: nodeCount)
        for row in 0..<data.rowCount {
            var node = 0
            result[0].append(row)
            while !isLeaf(node) {
                node = router.child(of: node, row: row)
                result[node].append(row)
            }
        }
        return result
    }

    /// The nodes one row of `data` passes through, from the root to its leaf.
    /// - Precondition: `row` is a row of `data`.
    /// - Throws: `DataError` when the data lacks a feature the tree uses or has it as another kind.
    public func path(of row: Int, in data: Dataset) throws -> [Int] {
        precondition(row >= 0 && row < data.rowCount, "row \(row) is outside the data")
        let router = try TreeRouter(tree: self, data: data)
        var nodes = [0]
        while let node = nodes.last, !isLeaf(node) {
            nodes.append(router.child(of: node, row: row))
        }
        return nodes
    }
}
