/// Runs a compiled graph on one batch of input tensors.
///
/// Values live in an array indexed by value number. A node's input is handed over (not
/// shared) when the node is its last reader, so activations like Relu and Softmax update
/// the previous layer's output in place instead of allocating.
enum ONNXEvaluator {
    /// Evaluates `graph` on `inputs` (one per `graph.inputs`, same order).
    /// - Returns: the chosen output tensor.
    /// - Throws: `ONNXError` naming the node whose kernel failed.
    static func run(_ graph: ONNXGraph, inputs: [ONNXTensor]) throws -> ONNXTensor {
        var values = graph.constants
        for (k, input) in graph.inputs.enumerated() { values[input.value] = inputs[k] }
        var args: [ONNXTensor?] = []
        for node in graph.nodes {
            args.removeAll(keepingCapacity: true)
            for (k, i) in node.inputs.enumerated() {
                if i < 0 {
                    args.append(nil)
                } else if node.consumes[k] {
                    args.append(values[i])
                    values[i] = nil
                } else {
                    args.append(values[i])
                }
            }
            let results = try execute(node, &args, file: graph.file)
            args.removeAll(keepingCapacity: true)
            for (k, o) in node.outputs.enumerated() where o >= 0 && k < results.count { values[o] = results[k] }
            for r in node.releases { values[r] = nil }
        }
        guard let out = values[graph.output] else {
            throw ONNXError(.evaluationFailed, file: graph.file, "output '\(graph.valueNames[graph.output])' was not computed")
        }
        return out
    }

    /// Runs one node's kernel. Inputs may be taken out of `args` (set to nil) by kernels
    /// that work in place.
    static func execute(_ node: ONNXGraph.Node, _ args: inout [ONNXTensor?], file: String) throws -> [ONNXTensor] {
        let doubleInput = args.contains { $0?.elementType == .double }
        do {
            return try dispatch(node, &args)
        } catch let e as ONNXKernelError {
            var message = e.message
            if e.kind == .unsupportedType && doubleInput {
                message += "; Distill evaluates \(node.opType) on float64 (double) values only where every operand is double, and this model mixes them (a float32-only operator earlier) or needs a float32 kernel here: re-export the model in float32 (torch: model.float() and a float32 example input; skl2onnx: to_onnx(model, X[:1].astype(numpy.float32)))"
            }
            var error = ONNXError(e.kind, file: file, node: node.label, message)
            error.dependsOnValues = e.dependsOnValues
            throw error
        }
    }

