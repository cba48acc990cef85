/// How faithful a tree is inside each of its leaves: where the student is least faithful.
public struct LeafFidelity: Sendable, Equatable, Codable {
    public var leaf: Int
    public var rows: Int
    /// Classification: share of the leaf's rows where the teacher's class is the leaf's.
    public var agreement: Double?
    /// Regression: mean absolute difference between the teacher and the leaf's value.
    public var mae: Double?

    public init(leaf: Int, rows: Int, agreement: Double?, mae: Double?) {
        self.leaf = leaf
        self.rows = rows
        self.agreement = agreement
        self.mae = mae
    }

    /// Per leaf that any row reaches, in leaf order.
    /// - Parameters:
    ///   - leaves: the leaf of each row.
    ///   - student: the student's answers, laid out as the teacher's.
    public static func measure(leaves: [Int], teacher: TeacherOutputs, student: [Float]) -> [LeafFidelity] {
        let width = teacher.task.outputWidth
        let studentOutputs = TeacherOutputs(task: teacher.task, values: student)
        var rows: [Int: Int] = [:]
        var score: [Int: Double] = [:]
        for (row, leaf) in leaves.enumerated() {
            rows[leaf, default: 0] += 1
            switch teacher.task {
            case .classification:
                if teacher.predictedClass(row) == studentOutputs.predictedClass(row) { score[leaf, default: 0] += 1 }
            case .regression:
                score[leaf, default: 0] += abs(Double(teacher.values[row * width]) - Double(student[row * width]))
            }
        }
        return rows.keys.sorted().map { leaf in
            let count = rows[leaf]!
            let share = (score[leaf] ?? 0) / Double(count)
            switch teacher.task {
            case .classification: return LeafFidelity(leaf: leaf, rows: count, agreement: share, mae: nil)
            case .regression: return LeafFidelity(leaf: leaf, rows: count, agreement: nil, mae: share)
            }
        }
    }
}
