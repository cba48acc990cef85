/// Kernels that normalise along an axis: Softmax, LogSoftmax, BatchNormalization.
enum ONNXNormalization {
    /// Softmax (or LogSoftmax) of `x` along `axis`, in place.
    ///
    /// Opset 13 normalises along the single axis; earlier opsets view the tensor as a
    /// matrix [prod(dims before axis), prod(dims from axis)] and normalise each row, which
    /// differs when axis is not the last dimension. Each slice subtracts its maximum
    /// before exponentiating, so large logits do not overflow.
    static func softmax(_ x: inout ONNXTensor, axis: Int, coerce2D: Bool, log: Bool) throws {
        let shape = x.shape
        let rank = shape.count
        let a = rank == 0 ? 0 : try normalizedAxis(axis, rank: rank, "Softmax axis")
        let outer: Int, length: Int, inner: Int
        if coerce2D {
            outer = shape[..<a].reduce(1, *)
            length = shape[a...].reduce(1, *)
            inner = 1
        } else {
            outer = shape[..<a].reduce(1, *)
            length = rank == 0 ? 1 : shape[a]
            inner = rank == 0 ? 1 : shape[(a + 1)...].reduce(1, *)
        }
        if var v = x.takeFloats() {
            normalize(&v, outer: outer, length: length, inner: inner, log: log)
            x = ONNXTensor(shape: shape, floats: v)
        } else if case .double(var v) = x.data {
            x.data = .double([])
            normalize(&v, outer: outer, length: length, inner: inner, log: log)
            x = ONNXTensor(shape: shape, data: .double(v))
        } else {
            throw ONNXKernelError("Softmax input must be float or double, got \(x.elementType.rawValue)", kind: .unsupportedType)
        }
    }

    private static func normalize<T: ONNXReal>(_ v: inout [T], outer: Int, length: Int, inner: Int, log: Bool) {
        v.withUnsafeMutableBufferPointer { p in
            for o in 0..<outer {
                for i in 0..<inner {
                    let base = o * length * inner + i
                    var peak = -T.infinity
                    for j in 0..<length { peak = Swift.max(peak, p[base + j * inner]) }
                    var sum: T = 0
                    if log {
                        for j in 0..<length { sum += T.portableExp(p[base + j * inner] - peak) }
                        let shift = peak + T.portableLog(sum)
                        for j in 0..<length { p[base + j * inner] -= shift }
                    } else {
                        for j in 0..<length {
                            let e = T.portableExp(p[base + j * inner] - peak)
                            p[base + j * inner] = e
                            sum += e
                        }
                        let scale = 1 / sum
                        for j in 0..<length { p[base + j * inner] *= scale }
                    }
                }
            }
        }
    }

    /// Inference-mode batch normalisation along axis 1:
    /// y = (x − mean) / √(var + ε) · scale + bias, folded into one multiply-add per value.
    static func batchNormalization(_ x: inout ONNXTensor, scale: ONNXTensor, bias: ONNXTensor,
                                   mean: ONNXTensor, variance: ONNXTensor, epsilon: Float) throws {
        let shape = x.shape
        guard shape.count >= 2 else {
            throw ONNXKernelError("BatchNormalization needs an input of rank ≥ 2 (N, C, …), got \(shape)")
        }
        if case .double(var values) = x.data {
            x.data = .double([])
            try batchNormalization(&values, shape, scale, bias, mean, variance, epsilon)
            x = ONNXTensor(shape: shape, data: .double(values))
        } else if var values = x.takeFloats() {
            try batchNormalization(&values, shape, scale, bias, mean, variance, epsilon)
            x = ONNXTensor(shape: shape, floats: values)
        } else {
            throw ONNXKernelError("BatchNormalization input must be float or double, got \(x.elementType.rawValue)", kind: .unsupportedType)
        }
    }

