/// Why an ONNX model could not be loaded or evaluated, with where it happened.
///
/// Every failure names the model file and, where one is involved, the node (its name, or
/// its operator type and position when the exporter left it unnamed), so the message can
/// be acted on without opening the model in another tool.
public struct ONNXError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The broad category, for callers that react differently (e.g. exit codes).
    public enum Kind: String, Sendable, Equatable {
        /// The file could not be read at all.
        case unreadableFile
        /// The bytes are not a well-formed ONNX model (truncated, garbage, dangling names).
        case malformedModel
        /// The model uses an operator, opset or attribute the evaluator does not implement.
        case unsupportedOperator
        /// The model uses an element type or tensor layout the evaluator does not implement.
        case unsupportedType
        /// No output fits what a teacher must answer, or the requested output is unusable.
        case outputSelection
        /// The rows given to `predict` do not fit the model's inputs.
        case invalidInput
        /// An operator failed on the values of a batch (e.g. an index out of range).
        case evaluationFailed
    }

    public var kind: Kind
    /// The model file, as the user named it.
    public var file: String
    /// The node involved, if any: `'name' (OpType)`.
    public var node: String?
    /// What went wrong and what to do about it.
    public var message: String
    /// Whether the failure depends on the values of the rows (an unknown category, an
    /// index out of range), as opposed to the model's structure. The load-time check on a
    /// sample row only rejects structural failures.
    var dependsOnValues = false

    public init(_ kind: Kind, file: String, node: String? = nil, _ message: String) {
        self.kind = kind
        self.file = file
        self.node = node
        self.message = message
    }

    public var description: String {
        if let node {
            return "ONNX model \(file), node \(node): \(message)"
        }
        return "ONNX model \(file): \(message)"
    }
}

/// A failure inside an operator kernel, before the evaluator knows the file and node.
///
/// Kernels throw this; the evaluator wraps it into an `ONNXError` that names both.
struct ONNXKernelError: Error {
    var kind: ONNXError.Kind
    var message: String
    /// See `ONNXError.dependsOnValues`.
    var dependsOnValues: Bool

    init(_ message: String, kind: ONNXError.Kind = .evaluationFailed, dependsOnValues: Bool = false) {
        self.kind = kind
        self.message = message
        self.dependsOnValues = dependsOnValues
    }
}
