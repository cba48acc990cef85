/// Which operators the evaluator implements, at which opsets, and how their attributes
/// become an `ONNXOperation`.
///
/// Each operator lists the first opset whose semantics the evaluator implements (older
/// versions with different broadcasting rules are refused rather than guessed). Newer
/// opsets are accepted up to `newestOpset`: the operator versions up to it were checked
/// to only add element types or clarify wording for these operators, not change results.
enum ONNXOperatorSet {
    /// The default domain's canonical spelling in messages.
    static let standardDomain = "ai.onnx"
    static let mlDomain = "ai.onnx.ml"

    /// The newest opset per domain whose operator versions were reviewed.
    static let newestOpset: [String: Int] = [standardDomain: 25, mlDomain: 5]

    /// Operator type → oldest supported opset, per domain.
    static let oldestOpset: [String: [String: Int]] = [
        standardDomain: [
            "Abs": 6, "Add": 7, "Erf": 9, "Gelu": 20, "PRelu": 7, "Pow": 7, "ArgMax": 1, "BatchNormalization": 7, "Cast": 6, "Clip": 6,
            "Concat": 4, "Constant": 1, "Div": 7, "Dropout": 6, "Elu": 6, "Exp": 6,
            "Flatten": 1, "Gather": 1, "Gemm": 7, "HardSigmoid": 6, "Identity": 1,
            "LeakyRelu": 6, "Log": 6, "LogSoftmax": 1, "MatMul": 1, "Mul": 7, "Neg": 6,
            "Reciprocal": 6, "Relu": 6, "Reshape": 5, "Selu": 6, "Shape": 1, "Sigmoid": 6,
            "Softmax": 1, "Softplus": 1, "Sqrt": 6, "Squeeze": 1, "Sub": 7, "Tanh": 6,
            "Transpose": 1, "Unsqueeze": 1, "Where": 9,
            "LayerNormalization": 17, "ReduceMean": 1, "ReduceL2": 1, "ReduceL1": 1, "ReduceSum": 1,
            "ReduceSumSquare": 1, "ReduceMax": 1, "ReduceMin": 1, "Slice": 1, "Expand": 8, "ConstantOfShape": 9,
            "Equal": 7, "Greater": 7, "Less": 7, "GreaterOrEqual": 12, "LessOrEqual": 12, "Not": 1, "And": 7,
            "Or": 7, "Xor": 7, "Mod": 10, "Mish": 18, "HardSwish": 14, "Celu": 12, "Softsign": 1,
            "ThresholdedRelu": 10, "Min": 8, "Max": 8, "Sum": 8, "Floor": 6, "Ceil": 6, "Sign": 9, "Split": 2,
            "Range": 11,
        ],
        mlDomain: [
            "ArrayFeatureExtractor": 1, "Imputer": 1, "LabelEncoder": 1, "OneHotEncoder": 1,
            "Scaler": 1, "ZipMap": 1,
            "Binarizer": 1, "FeatureVectorizer": 1, "LinearClassifier": 1, "LinearRegressor": 1, "Normalizer": 1, "SVMClassifier": 1,
            "SVMRegressor": 1, "TreeEnsemble": 5, "TreeEnsembleClassifier": 1, "TreeEnsembleRegressor": 1,
        ],
    ]

    /// The domain as written in messages: "" and "ai.onnx" are the same domain.
    static func canonicalDomain(_ domain: String) -> String {
        domain.isEmpty ? standardDomain : domain
    }

    /// Checks that `opType` is implemented at `opset`, without looking at attributes.
    /// - Throws: `ONNXKernelError` of kind `.unsupportedOperator` saying why not.
    static func checkSupported(opType: String, domain: String, opset: Int) throws {
        let dom = canonicalDomain(domain)
        guard let table = oldestOpset[dom] else {
            throw ONNXKernelError(
                "operator \(opType) of domain '\(domain)' is not supported: Distill evaluates only the ai.onnx and ai.onnx.ml domains",
                kind: .unsupportedOperator)
        }
        guard let oldest = table[opType] else {
            throw ONNXKernelError(
                "operator \(opType) (domain \(dom), opset \(opset)) is not supported by Distill's evaluator; supported \(dom) operators: \(supportedList(dom))",
                kind: .unsupportedOperator)
        }
        let newest = newestOpset[dom] ?? 0
        guard opset >= oldest, opset <= newest else {
            throw ONNXKernelError(
                "operator \(opType) (domain \(dom)) at opset \(opset) is not supported: Distill implements it for opsets \(oldest) to \(newest); re-export the model with an opset in that range",
                kind: .unsupportedOperator)
        }
    }