    private static func batchNormalization<T: ONNXMatrixElement>(
        _ values: inout [T], _ shape: [Int], _ scale: ONNXTensor, _ bias: ONNXTensor, _ mean: ONNXTensor,
        _ variance: ONNXTensor, _ epsilon: Float
    ) throws {
        let channels = shape[1]
        let s = try T.values(scale, "BatchNormalization scale"), b = try T.values(bias, "BatchNormalization B")
        let m = try T.values(mean, "BatchNormalization mean"), v = try T.values(variance, "BatchNormalization var")
        guard s.count == channels, b.count == channels, m.count == channels, v.count == channels else {
            throw ONNXKernelError("BatchNormalization parameters must have \(channels) values (the input's channel count)")
        }
        var factor = [T](repeating: 0, count: channels)
        var shift = [T](repeating: 0, count: channels)
        for c in 0..<channels {
            factor[c] = s[c] / (v[c] + T(epsilon)).squareRoot()
            shift[c] = b[c] - m[c] * factor[c]
        }
        let inner = shape[2...].reduce(1, *)
        let outer = shape[0]
        values.withUnsafeMutableBufferPointer { p in
            for o in 0..<outer {
                for c in 0..<channels {
                    let f = factor[c], t = shift[c]
                    let base = (o * channels + c) * inner
                    for i in 0..<inner { p[base + i] = p[base + i] * f + t }
                }
            }
        }
    }
}

extension ONNXNormalization {
    /// LayerNormalization (opset 17): each slice over the axes from `axis` on is shifted
    /// by its mean and divided by √(variance + ε), then scaled and shifted per element.
    ///
    /// Mean and variance (two passes, the population variance) are computed in Double in
    /// a fixed order. Returns Y, Mean and InvStdDev, the latter two with the normalised
    /// axes kept as size 1.
    static func layerNormalization(_ x: ONNXTensor, scale: ONNXTensor, bias: ONNXTensor?, axis: Int,
                                   epsilon: Float) throws -> [ONNXTensor] {
        switch (x.data, scale.data, bias?.data) {
        case (.float(let v), .float(let s), .float(let b)?):
            return try layerNormalization(v, x.shape, s, b, axis: axis, epsilon: epsilon)
        case (.float(let v), .float(let s), nil):
            return try layerNormalization(v, x.shape, s, nil, axis: axis, epsilon: epsilon)
        case (.double(let v), .double(let s), .double(let b)?):
            return try layerNormalization(v, x.shape, s, b, axis: axis, epsilon: epsilon)
        case (.double(let v), .double(let s), nil):
            return try layerNormalization(v, x.shape, s, nil, axis: axis, epsilon: epsilon)
        default:
            throw ONNXKernelError("LayerNormalization needs X, Scale and B of one float type, got \(x.elementType.rawValue) and \(scale.elementType.rawValue)",
                                  kind: .unsupportedType)
        }
    }

    private static func layerNormalization<T: ONNXReal>(_ v: [T], _ shape: [Int], _ s: [T], _ b: [T]?,
                                                        axis: Int, epsilon: Float) throws -> [ONNXTensor] {
        let a = try normalizedAxis(axis, rank: shape.count, "LayerNormalization axis")
        let inner = shape[a...].reduce(1, *)
        let outer = shape[..<a].reduce(1, *)
        for (name, p) in [("Scale", s), ("B", b ?? [0])] where p.count != inner && p.count != 1 {
            throw ONNXKernelError("LayerNormalization \(name) has \(p.count) values; the normalised axes \(Array(shape[a...])) hold \(inner)")
        }
        var y = [T](repeating: 0, count: v.count)
        var means = [T](repeating: 0, count: outer)
        var inverse = [T](repeating: 0, count: outer)
        let eps = Double(epsilon)
        for o in 0..<outer {
            let base = o * inner
            var sum = 0.0
            for i in 0..<inner { sum += Double(v[base + i]) }
            let mean = sum / Double(inner)
            var squares = 0.0
            for i in 0..<inner { let d = Double(v[base + i]) - mean; squares += d * d }
            let invStd = 1 / (squares / Double(inner) + eps).squareRoot()
            means[o] = T(mean)
            inverse[o] = T(invStd)
            for i in 0..<inner {
                let normalized = T((Double(v[base + i]) - mean) * invStd)
                let scaled = normalized * s[s.count == 1 ? 0 : i]
                y[base + i] = b.map { scaled + $0[$0.count == 1 ? 0 : i] } ?? scaled
            }
        }
        let statShape = Array(shape[..<a]) + [Int](repeating: 1, count: shape.count - a)
        return [ONNXTensor(shape: shape, data: T.wrap(y)), ONNXTensor(shape: statShape, data: T.wrap(means)),
                ONNXTensor(shape: statShape, data: T.wrap(inverse))]
    }
}
