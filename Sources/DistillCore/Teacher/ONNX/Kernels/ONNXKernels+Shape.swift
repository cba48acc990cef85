/// Kernels that change a tensor's shape or move its values without arithmetic.
enum ONNXShapeOps {
    /// Reshape to `target`, where 0 copies the input dimension (unless `allowZero`) and
    /// one −1 is inferred.
    static func reshape(_ x: ONNXTensor, to target: [Int], allowZero: Bool) throws -> ONNXTensor {
        var shape = target
        var inferred: Int?
        for (i, d) in target.enumerated() {
            if d == 0 && !allowZero {
                guard i < x.rank else { throw ONNXKernelError("Reshape target \(target) copies dimension \(i) of a rank-\(x.rank) tensor") }
                shape[i] = x.shape[i]
            } else if d == -1 {
                guard inferred == nil else { throw ONNXKernelError("Reshape target \(target) has more than one -1") }
                inferred = i
            } else if d < 0 {
                throw ONNXKernelError("Reshape target \(target) has a negative dimension")
            }
        }
        if let i = inferred {
            guard let known = ONNXLimits.elementCount(shape.enumerated().filter { $0.offset != i }.map(\.element)),
                  known > 0, x.count % known == 0 else {
                throw ONNXKernelError("cannot reshape \(x.shape) to \(target)")
            }
            shape[i] = x.count / known
        }
        guard ONNXLimits.elementCount(shape) == x.count else {
            throw ONNXKernelError("cannot reshape \(x.shape) (\(x.count) values) to \(target)")
        }
        var y = x
        y.shape = shape
        return y
    }

    /// Flatten to [prod(dims before axis), prod(dims from axis)].
    static func flatten(_ x: ONNXTensor, axis: Int) throws -> ONNXTensor {
        let a = axis < 0 ? axis + x.rank : axis
        guard a >= 0, a <= x.rank else { throw ONNXKernelError("Flatten axis \(axis) is out of range for rank \(x.rank)") }
        var y = x
        y.shape = [x.shape[..<a].reduce(1, *), x.shape[a...].reduce(1, *)]
        return y
    }

    /// Removes the listed axes (each of size 1), or every axis of size 1 when `axes` is nil.
    static func squeeze(_ x: ONNXTensor, axes: [Int]?) throws -> ONNXTensor {
        var y = x
        if let axes {
            let normalized = try Set(axes.map { try normalizedAxis($0, rank: x.rank, "Squeeze axis") })
            for a in normalized where x.shape[a] != 1 {
                throw ONNXKernelError("Squeeze axis \(a) has size \(x.shape[a]), not 1 (input shape \(x.shape))")
            }
            y.shape = x.shape.enumerated().filter { !normalized.contains($0.offset) }.map(\.element)
        } else {
            y.shape = x.shape.filter { $0 != 1 }
        }
        return y
    }

    /// Inserts axes of size 1 at the listed positions of the output.
    static func unsqueeze(_ x: ONNXTensor, axes: [Int]) throws -> ONNXTensor {
        let outRank = x.rank + axes.count
        let normalized = try Set(axes.map { try normalizedAxis($0, rank: outRank, "Unsqueeze axis") })
        guard normalized.count == axes.count else { throw ONNXKernelError("Unsqueeze axes \(axes) repeat an axis") }
        var shape: [Int] = []
        var source = x.shape.makeIterator()
        for i in 0..<outRank {
            if normalized.contains(i) {
                shape.append(1)
            } else if let d = source.next() {
                shape.append(d)
            }
        }
        var y = x
        y.shape = shape
        return y
    }

    /// Permutes axes (reversed when `perm` is nil).
    static func transpose(_ x: ONNXTensor, perm: [Int]?) throws -> ONNXTensor {
        let r = x.rank
        let p = perm ?? Array((0..<r).reversed())
        guard p.count == r, Set(p) == Set(0..<r) else {
            throw ONNXKernelError("Transpose perm \(p) is not a permutation of \(r) axes")
        }
        let outShape = p.map { x.shape[$0] }
        if p == Array(0..<r) { return x }
        let inStrides = rowMajorStrides(x.shape)
        let strides = p.map { inStrides[$0] }
        let total = x.count
        var positions = [Int](repeating: 0, count: total)
        var counter = [Int](repeating: 0, count: r)
        var pos = 0
        for i in 0..<total {
            positions[i] = pos
            var d = r - 1
            while d >= 0 {
                counter[d] += 1
                pos += strides[d]
                if counter[d] < outShape[d] { break }
                pos -= strides[d] * counter[d]
                counter[d] = 0
                d -= 1
            }
        }
        return ONNXTensor(shape: outShape, data: x.data.picking(positions))
    }

