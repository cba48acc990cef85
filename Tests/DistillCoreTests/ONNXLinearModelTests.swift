import Foundation
import Testing

@testable import DistillCore

/// LinearClassifier, LinearRegressor, SVMClassifier, SVMRegressor, Normalizer and
/// Binarizer on hand-made parameters, with expectations computed here from the formulas.
@Suite("ONNX linear and SVM models")
struct ONNXLinearModelTests {
    typealias B = ONNXBuild

    static func model(_ op: String, width: Int64, _ attributes: [Onnx_AttributeProto]) -> Data {
        let classifier = op.hasSuffix("Classifier")
        let outputs = classifier ? ["label", "scores"] : ["y"]
        return B.model(nodes: [B.node(op, ["x"], outputs, name: "m", domain: "ai.onnx.ml", attributes)],
                       inputs: [B.value("x", 1, [nil, width])],
                       outputs: outputs.map { B.value($0, $0 == "label" ? 7 : 1, nil) }, mlOpset: 1)
    }

    static func sigmoid(_ v: Double) -> Double { 1 / (1 + Foundation.exp(-v)) }

    static func close(_ got: [Float], _ want: [Double], _ tolerance: Double = 1e-6) -> Bool {
        got.count == want.count && zip(got, want).allSatisfy { abs(Double($0) - $1) <= tolerance }
    }

    @Test("LinearClassifier: three classes with SOFTMAX, and one row of coefficients expanded to [−s, s]")
    func linearClassifier() throws {
        let three = Self.model("LinearClassifier", width: 2, [
            B.attr("coefficients", floats: [1, 0, 0, 1, 1, 1]), B.attr("intercepts", floats: [0, 0.5, -1]),
            B.attr("classlabels_ints", ints: [7, 8, 9]), B.attr("post_transform", string: "SOFTMAX")])
        let x = ONNXTensor(shape: [1, 2], floats: [2, 1])
        let z: [Double] = [2, 1.5, 2]
        let e = z.map { Foundation.exp($0) }
        #expect(Self.close(try B.run(three, output: "scores", [x]).floats("s"), e.map { $0 / e.reduce(0, +) }))
        #expect(try B.run(three, output: "label", [x]).integers("l") == [7])

        let binary = Self.model("LinearClassifier", width: 2, [
            B.attr("coefficients", floats: [1, -2]), B.attr("intercepts", floats: [0.5]),
            B.attr("classlabels_ints", ints: [0, 1]), B.attr("post_transform", string: "LOGISTIC")])
        let s = 2.0 - 2.0 + 0.5
        #expect(Self.close(try B.run(binary, output: "scores", [x]).floats("s"), [Self.sigmoid(-s), Self.sigmoid(s)]))
        #expect(try B.run(binary, output: "label", [x]).integers("l") == [1])
    }

    @Test("LinearRegressor with two targets")
    func linearRegressor() throws {
        let bytes = Self.model("LinearRegressor", width: 3, [
            B.attr("coefficients", floats: [1, 2, 3, -1, 0, 0.5]), B.attr("intercepts", floats: [10, 20]),
            B.attr("targets", int: 2)])
        let y = try B.run(bytes, output: "y", [ONNXTensor(shape: [2, 3], floats: [1, 1, 1, 2, 0, 4])])
        #expect(y.shape == [2, 2])
        #expect(try y.floats("y") == [16, 19.5, 24, 20])
    }

    @Test("SVMClassifier with RBF support vectors and Platt scaling: two classes give about [p, 1 − p]")
    func svmProbabilities() throws {
        // Class 0 has vector (0, 0), class 1 has (1, 1); coefficients (1, −1), rho 0.1.
        let gamma = 0.5, a = -2.0, b = 0.25
        let bytes = Self.model("SVMClassifier", width: 2, [
            B.attr("kernel_type", string: "RBF"), B.attr("kernel_params", floats: [Float(gamma), 0, 3]),
            B.attr("support_vectors", floats: [0, 0, 1, 1]), B.attr("vectors_per_class", ints: [1, 1]),
            B.attr("coefficients", floats: [1, -1]), B.attr("rho", floats: [0.1]),
            B.attr("prob_a", floats: [Float(a)]), B.attr("prob_b", floats: [Float(b)]),
            B.attr("classlabels_ints", ints: [0, 1])])
        let x: [Double] = [0.2, 0.4]
        let k0 = Foundation.exp(-gamma * (0.04 + 0.16)), k1 = Foundation.exp(-gamma * (0.64 + 0.36))
        let score = k0 - k1 + 0.1
        let p = 1 - Self.sigmoid(score * a + b)
        let scores = try B.run(bytes, output: "scores", [ONNXTensor(shape: [1, 2], floats: x.map { Float($0) })]).floats("s")
        // The coupling stops once its optimality error is below 0.005 / k (libsvm's rule), so
        // it lands near the exact two-class solution p; check_onnx_ml.py checks the exact
        // figures against onnxruntime.
        #expect(Self.close(scores, [p, 1 - p], 0.005 / 2))
        #expect(abs(scores[0] + scores[1] - 1) < 1e-6)
    }