    /// The operators of `domain` the evaluator implements, sorted, for messages.
    static func supportedList(_ domain: String) -> String {
        (oldestOpset[canonicalDomain(domain)] ?? [:]).keys.sorted().joined(separator: ", ")
    }

    /// Checks that `opType` is implemented at `opset` and resolves its attributes.
    ///
    /// `Constant` is not an operation at run time; the loader turns it into a constant
    /// before calling this, so it is only validated here. `outputs` is the node's output
    /// count (Split makes one part per output).
    /// - Throws: `ONNXKernelError` of kind `.unsupportedOperator` naming the operator and
    ///   opset, or `.malformedModel` for attributes of the wrong type.
    static func resolve(opType: String, domain: String, opset: Int, attributes a: ONNXAttributes,
                        outputs: Int = 1) throws -> ONNXOperation {
        try checkSupported(opType: opType, domain: domain, opset: opset)
        switch opType {
        case "Identity": return .identity
        case "Dropout": return .dropout
        case "Gemm":
            return .gemm(
                transA: try a.int("transA", default: 0) != 0, transB: try a.int("transB", default: 0) != 0,
                alpha: try a.float("alpha", default: 1), beta: try a.float("beta", default: 1))
        case "MatMul": return .matMul
        case "Relu": return .unary(.relu)
        case "LeakyRelu": return .unary(.leakyRelu(alpha: try a.float("alpha", default: 0.01)))
        case "Elu": return .unary(.elu(alpha: try a.float("alpha", default: 1)))
        case "Selu":
            return .unary(.selu(alpha: try a.float("alpha", default: 1.67326319217681884765625),
                                gamma: try a.float("gamma", default: 1.05070102214813232421875)))
        case "HardSigmoid":
            return .unary(.hardSigmoid(alpha: try a.float("alpha", default: 0.2), beta: try a.float("beta", default: 0.5)))
        case "Tanh": return .unary(.tanh)
        case "Sigmoid": return .unary(.sigmoid)
        case "Softplus": return .unary(.softplus)
        case "Exp": return .unary(.exp)
        case "Log": return .unary(.log)
        case "Neg": return .unary(.neg)
        case "Abs": return .unary(.abs)
        case "Sqrt": return .unary(.sqrt)
        case "Reciprocal": return .unary(.reciprocal)
        case "Erf": return .unary(.erf)
        case "Gelu":
            let approximate = try a.string("approximate", default: "none")
            guard approximate == "none" || approximate == "tanh" else {
                throw ONNXKernelError("Gelu approximate='\(approximate)' is not supported", kind: .unsupportedOperator)
            }
            return .unary(.gelu(tanhApproximation: approximate == "tanh"))
        case "Pow": return .binary(.pow)
        case "PRelu": return .binary(.prelu)
        case "Add": return .binary(.add)
        case "Sub": return .binary(.sub)
        case "Mul": return .binary(.mul)
        case "Div": return .binary(.div)
        case "Softmax", "LogSoftmax":
            let modern = opset >= 13
            return .softmax(axis: try a.int("axis", default: modern ? -1 : 1), coerce2D: !modern, log: opType == "LogSoftmax")
        case "Flatten": return .flatten(axis: try a.int("axis", default: 1))
        case "Cast":
            let code = try a.int("to", default: 0)
            guard let to = ONNXElementType(onnxCode: Int32(truncatingIfNeeded: code)) else {
                throw ONNXKernelError(
                    "Cast to \(ONNXElementType.onnxName(Int32(truncatingIfNeeded: code))) is not supported",
                    kind: .unsupportedOperator)
            }
            return .cast(to: to)
        case "Concat":
            guard a.has("axis") else { throw ONNXKernelError("Concat has no axis attribute", kind: .malformedModel) }
            return .concat(axis: try a.int("axis", default: 0))
        case "Reshape": return .reshape(allowZero: try a.int("allowzero", default: 0) != 0)
        case "ArgMax":
            return .argMax(axis: try a.int("axis", default: 0), keepDims: try a.int("keepdims", default: 1) != 0,
                           selectLastIndex: try a.int("select_last_index", default: 0) != 0)
        case "Gather": return .gather(axis: try a.int("axis", default: 0))
        case "Where": return .select
        case "Transpose": return .transpose(perm: try a.ints("perm"))
        case "Squeeze": return .squeeze(axes: opset < 13 ? (try a.ints("axes") ?? nil) : nil)
        case "Unsqueeze":
            if opset < 13 {
                guard let axes = try a.ints("axes") else {
                    throw ONNXKernelError("Unsqueeze before opset 13 needs an axes attribute", kind: .malformedModel)
                }
                return .unsqueeze(axes: axes)
            }
            return .unsqueeze(axes: nil)
        case "Clip":
            if opset < 11 {
                return .unary(.clip(min: try a.float("min", default: -Float.greatestFiniteMagnitude),
                                    max: try a.float("max", default: Float.greatestFiniteMagnitude)))
            }
            return .clipInputs
        case "BatchNormalization":
            if opset >= 14, try a.int("training_mode", default: 0) != 0 {
                throw ONNXKernelError("BatchNormalization in training mode is not supported; export the model in eval mode",
                                      kind: .unsupportedOperator)
            }
            if opset < 9, try a.int("spatial", default: 1) == 0 {
                throw ONNXKernelError("BatchNormalization with spatial=0 is not supported", kind: .unsupportedOperator)
            }
            return .batchNormalization(epsilon: try a.float("epsilon", default: 1e-5))
        case "Shape":
            let end: Int? = a.has("end") ? try a.int("end", default: 0) : nil
            return .shape(start: try a.int("start", default: 0), end: end)
        case "Scaler":
            return .scaler(offset: try a.floats("offset") ?? [0], scale: try a.floats("scale") ?? [1])
        case "Imputer":
            let floats = try a.floats("imputed_value_floats") ?? []
            let ints = try a.int64s("imputed_value_int64s") ?? []
            guard !floats.isEmpty || !ints.isEmpty else {
                throw ONNXKernelError("Imputer has neither imputed_value_floats nor imputed_value_int64s", kind: .malformedModel)
            }
            return .imputer(floats: floats, int64s: ints, replacedFloat: try a.float("replaced_value_float", default: 0),
                            replacedInt64: Int64(try a.int("replaced_value_int64", default: 0)))
        case "LabelEncoder":
            return .labelEncoder(try labelTables(a, opset: opset))
        case "OneHotEncoder":
            let zeros = try a.int("zeros", default: 1) != 0
            if let cats = try a.strings("cats_strings"), !cats.isEmpty {
                return .oneHotEncoder(strings: positions(cats), int64s: nil, width: cats.count, zeros: zeros)
            }
            if let cats = try a.int64s("cats_int64s"), !cats.isEmpty {
                return .oneHotEncoder(strings: nil, int64s: positions(cats), width: cats.count, zeros: zeros)
            }
            throw ONNXKernelError("OneHotEncoder has neither cats_strings nor cats_int64s", kind: .malformedModel)
        case "ArrayFeatureExtractor": return .arrayFeatureExtractor
        case "ZipMap": return .zipMap(classCount: try zipMapLabels(a).count)
        case "TreeEnsembleClassifier", "TreeEnsembleRegressor":
            return .treeEnsemble(try ONNXTreeEnsemble.legacy(a, classifier: opType == "TreeEnsembleClassifier"))
        case "TreeEnsemble": return .treeEnsemble(try ONNXTreeEnsemble.opset5(a))
        case "LinearClassifier", "LinearRegressor":
            return .linearModel(try ONNXLinearModel(a, classifier: opType == "LinearClassifier"))
        case "SVMClassifier", "SVMRegressor":
            return .supportVectorMachine(try ONNXSupportVectorMachine(a, classifier: opType == "SVMClassifier"))
        case "Normalizer":
            let name = try a.string("norm", default: "")
            guard let norm = ONNXNorm(rawValue: name) else {
                throw ONNXKernelError("Normalizer norm '\(name)' is unknown; the ONNX-ML specification defines MAX, L1 and L2",
                                      kind: .malformedModel)
            }
            return .normalizer(norm)
        case "Binarizer": return .binarizer(threshold: try a.float("threshold", default: 0))
        case "FeatureVectorizer":
            guard let widths = try a.ints("inputdimensions"), !widths.isEmpty, widths.allSatisfy({ $0 >= 0 }) else {
                throw ONNXKernelError("FeatureVectorizer needs inputdimensions, one width of at least 0 per input", kind: .malformedModel)
            }
            return .featureVectorizer(widths: widths)
        default:
            return try resolveStandard(opType: opType, opset: opset, attributes: a, outputs: outputs)
        }
    }

