/// A decision tree as one SQL query: an inner query routes each row to its leaf with
/// nested `CASE WHEN`, following `TreeRouter` (missing values as NULL), and the outer one
/// reads the leaf's answer.
struct TreeSQL {
    let tree: DecisionTree
    let options: SQLExportOptions

    /// - Throws: `DataError` when a name holds NUL, `--id` clashes with an output column,
    ///   `--probabilities` is asked of a regression tree, or a split is malformed.
    func statement() throws -> String {
        let sql = SQLText(options: options)
        let leaves = (0..<tree.nodeCount).filter(tree.isLeaf).map { (number: $0, value: tree.value[$0], topClass: tree.topClass($0)) }
        let answers = try sql.answers(task: tree.task, column: "distill_leaf", parts: leaves, student: "tree")
            + [("leaf", "\"distill_leaf\"")]
        return try sql.statement(
            comment: ["A Distill decision tree: per row, the leaf it reaches (numbered as in student.json) and the answer there.",
                      "Missing values are NULL. A number goes left when, read as Float32, it is at most the split's threshold."],
            working: [("distill_leaf", try route(0, indent: "    ", sql))], answers: answers)
    }

    private func route(_ node: Int, indent: String, _ sql: SQLText) throws -> String {
        guard !tree.isLeaf(node) else { return "\(node)" }
        let deeper = indent + "  "
        let goesLeft = try ExportCondition(tree: tree, node: node)
        let column = try sql.identifier(tree.featureNames[goesLeft.feature])
        return "CASE WHEN \(try sql.condition(goesLeft, column: column))\(goesLeft.comment.map { " -- " + $0 } ?? "")\n"
            + "\(deeper)THEN \(try route(tree.left[node], indent: deeper, sql))\n"
            + "\(deeper)ELSE \(try route(tree.right[node], indent: deeper, sql))\n"
            + "\(indent)END"
    }
}
