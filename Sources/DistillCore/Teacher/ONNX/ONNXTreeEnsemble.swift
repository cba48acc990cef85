/// A tree ensemble of the ai.onnx.ml domain (TreeEnsembleClassifier, TreeEnsembleRegressor,
/// TreeEnsemble) compiled for evaluation.
///
/// The trees are laid out as parallel arrays over all branch nodes (feature, threshold,
/// comparison, the two children), as scikit-learn and LightGBM store them: a child ≥ 0 is a
/// branch node, a child < 0 is the leaf `~child`. A leaf holds a run of (target, weight)
/// pairs. Descent is a loop, never a recursion, and a batch is evaluated tree by tree so a
/// tree stays in cache while every row of the chunk goes through it.
struct ONNXTreeEnsemble: Sendable {
    /// How a branch node compares the row's feature value v with its threshold t.
    enum Comparison: UInt8, Sendable {
        case lessOrEqual, less, greaterOrEqual, greater, equal, notEqual
        /// v is one of the node's set members (TreeEnsemble, opset 5).
        case member
    }

    /// How the trees' weights for one target are combined.
    enum Aggregate: String, Sendable, CaseIterable {
        case sum = "SUM", average = "AVERAGE", min = "MIN", max = "MAX"
    }

    /// What a classifier adds to the scores: its labels and the rules for two classes.
    struct Classes: Sendable {
        var labels: ONNXTensorData
        /// Two labels and every weight on one class: the scores hold one column, which
        /// becomes two (see `expandBinary`).
        var singleColumn: Bool
        var weightsAllPositive: Bool
        /// Whether any weight is for class 1; onnxruntime treats the base values of a
        /// two-class ensemble differently then.
        var classOneHasWeights: Bool
    }

    // Branch nodes.
    var feature: [Int32]
    var threshold: [Float]
    var comparison: [Comparison]
    /// Whether a missing (NaN) value goes to the true child.
    var nanGoesTrue: [Bool]
    var trueChild: [Int32]
    var falseChild: [Int32]
    /// Set members of `.member` nodes, by node; empty when the ensemble has none.
    var members: [[Float]]
    /// The comparison every branch node uses, when they share one of the four orderings.
    var sharedComparison: Comparison?
    /// One entry per tree: a branch node, or `~leaf` for a tree that is a single leaf.
    var roots: [Int32]

    // Leaves: leaf l owns weights leafStart[l] ..< leafStart[l + 1].
    var leafStart: [Int32]
    var weightTarget: [Int32]
    var weightValue: [Float]

    /// Columns of the raw scores (targets, or classes).
    var targets: Int
    var aggregate: Aggregate
    var transform: ONNXScoreTransform
    var baseValues: [Float]
    var classes: Classes?
    /// The fewest values a row must have: the largest feature index + 1.
    var requiredWidth: Int
}

extension ONNXTreeEnsemble {
    /// Evaluates a batch: `[N, F]` (or `[F]`, one row) to the scores `[N, columns]`, and for
    /// a classifier the labels `[N]` first.
    func evaluate(_ x: ONNXTensor) throws -> [ONNXTensor] {
        let values: [Float]
        switch x.data {
        case .float(let v): values = v
        case .double(let v): values = v.map { Float($0) }
        case .int64(let v): values = v.map { Float($0) }
        default:
            throw ONNXKernelError("tree ensemble needs a numeric input, got \(x.elementType.rawValue)", kind: .unsupportedType)
        }
        guard x.rank == 1 || x.rank == 2 else {
            throw ONNXKernelError("tree ensemble needs an input of shape [N, features], got \(x.shape)")
        }
        let rows = x.rank == 1 ? 1 : x.shape[0]
        let width = x.shape.last ?? 0
        guard width >= requiredWidth else {
            throw ONNXKernelError("tree ensemble reads feature \(requiredWidth - 1) but the input has \(width) columns")
        }
        var raw = [Float](repeating: 0, count: rows * targets)
        var reached = aggregate == .min || aggregate == .max ? [Bool](repeating: false, count: rows * targets) : []
        values.withUnsafeBufferPointer { xp in
            raw.withUnsafeMutableBufferPointer { out in
                reached.withUnsafeMutableBufferPointer { has in
                    accumulate(xp, rows: rows, width: width, into: out, reached: has)
                }
            }
        }
        return finish(raw, reached: reached, rows: rows)
    }