    /// The operators added for the layers of current exporters: normalisation,
    /// reductions, slicing, comparisons and the shape arithmetic around them.
    private static func resolveStandard(opType: String, opset: Int, attributes a: ONNXAttributes,
                                        outputs: Int) throws -> ONNXOperation {
        switch opType {
        case "Mish": return .unary(.mish)
        case "HardSwish": return .unary(.hardSwish)
        case "Celu": return .unary(.celu(alpha: try a.float("alpha", default: 1)))
        case "Softsign": return .unary(.softsign)
        case "ThresholdedRelu": return .unary(.thresholdedRelu(alpha: try a.float("alpha", default: 1)))
        case "Floor": return .unary(.floor)
        case "Ceil": return .unary(.ceil)
        case "Sign": return .unary(.sign)
        case "Equal": return .compare(.equal)
        case "Greater": return .compare(.greater)
        case "Less": return .compare(.less)
        case "GreaterOrEqual": return .compare(.greaterOrEqual)
        case "LessOrEqual": return .compare(.lessOrEqual)
        case "And": return .logical(.and)
        case "Or": return .logical(.or)
        case "Xor": return .logical(.xor)
        case "Not": return .not
        case "Mod": return .binary(try a.int("fmod", default: 0) != 0 ? .fmod : .mod)
        case "Max": return .variadic(.max)
        case "Min": return .variadic(.min)
        case "Sum": return .variadic(.add)
        case "LayerNormalization":
            return .layerNormalization(axis: try a.int("axis", default: -1), epsilon: try a.float("epsilon", default: 1e-5))
        case "ReduceMean", "ReduceL2", "ReduceL1", "ReduceSum", "ReduceSumSquare", "ReduceMax", "ReduceMin":
            let kinds: [String: ONNXReduction] = [
                "ReduceMean": .mean, "ReduceL2": .l2, "ReduceL1": .l1, "ReduceSum": .sum,
                "ReduceSumSquare": .sumSquare, "ReduceMax": .max, "ReduceMin": .min,
            ]
            // Axes moved from attribute to input at opset 13 for ReduceSum, 18 for the rest.
            let axesAsInput = opset >= (opType == "ReduceSum" ? 13 : 18)
            return .reduce(kinds[opType] ?? .sum, axes: axesAsInput ? nil : (try a.ints("axes") ?? []),
                           keepDims: try a.int("keepdims", default: 1) != 0,
                           noopWithEmptyAxes: try a.int("noop_with_empty_axes", default: 0) != 0)
        case "Slice":
            guard opset < 10 else { return .sliceInputs }
            guard let starts = try a.ints("starts"), let ends = try a.ints("ends") else {
                throw ONNXKernelError("Slice before opset 10 needs starts and ends attributes", kind: .malformedModel)
            }
            return .slice(starts: starts, ends: ends, axes: try a.ints("axes"))
        case "Expand": return .expand
        case "ConstantOfShape":
            let value = try a.tensor("value") ?? ONNXTensor(shape: [1], floats: [0])
            guard value.count == 1 else {
                throw ONNXKernelError("ConstantOfShape value must hold one element, holds \(value.count)", kind: .malformedModel)
            }
            return .constantOfShape(value)
        case "Split":
            let numOutputs = opset >= 18 && a.has("num_outputs") ? try a.int("num_outputs", default: outputs) : nil
            if let numOutputs, numOutputs != outputs {
                throw ONNXKernelError("Split num_outputs is \(numOutputs) but the node has \(outputs) outputs", kind: .malformedModel)
            }
            return .split(axis: try a.int("axis", default: 0), sizes: opset < 13 ? try a.ints("split") : nil,
                          count: outputs, uneven: numOutputs != nil)
        case "Range": return .range
        default:
            // Listed in `oldestOpset` but without a resolver: a programmer error caught by tests.
            throw ONNXKernelError("operator \(opType) has no implementation", kind: .unsupportedOperator)
        }
    }

