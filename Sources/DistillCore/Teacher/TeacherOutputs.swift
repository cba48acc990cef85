/// The teacher's answers for every row of a data set.
public struct TeacherOutputs: Sendable, Equatable {
    public let task: TeacherTask
    /// Row-major: `rowCount × task.outputWidth` values.
    public let values: [Float]

    public init(task: TeacherTask, values: [Float]) {
        precondition(values.count % task.outputWidth == 0)
        self.task = task
        self.values = values
    }

    public var rowCount: Int { values.count / task.outputWidth }

    /// The answer for one row: class probabilities, or the single value.
    public func row(_ index: Int) -> ArraySlice<Float> {
        let width = task.outputWidth
        return values[(index * width)..<((index + 1) * width)]
    }

    /// The answers of the given rows, in that order.
    public func rows(_ indices: [Int]) -> TeacherOutputs {
        TeacherOutputs(task: task, values: indices.flatMap { row($0) })
    }

    /// These answers followed by another's, for the same task.
    public func appending(_ other: TeacherOutputs) -> TeacherOutputs {
        precondition(other.task == task, "appending answers of another task")
        return TeacherOutputs(task: task, values: values + other.values)
    }

    /// The class the teacher gives most probability to (the first on ties).
    public func predictedClass(_ index: Int) -> Int {
        let answer = row(index)
        var best = answer.startIndex
        for position in answer.indices where answer[position] > answer[best] { best = position }
        return best - answer.startIndex
    }
}
