/// Kernels that cut, repeat or make tensors from shapes: Slice, Split, Expand,
/// ConstantOfShape, Range.
enum ONNXSlicing {
    /// Slice: for each listed axis, the elements start, start + step, … before end.
    ///
    /// Negative starts and ends count from the end of the axis; both are then clamped to
    /// the axis ([0, dim] for positive steps, [−1, dim − 1] for negative ones), so
    /// exporters' "to the end" sentinels (INT64_MAX) work. Axes default to 0, 1, …;
    /// steps to 1.
    static func slice(_ x: ONNXTensor, starts: [Int], ends: [Int], axes: [Int]?, steps: [Int]?) throws -> ONNXTensor {
        let r = x.rank
        let axes = axes ?? Array(0..<starts.count)
        let steps = steps ?? [Int](repeating: 1, count: starts.count)
        guard ends.count == starts.count, axes.count == starts.count, steps.count == starts.count else {
            throw ONNXKernelError("Slice starts \(starts), ends \(ends), axes \(axes) and steps \(steps) differ in length",
                                  kind: .malformedModel)
        }
        var begin = [Int](repeating: 0, count: r)
        var step = [Int](repeating: 1, count: r)
        var outShape = x.shape
        var seen = Set<Int>()
        for k in starts.indices {
            let a = try normalizedAxis(axes[k], rank: r, "Slice axis")
            guard seen.insert(a).inserted else { throw ONNXKernelError("Slice axes \(axes) repeat an axis", kind: .malformedModel) }
            let dim = x.shape[a], s = steps[k]
            guard s != 0 else { throw ONNXKernelError("Slice step is 0", kind: .malformedModel) }
            var lo = starts[k] < 0 ? starts[k] &+ dim : starts[k]
            var hi = ends[k] < 0 ? ends[k] &+ dim : ends[k]
            if s > 0 {
                lo = Swift.min(Swift.max(lo, 0), dim)
                hi = Swift.min(Swift.max(hi, 0), dim)
                outShape[a] = hi > lo ? (hi - lo + s - 1) / s : 0
            } else {
                lo = Swift.min(Swift.max(lo, 0), dim - 1)
                hi = Swift.min(Swift.max(hi, -1), dim - 1)
                outShape[a] = lo > hi ? (lo - hi - s - 1) / -s : 0
            }
            begin[a] = lo
            step[a] = s
        }
        let strides = rowMajorStrides(x.shape)
        let total = outShape.reduce(1, *)
        var positions = [Int](repeating: 0, count: total)
        var counter = [Int](repeating: 0, count: r)
        var pos = zip(begin, strides).reduce(0) { $0 + $1.0 * $1.1 }
        for i in 0..<total {
            positions[i] = pos
            var d = r - 1
            while d >= 0 {
                counter[d] += 1
                pos += step[d] * strides[d]
                if counter[d] < outShape[d] { break }
                pos -= step[d] * strides[d] * counter[d]
                counter[d] = 0
                d -= 1
            }
        }
        return ONNXTensor(shape: outShape, data: x.data.picking(positions))
    }

    /// Split along `axis` into parts of the given sizes, or `count` equal parts (the last
    /// one smaller when `uneven`, as opset 18's num_outputs allows).
    static func split(_ x: ONNXTensor, axis: Int, sizes: [Int]?, count: Int, uneven: Bool) throws -> [ONNXTensor] {
        let a = try normalizedAxis(axis, rank: x.rank, "Split axis")
        let dim = x.shape[a]
        var parts: [Int]
        if let sizes, !sizes.isEmpty {
            parts = sizes
        } else if dim % count == 0 {
            parts = [Int](repeating: dim / count, count: count)
        } else if uneven {
            let chunk = (dim + count - 1) / count
            parts = (0..<count).map { Swift.max(0, Swift.min(chunk, dim - $0 * chunk)) }
        } else {
            throw ONNXKernelError("Split cannot cut axis \(a) of size \(dim) into \(count) equal parts")
        }
        guard parts.count == count, parts.allSatisfy({ $0 >= 0 }), parts.reduce(0, +) == dim else {
            throw ONNXKernelError("Split sizes \(parts) do not cut axis \(a) of size \(dim) into the node's \(count) outputs")
        }
        var start = 0
        return try parts.map { n in
            defer { start += n }
            return try slice(x, starts: [start], ends: [start + n], axes: [a], steps: nil)
        }
    }

    /// Expand: `x` broadcast with `shape` (either side may have size 1).
    static func expand(_ x: ONNXTensor, to shape: [Int]) throws -> ONNXTensor {
        guard shape.allSatisfy({ $0 >= 0 }) else { throw ONNXKernelError("Expand shape \(shape) has a negative dimension") }
        let out = try ONNXElementwise.broadcastShape(x.shape, shape)
        try ONNXLimits.check(out, "Expand result")
        if out == x.shape { return x }
        return ONNXTensor(shape: out, data: x.data.picking(ONNXElementwise.broadcastPositions(x.shape, to: out)))
    }

    /// ConstantOfShape: a tensor of `shape` holding `value`'s one element everywhere.
    static func constantOfShape(_ shape: [Int], value: ONNXTensor) throws -> ONNXTensor {
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw ONNXKernelError("ConstantOfShape shape \(shape) has a negative dimension")
        }
        try ONNXLimits.check(shape, "ConstantOfShape result")
        return ONNXTensor(shape: shape, data: value.data.picking([Int](repeating: 0, count: shape.reduce(1, *))))
    }

    /// Range: start, start + delta, … while before limit (ceil((limit − start) / delta)
    /// values, none if negative).
    static func range(_ start: ONNXTensor, _ limit: ONNXTensor, _ delta: ONNXTensor) throws -> ONNXTensor {
        guard start.count == 1, limit.count == 1, delta.count == 1 else {
            throw ONNXKernelError("Range start, limit and delta must be scalars")
        }
        switch (start.data, limit.data, delta.data) {
        case (.int64(let s), .int64(let l), .int64(let d)):
            guard d[0] != 0 else { throw ONNXKernelError("Range delta is 0") }
            let span = Double(l[0]) - Double(s[0])
            let n = try count(span / Double(d[0]))
            return ONNXTensor(shape: [n], data: .int64((0..<n).map { s[0] &+ Int64($0) &* d[0] }))
        case (.float(let s), .float(let l), .float(let d)):
            let n = try count(Double(l[0] - s[0]) / Double(d[0]))
            return ONNXTensor(shape: [n], data: .float((0..<n).map { s[0] + Float($0) * d[0] }))
        case (.double(let s), .double(let l), .double(let d)):
            let n = try count((l[0] - s[0]) / d[0])
            return ONNXTensor(shape: [n], data: .double((0..<n).map { s[0] + Double($0) * d[0] }))
        default:
            throw ONNXKernelError("Range needs start, limit and delta of one numeric type", kind: .unsupportedType)
        }
    }

    private static func count(_ steps: Double) throws -> Int {
        guard steps.isFinite else { throw ONNXKernelError("Range has no finite length (delta 0 or infinite bounds)") }
        let n = Swift.max(0, steps.rounded(.up))
        guard n <= Double(ONNXLimits.maxElements) else { throw ONNXKernelError("Range would hold \(n) values") }
        return Int(n)
    }
}
