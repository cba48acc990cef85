import Foundation
import Testing

@testable import DistillCore

/// The ai.onnx.ml tree ensembles on small hand-made trees, with expectations worked out by
/// hand from the specification, and their malformed forms.
@Suite("ONNX tree ensembles")
struct ONNXTreeEnsembleTests {
    typealias B = ONNXBuild

    /// A one-node ensemble model reading x [N, width]; a classifier has outputs (label, scores).
    static func ensemble(_ op: String, width: Int64, mlOpset: Int64 = 3, _ attributes: [Onnx_AttributeProto]) -> Data {
        let classifier = op.hasSuffix("Classifier")
        let outputs = classifier ? ["label", "scores"] : ["y"]
        return B.model(nodes: [B.node(op, ["x"], outputs, name: "trees", domain: "ai.onnx.ml", attributes)],
                       inputs: [B.value("x", 1, [nil, width])],
                       outputs: outputs.map { B.value($0, $0 == "label" ? 7 : 1, nil) }, mlOpset: mlOpset)
    }

    /// Tree 0: x0 ≤ 0.5 (NaN goes true) ? (x1 < 2 ? leaf 1 : leaf 2) : leaf 10.
    /// Tree 1: a single leaf of weight 4.
    static func twoTrees(aggregate: String, base: [Float] = [100]) -> [Onnx_AttributeProto] {
        [B.attr("nodes_treeids", ints: [0, 0, 0, 0, 0, 1]),
         B.attr("nodes_nodeids", ints: [0, 1, 2, 3, 4, 0]),
         B.attr("nodes_featureids", ints: [0, 1, 0, 0, 0, 0]),
         B.attr("nodes_modes", strings: ["BRANCH_LEQ", "BRANCH_LT", "LEAF", "LEAF", "LEAF", "LEAF"]),
         B.attr("nodes_values", floats: [0.5, 2, 0, 0, 0, 0]),
         B.attr("nodes_truenodeids", ints: [1, 3, 0, 0, 0, 0]),
         B.attr("nodes_falsenodeids", ints: [2, 4, 0, 0, 0, 0]),
         B.attr("nodes_missing_value_tracks_true", ints: [1, 0, 0, 0, 0, 0]),
         B.attr("target_treeids", ints: [0, 0, 0, 1]),
         B.attr("target_nodeids", ints: [3, 4, 2, 0]),
         B.attr("target_ids", ints: [0, 0, 0, 0]),
         B.attr("target_weights", floats: [1, 2, 10, 4]),
         B.attr("n_targets", int: 1),
         B.attr("aggregate_function", string: aggregate),
         B.attr("base_values", floats: base)]
    }

    static let rows = ONNXTensor(shape: [4, 2], floats: [0.2, 1, 0.2, 3, 0.7, 0, .nan, 5])

    @Test("TreeEnsembleRegressor: LEQ/LT descent, missing values tracked true, SUM/AVERAGE/MIN/MAX, base value",
          arguments: [("SUM", [Float](arrayLiteral: 105, 106, 114, 106)), ("AVERAGE", [102.5, 103, 107, 103]),
                      ("MIN", [101, 102, 104, 102]), ("MAX", [104, 104, 110, 104])])
    func regressorAggregates(aggregate: String, expected: [Float]) throws {
        let bytes = Self.ensemble("TreeEnsembleRegressor", width: 2, Self.twoTrees(aggregate: aggregate))
        let y = try B.run(bytes, output: "y", [Self.rows])
        #expect(y.shape == [4, 1])
        #expect(try y.floats("y") == expected)
    }

