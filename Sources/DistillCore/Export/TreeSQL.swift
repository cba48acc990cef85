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
        let leaves = (0..<tree.nodeCount).filter(tree.isLeaf)
        func byLeaf(_ answer: (Int) throws -> String) throws -> String {
            try "CASE \"distill_leaf\"" + leaves.map { " WHEN \($0) THEN \(try answer($0))" }.joined() + " END"
        }
        var answers: [(name: String, expression: String)] = []
        switch tree.task {
        case .classification(let classes):
            if options.probabilities {
                for (k, name) in classes.enumerated() {
                    answers.append(("student_p_\(name)", try byLeaf { "\(tree.value[$0][k])" }))
                }
            }
            answers.append(("student_class", try byLeaf { try sql.literal(classes[tree.topClass($0)]) }))
        case .regression:
            guard !options.probabilities else { throw DataError("--probabilities needs a classification student; this tree is a regression") }
            answers.append(("student_value", try byLeaf { "\(tree.value[$0][0])" }))
        }
        answers.append(("leaf", "\"distill_leaf\""))
        return try sql.statement(
            comment: ["A Distill decision tree: per row, the leaf it reaches (numbered as in student.json) and the answer there.",
                      "Missing values are NULL. A number goes left when, read as Float32, it is at most the split's threshold."],
            working: [("distill_leaf", try route(0, indent: "    ", sql))], answers: answers)
    }

    private func route(_ node: Int, indent: String, _ sql: SQLText) throws -> String {
        guard !tree.isLeaf(node) else { return "\(node)" }
        let deeper = indent + "  "
        return "CASE WHEN \(try goesLeft(node, sql))\n"
            + "\(deeper)THEN \(try route(tree.left[node], indent: deeper, sql))\n"
            + "\(deeper)ELSE \(try route(tree.right[node], indent: deeper, sql))\n"
            + "\(indent)END"
    }

    /// The condition under which a row goes to the left child; a row for which it is false
    /// or NULL goes right.
    private func goesLeft(_ node: Int, _ sql: SQLText) throws -> String {
        let column = try sql.identifier(tree.featureNames[tree.feature[node]])
        var tests: [String] = tree.missingGoesLeft[node] ? ["\(column) IS NULL"] : []
        if tree.featureLevels[tree.feature[node]] == nil {
            let t = tree.threshold[node]
            let split = try Float32Split(threshold: t, node: node)
            tests.append("\(column) \(split.comparison) \(try CodeText.number(split.midpoint)) -- threshold \(Column.format(t)) as Float32")
            return tests.joined(separator: " OR ")
        }
        let split = try LevelSplit(tree: tree, node: node)
        let listed = try split.listed.map(sql.literal).joined(separator: ", ")
        if split.negated {
            tests.append(split.listed.isEmpty ? "\(column) IS NOT NULL" : "\(column) NOT IN (\(listed))")
        } else if !split.listed.isEmpty {
            tests.append("\(column) IN (\(listed))")
        }
        return tests.isEmpty ? "FALSE" : tests.joined(separator: " OR ")
    }
}
