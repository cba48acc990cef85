/// Elementwise kernels: unary activations (in place) and numpy-broadcast binary arithmetic.
///
/// The switch on the function happens once per tensor; each case is a plain loop over an
/// unsafe buffer, which the compiler vectorises for the simple cases (Relu, Add, Mul).
enum ONNXElementwise {
    /// Applies `function` to every value of `values`, in place, in the values' precision.
    static func apply<T: ONNXReal>(_ function: ONNXUnaryFunction, to values: inout [T]) {
        values.withUnsafeMutableBufferPointer { p in
            let n = p.count
            switch function {
            case .relu:
                for i in 0..<n { p[i] = p[i] < 0 ? 0 : p[i] }
            case .leakyRelu(let alpha):
                let a = T(alpha)
                for i in 0..<n { let x = p[i]; p[i] = x < 0 ? a * x : x }
            case .elu(let alpha):
                let a = T(alpha)
                for i in 0..<n { let x = p[i]; p[i] = x < 0 ? a * (T.portableExp(x) - 1) : x }
            case .selu(let alpha, let gamma):
                let a = T(alpha), g = T(gamma)
                for i in 0..<n { let x = p[i]; p[i] = x <= 0 ? g * a * (T.portableExp(x) - 1) : g * x }
            case .hardSigmoid(let alpha, let beta):
                let a = T(alpha), b = T(beta)
                for i in 0..<n { p[i] = Swift.max(0, Swift.min(1, a * p[i] + b)) }
            case .tanh:
                for i in 0..<n { p[i] = T.portableTanh(p[i]) }
            case .sigmoid:
                for i in 0..<n { p[i] = sigmoid(p[i]) }
            case .softplus:
                for i in 0..<n { p[i] = softplus(p[i]) }
            case .exp:
                for i in 0..<n { p[i] = T.portableExp(p[i]) }
            case .log:
                for i in 0..<n { p[i] = T.portableLog(p[i]) }
            case .neg:
                for i in 0..<n { p[i] = -p[i] }
            case .abs:
                for i in 0..<n { p[i] = Swift.abs(p[i]) }
            case .sqrt:
                for i in 0..<n { p[i] = p[i].squareRoot() }
            case .reciprocal:
                for i in 0..<n { p[i] = 1 / p[i] }
            case .erf:
                for i in 0..<n { p[i] = T.portableErf(p[i]) }
            case .gelu(let tanhApproximation):
                if tanhApproximation {
                    let c = T((2 / Double.pi).squareRoot()), k = T(0.044715)
                    for i in 0..<n {
                        let x = p[i]
                        p[i] = 0.5 * x * (1 + T.portableTanh(c * (x + k * x * x * x)))
                    }
                } else {
                    let r = T(0.5.squareRoot())
                    for i in 0..<n { let x = p[i]; p[i] = 0.5 * x * (1 + T.portableErf(x * r)) }
                }
            case .clip(let lo, let hi):
                // NaN stays NaN, as in onnxruntime. Float bounds of ±greatestFiniteMagnitude
                // stand for "none", so a Double value beyond them is left alone.
                let l: T = lo == -Float.greatestFiniteMagnitude ? -T.infinity : T(lo)
                let h: T = hi == Float.greatestFiniteMagnitude ? T.infinity : T(hi)
                for i in 0..<n { let x = p[i]; p[i] = x < l ? l : (x > h ? h : x) }
            case .mish:
                for i in 0..<n { let x = p[i]; p[i] = x * T.portableTanh(softplus(x)) }
            case .hardSwish:
                let sixth = 1 / T(6)
                for i in 0..<n { let x = p[i]; p[i] = x * Swift.max(0, Swift.min(1, x * sixth + 0.5)) }
            case .celu(let alpha):
                let a = T(alpha)
                for i in 0..<n {
                    let x = p[i]
                    p[i] = Swift.max(0, x) + Swift.min(0, a * (T.portableExp(x / a) - 1))
                }
            case .softsign:
                for i in 0..<n { let x = p[i]; p[i] = x / (1 + Swift.abs(x)) }
            case .thresholdedRelu(let alpha):
                let a = T(alpha)
                for i in 0..<n { let x = p[i]; p[i] = x > a ? x : 0 }
            case .floor:
                for i in 0..<n { p[i] = p[i].rounded(.down) }
            case .ceil:
                for i in 0..<n { p[i] = p[i].rounded(.up) }
            case .sign:
                for i in 0..<n { let x = p[i]; p[i] = x > 0 ? 1 : (x < 0 ? -1 : x) }
            }
        }
    }

