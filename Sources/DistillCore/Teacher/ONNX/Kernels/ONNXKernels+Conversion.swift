import Foundation

/// Kernels that convert or select values: Cast, Where, ArgMax.
enum ONNXConversion {
    /// Cast to `type`, following C conversions as onnxruntime does: floats to integers
    /// truncate toward zero, NaN and out-of-range values become `Int64.min` (what x86
    /// conversion instructions produce), anything nonzero is `true`, strings parse as
    /// numbers.
    static func cast(_ x: ONNXTensor, to type: ONNXElementType) throws -> ONNXTensor {
        if x.elementType == type { return x }
        let data: ONNXTensorData
        switch (x.data, type) {
        case (.float(let v), .double): data = .double(v.map { Double($0) })
        case (.float(let v), .int64): data = .int64(v.map(toInt64))
        case (.float(let v), .bool): data = .bool(v.map { $0 != 0 })
        case (.float(let v), .string): data = .string(v.map { "\($0)" })
        case (.double(let v), .float): data = .float(v.map { Float($0) })
        case (.double(let v), .int64): data = .int64(v.map(toInt64))
        case (.double(let v), .bool): data = .bool(v.map { $0 != 0 })
        case (.double(let v), .string): data = .string(v.map { "\($0)" })
        case (.int64(let v), .float): data = .float(v.map { Float($0) })
        case (.int64(let v), .double): data = .double(v.map { Double($0) })
        case (.int64(let v), .bool): data = .bool(v.map { $0 != 0 })
        case (.int64(let v), .string): data = .string(v.map { String($0) })
        case (.bool(let v), .float): data = .float(v.map { $0 ? 1 : 0 })
        case (.bool(let v), .double): data = .double(v.map { $0 ? 1 : 0 })
        case (.bool(let v), .int64): data = .int64(v.map { $0 ? 1 : 0 })
        case (.bool(let v), .string): data = .string(v.map { $0 ? "1" : "0" })
        case (.string(let v), _):
            var parsed: [Double] = []
            parsed.reserveCapacity(v.count)
            for s in v {
                guard let d = Double(s.trimmingCharacters(in: .whitespaces)) else {
                    throw ONNXKernelError("Cast cannot read '\(s)' as a number", dependsOnValues: true)
                }
                parsed.append(d)
            }
            return try cast(ONNXTensor(shape: x.shape, data: .double(parsed)), to: type)
        default:
            return x
        }
        return ONNXTensor(shape: x.shape, data: data)
    }

    @inline(__always) static func toInt64<F: BinaryFloatingPoint>(_ v: F) -> Int64 {
        Int64(exactly: v.rounded(.towardZero)) ?? (v.isNaN || v >= F(Int64.max) || v < F(Int64.min) ? Int64.min : Int64(v))
    }

    /// Where(condition, x, y) with three-way numpy broadcasting.
    static func select(_ condition: ONNXTensor, _ x: ONNXTensor, _ y: ONNXTensor) throws -> ONNXTensor {
        guard case .bool(let cond) = condition.data else {
            throw ONNXKernelError("Where condition must be bool, got \(condition.elementType.rawValue)", kind: .unsupportedType)
        }
        guard x.elementType == y.elementType else {
            throw ONNXKernelError("Where branches differ in type: \(x.elementType.rawValue) and \(y.elementType.rawValue)", kind: .unsupportedType)
        }
        let outShape = try ONNXElementwise.broadcastShape(
            try ONNXElementwise.broadcastShape(condition.shape, x.shape), y.shape)
        try ONNXLimits.check(outShape, "Where result")
        let pc = ONNXElementwise.broadcastPositions(condition.shape, to: outShape)
        let px = ONNXElementwise.broadcastPositions(x.shape, to: outShape)
        let py = ONNXElementwise.broadcastPositions(y.shape, to: outShape)
        func choose<T>(_ a: [T], _ b: [T]) -> [T] {
            (0..<pc.count).map { cond[pc[$0]] ? a[px[$0]] : b[py[$0]] }
        }
        let data: ONNXTensorData
        switch (x.data, y.data) {
        case (.float(let a), .float(let b)): data = .float(choose(a, b))
        case (.double(let a), .double(let b)): data = .double(choose(a, b))
        case (.int64(let a), .int64(let b)): data = .int64(choose(a, b))
        case (.string(let a), .string(let b)): data = .string(choose(a, b))
        case (.bool(let a), .bool(let b)): data = .bool(choose(a, b))
        default: throw ONNXKernelError("Where branches differ in type", kind: .unsupportedType)
        }
        return ONNXTensor(shape: outShape, data: data)
    }

    /// Index of the largest value along `axis` (first or last of ties).
    static func argMax(_ x: ONNXTensor, axis: Int, keepDims: Bool, selectLastIndex: Bool) throws -> ONNXTensor {
        let values: [Double]
        switch x.data {
        case .float(let v): values = v.map { Double($0) }
        case .double(let v): values = v
        case .int64(let v): values = v.map { Double($0) }
        default: throw ONNXKernelError("ArgMax needs a numeric input, got \(x.elementType.rawValue)", kind: .unsupportedType)
        }
        let a = try normalizedAxis(axis, rank: x.rank, "ArgMax axis")
        let outer = x.shape[..<a].reduce(1, *)
        let length = x.shape[a]
        let inner = x.shape[(a + 1)...].reduce(1, *)
        guard length > 0 else { throw ONNXKernelError("ArgMax over an empty axis") }
        var out = [Int64](repeating: 0, count: outer * inner)
        for o in 0..<outer {
            for i in 0..<inner {
                let base = o * length * inner + i
                var best = 0
                var bestValue = values[base]
                for j in 1..<max(length, 1) {
                    let v = values[base + j * inner]
                    if v > bestValue || (selectLastIndex && v == bestValue) {
                        best = j
                        bestValue = v
                    }
                }
                out[o * inner + i] = Int64(best)
            }
        }
        var shape = x.shape
        if keepDims { shape[a] = 1 } else { shape.remove(at: a) }
        return ONNXTensor(shape: shape, data: .int64(out))
    }
}
