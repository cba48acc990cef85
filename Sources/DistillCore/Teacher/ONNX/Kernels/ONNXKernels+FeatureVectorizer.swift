extension ONNXMachineLearning {
    /// FeatureVectorizer: each input [N, C] (a 1-D input is one row) becomes floats and the
    /// inputs are joined side by side. An input whose width differs from its declared
    /// `inputdimensions` entry is refused: the specification does not say whether to pad or
    /// cut, and either would silently shift every later column.
    static func featureVectorizer(_ inputs: [ONNXTensor], widths: [Int]) throws -> ONNXTensor {
        guard inputs.count == widths.count else {
            throw ONNXKernelError("FeatureVectorizer has \(inputs.count) inputs but inputdimensions lists \(widths.count)", kind: .malformedModel)
        }
        var parts: [[Float]] = []
        var rows: Int?
        for (k, x) in inputs.enumerated() {
            guard x.shape.count == 1 || x.shape.count == 2 else {
                throw ONNXKernelError("FeatureVectorizer input \(k + 1) must be 1-D or 2-D, got shape \(x.shape)")
            }
            let n = x.shape.count == 1 ? 1 : x.shape[0], width = x.shape.last ?? 0
            guard width == widths[k] else {
                throw ONNXKernelError("FeatureVectorizer input \(k + 1) has \(width) values per row but inputdimensions says \(widths[k])",
                                      kind: .malformedModel)
            }
            if let rows, rows != n {
                throw ONNXKernelError("FeatureVectorizer input \(k + 1) has \(n) rows, input 1 has \(rows)")
            }
            rows = n
            parts.append(try ONNXConversion.cast(x, to: .float).floats("FeatureVectorizer input \(k + 1)"))
        }
        let n = rows ?? 0, total = widths.reduce(0, +)
        var out = [Float](repeating: 0, count: n * total)
        var offset = 0
        for (k, part) in parts.enumerated() {
            for r in 0..<n {
                for j in 0..<widths[k] { out[r * total + offset + j] = part[r * widths[k] + j] }
            }
            offset += widths[k]
        }
        return ONNXTensor(shape: [n, total], floats: out)
    }
}
