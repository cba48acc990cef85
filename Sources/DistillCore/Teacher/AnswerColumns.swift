/// How answers are written as CSV columns, by `distill label` (the teacher's), `distill
/// predict` (the student's) and transfer sets: a classifier's probability per class and its
/// most probable class, or a regression's value.
public enum AnswerColumns {
    /// `teacher_p_<class>` per class and `teacher_class`, or `teacher_value` (for `prefix`
    /// "teacher").
    public static func names(for task: TeacherTask, prefix: String) -> [String] {
        switch task {
        case .classification(let classes): classes.map { "\(prefix)_p_\($0)" } + ["\(prefix)_class"]
        case .regression: ["\(prefix)_value"]
        }
    }

    /// One row's answer as the columns' text.
    public static func fields(_ outputs: TeacherOutputs, row: Int) -> [String] {
        let values = outputs.row(row).map { "\($0)" }
        guard case .classification(let classes) = outputs.task else { return values }
        return values + [classes[outputs.predictedClass(row)]]
    }
}
