import DistillCore
import Foundation

/// One row's way down a rule list in words: each rule it passes by, with the condition that
/// fails and the row's value, then the rule that answers with every condition and value,
/// and, when the teacher was asked, the teacher's answer beside it.
public struct RuleExplanation {
    public let list: RuleList
    /// A data set holding the row alone, with the list's features.
    public let row: Dataset
    /// Where the row comes from, in words ("row 5 of test.csv").
    public let source: String
    public let teacher: TeacherOutputs?
    /// The rule that answers the row.
    public let rule: Int
    /// Per rule before it, whether each of its conditions holds for the row.
    private let passedBy: [[Bool]]

    /// - Throws: `DataError` when the row lacks a feature the list uses or has it as another kind.
    public init(list: RuleList, row: Dataset, source: String, teacher: TeacherOutputs?) throws {
        precondition(row.rowCount == 1 && (teacher?.rowCount ?? 1) == 1, "one row and at most one teacher answer")
        self.list = list
        self.row = row
        self.source = source
        self.teacher = teacher
        rule = try list.firedRules(for: row)[0]
        passedBy = try list.conditionResults(rules: 0..<rule, row: 0, in: row)
    }

    public var text: String {
        var lines = [source, "rules:"]
        for index in 0..<rule {
            let failing = passedBy[index].firstIndex(of: false).map { list.rules[index].conditions[$0] }
            let reason = failing.map { "\(value($0)) fails \(describe($0))" } ?? ""
            lines.append("  rule \(index + 1): no — \(reason)")
        }
        let conditions = list.rules[rule].conditions.map { "\(value($0)) meets \(describe($0))" }
        lines.append("  rule \(rule + 1): yes" + (conditions.isEmpty ? " (the default)" : " — " + conditions.joined(separator: "; ")))
        let fired = list.rules[rule]
        var answerLine = "student: " + ExplainedAnswer.text(fired.value, best: fired.topClass, task: list.task)
            + "  rule \(rule + 1), \(fired.realRows) training rows"
        if fired.syntheticRows > 0 { answerLine += " (+\(fired.syntheticRows) synthetic)" }
        lines.append(answerLine)
        if let teacher {
            lines.append("teacher: " + ExplainedAnswer.text(Array(teacher.row(0)), best: teacher.predictedClass(0), task: list.task)
                         + "  " + ExplainedAnswer.comparison(teacher, student: fired.value, studentClass: fired.topClass, task: list.task))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func describe(_ condition: RuleCondition) -> String {
        condition.text(featureName: list.featureNames[condition.feature])
    }

    /// The row's value of the condition's feature: `x = 1.4`, `x is missing`.
    private func value(_ condition: RuleCondition) -> String {
        let name = list.featureNames[condition.feature]
        guard let column = row.feature(named: name), !column.isMissing(0) else { return "\(name) is missing, which" }
        return "\(name) = \(column.text(at: 0))"
    }

}