    private static func dispatch(_ node: ONNXGraph.Node, _ args: inout [ONNXTensor?]) throws -> [ONNXTensor] {
        func take(_ i: Int) throws -> ONNXTensor {
            guard i < args.count, let t = args[i] else {
                throw ONNXKernelError("required input \(i + 1) is missing", kind: .malformedModel)
            }
            args[i] = nil
            return t
        }
        func optional(_ i: Int) -> ONNXTensor? { i < args.count ? args[i] : nil }

        switch node.operation {
        case .identity:
            return [try take(0)]
        case .dropout:
            let x = try take(0)
            return [x, ONNXTensor(shape: x.shape, data: .bool([Bool](repeating: true, count: x.count)))]
        case .gemm(let transA, let transB, let alpha, let beta):
            return [try ONNXLinear.gemm(try take(0), try take(1), optional(2), transA: transA, transB: transB, alpha: alpha, beta: beta)]
        case .matMul:
            return [try ONNXLinear.matMul(try take(0), try take(1))]
        case .unary(let f):
            return [try unary(f, try take(0), node.opType)]
        case .binary(let f):
            return [try ONNXElementwise.binary(f, try take(0), try take(1))]
        case .softmax(let axis, let coerce2D, let log):
            var x = try take(0)
            try ONNXNormalization.softmax(&x, axis: axis, coerce2D: coerce2D, log: log)
            return [x]
        case .flatten(let axis):
            return [try ONNXShapeOps.flatten(try take(0), axis: axis)]
        case .cast(let to):
            return [try ONNXConversion.cast(try take(0), to: to)]
        case .concat(let axis):
            let parts = args.compactMap { $0 }
            return [try ONNXShapeOps.concat(parts, axis: axis)]
        case .reshape(let allowZero):
            let shape = try take(1).integers("Reshape shape")
            return [try ONNXShapeOps.reshape(try take(0), to: shape, allowZero: allowZero)]
        case .argMax(let axis, let keepDims, let last):
            return [try ONNXConversion.argMax(try take(0), axis: axis, keepDims: keepDims, selectLastIndex: last)]
        case .gather(let axis):
            return [try ONNXShapeOps.gather(try take(0), try take(1), axis: axis)]
        case .select:
            return [try ONNXConversion.select(try take(0), try take(1), try take(2))]
        case .transpose(let perm):
            return [try ONNXShapeOps.transpose(try take(0), perm: perm)]
        case .squeeze(let axes):
            let fromInput = try optional(1).map { try $0.integers("Squeeze axes") }
            return [try ONNXShapeOps.squeeze(try take(0), axes: axes ?? fromInput)]
        case .unsqueeze(let axes):
            let resolved: [Int]
            if let axes {
                resolved = axes
            } else {
                resolved = try take(1).integers("Unsqueeze axes")
            }
            return [try ONNXShapeOps.unsqueeze(try take(0), axes: resolved)]
        case .clipInputs:
            let lo = try optional(1)?.scalarFloat("Clip min") ?? -Float.greatestFiniteMagnitude
            let hi = try optional(2)?.scalarFloat("Clip max") ?? Float.greatestFiniteMagnitude
            return [try unary(.clip(min: lo, max: hi), try take(0), "Clip")]
        case .batchNormalization(let epsilon):
            var x = try take(0)
            try ONNXNormalization.batchNormalization(&x, scale: try take(1), bias: try take(2), mean: try take(3),
                                                     variance: try take(4), epsilon: epsilon)
            return [x]
        case .shape(let start, let end):
            return [ONNXShapeOps.shape(try take(0), start: start, end: end)]
        case .scaler(let offset, let scale):
            return [try ONNXMachineLearning.scaler(try take(0), offset: offset, scale: scale)]
        case .imputer(let floats, let ints, let rf, let ri):
            return [try ONNXMachineLearning.imputer(try take(0), floats: floats, int64s: ints, replacedFloat: rf, replacedInt64: ri)]
        case .labelEncoder(let tables):
            return [try ONNXMachineLearning.labelEncoder(try take(0), tables: tables)]
        case .oneHotEncoder(let strings, let ints, let width, let zeros):
            return [try ONNXMachineLearning.oneHotEncoder(try take(0), strings: strings, int64s: ints, width: width, zeros: zeros)]
        case .arrayFeatureExtractor:
            return [try ONNXMachineLearning.arrayFeatureExtractor(try take(0), try take(1))]
        case .compare(let op):
            return [try ONNXComparisonOps.compare(op, try take(0), try take(1))]
        case .logical(let f):
            return [try ONNXComparisonOps.logical(f, try take(0), try take(1))]
        case .not:
            return [try ONNXComparisonOps.not(try take(0))]
        case .variadic(let f):
            var operands = args.compactMap { $0 }
            args.removeAll()
            guard !operands.isEmpty else { throw ONNXKernelError("\(node.opType) has no inputs", kind: .malformedModel) }
            var result = operands.removeFirst()
            for next in operands { result = try ONNXElementwise.binary(f, result, next) }
            return [result]
        case .layerNormalization(let axis, let epsilon):
            return try ONNXNormalization.layerNormalization(try take(0), scale: try take(1), bias: optional(2),
                                                            axis: axis, epsilon: epsilon)
        case .reduce(let kind, let attribute, let keepDims, let noop):
            let axes = try attribute ?? optional(1)?.integers("\(node.opType) axes") ?? []
            return [try ONNXReductionOps.reduce(try take(0), kind, axes: axes, keepDims: keepDims, noopWithEmptyAxes: noop)]
        case .slice(let starts, let ends, let axes):
            return [try ONNXSlicing.slice(try take(0), starts: starts, ends: ends, axes: axes, steps: nil)]
        case .sliceInputs:
            let starts = try take(1).integers("Slice starts"), ends = try take(2).integers("Slice ends")
            let axes = try optional(3)?.integers("Slice axes"), steps = try optional(4)?.integers("Slice steps")
            return [try ONNXSlicing.slice(try take(0), starts: starts, ends: ends, axes: axes, steps: steps)]
        case .expand:
            let shape = try take(1).integers("Expand shape")
            return [try ONNXSlicing.expand(try take(0), to: shape)]
        case .constantOfShape(let value):
            return [try ONNXSlicing.constantOfShape(try take(0).integers("ConstantOfShape shape"), value: value)]
        case .split(let axis, let attribute, let count, let uneven):
            let sizes = try attribute ?? optional(1)?.integers("Split split")
            return try ONNXSlicing.split(try take(0), axis: axis, sizes: sizes, count: count, uneven: uneven)
        case .range:
            return [try ONNXSlicing.range(try take(0), try take(1), try take(2))]
        case .zipMap(let classCount):
            return [try ONNXMachineLearning.zipMap(try take(0), classCount: classCount)]
        case .treeEnsemble(let ensemble):
            return try ensemble.evaluate(try take(0))
        case .linearModel(let model):
            return try model.evaluate(try take(0))
        case .supportVectorMachine(let model):
            return try model.evaluate(try take(0))
        case .normalizer(let norm):
            return [try ONNXMachineLearning.normalizer(try take(0), norm: norm)]
        case .featureVectorizer(let widths):
            let parts = args.compactMap { $0 }
            args.removeAll()
            return [try ONNXMachineLearning.featureVectorizer(parts, widths: widths)]
        case .binarizer(let threshold):
            return [try ONNXMachineLearning.binarizer(try take(0), threshold: threshold)]
        }
    }

    /// An elementwise function in the input's precision (float or double), in place.
    private static func unary(_ f: ONNXUnaryFunction, _ x: ONNXTensor, _ opType: String) throws -> ONNXTensor {
        var x = x
        let shape = x.shape
        if var v = x.takeFloats() {
            ONNXElementwise.apply(f, to: &v)
            return ONNXTensor(shape: shape, floats: v)
        }
        guard case .double(var v) = x.data else {
            throw ONNXKernelError("\(opType) needs a float or double input, got \(x.elementType.rawValue)", kind: .unsupportedType)
        }
        x.data = .double([])
        ONNXElementwise.apply(f, to: &v)
        return ONNXTensor(shape: shape, data: .double(v))
    }
}
