/// An elementwise function of one float, with its parameters resolved at load time.
enum ONNXUnaryFunction: Sendable, Equatable {
    case relu
    case leakyRelu(alpha: Float)
    case elu(alpha: Float)
    case selu(alpha: Float, gamma: Float)
    case hardSigmoid(alpha: Float, beta: Float)
    case tanh, sigmoid, softplus, exp, log, neg, abs, sqrt, reciprocal, erf
    /// GELU, exact (erf) or with the tanh approximation (opset 20).
    case gelu(tanhApproximation: Bool)
    /// Clip with bounds known at load (attributes before opset 11, constants after).
    case clip(min: Float, max: Float)
    /// Mish: x · tanh(softplus(x)).
    case mish
    /// HardSwish: x · max(0, min(1, x/6 + 1/2)).
    case hardSwish
    /// CELU: max(0, x) + min(0, α · (exp(x/α) − 1)).
    case celu(alpha: Float)
    /// Softsign: x / (1 + |x|).
    case softsign
    /// ThresholdedRelu: x where x > α, else 0.
    case thresholdedRelu(alpha: Float)
    case floor, ceil, sign
}

/// An elementwise function of two broadcast operands.
enum ONNXBinaryFunction: String, Sendable, Equatable {
    case add, sub, mul, div, pow
    /// PRelu: x where x ≥ 0, slope · x elsewhere, the slope broadcast to x.
    case prelu
    /// Max and Min (NaN propagates, as in numpy's maximum); Sum folds with `add`.
    case max, min
    /// Mod with fmod=1: C's fmod, the sign of the dividend.
    case fmod
    /// Mod with fmod=0 on integers: the sign of the divisor (Python's %).
    case mod
}

/// A comparison of two broadcast operands, giving bool.
enum ONNXComparison: String, Sendable, Equatable {
    case equal, greater, less, greaterOrEqual, lessOrEqual
}

/// A logical function of two broadcast bool operands.
enum ONNXLogicalFunction: String, Sendable, Equatable {
    case and, or, xor
}

/// A reduction over some axes.
enum ONNXReduction: String, Sendable, Equatable {
    case sum, mean, max, min, l1, l2, sumSquare
}

/// A LabelEncoder's lookup table: typed keys to positions in `values`.
struct ONNXLabelTable: Sendable {
    enum Keys: Sendable {
        case strings([String: Int])
        case int64s([Int64: Int])
        /// Keyed by bit pattern, with every NaN folded to one key so NaN maps like a value.
        case floats([UInt32: Int])
    }

    var keys: Keys
    /// One value per key; its element type is the output's.
    var values: ONNXTensorData
    /// A one-element value used for keys not in the table.
    var defaultValue: ONNXTensorData

    var keyType: ONNXElementType {
        switch keys {
        case .strings: .string
        case .int64s: .int64
        case .floats: .float
        }
    }

    static func floatKey(_ x: Float) -> UInt32 { x.isNaN ? Float.nan.bitPattern : (x == 0 ? 0 : x.bitPattern) }
}

/// An operator with every attribute resolved, ready to run.
///
/// Resolving at load time is what lets the loader reject an unsupported attribute value
/// (say, Gemm with a broadcast attribute from opset 6) before any row is predicted.
enum ONNXOperation: Sendable {
    case identity
    /// Inference-mode Dropout: the input unchanged, and an all-true mask if asked for.
    case dropout
    case gemm(transA: Bool, transB: Bool, alpha: Float, beta: Float)
    case matMul
    case unary(ONNXUnaryFunction)
    case binary(ONNXBinaryFunction)
    /// Softmax or LogSoftmax. `coerce2D`: before opset 13 the input is viewed as a matrix
    /// [prod(dims before axis), prod(dims from axis)] and normalised along its rows.
    case softmax(axis: Int, coerce2D: Bool, log: Bool)
    case flatten(axis: Int)
    case cast(to: ONNXElementType)
    case concat(axis: Int)
    case reshape(allowZero: Bool)
    case argMax(axis: Int, keepDims: Bool, selectLastIndex: Bool)
    case gather(axis: Int)
    case select
    case transpose(perm: [Int]?)
    /// Squeeze/Unsqueeze axes from an attribute (before opset 13) or, when `nil`, from the
    /// second input (Squeeze without axes drops every dimension of size 1).
    case squeeze(axes: [Int]?)
    case unsqueeze(axes: [Int]?)
    /// Clip from opset 11 on, where min and max are optional inputs.
    case clipInputs
    case batchNormalization(epsilon: Float)
    case shape(start: Int, end: Int?)
    case scaler(offset: [Float], scale: [Float])
    case imputer(floats: [Float], int64s: [Int64], replacedFloat: Float, replacedInt64: Int64)
    /// One table per input key type (LabelEncoder v1 maps both ways).
    case labelEncoder([ONNXLabelTable])
    case oneHotEncoder(strings: [String: Int]?, int64s: [Int64: Int]?, width: Int, zeros: Bool)
    case arrayFeatureExtractor
    case compare(ONNXComparison)
    case logical(ONNXLogicalFunction)
    case not
    /// Max, Min or Sum of any number of broadcast operands, folded left to right.
    case variadic(ONNXBinaryFunction)
    /// LayerNormalization over the axes from `axis` on (opset 17).
    case layerNormalization(axis: Int, epsilon: Float)
    /// ReduceX: `axes` from the attribute (before opset 18; 13 for ReduceSum) or, when
    /// `nil`, from the second input. No axes reduces every axis unless `noopWithEmptyAxes`.
    case reduce(ONNXReduction, axes: [Int]?, keepDims: Bool, noopWithEmptyAxes: Bool)
    /// Slice with starts/ends/axes as attributes (opset 1), or, when `nil`, as inputs.
    case slice(starts: [Int], ends: [Int], axes: [Int]?)
    case sliceInputs
    /// Expand: broadcast the input to a shape given as the second input.
    case expand
    /// ConstantOfShape: a tensor of the given shape filled with one value.
    case constantOfShape(ONNXTensor)
    /// Split along `axis` into parts of `sizes` (attribute), else of sizes from the second
    /// input, else into `count` equal parts; `uneven` (opset 18's `num_outputs`) lets the
    /// last part be smaller.
    case split(axis: Int, sizes: [Int]?, count: Int, uneven: Bool)
    case range
    /// ZipMap: the probabilities [N, classCount] pass through; their class labels name the
    /// teacher's classes (see `ONNXModel.chooseOutput`).
    case zipMap(classCount: Int)
    /// TreeEnsembleClassifier / TreeEnsembleRegressor / TreeEnsemble, compiled.
    case treeEnsemble(ONNXTreeEnsemble)
    /// LinearClassifier / LinearRegressor.
    case linearModel(ONNXLinearModel)
    /// SVMClassifier / SVMRegressor.
    case supportVectorMachine(ONNXSupportVectorMachine)
    case normalizer(ONNXNorm)
    case binarizer(threshold: Float)
    /// FeatureVectorizer: its inputs, each [N, width], joined along axis 1 as floats.
    case featureVectorizer(widths: [Int])
}
