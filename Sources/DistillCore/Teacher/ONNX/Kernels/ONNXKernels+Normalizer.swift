/// The norm a Normalizer divides each row by.
enum ONNXNorm: String, Sendable, CaseIterable {
    case max = "MAX", l1 = "L1", l2 = "L2"
}

extension ONNXMachineLearning {
    /// Normalizer: each row (the last axis) divided by its largest magnitude, its sum of
    /// magnitudes or its Euclidean length; a zero row stays zero (the divisor is at least
    /// 1e-30, as in the ONNX reference implementation).
    static func normalizer(_ x: ONNXTensor, norm: ONNXNorm) throws -> ONNXTensor {
        var v = try ONNXConversion.cast(x, to: .float).floats("Normalizer input")
        let width = x.shape.last ?? 1
        guard width > 0 else { return ONNXTensor(shape: x.shape, floats: v) }
        v.withUnsafeMutableBufferPointer { p in
            var start = 0
            while start < p.count {
                let row = UnsafeMutableBufferPointer(rebasing: p[start ..< start + width])
                var d: Float = 0
                switch norm {
                case .max: for a in row { d = Swift.max(d, a.magnitude) }
                case .l1: for a in row { d += a.magnitude }
                case .l2:
                    for a in row { d += a * a }
                    d = d.squareRoot()
                }
                d = Swift.max(d, 1e-30)
                for i in row.indices { row[i] /= d }
                start += width
            }
        }
        return ONNXTensor(shape: x.shape, floats: v)
    }

    /// Binarizer: 1 where the value is greater than the threshold, else 0.
    static func binarizer(_ x: ONNXTensor, threshold: Float) throws -> ONNXTensor {
        let v = try ONNXConversion.cast(x, to: .float).floats("Binarizer input")
        return ONNXTensor(shape: x.shape, floats: v.map { $0 > threshold ? 1 : 0 })
    }
}