    /// Sums (or takes the extreme of) every tree's leaf weights per row and target.
    private func accumulate(_ x: UnsafeBufferPointer<Float>, rows: Int, width: Int,
                            into out: UnsafeMutableBufferPointer<Float>, reached: UnsafeMutableBufferPointer<Bool>) {
        switch sharedComparison {
        case .lessOrEqual?: accumulate(SplitLessOrEqual.self, x, rows: rows, width: width, into: out, reached: reached)
        case .less?: accumulate(SplitLess.self, x, rows: rows, width: width, into: out, reached: reached)
        case .greaterOrEqual?: accumulate(SplitGreaterOrEqual.self, x, rows: rows, width: width, into: out, reached: reached)
        case .greater?: accumulate(SplitGreater.self, x, rows: rows, width: width, into: out, reached: reached)
        default: accumulate(SplitAny.self, x, rows: rows, width: width, into: out, reached: reached)
        }
    }

    private func accumulate<S: ONNXTreeSplit>(_ split: S.Type, _ x: UnsafeBufferPointer<Float>, rows: Int, width: Int,
                                              into out: UnsafeMutableBufferPointer<Float>,
                                              reached: UnsafeMutableBufferPointer<Bool>) {
        let t = targets
        let agg = aggregate
        feature.withUnsafeBufferPointer { f in
        threshold.withUnsafeBufferPointer { th in
        nanGoesTrue.withUnsafeBufferPointer { nan in
        trueChild.withUnsafeBufferPointer { yes in
        falseChild.withUnsafeBufferPointer { no in
        leafStart.withUnsafeBufferPointer { start in
        weightTarget.withUnsafeBufferPointer { wt in
        weightValue.withUnsafeBufferPointer { wv in
            for root in roots {
                for r in 0..<rows {
                    let row = x.baseAddress! + r * width
                    var n = root
                    while n >= 0 {
                        let i = Int(n)
                        let v = row[Int(f[i])]
                        let goesTrue = S.goesTrue(v, th[i], node: i, self) || (v.isNaN && nan[i])
                        n = goesTrue ? yes[i] : no[i]
                    }
                    let leaf = Int(~n)
                    let base = r * t
                    for w in Int(start[leaf])..<Int(start[leaf + 1]) {
                        let k = base + Int(wt[w])
                        switch agg {
                        case .sum, .average:
                            out[k] += wv[w]
                        case .min:
                            if !reached[k] || wv[w] < out[k] { out[k] = wv[w] }
                            reached[k] = true
                        case .max:
                            if !reached[k] || wv[w] > out[k] { out[k] = wv[w] }
                            reached[k] = true
                        }
                    }
                }
            }
        }}}}}}}}
    }

    /// Whether branch node `i` sends `v` to its true child, for ensembles that mix comparisons.
    fileprivate func goesTrue(_ v: Float, node i: Int) -> Bool {
        let t = threshold[i]
        switch comparison[i] {
        case .lessOrEqual: return v <= t
        case .less: return v < t
        case .greaterOrEqual: return v >= t
        case .greater: return v > t
        case .equal: return v == t
        case .notEqual: return v != t
        case .member: return members[i].contains(v)
        }
    }
}

/// One comparison, fixed at compile time so the descent loop is specialised per kind.
protocol ONNXTreeSplit {
    static func goesTrue(_ v: Float, _ t: Float, node: Int, _ ensemble: ONNXTreeEnsemble) -> Bool
}

private enum SplitLessOrEqual: ONNXTreeSplit {
    @inline(__always) static func goesTrue(_ v: Float, _ t: Float, node: Int, _ e: ONNXTreeEnsemble) -> Bool { v <= t }
}
private enum SplitLess: ONNXTreeSplit {
    @inline(__always) static func goesTrue(_ v: Float, _ t: Float, node: Int, _ e: ONNXTreeEnsemble) -> Bool { v < t }
}
private enum SplitGreaterOrEqual: ONNXTreeSplit {
    @inline(__always) static func goesTrue(_ v: Float, _ t: Float, node: Int, _ e: ONNXTreeEnsemble) -> Bool { v >= t }
}
private enum SplitGreater: ONNXTreeSplit {
    @inline(__always) static func goesTrue(_ v: Float, _ t: Float, node: Int, _ e: ONNXTreeEnsemble) -> Bool { v > t }
}
private enum SplitAny: ONNXTreeSplit {
    static func goesTrue(_ v: Float, _ t: Float, node: Int, _ e: ONNXTreeEnsemble) -> Bool { e.goesTrue(v, node: node) }
}
