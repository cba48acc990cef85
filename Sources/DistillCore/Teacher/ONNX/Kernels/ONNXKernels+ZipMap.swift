/// ZipMap (ai.onnx.ml): the class probabilities of a scikit-learn export, as a sequence
/// of maps from class label to probability.
///
/// Distill keeps the probabilities as the [N, C] tensor they arrive in and reads the
/// labels as the teacher's class names, so a ZipMap passes its input through after
/// checking that every probability has a label.
extension ONNXOperatorSet {
    /// The class labels of a ZipMap, integers as decimal text.
    /// - Throws: `ONNXKernelError` (`.malformedModel`) unless exactly one of
    ///   `classlabels_strings` and `classlabels_int64s` is given, or when a label repeats
    ///   (a map has one entry per key).
    static func zipMapLabels(_ a: ONNXAttributes) throws -> [String] {
        let strings = try a.strings("classlabels_strings") ?? []
        let ints = try a.int64s("classlabels_int64s") ?? []
        guard strings.isEmpty != ints.isEmpty else {
            throw ONNXKernelError("ZipMap needs exactly one of classlabels_strings and classlabels_int64s, non-empty; it has \(strings.isEmpty && ints.isEmpty ? "neither" : "both")",
                                  kind: .malformedModel)
        }
        let labels = strings.isEmpty ? ints.map { String($0) } : strings
        var seen = Set<String>()
        for label in labels where !seen.insert(label).inserted {
            throw ONNXKernelError("ZipMap class label '\(label)' appears twice; a map has one probability per class",
                                  kind: .malformedModel)
        }
        return labels
    }
}

extension ONNXMachineLearning {
    /// ZipMap: `x` [N, classCount] unchanged.
    /// - Throws: `ONNXKernelError` when `x` is not float [N, classCount].
    static func zipMap(_ x: ONNXTensor, classCount: Int) throws -> ONNXTensor {
        guard x.elementType == .float else {
            throw ONNXKernelError("ZipMap needs float probabilities, got \(x.elementType.rawValue)", kind: .unsupportedType)
        }
        guard x.rank == 2, x.shape[1] == classCount else {
            throw ONNXKernelError("ZipMap has \(classCount) class labels but its input has shape \(x.shape); it needs [N, \(classCount)], one probability per label",
                                  kind: .malformedModel)
        }
        return x
    }
}
