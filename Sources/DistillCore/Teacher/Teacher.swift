/// What a teacher answers for each row.
public enum TeacherTask: Sendable, Equatable {
    /// A probability per class, in the order of `classes`.
    case classification(classes: [String])
    /// One real value.
    case regression

    /// Numbers the teacher returns per row.
    public var outputWidth: Int {
        switch self {
        case .classification(let classes): classes.count
        case .regression: 1
        }
    }
}

/// The element type of one teacher input.
public enum TeacherElementType: String, Sendable, Equatable {
    case float, double, int64, string
}

/// One input a teacher takes: a named tensor of `width` values per row.
public struct TeacherInput: Sendable, Equatable {
    public var name: String
    public var elementType: TeacherElementType
    /// Values per row; `nil` when the model leaves it symbolic.
    public var width: Int?
    /// Whether a missing value (NaN, or "" for text) may be sent as it is.
    public var acceptsMissing: Bool

    public init(name: String, elementType: TeacherElementType, width: Int?, acceptsMissing: Bool) {
        self.name = name
        self.elementType = elementType
        self.width = width
        self.acceptsMissing = acceptsMissing
    }
}

/// How a teacher's inputs relate to the columns of a data set.
public enum TeacherInputs: Sendable, Equatable {
    /// Fixed tensors, matched to columns by name, or a single wide input matched to all
    /// features in order (see `TeacherBinding`).
    case tensors([TeacherInput])
    /// Every feature column, by name, as it is (numbers and text); missing values allowed.
    case anyColumns

    /// Whether an input takes numbers Float32 cannot hold (float64, or int64 beyond 2^24),
    /// so that data should be read keeping its numbers at double precision
    /// (`CSVReader.read(keepingDoubles:)`).
    public var wantsDoubles: Bool {
        guard case .tensors(let inputs) = self else { return false }
        return inputs.contains { $0.elementType == .double || $0.elementType == .int64 }
    }
}

/// The values of one teacher input for a batch of rows, row-major.
public enum TensorValues: Sendable, Equatable {
    case float([Float])
    case double([Double])
    case int64([Int64])
    case string([String])
}

/// A batch of rows laid out as a teacher's inputs.
public struct TeacherBatch: Sendable {
    public var rowCount: Int
    /// One entry per teacher input, in the teacher's order.
    public var inputs: [(name: String, width: Int, values: TensorValues)]

    public init(rowCount: Int, inputs: [(name: String, width: Int, values: TensorValues)]) {
        self.rowCount = rowCount
        self.inputs = inputs
    }
}

/// A model that answers queries: the network being distilled.
///
/// Implementations: `ONNXTeacher` (evaluated in-process), `ProgramTeacher` (a child
/// process over stdin/stdout) and `ServerTeacher` (an inference server over HTTP).
/// Everything else sees only this protocol: a teacher also describes itself for
/// `run.json` and `distill teacher inspect`, so no caller needs to know its type.
public protocol Teacher: AnyObject {
    var inputs: TeacherInputs { get }
    var task: TeacherTask { get }
    /// A one-line description for summaries ("ONNX model m.onnx", "program 'python t.py'").
    var summary: String { get }
    /// The kind `run.json` records: "onnx", "program", "server".
    var kind: String { get }
    /// The teacher's entry in `run.json`.
    var record: RunRecord.TeacherRecord { get }
    /// What `distill teacher inspect` prints: lines of text.
    var inspection: String { get }
    /// Batches `TeacherQuery` may hand to `predict` at the same time, from different
    /// threads; 1 (the default) means one at a time.
    var concurrentBatches: Int { get }

    /// Answers for every row of the batch, row-major: `rowCount × task.outputWidth` values.
    /// - Throws: `TeacherError` when the teacher fails or answers malformed values.
    func predict(_ batch: TeacherBatch) throws -> [Float]
}

extension Teacher {
    public var record: RunRecord.TeacherRecord {
        RunRecord.TeacherRecord(kind: kind, description: summary, task: task)
    }

    public var inspection: String {
        ["teacher: \(summary)", "inputs: " + inputs.inspection, task.inspection].joined(separator: "\n")
    }

    public var concurrentBatches: Int { 1 }
}

extension TeacherInputs {
    /// The inputs in one line, for `inspection`.
    var inspection: String {
        switch self {
        case .anyColumns:
            return "every feature column, by name"
        case .tensors(let tensors):
            return tensors.map { "\($0.name): \($0.elementType.rawValue) × \($0.width.map(String.init) ?? "?")" }
                .joined(separator: ", ")
        }
    }
}

extension TeacherTask {
    /// The task in one line, for `inspection`.
    var inspection: String {
        switch self {
        case .classification(let classes): "task: classification, \(classes.count) classes: \(classes.joined(separator: ", "))"
        case .regression: "task: regression"
        }
    }
}