    /// σ(x), split by sign so exp never overflows: 1/(1+e^-x) = e^x/(1+e^x).
    @inline(__always) static func sigmoid<T: ONNXReal>(_ x: T) -> T {
        if x >= 0 { return 1 / (1 + T.portableExp(-x)) }
        let e = T.portableExp(x)
        return e / (1 + e)
    }

    /// log(1 + e^x) without overflow for large x.
    @inline(__always) static func softplus<T: ONNXReal>(_ x: T) -> T {
        x > 0 ? x + T.portableLog1p(T.portableExp(-x)) : T.portableLog1p(T.portableExp(x))
    }

    /// The numpy broadcast of two shapes.
    static func broadcastShape(_ a: [Int], _ b: [Int]) throws -> [Int] {
        let r = Swift.max(a.count, b.count)
        var out = [Int](repeating: 1, count: r)
        for i in 0..<r {
            let da = i < r - a.count ? 1 : a[i - (r - a.count)]
            let db = i < r - b.count ? 1 : b[i - (r - b.count)]
            if da == db || db == 1 {
                out[i] = da
            } else if da == 1 {
                out[i] = db
            } else {
                throw ONNXKernelError("shapes \(a) and \(b) cannot be broadcast together")
            }
        }
        return out
    }

    /// Strides of `shape` viewed inside the broadcast `outShape`: 0 along broadcast axes.
    static func broadcastStrides(_ shape: [Int], to outShape: [Int]) -> [Int] {
        let r = outShape.count
        let own = rowMajorStrides(shape)
        var strides = [Int](repeating: 0, count: r)
        for i in 0..<shape.count where shape[i] != 1 {
            strides[r - shape.count + i] = own[i]
        }
        return strides
    }

    /// For every element of `outShape`, the flat position of the element of `shape`
    /// that broadcasting maps to it. Used by the data-moving kernels (Where, strings).
    static func broadcastPositions(_ shape: [Int], to outShape: [Int]) -> [Int] {
        let total = outShape.reduce(1, *)
        if shape == outShape { return Array(0..<total) }
        return stridedPositions(outShape, strides: broadcastStrides(shape, to: outShape))
    }

    /// For every position of `shape` in row-major order, the offset `strides` give it
    /// (a stride of 0 repeats a value along that axis).
    static func stridedPositions(_ shape: [Int], strides: [Int]) -> [Int] {
        let total = shape.reduce(1, *)
        var positions = [Int](repeating: 0, count: total)
        var counter = [Int](repeating: 0, count: shape.count)
        var pos = 0
        for i in 0..<total {
            positions[i] = pos
            var d = shape.count - 1
            while d >= 0 {
                counter[d] += 1
                pos += strides[d]
                if counter[d] < shape[d] { break }
                pos -= strides[d] * counter[d]
                counter[d] = 0
                d -= 1
            }
        }
        return positions
    }

