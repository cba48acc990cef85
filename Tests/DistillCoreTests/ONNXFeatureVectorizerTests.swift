import Foundation
import Testing

@testable import DistillCore

/// FeatureVectorizer joins its inputs side by side as floats, as skl2onnx uses it to gather
/// a DataFrame's columns; an input of another width than declared is refused.
@Suite("ONNX FeatureVectorizer")
struct ONNXFeatureVectorizerTests {
    typealias B = ONNXBuild

    static func model(widths: [Int64]) -> Data {
        B.model(nodes: [B.node("FeatureVectorizer", ["a", "b"], ["y"], name: "fv", domain: "ai.onnx.ml",
                               [B.attr("inputdimensions", ints: widths)])],
                inputs: [B.value("a", 1, [nil, 2]), B.value("b", 7, [nil, 1])],
                outputs: [B.value("y", 1, nil)], mlOpset: 1)
    }

    @Test("a float input of width 2 and an int64 input of width 1 become rows of 3 floats")
    func joinsInputs() throws {
        let a = ONNXTensor(shape: [2, 2], floats: [1.5, -2, 3, 4])
        let b = ONNXTensor(shape: [2, 1], data: .int64([7, -9]))
        let graph = try ONNXGraph(model: try ONNXModel(serialized: Self.model(widths: [2, 1]), file: "fv.onnx"), outputName: "y")
        let y = try ONNXEvaluator.run(graph, inputs: [a, b])
        #expect(y.shape == [2, 3])
        #expect(try y.floats("y") == [1.5, -2, 7, 3, 4, -9])
    }

    @Test("an input wider than its inputdimensions entry is refused, naming the node and the input")
    func widthMismatch() throws {
        let graph = try ONNXGraph(model: try ONNXModel(serialized: Self.model(widths: [1, 1]), file: "fv.onnx"), outputName: "y")
        do {
            _ = try ONNXEvaluator.run(graph, inputs: [ONNXTensor(shape: [1, 2], floats: [1, 2]),
                                                      ONNXTensor(shape: [1, 1], data: .int64([3]))])
            Issue.record("a width mismatch was accepted")
        } catch let e as ONNXError {
            #expect(e.node == "'fv' (FeatureVectorizer)")
            #expect(e.message.contains("input 1 has 2 values per row but inputdimensions says 1"), "\(e.message)")
        }
    }
}
