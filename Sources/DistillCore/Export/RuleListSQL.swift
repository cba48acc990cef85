/// A rule list as one SQL query: an inner query finds each row's rule with one searched
/// `CASE`, whose `WHEN`s are the rules in order (so the first that holds answers, as in
/// `RuleRouter`; missing values as NULL), and the outer one reads that rule's answer.
struct RuleListSQL {
    let list: RuleList
    let options: SQLExportOptions

    /// - Throws: `DataError` when a name holds NUL, `--id` clashes with an output column,
    ///   `--probabilities` is asked of a regression, or a condition is malformed.
    func statement() throws -> String {
        let sql = SQLText(options: options)
        let rules = list.rules.enumerated().map { (number: $0 + 1, value: $1.value, topClass: $1.topClass) }
        let answers = try sql.answers(task: list.task, column: "distill_rule", parts: rules, student: "rule list")
            + [("rule", "\"distill_rule\"")]
        return try sql.statement(
            comment: ["A Distill rule list: per row, the first rule whose conditions all hold (numbered from 1, the default last,",
                      "as distill predict numbers them) and its answer. Missing values are NULL; a condition says whether one passes.",
                      "A number passes x ≤ t when, read as Float32, it is at most t, and x > t when it is not."],
            working: [("distill_rule", try firstRule(sql))], answers: answers)
    }

    /// `CASE WHEN <rule 1> THEN 1 … ELSE <the default's number> END`, a condition per line
    /// so that a threshold's comment can end it.
    private func firstRule(_ sql: SQLText) throws -> String {
        let conditions = try ExportCondition.rules(of: list)
        // `CASE ELSE … END` is not SQL: a list of the default alone is its number.
        guard conditions.count > 1 else { return "1" }
        var text = "CASE\n"
        for (index, rule) in conditions.enumerated().dropLast() {
            let lines = try rule.map { condition in
                let written = try sql.condition(condition, column: try sql.identifier(list.featureNames[condition.feature]))
                return (rule.count > 1 ? "(\(written))" : written) + (condition.comment.map { " -- " + $0 } ?? "")
            }
            text += "      WHEN " + lines.joined(separator: "\n       AND ") + "\n      THEN \(index + 1)\n"
        }
        return text + "      ELSE \(conditions.count)\n    END"
    }
}
