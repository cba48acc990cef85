extension ONNXTreeEnsemble {
    /// Turns the accumulated weights into the outputs: base values, averaging, the binary
    /// expansion of a one-column classifier, and the post transform.
    ///
    /// The specification leaves the two-class cases open; these follow onnxruntime, the
    /// runtime the exporters test against: a one-column classifier writes [1 − s, s] when
    /// every weight is positive (a probability), else [σ(−s), σ(s)] with LOGISTIC or
    /// [−s, s] without; a regressor with one target applies only PROBIT.
    func finish(_ raw: [Float], reached: [Bool], rows: Int) -> [ONNXTensor] {
        var raw = raw
        let t = targets
        let trees = Float(roots.count)
        let base = baseValues.count == t ? baseValues : [Float](repeating: 0, count: t)
        for k in raw.indices {
            switch aggregate {
            case .sum: break
            case .average: raw[k] /= trees
            case .min, .max: if !reached[k] { raw[k] = 0 }
            }
        }
        guard let classes else {
            for r in 0..<rows { for j in 0..<t { raw[r * t + j] += base[j] } }
            transform.apply(rows: &raw, width: t)
            return [ONNXTensor(shape: [rows, t], floats: raw)]
        }
        return classify(raw, classes, rows: rows)
    }

    private func classify(_ raw: [Float], _ classes: Classes, rows: Int) -> [ONNXTensor] {
        let n = targets
        var scores = [Float](repeating: 0, count: rows * n)
        var picked = [Int](repeating: 0, count: rows)
        for r in 0..<rows {
            var s = Array(raw[r * n ..< (r + 1) * n])
            if n > 2 {
                if baseValues.count == n { for j in 0..<n { s[j] += baseValues[j] } }
                var best = 0
                for j in 1..<n where s[j] > s[best] { best = j }
                picked[r] = best
            } else {
                var oneColumn = !classes.classOneHasWeights
                switch baseValues.count {
                case 2 where classes.classOneHasWeights:
                    // onnxruntime takes class 1's score from class 0's sum and base 1.
                    s[1] = baseValues[1] + s[0]
                    s[0] = -s[1]
                case 2:
                    s[0] += baseValues[0]
                    s[1] += baseValues[1]
                    oneColumn = false
                case 1:
                    s[0] += baseValues[0]
                default:
                    break
                }
                let positive = oneColumn ? s[0] : s[1]
                let cut: Float = classes.singleColumn && classes.weightsAllPositive ? 0.5 : 0
                picked[r] = positive > cut ? 1 : 0
                if oneColumn {
                    s = expandBinary(s[0], classes)
                    scores.replaceSubrange(r * n ..< (r + 1) * n, with: s)
                    continue
                }
            }
            s.withUnsafeMutableBufferPointer { transform.apply($0) }
            scores.replaceSubrange(r * n ..< (r + 1) * n, with: s)
        }
        return [ONNXTensor(shape: [rows], data: classes.labels.picking(picked)), ONNXTensor(shape: [rows, n], floats: scores)]
    }

    /// The two scores of a classifier whose weights are all on class 0's column.
    private func expandBinary(_ s: Float, _ classes: Classes) -> [Float] {
        if classes.weightsAllPositive { return [1 - s, s] }
        if transform == .logistic { return [ONNXScoreTransform.logistic(-s), ONNXScoreTransform.logistic(s)] }
        return [-s, s]
    }
}
