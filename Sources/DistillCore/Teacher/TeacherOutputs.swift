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

/// Asks a teacher about every row of a data set, in batches.
public struct TeacherQuery {
    public let teacher: any Teacher
    public let batchSize: Int

    public init(teacher: any Teacher, batchSize: Int = 4096) {
        precondition(batchSize > 0)
        self.teacher = teacher
        self.batchSize = batchSize
    }

    /// - Parameter progress: called after each batch with the rows done so far.
    /// - Throws: `TeacherError` when the data does not fit the teacher or it fails; the
    ///   error names the batch and its rows.
    public func answers(for data: Dataset, progress: (Int) -> Void = { _ in }) throws -> TeacherOutputs {
        let binding = try TeacherBinding(teacher: teacher.inputs, data: data)
        let width = teacher.task.outputWidth
        var values: [Float] = []
        values.reserveCapacity(data.rowCount * width)
        var start = 0
        var batchNumber = 1
        while start < data.rowCount {
            let rows = start..<min(start + batchSize, data.rowCount)
            let batch = try binding.batch(data, rows: rows)
            let answer: [Float]
            do {
                answer = try teacher.predict(batch)
            } catch {
                throw TeacherError("batch \(batchNumber) (rows \(rows.lowerBound + 1)–\(rows.upperBound)): \(error)")
            }
            guard answer.count == rows.count * width else {
                throw TeacherError("batch \(batchNumber) (rows \(rows.lowerBound + 1)–\(rows.upperBound)): the teacher gave \(answer.count) values for \(rows.count) rows × \(width) outputs")
            }
            if let bad = answer.firstIndex(where: { !$0.isFinite }) {
                throw TeacherError("batch \(batchNumber) (rows \(rows.lowerBound + 1)–\(rows.upperBound)): the teacher answered \(answer[bad]) for row \(rows.lowerBound + bad / width + 1)")
            }
            values += answer
            start = rows.upperBound
            batchNumber += 1
            progress(start)
        }
        return TeacherOutputs(task: teacher.task, values: values)
    }
}
