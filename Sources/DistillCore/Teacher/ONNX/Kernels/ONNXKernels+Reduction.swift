/// Reductions over axes: ReduceSum, ReduceMean, ReduceMax, ReduceMin, ReduceL1, ReduceL2,
/// ReduceSumSquare.
///
/// Each output value accumulates its inputs in row-major order of the input, in Double
/// for float and double tensors, so results do not depend on how the values are laid out
/// in memory or on the CPU, and a float sum is rounded once.
enum ONNXReductionOps {
    /// Reduces `x` along `axes` (every axis when empty, unless `noopWithEmptyAxes`).
    static func reduce(_ x: ONNXTensor, _ kind: ONNXReduction, axes: [Int], keepDims: Bool,
                       noopWithEmptyAxes: Bool) throws -> ONNXTensor {
        if axes.isEmpty && noopWithEmptyAxes { return x }
        let r = x.rank
        let reduced = axes.isEmpty ? Set(0..<r) : try Set(axes.map { try normalizedAxis($0, rank: r, "Reduce axis") })
        guard reduced.count == (axes.isEmpty ? r : axes.count) else {
            throw ONNXKernelError("Reduce axes \(axes) repeat an axis", kind: .malformedModel)
        }
        let kept = x.shape.enumerated().map { reduced.contains($0.offset) ? 1 : $0.element }
        let outShape = keepDims ? kept : x.shape.enumerated().filter { !reduced.contains($0.offset) }.map(\.element)
        let target = targets(x.shape, reduced: reduced, keptShape: kept)
        let outCount = kept.reduce(1, *)
        let perOutput = Swift.max(1, x.count / Swift.max(outCount, 1))
        let data: ONNXTensorData
        switch x.data {
        case .float(let v):
            data = .float(accumulate(v.map { Double($0) }, target, outCount, perOutput, kind).map { Float($0) })
        case .double(let v):
            data = .double(accumulate(v, target, outCount, perOutput, kind))
        case .int64(let v) where kind == .sum || kind == .max || kind == .min:
            var out = [Int64](repeating: kind == .max ? .min : (kind == .min ? .max : 0), count: outCount)
            for (i, value) in v.enumerated() {
                let o = target[i]
                switch kind {
                case .max: out[o] = Swift.max(out[o], value)
                case .min: out[o] = Swift.min(out[o], value)
                default: out[o] = out[o] &+ value
                }
            }
            data = .int64(out)
        default:
            throw ONNXKernelError("Reduce (\(kind.rawValue)) needs a float or double input (int64 for sum, max and min), got \(x.elementType.rawValue)",
                                  kind: .unsupportedType)
        }
        return ONNXTensor(shape: outShape, data: data)
    }

    /// For every input position, the position of the output value it reduces into.
    private static func targets(_ shape: [Int], reduced: Set<Int>, keptShape: [Int]) -> [Int] {
        var strides = rowMajorStrides(keptShape)
        for a in reduced { strides[a] = 0 }
        return ONNXElementwise.stridedPositions(shape, strides: strides)
    }

    private static func accumulate(_ v: [Double], _ target: [Int], _ outCount: Int, _ perOutput: Int,
                                   _ kind: ONNXReduction) -> [Double] {
        let start: Double = kind == .max ? -.infinity : (kind == .min ? .infinity : 0)
        var out = [Double](repeating: start, count: outCount)
        for (i, x) in v.enumerated() {
            let o = target[i]
            switch kind {
            case .sum, .mean: out[o] += x
            case .l1: out[o] += Swift.abs(x)
            case .l2, .sumSquare: out[o] += x * x
            case .max: out[o] = x.isNaN || out[o].isNaN ? .nan : Swift.max(out[o], x)
            case .min: out[o] = x.isNaN || out[o].isNaN ? .nan : Swift.min(out[o], x)
            }
        }
        switch kind {
        case .mean: return out.map { $0 / Double(perOutput) }
        case .l2: return out.map { $0.squareRoot() }
        default: return out
        }
    }
}