    /// Joins tensors of one element type along `axis`.
    static func concat(_ parts: [ONNXTensor], axis: Int) throws -> ONNXTensor {
        guard let first = parts.first else { throw ONNXKernelError("Concat has no inputs") }
        let r = first.rank
        let a = try normalizedAxis(axis, rank: r, "Concat axis")
        for p in parts {
            guard p.rank == r, p.elementType == first.elementType else {
                throw ONNXKernelError("Concat inputs differ in rank or type: \(first.shape) \(first.elementType.rawValue) vs \(p.shape) \(p.elementType.rawValue)")
            }
            for d in 0..<r where d != a && p.shape[d] != first.shape[d] {
                throw ONNXKernelError("Concat inputs differ outside axis \(a): \(first.shape) vs \(p.shape)")
            }
        }
        let outer = first.shape[..<a].reduce(1, *)
        let blocks = parts.map { $0.shape[a...].reduce(1, *) }
        var outShape = first.shape
        outShape[a] = parts.reduce(0) { $0 + $1.shape[a] }
        func join<T>(_ arrays: [[T]]) -> [T] {
            var out: [T] = []
            out.reserveCapacity(arrays.reduce(0) { $0 + $1.count })
            for o in 0..<outer {
                for (k, arr) in arrays.enumerated() {
                    let b = blocks[k]
                    out.append(contentsOf: arr[(o * b)..<((o + 1) * b)])
                }
            }
            return out
        }
        let data: ONNXTensorData
        switch first.data {
        case .float: data = .float(join(parts.map { if case .float(let v) = $0.data { v } else { [] } }))
        case .double: data = .double(join(parts.map { if case .double(let v) = $0.data { v } else { [] } }))
        case .int64: data = .int64(join(parts.map { if case .int64(let v) = $0.data { v } else { [] } }))
        case .string: data = .string(join(parts.map { if case .string(let v) = $0.data { v } else { [] } }))
        case .bool: data = .bool(join(parts.map { if case .bool(let v) = $0.data { v } else { [] } }))
        }
        return ONNXTensor(shape: outShape, data: data)
    }

    /// Gather along `axis` with int64 indices (negative ones count from the end).
    static func gather(_ x: ONNXTensor, _ indices: ONNXTensor, axis: Int) throws -> ONNXTensor {
        let a = try normalizedAxis(axis, rank: x.rank, "Gather axis")
        let idx = try indices.integers("Gather indices")
        let size = x.shape[a]
        let outer = x.shape[..<a].reduce(1, *)
        let inner = x.shape[(a + 1)...].reduce(1, *)
        var resolved = [Int](repeating: 0, count: idx.count)
        for (i, v) in idx.enumerated() {
            let j = v < 0 ? v + size : v
            guard j >= 0, j < size else {
                throw ONNXKernelError("Gather index \(v) is out of range for axis size \(size)", dependsOnValues: true)
            }
            resolved[i] = j
        }
        try ONNXLimits.check([outer, idx.count, inner], "Gather output")
        var positions: [Int] = []
        positions.reserveCapacity(outer * idx.count * inner)
        for o in 0..<outer {
            for j in resolved {
                let base = (o * size + j) * inner
                for i in 0..<inner { positions.append(base + i) }
            }
        }
        let outShape = Array(x.shape[..<a]) + indices.shape + Array(x.shape[(a + 1)...])
        return ONNXTensor(shape: outShape, data: x.data.picking(positions))
    }

    /// The shape as a 1-D int64 tensor, sliced by `start`/`end` (opset 15).
    static func shape(_ x: ONNXTensor, start: Int, end: Int?) -> ONNXTensor {
        let r = x.rank
        func clamp(_ v: Int) -> Int { Swift.min(Swift.max(v < 0 ? v + r : v, 0), r) }
        let s = clamp(start), e = clamp(end ?? r)
        let dims = s < e ? x.shape[s..<e].map { Int64($0) } : []
        return ONNXTensor(shape: [dims.count], data: .int64(dims))
    }
}
