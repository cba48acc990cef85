/// LinearClassifier or LinearRegressor (ai.onnx.ml): scores = X · Wᵀ + b, then the post
/// transform; a classifier also outputs the label of the best score first.
struct ONNXLinearModel: Sendable {
    /// Row-major [scoreColumns, features].
    var coefficients: [Float]
    var intercepts: [Float]
    var features: Int
    var transform: ONNXScoreTransform
    /// The class labels of a classifier, `nil` for a regressor.
    var labels: ONNXTensorData?

    var scoreColumns: Int { intercepts.count }

    /// Resolves the attributes of LinearClassifier (`classifier`) or LinearRegressor.
    /// - Throws: `ONNXKernelError` when the coefficients do not fit the classes or targets.
    init(_ a: ONNXAttributes, classifier: Bool) throws {
        guard let w = try a.floats("coefficients"), !w.isEmpty else {
            throw ONNXKernelError("attribute 'coefficients' is missing", kind: .malformedModel)
        }
        let given = try a.floats("intercepts") ?? []
        let columns: Int
        if classifier {
            labels = try a.classLabels(ints: "classlabels_ints", op: "LinearClassifier")
            columns = given.isEmpty ? (labels?.count ?? 0) : given.count
        } else {
            labels = nil
            columns = try a.int("targets", default: 1)
        }
        guard columns >= 1, w.count % columns == 0 else {
            throw ONNXKernelError("coefficients has \(w.count) values, not a multiple of \(columns) score columns", kind: .malformedModel)
        }
        guard given.isEmpty || given.count == columns else {
            throw ONNXKernelError("intercepts has \(given.count) values for \(columns) score columns", kind: .malformedModel)
        }
        if let labels, columns != 1, columns != labels.count {
            throw ONNXKernelError("LinearClassifier has \(columns) rows of coefficients for \(labels.count) classes", kind: .malformedModel)
        }
        coefficients = w
        intercepts = given.isEmpty ? [Float](repeating: 0, count: columns) : given
        features = w.count / columns
        transform = try ONNXScoreTransform(attribute: try a.string("post_transform", default: "NONE"))
    }

    /// Evaluates `[N, features]` (or `[features]`) to `[label, scores]` or `[values]`.
    ///
    /// A classifier with one row of coefficients and two classes scores [−s, s] before the
    /// transform, as the ONNX reference implementation does (onnxruntime writes [1 − s, s]
    /// and skips LOGISTIC there); exporters write two rows for binary models.
    func evaluate(_ x: ONNXTensor) throws -> [ONNXTensor] {
        let (values, rows) = try ONNXLinearModel.matrix(x, width: features, "Linear model")
        let c = scoreColumns
        var scores = [Float](repeating: 0, count: rows * c)
        for r in 0..<rows {
            for j in 0..<c {
                var s: Float = 0
                for f in 0..<features { s += values[r * features + f] * coefficients[j * features + f] }
                scores[r * c + j] = s + intercepts[j]
            }
        }
        guard let labels else {
            transform.apply(rows: &scores, width: c)
            return [ONNXTensor(shape: [rows, c], floats: scores)]
        }
        var picked = [Int](repeating: 0, count: rows)
        if c == 1 {
            for r in 0..<rows where scores[r] > 0 { picked[r] = min(1, labels.count - 1) }
            if labels.count == 2 {
                scores = scores.flatMap { [-$0, $0] }
                transform.apply(rows: &scores, width: 2)
                return [ONNXTensor(shape: [rows], data: labels.picking(picked)), ONNXTensor(shape: [rows, 2], floats: scores)]
            }
        } else {
            for r in 0..<rows {
                for j in 1..<c where scores[r * c + j] > scores[r * c + picked[r]] { picked[r] = j }
            }
        }
        transform.apply(rows: &scores, width: c)
        return [ONNXTensor(shape: [rows], data: labels.picking(picked)), ONNXTensor(shape: [rows, c], floats: scores)]
    }

    /// A numeric input as floats, with its number of rows; a 1-D input is one row.
    static func matrix(_ x: ONNXTensor, width: Int, _ op: String) throws -> ([Float], Int) {
        let values: [Float]
        switch x.data {
        case .float(let v): values = v
        case .double(let v): values = v.map { Float($0) }
        case .int64(let v): values = v.map { Float($0) }
        default: throw ONNXKernelError("\(op) needs a numeric input, got \(x.elementType.rawValue)", kind: .unsupportedType)
        }
        guard (x.rank == 1 || x.rank == 2), x.shape.last == width else {
            throw ONNXKernelError("\(op) needs an input of shape [N, \(width)], got \(x.shape)")
        }
        return (values, x.rank == 1 ? 1 : x.shape[0])
    }
}