    /// Float `a ∘ b` with numpy broadcasting.
    static func binary(_ function: ONNXBinaryFunction, _ a: ONNXTensor, _ b: ONNXTensor) throws -> ONNXTensor {
        switch (a.data, b.data) {
        case (.float(let x), .float(let y)):
            switch function {
            case .add: return try broadcast(AddOp<Float>.self, x, a.shape, y, b.shape)
            case .sub: return try broadcast(SubOp<Float>.self, x, a.shape, y, b.shape)
            case .mul: return try broadcast(MulOp<Float>.self, x, a.shape, y, b.shape)
            case .div: return try broadcast(DivOp<Float>.self, x, a.shape, y, b.shape)
            case .pow: return try broadcast(PowOp<Float>.self, x, a.shape, y, b.shape)
            case .prelu: return try broadcast(PReluOp<Float>.self, x, a.shape, y, b.shape)
            case .max: return try broadcast(MaxOp<Float>.self, x, a.shape, y, b.shape)
            case .min: return try broadcast(MinOp<Float>.self, x, a.shape, y, b.shape)
            case .fmod: return try broadcast(FmodOp<Float>.self, x, a.shape, y, b.shape)
            case .mod: throw floatMod()
            }
        case (.double(let x), .double(let y)):
            switch function {
            case .add: return try broadcast(AddOp<Double>.self, x, a.shape, y, b.shape)
            case .sub: return try broadcast(SubOp<Double>.self, x, a.shape, y, b.shape)
            case .mul: return try broadcast(MulOp<Double>.self, x, a.shape, y, b.shape)
            case .div: return try broadcast(DivOp<Double>.self, x, a.shape, y, b.shape)
            case .pow: return try broadcast(PowOp<Double>.self, x, a.shape, y, b.shape)
            case .prelu: return try broadcast(PReluOp<Double>.self, x, a.shape, y, b.shape)
            case .max: return try broadcast(MaxOp<Double>.self, x, a.shape, y, b.shape)
            case .min: return try broadcast(MinOp<Double>.self, x, a.shape, y, b.shape)
            case .fmod: return try broadcast(FmodOp<Double>.self, x, a.shape, y, b.shape)
            case .mod: throw floatMod()
            }
        case (.int64(let x), .int64(let y)):
            switch function {
            case .add: return try broadcast(WrappingAddOp.self, x, a.shape, y, b.shape)
            case .sub: return try broadcast(WrappingSubOp.self, x, a.shape, y, b.shape)
            case .mul: return try broadcast(WrappingMulOp.self, x, a.shape, y, b.shape)
            case .div:
                if y.contains(0) { throw ONNXKernelError("integer division by zero", dependsOnValues: true) }
                return try broadcast(IntDivOp.self, x, a.shape, y, b.shape)
            case .max: return try broadcast(IntMaxOp.self, x, a.shape, y, b.shape)
            case .min: return try broadcast(IntMinOp.self, x, a.shape, y, b.shape)
            case .mod, .fmod:
                if y.contains(0) { throw ONNXKernelError("integer Mod by zero", dependsOnValues: true) }
                return function == .mod ? try broadcast(IntModOp.self, x, a.shape, y, b.shape)
                    : try broadcast(IntFmodOp.self, x, a.shape, y, b.shape)
            case .pow, .prelu:
                throw ONNXKernelError("\(function.rawValue) on int64 tensors is not supported", kind: .unsupportedType)
            }
        case (.float(let x), .double(let y)) where function == .pow:
            // Pow allows an exponent of another type; compute in float.
            return try broadcast(PowOp<Float>.self, x, a.shape, y.map { Float($0) }, b.shape)
        case (.float(let x), .int64(let y)) where function == .pow:
            return try broadcast(PowOp<Float>.self, x, a.shape, y.map { Float($0) }, b.shape)
        default:
            throw ONNXKernelError(
                "\(function.rawValue) needs two operands of the same numeric type, got \(a.elementType.rawValue) and \(b.elementType.rawValue)",
                kind: .unsupportedType)
        }
    }

    private static func floatMod() -> ONNXKernelError {
        ONNXKernelError("Mod with fmod=0 is defined for integers only; a float Mod needs fmod=1", kind: .malformedModel)
    }

