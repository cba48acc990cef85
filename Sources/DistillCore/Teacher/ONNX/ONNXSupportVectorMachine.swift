/// SVMClassifier or SVMRegressor (ai.onnx.ml), as libsvm defines them.
///
/// With support vectors, a classifier scores every pair of classes (one-vs-one) and, when
/// `prob_a`/`prob_b` are given, turns the pairwise scores into class probabilities by Platt
/// scaling and the pairwise coupling of Wu, Lin & Weng (2004, method 2), as libsvm and
/// onnxruntime do. Without support vectors the coefficients are one linear model per class.
struct ONNXSupportVectorMachine: Sendable {
    enum Kernel: String, Sendable, CaseIterable {
        case linear = "LINEAR", poly = "POLY", rbf = "RBF", sigmoid = "SIGMOID"
    }

    var kernel: Kernel
    var gamma: Float
    var coef0: Float
    var degree: Float
    /// Row-major [vectors, features]; empty in linear mode.
    var supportVectors: [Float]
    var vectorsPerClass: [Int]
    var coefficients: [Float]
    var rho: [Float]
    var probA: [Float]
    var probB: [Float]
    var transform: ONNXScoreTransform
    var features: Int
    /// Class labels of a classifier, `nil` for a regressor.
    var labels: ONNXTensorData?
    /// SVMRegressor's one_class: the output is +1 or −1 by the score's sign.
    var oneClass: Bool

    var vectorCount: Int { features == 0 ? 0 : supportVectors.count / features }

    /// Resolves SVMClassifier (`classifier`) or SVMRegressor attributes.
    /// - Throws: `ONNXKernelError` when the attribute sizes do not fit together.
    init(_ a: ONNXAttributes, classifier: Bool) throws {
        let kernelName = try a.string("kernel_type", default: "LINEAR")
        guard let k = Kernel(rawValue: kernelName) else {
            throw ONNXKernelError("kernel_type '\(kernelName)' is unknown; the ONNX-ML specification defines LINEAR, POLY, RBF and SIGMOID",
                                  kind: .malformedModel)
        }
        let params = try a.floats("kernel_params") ?? []
        gamma = params.count > 0 ? params[0] : 0
        coef0 = params.count > 1 ? params[1] : 0
        degree = params.count > 2 ? params[2] : 0
        supportVectors = try a.floats("support_vectors") ?? []
        coefficients = try a.floats("coefficients") ?? []
        rho = try a.floats("rho") ?? []
        probA = try a.floats("prob_a") ?? []
        probB = try a.floats("prob_b") ?? []
        transform = try ONNXScoreTransform(attribute: try a.string("post_transform", default: "NONE"))
        oneClass = try a.int("one_class", default: 0) != 0
        guard !coefficients.isEmpty, !rho.isEmpty else {
            throw ONNXKernelError("attributes 'coefficients' and 'rho' must not be empty", kind: .malformedModel)
        }
        guard probA.count == probB.count else {
            throw ONNXKernelError("prob_a has \(probA.count) values but prob_b has \(probB.count)", kind: .malformedModel)
        }
        let vectors: Int
        if classifier {
            labels = try a.classLabels(ints: "classlabels_ints", op: "SVMClassifier")
            vectorsPerClass = (try a.int64s("vectors_per_class") ?? []).map { Int($0) }
            vectors = vectorsPerClass.reduce(0, +)
        } else {
            labels = nil
            vectorsPerClass = []
            vectors = try a.int("n_supports", default: 0)
        }
        let classCount = labels?.count ?? 1
        guard vectorsPerClass.allSatisfy({ $0 >= 0 }), vectors >= 0 else {
            throw ONNXKernelError("vectors_per_class and n_supports must not be negative", kind: .malformedModel)
        }
        if vectors > 0 {
            kernel = k
            guard supportVectors.count % vectors == 0, !supportVectors.isEmpty else {
                throw ONNXKernelError("support_vectors has \(supportVectors.count) values, not a multiple of \(vectors) vectors", kind: .malformedModel)
            }
            features = supportVectors.count / vectors
            if classifier {
                let pairs = classCount * (classCount - 1) / 2
                guard vectorsPerClass.count == classCount, classCount >= 2 else {
                    throw ONNXKernelError("vectors_per_class has \(vectorsPerClass.count) entries for \(classCount) classes", kind: .malformedModel)
                }
                guard coefficients.count == (classCount - 1) * vectors else {
                    throw ONNXKernelError("coefficients has \(coefficients.count) values; \(classCount) classes and \(vectors) support vectors need \((classCount - 1) * vectors)",
                                          kind: .malformedModel)
                }
                guard rho.count >= pairs, probA.isEmpty || probA.count >= pairs else {
                    throw ONNXKernelError("rho, prob_a and prob_b need one value per pair of classes (\(pairs))", kind: .malformedModel)
                }
            } else if coefficients.count != vectors {
                throw ONNXKernelError("coefficients has \(coefficients.count) values for \(vectors) support vectors", kind: .malformedModel)
            }
        } else {
            // Linear mode: one row of coefficients per class (or one for a regressor).
            kernel = .linear
            guard coefficients.count % classCount == 0 else {
                throw ONNXKernelError("coefficients has \(coefficients.count) values, not a multiple of \(classCount) classes", kind: .malformedModel)
            }
            features = coefficients.count / classCount
        }
    }

