/// A rule list as one SQL query: an inner query finds each row's rule with one searched
/// `CASE`, whose `WHEN`s are the rules in order (so the first that holds answers, as in
/// `RuleRouter`; missing values as NULL), and the outer one reads that rule's answer.
struct RuleListSQL {
    let list: RuleList
    let options: SQLExportOptions

    /// - Throws: `DataError` when a name holds NUL, `--id` clashes with an output column,
    ///   `--probabilities` is asked of a regression, a rule has more conditions than SQLite
    ///   takes, or a condition is malformed.
    func statement() throws -> String {
        let sql = SQLText(options: options)
        let rules = list.rules.enumerated().map { (number: $0 + 1, value: $1.value, topClass: $1.topClass) }
        let answers = try sql.answers(task: list.task, column: "distill_rule", parts: rules, student: "rule list")
            + [("rule", "\"distill_rule\"")]
        let chain = try ExportCondition.rules(of: list).enumerated().map { index, conditions in
            (conditions: conditions, number: index + 1, name: "rule \(index + 1)")
        }
        return try sql.statement(
            comment: ["A Distill rule list: per row, the first rule whose conditions all hold (numbered from 1, the default last,",
                      "as distill predict numbers them) and its answer. Missing values are NULL; a condition says whether one passes.",
                      "A number passes x ≤ t when, read as Float32, it is at most t, and x > t when it is not."],
            working: [("distill_rule", try sql.firstMatch(chain, names: list.featureNames))], answers: answers)
    }
}
