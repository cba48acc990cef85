import Dispatch
import Foundation

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
        let batches = stride(from: 0, to: data.rowCount, by: batchSize).map { $0..<min($0 + batchSize, data.rowCount) }
        // A window of batches is asked at once when the teacher allows it; answers are
        // checked and kept in batch order, so the result and the error reported do not
        // depend on which request finished first.
        let window = max(1, teacher.concurrentBatches)
        for windowStart in stride(from: 0, to: batches.count, by: window) {
            let numbers = windowStart..<min(windowStart + window, batches.count)
            let prepared: [TeacherBatch]
            do {
                prepared = try numbers.map { try binding.batch(data, rows: batches[$0]) }
            } catch let error as TeacherError {
                throw TeacherError(place + error.description)
            }
            let answers = Self.predict(prepared, with: teacher, concurrently: window > 1)
            for number in numbers {
                let rows = batches[number]
                let batchPlace = "\(place)batch \(number + 1) (rows \(rows.lowerBound + 1)–\(rows.upperBound))"
                let answer: [Float]
                do {
                    answer = try answers[number - numbers.lowerBound].get()
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
                progress(rows.upperBound)
            }
        }
        return TeacherOutputs(task: teacher.task, values: values)
    }

    /// The teacher's answer to each batch, in order: one at a time, or all at once on
    /// threads of their own when the teacher takes concurrent batches.
    private static func predict(_ batches: [TeacherBatch], with teacher: any Teacher,
                                concurrently: Bool) -> [Result<[Float], Error>] {
        guard concurrently, batches.count > 1 else {
            return batches.map { batch in Result { try teacher.predict(batch) } }
        }
        // A thread per batch, not concurrentPerform: a request mostly waits, and
        // concurrentPerform would run no more batches at once than there are cores.
        let results = ConcurrentResults(count: batches.count)
        let shared = SharedTeacher(teacher: teacher)
        let group = DispatchGroup()
        for (index, batch) in batches.enumerated() {
            group.enter()
            Thread {
                results.set(index, Result { try shared.teacher.predict(batch) })
                group.leave()
            }.start()
        }
        group.wait()
        return results.all
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

/// A teacher handed to several threads; only done when its `concurrentBatches` says it
/// answers concurrent batches.
private struct SharedTeacher: @unchecked Sendable {
    let teacher: any Teacher
}

/// One result per batch, written by the thread that asked for it.
private final class ConcurrentResults: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<[Float], Error>?]

    init(count: Int) {
        results = Array(repeating: nil, count: count)
    }

    func set(_ index: Int, _ result: Result<[Float], Error>) {
        lock.lock()
        defer { lock.unlock() }
        results[index] = result
    }

    var all: [Result<[Float], Error>] {
        lock.lock()
        defer { lock.unlock() }
        return results.map { result in
            guard let result else { preconditionFailure("every thread sets its result before the group is left") }
            return result
        }
    }
}