    /// The kernel of a row and a support vector (or coefficient row).
    @inline(__always)
    private func kernelValue(_ x: UnsafeBufferPointer<Float>, _ v: UnsafeBufferPointer<Float>) -> Float {
        var s: Float = 0
        switch kernel {
        case .rbf:
            for f in 0..<features {
                let d = x[f] - v[f]
                s += d * d
            }
            return PortableMath.exp(-gamma * s)
        case .linear, .poly, .sigmoid:
            for f in 0..<features { s += x[f] * v[f] }
        }
        switch kernel {
        case .poly: return Float(PortableMath.pow(Double(s * gamma + coef0), Double(degree)))
        case .sigmoid: return PortableMath.tanh(s * gamma + coef0)
        default: return s
        }
    }

    /// Evaluates `[N, features]` to `[label, scores]` (classifier) or `[values]` (regressor).
    func evaluate(_ x: ONNXTensor) throws -> [ONNXTensor] {
        let (values, rows) = try ONNXLinearModel.matrix(x, width: features, "SVM")
        return values.withUnsafeBufferPointer { xs in
            supportVectors.withUnsafeBufferPointer { sv in
                coefficients.withUnsafeBufferPointer { w in
                    let rowAt = { (r: Int) in UnsafeBufferPointer(rebasing: xs[r * features ..< (r + 1) * features]) }
                    if labels == nil { return regress(rows: rows, rowAt, sv, w) }
                    return classify(rows: rows, rowAt, sv, w)
                }
            }
        }
    }

    private func regress(rows: Int, _ rowAt: (Int) -> UnsafeBufferPointer<Float>, _ sv: UnsafeBufferPointer<Float>,
                         _ w: UnsafeBufferPointer<Float>) -> [ONNXTensor] {
        var out = [Float](repeating: 0, count: rows)
        let n = vectorCount
        for r in 0..<rows {
            var s: Float
            if n > 0 {
                var sum: Double = 0
                for v in 0..<n {
                    sum += Double(w[v]) * Double(kernelValue(rowAt(r), UnsafeBufferPointer(rebasing: sv[v * features ..< (v + 1) * features])))
                }
                s = Float(sum) + rho[0]
            } else {
                s = kernelValue(rowAt(r), w) + rho[0]
            }
            if oneClass { s = s > 0 ? 1 : -1 }
            out[r] = s
        }
        transform.apply(rows: &out, width: 1)
        return [ONNXTensor(shape: [rows, 1], floats: out)]
    }