    /// The broadcast loop, specialised per operation: same-shape and scalar operands take a
    /// flat loop; otherwise the last axis is the inner loop and the outer axes are counted.
    static func broadcast<Op: BinaryOperation>(
        _ op: Op.Type, _ x: [Op.Element], _ xShape: [Int], _ y: [Op.Element], _ yShape: [Int]
    ) throws -> ONNXTensor where Op.Element: ONNXTensorElement {
        let outShape = try broadcastShape(xShape, yShape)
        try ONNXLimits.check(outShape, "broadcast result")
        let total = outShape.reduce(1, *)
        var out = [Op.Element](repeating: .zero, count: total)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                out.withUnsafeMutableBufferPointer { op_ in
                    if xp.count == total && yp.count == total {
                        for i in 0..<total { op_[i] = Op.apply(xp[i], yp[i]) }
                    } else if yp.count == 1 && xp.count == total {
                        let s = yp[0]
                        for i in 0..<total { op_[i] = Op.apply(xp[i], s) }
                    } else if xp.count == 1 && yp.count == total {
                        let s = xp[0]
                        for i in 0..<total { op_[i] = Op.apply(s, yp[i]) }
                    } else if total > 0 {
                        let r = outShape.count
                        let sx = broadcastStrides(xShape, to: outShape)
                        let sy = broadcastStrides(yShape, to: outShape)
                        let inner = outShape[r - 1]
                        let ix = sx[r - 1], iy = sy[r - 1]
                        let outer = total / Swift.max(inner, 1)
                        var counter = [Int](repeating: 0, count: r)
                        var px = 0, py = 0, po = 0
                        for _ in 0..<outer {
                            if ix == 1 && iy == 1 {
                                for j in 0..<inner { op_[po + j] = Op.apply(xp[px + j], yp[py + j]) }
                            } else if ix == 1 && iy == 0 {
                                let s = yp[py]
                                for j in 0..<inner { op_[po + j] = Op.apply(xp[px + j], s) }
                            } else if ix == 0 && iy == 1 {
                                let s = xp[px]
                                for j in 0..<inner { op_[po + j] = Op.apply(s, yp[py + j]) }
                            } else {
                                for j in 0..<inner { op_[po + j] = Op.apply(xp[px + j * ix], yp[py + j * iy]) }
                            }
                            po += inner
                            var d = r - 2
                            while d >= 0 {
                                counter[d] += 1
                                px += sx[d]
                                py += sy[d]
                                if counter[d] < outShape[d] { break }
                                px -= sx[d] * counter[d]
                                py -= sy[d] * counter[d]
                                counter[d] = 0
                                d -= 1
                            }
                        }
                    }
                }
            }
        }
        return ONNXTensor(shape: outShape, data: Op.Element.wrap(out))
    }
}

/// A numeric element type a tensor can hold, so generic kernels can rebuild a tensor.
protocol ONNXTensorElement: Numeric, Sendable {
    static func wrap(_ values: [Self]) -> ONNXTensorData
}

extension Float: ONNXTensorElement { static func wrap(_ values: [Float]) -> ONNXTensorData { .float(values) } }
extension Double: ONNXTensorElement { static func wrap(_ values: [Double]) -> ONNXTensorData { .double(values) } }

/// A floating-point element type with the portable transcendental functions, so one
/// generic kernel serves float and double models.
protocol ONNXReal: BinaryFloatingPoint, ONNXTensorElement {
    static func portableExp(_ x: Self) -> Self
    static func portableLog(_ x: Self) -> Self
    static func portableLog1p(_ x: Self) -> Self
    static func portableTanh(_ x: Self) -> Self
    static func portableErf(_ x: Self) -> Self
}

extension Float: ONNXReal {
    @inline(__always) static func portableExp(_ x: Float) -> Float { PortableMath.exp(x) }
    @inline(__always) static func portableLog(_ x: Float) -> Float { PortableMath.log(x) }
    @inline(__always) static func portableLog1p(_ x: Float) -> Float { PortableMath.log1p(x) }
    @inline(__always) static func portableTanh(_ x: Float) -> Float { PortableMath.tanh(x) }
    @inline(__always) static func portableErf(_ x: Float) -> Float { PortableMath.erf(x) }
}

extension Double: ONNXReal {
    @inline(__always) static func portableExp(_ x: Double) -> Double { PortableMath.exp(x) }
    @inline(__always) static func portableLog(_ x: Double) -> Double { PortableMath.log(x) }
    @inline(__always) static func portableLog1p(_ x: Double) -> Double { PortableMath.log1p(x) }
    @inline(__always) static func portableTanh(_ x: Double) -> Double { PortableMath.tanh(x) }
    @inline(__always) static func portableErf(_ x: Double) -> Double { PortableMath.erf(x) }
}
extension Int64: ONNXTensorElement { static func wrap(_ values: [Int64]) -> ONNXTensorData { .int64(values) } }

