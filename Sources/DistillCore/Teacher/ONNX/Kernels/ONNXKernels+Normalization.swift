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
        guard var v = x.takeFloats() else {
            throw ONNXKernelError("Softmax input must be float, got \(x.elementType.rawValue)", kind: .unsupportedType)
        }
        v.withUnsafeMutableBufferPointer { p in
            for o in 0..<outer {
                for i in 0..<inner {
                    let base = o * length * inner + i
                    var peak = -Float.infinity
                    for j in 0..<length { peak = Swift.max(peak, p[base + j * inner]) }
                    var sum: Float = 0
                    if log {
                        for j in 0..<length { sum += PortableMath.exp(p[base + j * inner] - peak) }
                        let shift = peak + PortableMath.log(sum)
                        for j in 0..<length { p[base + j * inner] -= shift }
                    } else {
                        for j in 0..<length {
                            let e = PortableMath.exp(p[base + j * inner] - peak)
                            p[base + j * inner] = e
                            sum += e
                        }
                        let scale = 1 / sum
                        for j in 0..<length { p[base + j * inner] *= scale }
                    }
                }
            }
        }
        x = ONNXTensor(shape: shape, floats: v)
    }

    /// Inference-mode batch normalisation along axis 1:
    /// y = (x − mean) / √(var + ε) · scale + bias, folded into one multiply-add per value.
    static func batchNormalization(_ x: inout ONNXTensor, scale: ONNXTensor, bias: ONNXTensor,
                                   mean: ONNXTensor, variance: ONNXTensor, epsilon: Float) throws {
        let shape = x.shape
        guard shape.count >= 2 else {
            throw ONNXKernelError("BatchNormalization needs an input of rank ≥ 2 (N, C, …), got \(shape)")
        }
        let channels = shape[1]
        let s = try scale.floats("BatchNormalization scale"), b = try bias.floats("BatchNormalization B")
        let m = try mean.floats("BatchNormalization mean"), v = try variance.floats("BatchNormalization var")
        guard s.count == channels, b.count == channels, m.count == channels, v.count == channels else {
            throw ONNXKernelError("BatchNormalization parameters must have \(channels) values (the input's channel count)")
        }
        var factor = [Float](repeating: 0, count: channels)
        var shift = [Float](repeating: 0, count: channels)
        for c in 0..<channels {
            factor[c] = s[c] / (v[c] + epsilon).squareRoot()
            shift[c] = b[c] - m[c] * factor[c]
        }
        let inner = shape[2...].reduce(1, *)
        let outer = shape[0]
        guard var values = x.takeFloats() else {
            throw ONNXKernelError("BatchNormalization input must be float", kind: .unsupportedType)
        }
        values.withUnsafeMutableBufferPointer { p in
            for o in 0..<outer {
                for c in 0..<channels {
                    let f = factor[c], t = shift[c]
                    let base = (o * channels + c) * inner
                    for i in 0..<inner { p[base + i] = p[base + i] * f + t }
                }
            }
        }
        x = ONNXTensor(shape: shape, floats: values)
    }
}