    @Test("SVMClassifier in linear mode and SVMRegressor with a polynomial kernel")
    func svmLinearAndRegressor() throws {
        let linear = Self.model("SVMClassifier", width: 2, [
            B.attr("coefficients", floats: [1, 0, 0, 1, -1, -1]), B.attr("rho", floats: [0.5]),
            B.attr("classlabels_strings", strings: ["a", "b", "c"])])
        #expect(try B.run(linear, output: "scores", [ONNXTensor(shape: [1, 2], floats: [3, 1])]).floats("s") == [3.5, 1.5, -3.5])

        // (γ·⟨x, v⟩ + c₀)^d summed with the coefficients, plus rho.
        let poly = Self.model("SVMRegressor", width: 2, [
            B.attr("kernel_type", string: "POLY"), B.attr("kernel_params", floats: [0.5, 1, 2]),
            B.attr("support_vectors", floats: [1, 0, 0, 2]), B.attr("n_supports", int: 2),
            B.attr("coefficients", floats: [2, -1]), B.attr("rho", floats: [3])])
        let x: [Float] = [2, 1]
        let k1: Double = Foundation.pow(0.5 * 2 + 1, 2)  // ⟨x, (1, 0)⟩ = 2
        let k2: Double = Foundation.pow(0.5 * 2 + 1, 2)  // ⟨x, (0, 2)⟩ = 2
        let want = Float(2 * k1 - k2 + 3)
        #expect(try B.run(poly, output: "y", [ONNXTensor(shape: [1, 2], floats: x)]).floats("y") == [want])
    }

    static let root26: Double = 26.0.squareRoot()
    static let norms: [(String, [Double])] = [
        ("MAX", [0.75, -1, 0.25]), ("L1", [0.375, -0.5, 0.125]), ("L2", [3 / root26, -4 / root26, 1 / root26]),
    ]

    @Test("Normalizer divides each row by its MAX, L1 or L2 norm; Binarizer thresholds",
          arguments: Self.norms)
    func normalizer(norm: String, want: [Double]) throws {
        let bytes = B.single("Normalizer", inputShape: [nil, 3], domain: "ai.onnx.ml", [B.attr("norm", string: norm)])
        let y = try B.run(bytes, output: "y", [ONNXTensor(shape: [2, 3], floats: [3, -4, 1, 0, 0, 0])])
        #expect(Self.close(try y.floats("y"), want + [0, 0, 0]))
        let binarizer = B.single("Binarizer", inputShape: [nil, 3], domain: "ai.onnx.ml", [B.attr("threshold", float: 1)])
        #expect(try B.run(binarizer, output: "y", [ONNXTensor(shape: [1, 3], floats: [3, 1, -2])]).floats("y") == [1, 0, 0])
    }

    @Test("bad parameters fail at load with the node named",
          arguments: [("LinearClassifier", [B.attr("coefficients", floats: [1, 2, 3]), B.attr("intercepts", floats: [0, 0]),
                                            B.attr("classlabels_ints", ints: [0, 1])], "not a multiple of 2"),
                      ("LinearClassifier", [B.attr("coefficients", floats: [1, 2]), B.attr("classlabels_ints", ints: [0, 1]),
                                            B.attr("post_transform", string: "TANH")], "post_transform 'TANH' is unknown"),
                      ("SVMClassifier", [B.attr("coefficients", floats: [1]), B.attr("rho", floats: [0]),
                                         B.attr("kernel_type", string: "CUBIC"), B.attr("classlabels_ints", ints: [0, 1])],
                       "kernel_type 'CUBIC' is unknown"),
                      ("SVMClassifier", [B.attr("coefficients", floats: [1, 1, 1]), B.attr("rho", floats: [0]),
                                         B.attr("support_vectors", floats: [0, 0, 1, 1]), B.attr("vectors_per_class", ints: [1, 1]),
                                         B.attr("classlabels_ints", ints: [0, 1])], "coefficients has 3 values")])
    func badParameters(op: String, attributes: [Onnx_AttributeProto], message: String) throws {
        let bytes = Self.model(op, width: 2, attributes)
        do {
            _ = try ONNXGraph(model: try ONNXModel(serialized: bytes, file: "m.onnx"), outputName: "scores")
            Issue.record("loaded")
        } catch let e as ONNXError {
            #expect(e.node == "'m' (\(op))")
            #expect(e.message.contains(message), "\(e.message)")
        }
    }
}