/// A binary function as a type, so the broadcast loop is specialised and inlined per
/// operation instead of calling a closure for every element.
protocol BinaryOperation {
    associatedtype Element
    static func apply(_ a: Element, _ b: Element) -> Element
}

enum AddOp<T: FloatingPoint>: BinaryOperation { @inline(__always) static func apply(_ a: T, _ b: T) -> T { a + b } }
enum SubOp<T: FloatingPoint>: BinaryOperation { @inline(__always) static func apply(_ a: T, _ b: T) -> T { a - b } }
enum MulOp<T: FloatingPoint>: BinaryOperation { @inline(__always) static func apply(_ a: T, _ b: T) -> T { a * b } }
enum DivOp<T: FloatingPoint>: BinaryOperation { @inline(__always) static func apply(_ a: T, _ b: T) -> T { a / b } }
enum PowOp<T: BinaryFloatingPoint>: BinaryOperation {
    @inline(__always) static func apply(_ a: T, _ b: T) -> T { T(PortableMath.pow(Double(a), Double(b))) }
}
enum PReluOp<T: FloatingPoint>: BinaryOperation { @inline(__always) static func apply(_ a: T, _ b: T) -> T { a < 0 ? a * b : a } }
enum WrappingAddOp: BinaryOperation { @inline(__always) static func apply(_ a: Int64, _ b: Int64) -> Int64 { a &+ b } }
enum WrappingSubOp: BinaryOperation { @inline(__always) static func apply(_ a: Int64, _ b: Int64) -> Int64 { a &- b } }
enum WrappingMulOp: BinaryOperation { @inline(__always) static func apply(_ a: Int64, _ b: Int64) -> Int64 { a &* b } }
/// Integer division truncating toward zero (C semantics, as onnxruntime); the caller
/// rejects zero divisors first.
enum IntDivOp: BinaryOperation {
    @inline(__always) static func apply(_ a: Int64, _ b: Int64) -> Int64 { b == -1 ? 0 &- a : a / b }
}
/// Max and Min propagate NaN, as numpy's maximum and minimum do.
enum MaxOp<T: FloatingPoint>: BinaryOperation {
    @inline(__always) static func apply(_ a: T, _ b: T) -> T { a.isNaN || b.isNaN ? .nan : Swift.max(a, b) }
}
enum MinOp<T: FloatingPoint>: BinaryOperation {
    @inline(__always) static func apply(_ a: T, _ b: T) -> T { a.isNaN || b.isNaN ? .nan : Swift.min(a, b) }
}
/// C's fmod: a − trunc(a/b)·b, exact, with the sign of a.
enum FmodOp<T: FloatingPoint>: BinaryOperation {
    @inline(__always) static func apply(_ a: T, _ b: T) -> T { a.truncatingRemainder(dividingBy: b) }
}
enum IntMaxOp: BinaryOperation { @inline(__always) static func apply(_ a: Int64, _ b: Int64) -> Int64 { Swift.max(a, b) } }
enum IntMinOp: BinaryOperation { @inline(__always) static func apply(_ a: Int64, _ b: Int64) -> Int64 { Swift.min(a, b) } }
/// Integer remainder with the sign of the divisor (Mod fmod=0); the caller rejects zero.
enum IntModOp: BinaryOperation {
    @inline(__always) static func apply(_ a: Int64, _ b: Int64) -> Int64 {
        let r = b == -1 ? 0 : a % b
        return r != 0 && (r < 0) != (b < 0) ? r + b : r
    }
}
/// Integer remainder with the sign of the dividend (Mod fmod=1); the caller rejects zero.
enum IntFmodOp: BinaryOperation {
    @inline(__always) static func apply(_ a: Int64, _ b: Int64) -> Int64 { b == -1 ? 0 : a % b }
}