    @Test("every comparison mode sends a value the way the specification says")
    func modes() throws {
        // One tree per mode with threshold 1: true child weight 1, false child weight 0.
        let modes = ["BRANCH_LEQ", "BRANCH_LT", "BRANCH_GTE", "BRANCH_GT", "BRANCH_EQ", "BRANCH_NEQ"]
        let expected: [[Float]] = [  // for x = 0, 1, 2
            [1, 1, 0], [1, 0, 0], [0, 1, 1], [0, 0, 1], [0, 1, 0], [1, 0, 1],
        ]
        for (mode, want) in zip(modes, expected) {
            let bytes = Self.ensemble("TreeEnsembleRegressor", width: 1, [
                B.attr("nodes_treeids", ints: [0, 0, 0]), B.attr("nodes_nodeids", ints: [0, 1, 2]),
                B.attr("nodes_featureids", ints: [0, 0, 0]), B.attr("nodes_modes", strings: [mode, "LEAF", "LEAF"]),
                B.attr("nodes_values", floats: [1, 0, 0]), B.attr("nodes_truenodeids", ints: [1, 0, 0]),
                B.attr("nodes_falsenodeids", ints: [2, 0, 0]),
                B.attr("target_treeids", ints: [0]), B.attr("target_nodeids", ints: [1]),
                B.attr("target_ids", ints: [0]), B.attr("target_weights", floats: [1]),
            ])
            let y = try B.run(bytes, output: "y", [ONNXTensor(shape: [3, 1], floats: [0, 1, 2])])
            #expect(try y.floats("y") == want, "\(mode)")
        }
    }

    /// One stump on x0 ≤ 0: leaves 1 (true) and 2 (false), with the given class weights.
    static func stump(classes: [Int64], ids: [Int64], nodes: [Int64], weights: [Float], transform: String,
                      base: [Float] = []) -> [Onnx_AttributeProto] {
        var a = [B.attr("nodes_treeids", ints: [0, 0, 0]), B.attr("nodes_nodeids", ints: [0, 1, 2]),
                 B.attr("nodes_featureids", ints: [0, 0, 0]), B.attr("nodes_modes", strings: ["BRANCH_LEQ", "LEAF", "LEAF"]),
                 B.attr("nodes_values", floats: [0, 0, 0]), B.attr("nodes_truenodeids", ints: [1, 0, 0]),
                 B.attr("nodes_falsenodeids", ints: [2, 0, 0]),
                 B.attr("class_treeids", ints: [Int64](repeating: 0, count: ids.count)), B.attr("class_nodeids", ints: nodes),
                 B.attr("class_ids", ints: ids), B.attr("class_weights", floats: weights),
                 B.attr("classlabels_int64s", ints: classes), B.attr("post_transform", string: transform)]
        if !base.isEmpty { a.append(B.attr("base_values", floats: base)) }
        return a
    }

