import DistillCore

/// A student's or teacher's answer for one explained row, in words.
enum ExplainedAnswer {
    /// The class `best` with every class's probability, or the value.
    static func text(_ values: [Float], best: Int, task: TeacherTask) -> String {
        switch task {
        case .classification(let classes):
            let probabilities = zip(classes, values).map { "\($0) \(DecisionTree.format($1, digits: 3))" }
            return "\(classes[best])  p=[\(probabilities.joined(separator: ", "))]"
        case .regression:
            return "value \(DecisionTree.format(values[0], digits: 4))"
        }
    }

    /// How the teacher's answer compares with the student's.
    static func comparison(_ teacher: TeacherOutputs, student: [Float], studentClass: Int, task: TeacherTask) -> String {
        switch task {
        case .classification(let classes):
            teacher.predictedClass(0) == studentClass ? "agrees with the student" : "disagrees: the student says \(classes[studentClass])"
        case .regression:
            "student − teacher = \(DecisionTree.format(student[0] - teacher.values[0], digits: 4))"
        }
    }
}
