/// Kernels giving or taking bool tensors: comparisons (Equal, Greater, …) and logic
/// (And, Or, Xor, Not), with numpy broadcasting.
enum ONNXComparisonOps {
    /// `a op b` elementwise; NaN compares unequal and unordered, as in IEEE 754.
    static func compare(_ op: ONNXComparison, _ a: ONNXTensor, _ b: ONNXTensor) throws -> ONNXTensor {
        switch (a.data, b.data) {
        case (.float(let x), .float(let y)): return try zipped(a.shape, x, b.shape, y) { test(op, $0, $1) }
        case (.double(let x), .double(let y)): return try zipped(a.shape, x, b.shape, y) { test(op, $0, $1) }
        case (.int64(let x), .int64(let y)): return try zipped(a.shape, x, b.shape, y) { test(op, $0, $1) }
        case (.string(let x), .string(let y)) where op == .equal: return try zipped(a.shape, x, b.shape, y) { $0 == $1 }
        case (.bool(let x), .bool(let y)) where op == .equal: return try zipped(a.shape, x, b.shape, y) { $0 == $1 }
        default:
            throw ONNXKernelError(
                "\(op.rawValue) needs two operands of the same numeric type, got \(a.elementType.rawValue) and \(b.elementType.rawValue)",
                kind: .unsupportedType)
        }
    }

    /// And, Or or Xor of two bool tensors.
    static func logical(_ f: ONNXLogicalFunction, _ a: ONNXTensor, _ b: ONNXTensor) throws -> ONNXTensor {
        guard case .bool(let x) = a.data, case .bool(let y) = b.data else {
            throw ONNXKernelError("\(f.rawValue) needs bool operands, got \(a.elementType.rawValue) and \(b.elementType.rawValue)",
                                  kind: .unsupportedType)
        }
        switch f {
        case .and: return try zipped(a.shape, x, b.shape, y) { $0 && $1 }
        case .or: return try zipped(a.shape, x, b.shape, y) { $0 || $1 }
        case .xor: return try zipped(a.shape, x, b.shape, y) { $0 != $1 }
        }
    }

    /// Not of a bool tensor.
    static func not(_ a: ONNXTensor) throws -> ONNXTensor {
        guard case .bool(let x) = a.data else {
            throw ONNXKernelError("Not needs a bool input, got \(a.elementType.rawValue)", kind: .unsupportedType)
        }
        return ONNXTensor(shape: a.shape, data: .bool(x.map { !$0 }))
    }

    @inline(__always) private static func test<T: Comparable>(_ op: ONNXComparison, _ x: T, _ y: T) -> Bool {
        switch op {
        case .equal: x == y
        case .greater: x > y
        case .less: x < y
        case .greaterOrEqual: x >= y
        case .lessOrEqual: x <= y
        }
    }

    /// Applies `f` to the broadcast pairs of `x` and `y`, giving bool.
    private static func zipped<T>(_ xShape: [Int], _ x: [T], _ yShape: [Int], _ y: [T],
                                  _ f: (T, T) -> Bool) throws -> ONNXTensor {
        let shape = try ONNXElementwise.broadcastShape(xShape, yShape)
        try ONNXLimits.check(shape, "comparison result")
        let px = ONNXElementwise.broadcastPositions(xShape, to: shape)
        let py = ONNXElementwise.broadcastPositions(yShape, to: shape)
        return ONNXTensor(shape: shape, data: .bool((0..<px.count).map { f(x[px[$0]], y[py[$0]]) }))
    }
}