    @Test("TreeEnsembleClassifier with three classes: SOFTMAX of the summed weights and the argmax label")
    func multiclassSoftmax() throws {
        let bytes = Self.ensemble("TreeEnsembleClassifier", width: 1, Self.stump(
            classes: [10, 20, 30], ids: [0, 1, 2, 2], nodes: [1, 1, 1, 2], weights: [1, 2, 0.5, 3], transform: "SOFTMAX",
            base: [0.1, 0.2, 0.3]))
        let x = ONNXTensor(shape: [2, 1], floats: [-1, 1])
        let scores = try B.run(bytes, output: "scores", [x]).floats("scores")
        func softmax(_ v: [Double]) -> [Double] { let e = v.map { Foundation.exp($0) }; let s = e.reduce(0, +); return e.map { $0 / s } }
        let want = softmax([1.1, 2.2, 0.8]) + softmax([0.1, 0.2, 3.3])
        for (g, w) in zip(scores, want) { #expect(abs(Double(g) - w) < 1e-6) }
        #expect(try B.run(bytes, output: "label", [x]).integers("label") == [20, 30])
    }

    @Test("a two-class classifier with weights on one column: [1 − s, s] for probabilities, [σ(−s), σ(s)] for LOGISTIC margins")
    func binaryOneColumn() throws {
        let probabilities = Self.ensemble("TreeEnsembleClassifier", width: 1, Self.stump(
            classes: [0, 1], ids: [0, 0], nodes: [1, 2], weights: [0.25, 0.9], transform: "NONE"))
        let x = ONNXTensor(shape: [2, 1], floats: [-1, 1])
        #expect(try B.run(probabilities, output: "scores", [x]).floats("scores") == [0.75, 0.25, 1 - 0.9, 0.9])
        #expect(try B.run(probabilities, output: "label", [x]).integers("label") == [0, 1])

        let margins = Self.ensemble("TreeEnsembleClassifier", width: 1, Self.stump(
            classes: [0, 1], ids: [0, 0], nodes: [1, 2], weights: [-0.5, 0.75], transform: "LOGISTIC", base: [0.25]))
        let scores = try B.run(margins, output: "scores", [x]).floats("scores")
        func sigmoid(_ v: Double) -> Double { 1 / (1 + Foundation.exp(-v)) }
        let want = [sigmoid(0.25), sigmoid(-0.25), sigmoid(-1), sigmoid(1)]
        for (g, w) in zip(scores, want) { #expect(abs(Double(g) - w) < 1e-6) }
    }

    @Test("TreeEnsemble (opset 5): tensor attributes, set membership, leaves by index, SUM over two targets")
    func opset5() throws {
        var splits = Onnx_AttributeProto()
        splits.name = "nodes_splits"; splits.type = .tensor; splits.t = B.floats("", [2], [0, 0])
        var modes = Onnx_AttributeProto()
        modes.name = "nodes_modes"; modes.type = .tensor; modes.t = B.int64s("", [2], [6, 0])
        var members = Onnx_AttributeProto()
        members.name = "membership_values"; members.type = .tensor; members.t = B.floats("", [3], [1, 3, .nan])
        var weights = Onnx_AttributeProto()
        weights.name = "leaf_weights"; weights.type = .tensor; weights.t = B.floats("", [3], [5, 7, 11])
        // Node 0: x0 ∈ {1, 3} ? leaf 0 (target 0) : node 1; node 1: x1 ≤ 0 ? leaf 1 (target 1) : leaf 2 (target 0).
        let bytes = Self.ensemble("TreeEnsemble", width: 2, mlOpset: 5, [
            B.attr("nodes_featureids", ints: [0, 1]), splits, modes,
            B.attr("nodes_truenodeids", ints: [0, 1]), B.attr("nodes_trueleafs", ints: [1, 1]),
            B.attr("nodes_falsenodeids", ints: [1, 2]), B.attr("nodes_falseleafs", ints: [0, 1]),
            B.attr("leaf_targetids", ints: [0, 1, 0]), weights, B.attr("tree_roots", ints: [0]),
            members, B.attr("n_targets", int: 2), B.attr("aggregate_function", int: 1),
        ])
        let y = try B.run(bytes, output: "y", [ONNXTensor(shape: [3, 2], floats: [3, 9, 2, -1, 2, 1])])
        #expect(y.shape == [3, 2])
        #expect(try y.floats("y") == [5, 0, 0, 7, 11, 0])
    }

    @Test("post transforms: PROBIT as Winitzki's erf⁻¹, SOFTMAX_ZERO keeps zeros")
    func transforms() {
        #expect(ONNXScoreTransform.probit(0.5) == 0)
        // Φ⁻¹(0.975) = 1.95996; the approximation is within 2e-3 of it.
        #expect(abs(ONNXScoreTransform.probit(0.975) - 1.959964) < 2e-3)
        #expect(ONNXScoreTransform.probit(0.1) < -1.27 && ONNXScoreTransform.probit(0.1) > -1.29)
        var row: [Float] = [0, 1, 2]
        row.withUnsafeMutableBufferPointer { ONNXScoreTransform.softmaxZero.apply($0) }
        let e = Float(M_E)
        #expect(row[0] == 0)
        #expect(abs(row[1] - 1 / (1 + e)) < 1e-6 && abs(row[2] - e / (1 + e)) < 1e-6)
    }

    // MARK: Malformed ensembles

    static func loadError(_ bytes: Data, output: String = "y") -> ONNXError? {
        do {
            _ = try ONNXGraph(model: try ONNXModel(serialized: bytes, file: "m.onnx"), outputName: output)
            return nil
        } catch let e as ONNXError {
            return e
        } catch {
            return nil
        }
    }

    static func replacing(_ attrs: [Onnx_AttributeProto], _ new: Onnx_AttributeProto) -> [Onnx_AttributeProto] {
        attrs.filter { $0.name != new.name } + [new]
    }

    @Test("malformed ensembles fail at load with an error naming the node and what is wrong",
          arguments: [
            (B.attr("nodes_truenodeids", ints: [1, 7, 0, 0, 0, 0]), "tree 0 node 1 has true node 7, which is not a node of tree 0"),
            (B.attr("nodes_falsenodeids", ints: [2, 0, 0, 0, 0, 0]), "tree 0 node 0 is not reachable from its tree's root: the tree has a cycle"),
            (B.attr("target_ids", ints: [0, 3, 0, 0]), "target weight 1 (tree 0 node 4) has target id 3, outside 0..<1"),
            (B.attr("post_transform", string: "SIGMOID"), "post_transform 'SIGMOID' is unknown"),
            (B.attr("aggregate_function", string: "MEDIAN"), "aggregate_function 'MEDIAN' is unknown"),
            (B.attr("nodes_modes", strings: ["BRANCH_LEQ", "BRANCH_XX", "LEAF", "LEAF", "LEAF", "LEAF"]), "tree 0 node 1 has mode 'BRANCH_XX'"),
            (B.attr("nodes_values", floats: [0.5, 2]), "nodes_values has 2 entries but nodes_treeids has 6"),
            (B.attr("target_nodeids", ints: [3, 4, 1, 0]), "target weight 2 (tree 0 node 1) is for a branch node"),
          ])
    func malformed(attribute: Onnx_AttributeProto, message: String) throws {
        let bytes = Self.ensemble("TreeEnsembleRegressor", width: 2, Self.replacing(Self.twoTrees(aggregate: "SUM"), attribute))
        let e = try #require(Self.loadError(bytes))
        #expect(e.node == "'trees' (TreeEnsembleRegressor)")
        #expect(e.message.contains(message), "\(e.message)")
    }

    @Test("TreeEnsemble (opset 5): a cycle, a child outside the nodes and an unknown mode are refused",
          arguments: [(B.attr("nodes_trueleafs", ints: [1, 0]), "node 1 of tree 0 is reached twice"),
                      (B.attr("nodes_falsenodeids", ints: [1, 9]), "node 1 of tree 0 points to leaf 9, outside the ensemble's 3 leaves"),
                      (B.attr("leaf_targetids", ints: [0, 1, 5]), "leaf 2 has target id 5, outside 0..<2"),
                      (B.attr("post_transform", int: 9), "post_transform 9 is unknown")])
    func malformedOpset5(attribute: Onnx_AttributeProto, message: String) throws {
        var modes = Onnx_AttributeProto()
        modes.name = "nodes_modes"; modes.type = .tensor; modes.t = B.int64s("", [2], [0, 0])
        var splits = Onnx_AttributeProto()
        splits.name = "nodes_splits"; splits.type = .tensor; splits.t = B.floats("", [2], [0, 0])
        let attrs: [Onnx_AttributeProto] = [
            B.attr("nodes_featureids", ints: [0, 0]), splits, modes,
            B.attr("nodes_truenodeids", ints: [0, 1]), B.attr("nodes_trueleafs", ints: [1, 1]),
            B.attr("nodes_falsenodeids", ints: [1, 2]), B.attr("nodes_falseleafs", ints: [0, 1]),
            B.attr("leaf_targetids", ints: [0, 1, 0]), B.attr("leaf_weights", floats: [1, 2, 3]),
            B.attr("tree_roots", ints: [0]), B.attr("n_targets", int: 2),
        ]
        let bytes = Self.ensemble("TreeEnsemble", width: 1, mlOpset: 5, Self.replacing(attrs, attribute))
        let e = try #require(Self.loadError(bytes))
        #expect(e.node == "'trees' (TreeEnsemble)")
        #expect(e.message.contains(message), "\(e.message)")
    }

    @Test("a class id beyond the class labels is refused")
    func classOutOfRange() throws {
        let bytes = Self.ensemble("TreeEnsembleClassifier", width: 1, Self.stump(
            classes: [0, 1], ids: [0, 2], nodes: [1, 2], weights: [1, 1], transform: "NONE"))
        let e = try #require(Self.loadError(bytes, output: "scores"))
        #expect(e.message.contains("class id 2, outside 0..<2"), "\(e.message)")
    }
}