    /// Maps each key to its first position, as a lookup table.
    private static func positions<K: Hashable>(_ keys: [K]) -> [K: Int] {
        var map: [K: Int] = [:]
        for (i, k) in keys.enumerated() where map[k] == nil { map[k] = i }
        return map
    }

    /// The LabelEncoder tables for opset 1 (`classes_strings`, both directions) and
    /// opsets 2+ (`keys_*` / `values_*`, or the `*_tensor` forms of opset 4).
    private static func labelTables(_ a: ONNXAttributes, opset: Int) throws -> [ONNXLabelTable] {
        let defaultString = try a.string("default_string", default: "_Unused")
        let defaultInt = Int64(try a.int("default_int64", default: -1))
        if opset < 2 {
            let classes = try a.strings("classes_strings") ?? []
            var toIndex: [String: Int] = [:]
            for (i, c) in classes.enumerated() where toIndex[c] == nil { toIndex[c] = i }
            var toName: [Int64: Int] = [:]
            for i in classes.indices { toName[Int64(i)] = i }
            return [
                ONNXLabelTable(keys: .strings(toIndex), values: .int64(classes.indices.map { Int64($0) }),
                               defaultValue: .int64([defaultInt])),
                ONNXLabelTable(keys: .int64s(toName), values: .string(classes), defaultValue: .string([defaultString])),
            ]
        }
        let keys: ONNXTensorData
        if let t = try a.tensor("keys_tensor") {
            keys = t.data
        } else if let s = try a.strings("keys_strings") {
            keys = .string(s)
        } else if let i = try a.int64s("keys_int64s") {
            keys = .int64(i)
        } else if let f = try a.floats("keys_floats") {
            keys = .float(f)
        } else {
            throw ONNXKernelError("LabelEncoder has no keys", kind: .malformedModel)
        }
        let values: ONNXTensorData
        var defaultValue: ONNXTensorData
        if let t = try a.tensor("values_tensor") {
            values = t.data
        } else if let s = try a.strings("values_strings") {
            values = .string(s)
        } else if let i = try a.int64s("values_int64s") {
            values = .int64(i)
        } else if let f = try a.floats("values_floats") {
            values = .float(f)
        } else {
            throw ONNXKernelError("LabelEncoder has no values", kind: .malformedModel)
        }
        switch values {
        case .string: defaultValue = .string([defaultString])
        case .int64: defaultValue = .int64([defaultInt])
        case .float: defaultValue = .float([try a.float("default_float", default: -0.0)])
        case .double: defaultValue = .double([-0.0])
        case .bool: defaultValue = .bool([false])
        }
        if let t = try a.tensor("default_tensor") {
            guard t.count == 1, t.elementType == values.elementType else {
                throw ONNXKernelError("LabelEncoder default_tensor must be one value of the values' type", kind: .malformedModel)
            }
            defaultValue = t.data
        }
        guard keys.count == values.count else {
            throw ONNXKernelError("LabelEncoder has \(keys.count) keys but \(values.count) values", kind: .malformedModel)
        }
        let table: ONNXLabelTable.Keys
        switch keys {
        case .string(let k): table = .strings(positions(k))
        case .int64(let k): table = .int64s(positions(k))
        case .float(let k): table = .floats(positions(k.map(ONNXLabelTable.floatKey)))
        case .double(let k): table = .floats(positions(k.map { ONNXLabelTable.floatKey(Float($0)) }))
        case .bool:
            throw ONNXKernelError("LabelEncoder keys of type bool are not supported", kind: .unsupportedOperator)
        }
        return [ONNXLabelTable(keys: table, values: values, defaultValue: defaultValue)]
    }
}