    /// Scores per class with probabilities; else one score per pair of classes, and for two
    /// classes [−s, s] ([σ(−s), σ(s)] under LOGISTIC, as the ONNX reference implementation
    /// writes it; onnxruntime writes [1 − s, s] there). The label is the class with most votes.
    private func classify(rows: Int, _ rowAt: (Int) -> UnsafeBufferPointer<Float>, _ sv: UnsafeBufferPointer<Float>,
                          _ w: UnsafeBufferPointer<Float>) -> [ONNXTensor] {
        let labels = labels ?? .int64([])
        let c = labels.count
        let n = vectorCount
        var picked = [Int](repeating: 0, count: rows)
        guard n > 0 else {
            var scores = [Float](repeating: 0, count: rows * c)
            for r in 0..<rows {
                for j in 0..<c {
                    scores[r * c + j] = kernelValue(rowAt(r), UnsafeBufferPointer(rebasing: w[j * features ..< (j + 1) * features])) + rho[0]
                    if scores[r * c + j] > scores[r * c + picked[r]] { picked[r] = j }
                }
            }
            transform.apply(rows: &scores, width: c)
            return [ONNXTensor(shape: [rows], data: labels.picking(picked)), ONNXTensor(shape: [rows, c], floats: scores)]
        }
        var start = [Int](repeating: 0, count: c)
        for i in 1..<c { start[i] = start[i - 1] + vectorsPerClass[i - 1] }
        let pairs = c * (c - 1) / 2
        let probabilities = !probA.isEmpty
        let width = probabilities ? c : (c == 2 ? 2 : pairs)
        var scores = [Float](repeating: 0, count: rows * width)
        var kernels = [Float](repeating: 0, count: n)
        var pairScores = [Float](repeating: 0, count: pairs)
        for r in 0..<rows {
            for v in 0..<n {
                kernels[v] = kernelValue(rowAt(r), UnsafeBufferPointer(rebasing: sv[v * features ..< (v + 1) * features]))
            }
            var votes = [Int](repeating: 0, count: c)
            var p = 0
            for i in 0..<(c - 1) {
                for j in (i + 1)..<c {
                    // Class i's vectors weigh with row j − 1 of the coefficients, class j's with row i.
                    var sum: Double = 0
                    for m in 0..<vectorsPerClass[i] {
                        sum += Double(w[(j - 1) * n + start[i] + m]) * Double(kernels[start[i] + m])
                    }
                    for m in 0..<vectorsPerClass[j] {
                        sum += Double(w[i * n + start[j] + m]) * Double(kernels[start[j] + m])
                    }
                    let s = Float(sum + Double(rho[p]))
                    pairScores[p] = s
                    votes[s > 0 ? i : j] += 1
                    p += 1
                }
            }
            for k in 1..<c where votes[k] > votes[picked[r]] { picked[r] = k }
            if probabilities {
                let probs = coupled(pairScores, classes: c)
                scores.replaceSubrange(r * c ..< (r + 1) * c, with: probs)
            } else if c == 2 {
                let s = pairScores[0]
                let pair = transform == .logistic
                    ? [ONNXScoreTransform.logistic(-s), ONNXScoreTransform.logistic(s)] : [-s, s]
                scores.replaceSubrange(r * 2 ..< r * 2 + 2, with: pair)
            } else {
                scores.replaceSubrange(r * pairs ..< (r + 1) * pairs, with: pairScores)
            }
        }
        if probabilities || c > 2 { transform.apply(rows: &scores, width: width) }
        return [ONNXTensor(shape: [rows], data: labels.picking(picked)), ONNXTensor(shape: [rows, width], floats: scores)]
    }

    /// Class probabilities from the pairwise scores: Platt's sigmoid per pair (clamped away
    /// from 0 and 1), then the coupling of Wu, Lin & Weng (2004), method 2, which minimises
    /// Σᵢ Σⱼ≠ᵢ (rⱼᵢ pᵢ − rᵢⱼ pⱼ)² over the simplex by coordinate steps.
    /// - Complexity: O(k²) per step, at most 100 steps (stopping when the optimality error
    ///   is below 0.005 / k, as libsvm does).
    private func coupled(_ pairScores: [Float], classes k: Int) -> [Float] {
        var r = [Float](repeating: 0, count: k * k)
        var p = 0
        for i in 0..<(k - 1) {
            for j in (i + 1)..<k {
                let sigmoid = 1 - ONNXScoreTransform.logistic(pairScores[p] * probA[p] + probB[p])
                let clamped = min(max(sigmoid, 1e-7), 1 - 1e-7)
                r[i * k + j] = clamped
                r[j * k + i] = 1 - clamped
                p += 1
            }
        }
        var q = [Float](repeating: 0, count: k * k)
        for t in 0..<k {
            for j in 0..<t {
                q[t * k + t] += r[j * k + t] * r[j * k + t]
                q[t * k + j] = q[j * k + t]
            }
            for j in (t + 1)..<k where j < k {
                q[t * k + t] += r[j * k + t] * r[j * k + t]
                q[t * k + j] = -r[j * k + t] * r[t * k + j]
            }
        }
        var prob = [Float](repeating: 1 / Float(k), count: k)
        var qp = [Float](repeating: 0, count: k)
        let eps = 0.005 / Float(k)
        for _ in 0..<100 {
            var pqp: Float = 0
            for t in 0..<k {
                qp[t] = 0
                for j in 0..<k { qp[t] += q[t * k + j] * prob[j] }
                pqp += prob[t] * qp[t]
            }
            var maxError: Float = 0
            for t in 0..<k { maxError = max(maxError, (qp[t] - pqp).magnitude) }
            if maxError < eps { break }
            for t in 0..<k {
                let diff = (-qp[t] + pqp) / q[t * k + t]
                prob[t] += diff
                pqp = (pqp + diff * (diff * q[t * k + t] + 2 * qp[t])) / (1 + diff) / (1 + diff)
                for j in 0..<k {
                    qp[j] = (qp[j] + diff * q[t * k + j]) / (1 + diff)
                    prob[j] /= 1 + diff
                }
            }
        }
        return prob
    }
}
