/// The element types the evaluator computes with.
///
/// ONNX has many more; narrower integers (int8…int32, uint8…uint64) are widened to
/// `int64` when loaded, which is exact for every value those types hold except uint64
/// above `Int64.max` (rejected). Half and bfloat16 floats are not supported.
enum ONNXElementType: String, Sendable, Equatable {
    case float, double, int64, string, bool

    /// The element type for an ONNX `TensorProto.DataType` code, or `nil` if unsupported.
    init?(onnxCode code: Int32) {
        switch code {
        case 1: self = .float
        case 11: self = .double
        case 2, 3, 4, 5, 6, 7, 12, 13: self = .int64
        case 8: self = .string
        case 9: self = .bool
        default: return nil
        }
    }

    /// A readable name for an ONNX `TensorProto.DataType` code, for error messages.
    static func onnxName(_ code: Int32) -> String {
        let names: [Int32: String] = [
            0: "undefined", 1: "float", 2: "uint8", 3: "int8", 4: "uint16", 5: "int16",
            6: "int32", 7: "int64", 8: "string", 9: "bool", 10: "float16", 11: "double",
            12: "uint32", 13: "uint64", 14: "complex64", 15: "complex128", 16: "bfloat16",
        ]
        return names[code] ?? "type \(code)"
    }
}

/// The values of a tensor, row-major, in one of the supported element types.
enum ONNXTensorData: Sendable {
    case float([Float])
    case double([Double])
    case int64([Int64])
    case string([String])
    case bool([Bool])

    var elementType: ONNXElementType {
        switch self {
        case .float: .float
        case .double: .double
        case .int64: .int64
        case .string: .string
        case .bool: .bool
        }
    }

    var count: Int {
        switch self {
        case .float(let a): a.count
        case .double(let a): a.count
        case .int64(let a): a.count
        case .string(let a): a.count
        case .bool(let a): a.count
        }
    }

    /// The elements at the given flat positions, in order; the building block of every
    /// operator that only moves data (Gather, Transpose, Where, ArrayFeatureExtractor).
    func picking(_ positions: [Int]) -> ONNXTensorData {
        @inline(__always) func pick<T>(_ a: [T]) -> [T] {
            a.withUnsafeBufferPointer { src in positions.map { src[$0] } }
        }
        switch self {
        case .float(let a): return .float(pick(a))
        case .double(let a): return .double(pick(a))
        case .int64(let a): return .int64(pick(a))
        case .string(let a): return .string(pick(a))
        case .bool(let a): return .bool(pick(a))
        }
    }
}

/// A dense tensor: a shape and its row-major values.
///
/// A scalar has shape `[]` and one element. Arrays are copy-on-write, so passing a
/// tensor around is cheap; kernels that can work in place take the storage out with
/// `takeFloats()` so that they hold the only reference.
struct ONNXTensor: Sendable {
    var shape: [Int]
    var data: ONNXTensorData

    init(shape: [Int], data: ONNXTensorData) {
        precondition(shape.reduce(1, *) == data.count, "tensor shape \(shape) does not match \(data.count) values")
        self.shape = shape
        self.data = data
    }

    init(shape: [Int], floats: [Float]) { self.init(shape: shape, data: .float(floats)) }

    var elementType: ONNXElementType { data.elementType }
    var count: Int { data.count }
    var rank: Int { shape.count }

    /// Moves the float values out, leaving this tensor empty, so the caller can mutate
    /// them without a copy; `nil` if the tensor is not float.
    mutating func takeFloats() -> [Float]? {
        guard case .float(let values) = data else { return nil }
        data = .float([])
        shape = [0]
        return values
    }

    /// The float values, or a kernel error naming `role` if the tensor is another type.
    func floats(_ role: String) throws -> [Float] {
        guard case .float(let values) = data else {
            throw ONNXKernelError("\(role) must be float, got \(elementType.rawValue)", kind: .unsupportedType)
        }
        return values
    }

    /// The values as integers, for axes, shapes and indices given as tensors.
    func integers(_ role: String) throws -> [Int] {
        switch data {
        case .int64(let a): return a.map { Int($0) }
        case .bool(let a): return a.map { $0 ? 1 : 0 }
        default:
            throw ONNXKernelError("\(role) must be an integer tensor, got \(elementType.rawValue)", kind: .unsupportedType)
        }
    }

    /// The single value of a one-element float tensor (Clip bounds, scalars).
    func scalarFloat(_ role: String) throws -> Float {
        guard count == 1 else { throw ONNXKernelError("\(role) must hold one value, got \(count)") }
        switch data {
        case .float(let a): return a[0]
        case .double(let a): return Float(a[0])
        case .int64(let a): return Float(a[0])
        default: throw ONNXKernelError("\(role) must be numeric, got \(elementType.rawValue)", kind: .unsupportedType)
        }
    }
}

/// Normalises a possibly negative axis against `rank`, as ONNX operators define it; the
/// result indexes an existing dimension (so a scalar has no valid axis).
func normalizedAxis(_ axis: Int, rank: Int, _ role: String = "axis") throws -> Int {
    let a = axis < 0 ? axis + rank : axis
    guard a >= 0, a < rank else {
        throw ONNXKernelError("\(role) \(axis) is out of range for a tensor of rank \(rank)")
    }
    return a
}

/// Row-major strides of a shape.
func rowMajorStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var s = 1
    for i in stride(from: shape.count - 1, through: 0, by: -1) {
        strides[i] = s
        s *= shape[i]
    }
    return strides
}

/// Bounds on tensor sizes, so a malformed or hostile model fails with an error instead of
/// overflowing an integer or exhausting memory.
enum ONNXLimits {
    /// The most elements one tensor may hold (1 GiB of floats). Evaluation runs on chunks
    /// of a few hundred rows, so real networks stay far below it.
    static let maxElements = 1 << 28

    /// The number of elements of `shape`, or `nil` if a dimension is negative or the
    /// product overflows at any step (so later code may multiply the dimensions freely).
    static func elementCount(_ shape: [Int]) -> Int? {
        var n = 1
        for d in shape {
            guard d >= 0 else { return nil }
            let (p, overflow) = n.multipliedReportingOverflow(by: d)
            if overflow { return nil }
            n = p
        }
        return n
    }

    /// Checks that a tensor of `shape` may be created.
    /// - Throws: `ONNXKernelError` naming `what` when it is too large.
    static func check(_ shape: [Int], _ what: String) throws {
        guard let n = elementCount(shape), n <= maxElements else {
            throw ONNXKernelError("\(what) of shape \(shape) would exceed \(maxElements) elements", kind: .unsupportedType)
        }
    }
}
