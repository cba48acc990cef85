import DistillCore
import Foundation

/// One row's way through a tree student in words: each split it meets, with the row's own
/// value and the way it went, then the leaf's answer and, when the teacher was asked, the
/// teacher's answer beside it.
public struct RowExplanation {
    public let tree: DecisionTree
    /// A data set holding the row alone, with the tree's features.
    public let row: Dataset
    /// Where the row comes from, in words ("row 5 of test.csv").
    public let source: String
    /// The teacher's answer for the row, when it was asked.
    public let teacher: TeacherOutputs?
    /// The nodes the row passes, root first.
    public let path: [Int]

    /// - Throws: `DataError` when the row lacks a feature the tree uses or has it as another kind.
    public init(tree: DecisionTree, row: Dataset, source: String, teacher: TeacherOutputs?) throws {
        precondition(row.rowCount == 1 && (teacher?.rowCount ?? 1) == 1, "one row and at most one teacher answer")
        self.tree = tree
        self.row = row
        self.source = source
        self.teacher = teacher
        path = try tree.path(of: 0, in: row)
    }

    private var leaf: Int { path[path.count - 1] }

    public var text: String {
        var lines = [source, "path:"]
        lines += zip(path, path.dropFirst()).map { "  " + step($0, to: $1) }
        if path.count == 1 { lines.append("  (the tree is one leaf)") }
        var leafLine = "student: " + ExplainedAnswer.text(tree.value[leaf], best: tree.topClass(leaf), task: tree.task) + "  leaf \(leaf), \(tree.realRows[leaf]) training rows"
        if tree.syntheticRows[leaf] > 0 { leafLine += " (+\(tree.syntheticRows[leaf]) synthetic)" }
        lines.append(leafLine)
        if let teacher {
            lines.append("teacher: " + ExplainedAnswer.text(Array(teacher.row(0)), best: teacher.predictedClass(0), task: tree.task)
                         + "  " + ExplainedAnswer.comparison(teacher, student: tree.value[leaf], studentClass: tree.topClass(leaf), task: tree.task))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One split in words: `x = 1.4 ≤ 2.45 → yes`, `island = Dream ∈ {Biscoe, Dream} → yes`,
    /// `age is missing → missing values go no`.
    private func step(_ node: Int, to child: Int) -> String {
        let name = tree.featureNames[tree.feature[node]]
        let side = child == tree.left[node] ? "yes" : "no"
        guard let column = row.feature(named: name), !column.isMissing(0) else {
            return "\(name) is missing → missing values go \(side)"
        }
        let value = column.text(at: 0)
        guard tree.featureLevels[tree.feature[node]] != nil else {
            return "\(name) = \(value) ≤ \(Column.format(tree.threshold[node])) → \(side)"
        }
        guard tree.leftLevels[node].contains(value) || tree.rightLevels[node].contains(value) else {
            return "\(name) = \(value), a level this split never saw → other levels go \(side)"
        }
        return "\(name) = \(value) ∈ {\(tree.leftLevels[node].joined(separator: ", "))} → \(side)"
    }

}
