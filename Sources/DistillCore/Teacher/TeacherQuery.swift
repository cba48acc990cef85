/// Asks a teacher about every row of a data set, in batches, and checks each answer.
public struct TeacherQuery {
    public let teacher: any Teacher
    public let batchSize: Int
    /// The `--input` options: columns for the inputs the binding rules cannot bind.
    public var assignments: [TeacherInputAssignment] = []
    /// Receives the binding's notes (inputs matched after an exporter's renaming).
    public var note: (String) -> Void = { _ in }

    /// How far a classifier's probabilities may stray: each may lie this far outside
    /// [0, 1] (rounding in the model's arithmetic) …
    public static let probabilityTolerance: Float = 1e-5
    /// … and their sum this far from 1 (a program printing 2–3 decimals stays within it).
    public static let sumTolerance: Float = 0.01

    public init(teacher: any Teacher, batchSize: Int = 4096) {
        precondition(batchSize > 0)
        self.teacher = teacher
        self.batchSize = batchSize
    }

    /// - Parameters:
    ///   - source: where the rows come from (a file), named first in every error.
    ///   - progress: called after each batch with the rows done so far.
    /// - Throws: `TeacherError` when the data does not fit the teacher, it fails, or it
    ///   answers something that is not an answer (a non-finite value; for a classifier, a
    ///   row that is not a probability distribution); the error names the source, the batch,
    ///   the row and the values.
    public func answers(for data: Dataset, source: String? = nil, progress: (Int) -> Void = { _ in }) throws -> TeacherOutputs {
        let place = source.map { "\($0): " } ?? ""
        let binding: TeacherBinding
        do {
            binding = try TeacherBinding(teacher: teacher.inputs, data: data, assignments: assignments)
        } catch let error as TeacherError {
            throw TeacherError(place + error.description)
        }
        binding.notes.forEach(note)
        let width = teacher.task.outputWidth
        var values: [Float] = []
        values.reserveCapacity(data.rowCount * width)
        var start = 0
        var batchNumber = 1
        while start < data.rowCount {
            let rows = start..<min(start + batchSize, data.rowCount)
            let batchPlace = "\(place)batch \(batchNumber) (rows \(rows.lowerBound + 1)–\(rows.upperBound))"
            let batch: TeacherBatch
            do {
                batch = try binding.batch(data, rows: rows)
            } catch let error as TeacherError {
                throw TeacherError(place + error.description)
            }
            let answer: [Float]
            do {
                answer = try teacher.predict(batch)
            } catch {
                throw TeacherError("\(batchPlace): \(error)")
            }
            guard answer.count == rows.count * width else {
                throw TeacherError("\(batchPlace): the teacher gave \(answer.count) values for \(rows.count) rows × \(width) outputs")
            }
            if let problem = Self.problem(in: answer, task: teacher.task) {
                throw TeacherError("\(batchPlace): row \(rows.lowerBound + problem.row + 1): \(problem.message)")
            }
            values += answer
            start = rows.upperBound
            batchNumber += 1
            progress(start)
        }
        return TeacherOutputs(task: teacher.task, values: values)
    }

    /// The first row of a batch's answers that is not an answer, and what is wrong with it.
    static func problem(in answer: [Float], task: TeacherTask) -> (row: Int, message: String)? {
        let width = task.outputWidth
        for row in 0..<(answer.count / width) {
            let values = answer[(row * width)..<((row + 1) * width)]
            let shown = "[" + values.map { "\($0)" }.joined(separator: ", ") + "]"
            if let bad = values.first(where: { !$0.isFinite }) {
                return (row, "the teacher answered \(bad) (in \(shown)); answers must be finite numbers")
            }
            guard case .classification = task else { continue }
            let sum = values.reduce(Float(0), +)
            let outside = values.contains { $0 < -probabilityTolerance || $0 > 1 + probabilityTolerance }
            if outside || abs(sum - 1) > sumTolerance {
                return (row, "the teacher's answer \(shown) is not a probability per class (each in [0, 1], summing to 1; this sums to \(sum)). "
                        + "An ONNX model that ends in logits needs --teacher-output-kind logits; one with a sigmoid per class needs a Softmax; or choose another output with --teacher-output")
            }
        }
        return nil
    }
}
