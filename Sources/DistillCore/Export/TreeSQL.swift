/// A decision tree as one SQL query: an inner query finds each row's leaf with one searched
/// `CASE` holding a `WHEN` per leaf, its path's tests merged per feature (an interval, a
/// level set, whether a missing value passes), and the outer one reads the leaf's answer.
///
/// Leaves side by side rather than a `CASE` nested per split: SQLite's parser overflows its
/// stack on `CASE`s nested 18 deep (SQLite 3.40), shallower than trees people grow, while a
/// `WHEN` per leaf takes a tree of any depth. The leaves never overlap and cover every row
/// (missing values and unseen levels included), so the order of the `WHEN`s does not
/// matter; they follow the tree left to right, and the last leaf is the `ELSE`.
struct TreeSQL {
    let tree: DecisionTree
    let options: SQLExportOptions

    /// - Throws: `DataError` when a name holds NUL, `--id` clashes with an output column,
    ///   `--probabilities` is asked of a regression tree, a leaf has more conditions than
    ///   SQLite takes, or a split is malformed.
    func statement() throws -> String {
        let sql = SQLText(options: options)
        // Each split's own test is checked (a finite threshold, levels on one side only) before
        // the leaves' merged tests, which no longer say which split they came from.
        for node in 0..<tree.nodeCount where !tree.isLeaf(node) {
            _ = try ExportCondition(tree: tree, node: node)
        }
        let leaves = RuleRegion.leaves(of: tree)
        let parts = try leaves.map { leaf in
            let conditions = try leaf.region.conditions(order: leaf.order, levels: tree.featureLevels).map {
                try ExportCondition($0, names: tree.featureNames, levels: tree.featureLevels, at: "leaf \(leaf.leaf)")
            }
            return (conditions: conditions, number: leaf.leaf, name: "leaf \(leaf.leaf)")
        }
        let answers = try sql.answers(task: tree.task, column: "distill_leaf",
                                      parts: (0..<tree.nodeCount).filter(tree.isLeaf).map { (number: $0, value: tree.value[$0], topClass: tree.topClass($0)) },
                                      student: "tree") + [("leaf", "\"distill_leaf\"")]
        return try sql.statement(
            comment: ["A Distill decision tree: per row, the leaf it reaches (numbered as in student.json) and the answer there:",
                      "a WHEN per leaf, the tests on its path merged per feature. Missing values are NULL; a condition says whether",
                      "one passes. A number passes x ≤ t when, read as Float32, it is at most t, and x > t when it is not."],
            working: [("distill_leaf", try sql.firstMatch(parts, names: tree.featureNames))], answers: answers)
    }
}
