/// The `post_transform` of the ai.onnx.ml classifiers and regressors: how raw scores
/// become the scores output.
enum ONNXScoreTransform: String, Sendable, Equatable, CaseIterable {
    case none = "NONE"
    case logistic = "LOGISTIC"
    case softmax = "SOFTMAX"
    /// Softmax over the non-zero scores only; zeros stay zero.
    case softmaxZero = "SOFTMAX_ZERO"
    /// The inverse of the standard normal CDF.
    case probit = "PROBIT"

    /// The transform named by a string attribute.
    /// - Throws: `ONNXKernelError` listing the known names.
    init(attribute name: String) throws {
        guard let t = ONNXScoreTransform(rawValue: name) else {
            let known = Self.allCases.map(\.rawValue).joined(separator: ", ")
            throw ONNXKernelError("post_transform '\(name)' is unknown; the ONNX-ML specification defines \(known)",
                                  kind: .malformedModel)
        }
        self = t
    }

    /// The transform of TreeEnsemble (ai.onnx.ml opset 5), coded as an integer.
    init(code: Int) throws {
        let codes: [ONNXScoreTransform] = [.none, .softmax, .logistic, .softmaxZero, .probit]
        guard codes.indices.contains(code) else {
            throw ONNXKernelError("post_transform \(code) is unknown; TreeEnsemble defines 0 (NONE) to 4 (PROBIT)",
                                  kind: .malformedModel)
        }
        self = codes[code]
    }

    /// Applies the transform to one row of scores in place.
    func apply(_ row: UnsafeMutableBufferPointer<Float>) {
        switch self {
        case .none:
            return
        case .logistic:
            for i in row.indices { row[i] = Self.logistic(row[i]) }
        case .probit:
            for i in row.indices { row[i] = Self.probit(row[i]) }
        case .softmax, .softmaxZero:
            // Zero scores are skipped by SOFTMAX_ZERO: a class no tree voted for keeps 0.
            let skipZeros = self == .softmaxZero
            var top = -Float.greatestFiniteMagnitude
            for v in row where v > top { top = v }
            var sum: Float = 0
            for i in row.indices {
                if skipZeros && row[i].magnitude <= 1e-7 {
                    row[i] = 0
                } else {
                    row[i] = PortableMath.exp(row[i] - top)
                    sum += row[i]
                }
            }
            for i in row.indices { row[i] /= sum }
        }
    }

    /// Applies the transform to every row of `width` scores. With one score per row only
    /// PROBIT applies, as in onnxruntime (a softmax of one value is constant, and its
    /// regressors return the raw value under LOGISTIC).
    func apply(rows values: inout [Float], width: Int) {
        guard self != .none, width > 1 || self == .probit else { return }
        values.withUnsafeMutableBufferPointer { p in
            var start = 0
            while start < p.count {
                apply(UnsafeMutableBufferPointer(rebasing: p[start ..< start + width]))
                start += width
            }
        }
    }

    /// 1 / (1 + e^−x), computed from |x| so that it never overflows.
    static func logistic(_ x: Float) -> Float {
        let v = 1 / (1 + PortableMath.exp(-x.magnitude))
        return x < 0 ? 1 - v : v
    }

    /// √2 · erf⁻¹(2p − 1), with erf⁻¹ by Winitzki's approximation (a = 0.147), which is how
    /// the ONNX reference implementation and onnxruntime both define PROBIT; the exact
    /// inverse differs from it by up to about 2e-3.
    static func probit(_ p: Float) -> Float {
        let x = 2 * Double(p) - 1
        let sign: Double = x < 0 ? -1 : 1
        let w = (1 - x) * (1 + x)
        guard w > 0 else { return Float(sign) * .infinity }
        let a = 0.147
        let l = PortableMath.log(w)
        let v = 2 / (Double.pi * a) + 0.5 * l
        let inverse = sign * (-v + (v * v - l / a).squareRoot()).squareRoot()
        return Float(2.0.squareRoot() * inverse)
    }
}
