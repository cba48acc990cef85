import Foundation
import Testing

@testable import DistillCore

/// Graphs that mix the rows of a batch are refused at load, naming the node; graphs that
/// only move the batch axis and bring it back (tf2onnx's Transpose pairs) or compute
/// reshape targets from `Shape` (torch's `x.view(x.size(0), -1)`) still load and predict
/// the same answers however the batch is chunked.
@Suite("ONNX row mixing")
struct ONNXRowMixingTests {
    /// One rejected pattern: the model, the node the error names, and the reason.
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var bytes: Data
        var node: String
        var opset: Int
        var reason: String
        var testDescription: String { name }
    }

    static let x = ONNXBuild.value("x", 1, [nil, 4])
    static let y = ONNXBuild.value("y", 1, nil)

    /// `y = op(x, extra…)` with x [N, 4].
    static func one(_ op: String, _ name: String, extra: [String] = [], inits: [Onnx_TensorProto] = [],
                    opset: Int64 = 13, _ attributes: [Onnx_AttributeProto] = []) -> Data {
        ONNXBuild.model(nodes: [ONNXBuild.node(op, ["x"] + extra, ["y"], name: name, attributes)],
                        inputs: [x], outputs: [y], initializers: inits, opset: opset)
    }

    static let cases: [Case] = [
        Case(name: "Flatten axis 0", bytes: one("Flatten", "flat", [ONNXBuild.attr("axis", int: 0)]),
             node: "'flat' (Flatten)", opset: 13,
             reason: "with axis=0 it merges the batch axis of its input [N, 4] with other axes into one, so a chunk's rows would no longer be rows of the result"),
        Case(name: "Reshape to a fixed shape",
             bytes: one("Reshape", "reshape", extra: ["s"], inits: [ONNXBuild.int64s("s", [2], [1, 4])]),
             node: "'reshape' (Reshape)", opset: 13,
             reason: "target [1, 4] does not keep the batch axis of its input [N, 4] as an axis of its own, so it only fits a batch of one size"),
        Case(name: "Reshape with -1 standing for more than the rows",
             bytes: one("Reshape", "reshape", extra: ["s"], inits: [ONNXBuild.int64s("s", [2], [2, -1])]),
             node: "'reshape' (Reshape)", opset: 13,
             reason: "target [2, -1] regroups the values of its input [N, 4]: -1 does not stand for the rows (one row has 4 values, the other entries take 2)"),
        Case(name: "Reshape to one axis",
             bytes: one("Reshape", "reshape", extra: ["s"], inits: [ONNXBuild.int64s("s", [1], [-1])]),
             node: "'reshape' (Reshape)", opset: 13,
             reason: "target [-1] regroups the values of its input [N, 4]: -1 does not stand for the rows (one row has 4 values, the other entries take 1)"),
        Case(name: "Softmax over the batch axis",
             bytes: one("Softmax", "softmax", [ONNXBuild.attr("axis", int: 0)]),
             node: "'softmax' (Softmax)", opset: 13,
             reason: "it normalises along axis 0 of its input [N, 4], which is the batch axis"),
        Case(name: "Softmax from axis 0 before opset 13",
             bytes: one("Softmax", "softmax", opset: 11, [ONNXBuild.attr("axis", int: 0)]),
             node: "'softmax' (Softmax)", opset: 11,
             reason: "before opset 13 it normalises all axes from axis 0 on of its input [N, 4] together, and they include the batch axis 0"),
        Case(name: "LogSoftmax over the batch axis",
             bytes: one("LogSoftmax", "logsoftmax", [ONNXBuild.attr("axis", int: 0)]),
             node: "'logsoftmax' (LogSoftmax)", opset: 13,
             reason: "it normalises along axis 0 of its input [N, 4], which is the batch axis"),
        Case(name: "ArgMax over the batch axis",
             bytes: ONNXBuild.model(
                nodes: [ONNXBuild.node("ArgMax", ["x"], ["i"], name: "argmax", [ONNXBuild.attr("axis", int: 0)]),
                        ONNXBuild.node("Cast", ["i"], ["y"], name: "cast", [ONNXBuild.attr("to", int: 1)])],
                inputs: [x], outputs: [y]),
             node: "'argmax' (ArgMax)", opset: 13,
             reason: "it picks the largest value along axis 0 of its input [N, 4], which is the batch axis"),
        Case(name: "Concat along the batch axis",
             bytes: ONNXBuild.model(nodes: [ONNXBuild.node("Concat", ["x", "x"], ["y"], name: "concat", [ONNXBuild.attr("axis", int: 0)])],
                                    inputs: [x], outputs: [y]),
             node: "'concat' (Concat)", opset: 13,
             reason: "it joins its inputs along axis 0, the batch axis, appending rows to rows"),
        Case(name: "Concat of a constant to the rows",
             bytes: ONNXBuild.model(nodes: [ONNXBuild.node("Concat", ["x", "c"], ["y"], name: "concat", [ONNXBuild.attr("axis", int: 1)])],
                                    inputs: [x], outputs: [y], initializers: [ONNXBuild.floats("c", [1, 2], [7, 8])]),
             node: "'concat' (Concat)", opset: 13,
             reason: "it joins an input [1, 2] that is the same for every row to inputs holding rows; its size along the batch axis is fixed, so the node only fits a batch of one size"),
        Case(name: "Gather along the batch axis",
             bytes: one("Gather", "gather", extra: ["i"], inits: [ONNXBuild.int64s("i", [1], [0])], [ONNXBuild.attr("axis", int: 0)]),
             node: "'gather' (Gather)", opset: 13,
             reason: "it picks along axis 0 of its data [N, 4], the batch axis, so a row's values would come from other rows"),
        Case(name: "Squeeze of the batch axis",
             bytes: one("Squeeze", "squeeze", opset: 11, [ONNXBuild.attr("axes", ints: [0])]),
             node: "'squeeze' (Squeeze)", opset: 11,
             reason: "it removes axis 0 of its input [N, 4], which is the batch axis"),
        Case(name: "Squeeze without axes",
             bytes: ONNXBuild.model(nodes: [ONNXBuild.node("Squeeze", ["x"], ["y"], name: "squeeze")],
                                    inputs: [ONNXBuild.value("x", 1, [nil, 1])], outputs: [y], opset: 11),
             node: "'squeeze' (Squeeze)", opset: 11,
             reason: "without axes it removes every axis of size 1, which includes the batch axis whenever a chunk holds one row"),
        Case(name: "Softmax over the batch after Unsqueeze",
             bytes: ONNXBuild.model(
                nodes: [ONNXBuild.node("Unsqueeze", ["x", "axes"], ["u"], name: "unsqueeze"),
                        ONNXBuild.node("Softmax", ["u"], ["y"], name: "softmax", [ONNXBuild.attr("axis", int: 1)])],
                inputs: [x], outputs: [y], initializers: [ONNXBuild.int64s("axes", [1], [0])]),
             node: "'softmax' (Softmax)", opset: 13,
             reason: "it normalises along axis 1 of its input [1, N, 4], which is the batch axis"),
        Case(name: "Gemm with transA on the rows",
             bytes: one("Gemm", "gemm", extra: ["w"], inits: [ONNXBuild.floats("w", [1, 2], [1, 1])], [ONNXBuild.attr("transA", int: 1)]),
             node: "'gemm' (Gemm)", opset: 13,
             reason: "with transA=1 it sums over axis 0 of A [N, 4], which is the batch axis, so every output row combines all rows"),
        Case(name: "Gemm after a Transpose",
             bytes: ONNXBuild.model(
                nodes: [ONNXBuild.node("Transpose", ["x"], ["t"], name: "transpose", [ONNXBuild.attr("perm", ints: [1, 0])]),
                        ONNXBuild.node("Gemm", ["t", "w"], ["y"], name: "gemm")],
                inputs: [x], outputs: [y], initializers: [ONNXBuild.floats("w", [1, 2], [1, 1])]),
             node: "'gemm' (Gemm)", opset: 13,
             reason: "it sums over axis 1 of A [4, N], which is the batch axis, so every output row combines all rows"),
        Case(name: "MatMul summing over the rows",
             bytes: ONNXBuild.model(nodes: [ONNXBuild.node("MatMul", ["c", "x"], ["y"], name: "matmul")],
                                    inputs: [x], outputs: [y], initializers: [ONNXBuild.floats("c", [2, 1], [1, 2])]),
             node: "'matmul' (MatMul)", opset: 13,
             reason: "it sums over axis 0 of B [N, 4], which is the batch axis, so every output value combines all rows"),
        Case(name: "a constant broadcast along the batch axis",
             bytes: one("Add", "add", extra: ["c"], inits: [ONNXBuild.floats("c", [2, 1], [1, 2])]),
             node: "'add' (Add)", opset: 13,
             reason: "an operand of shape [2, 1] is broadcast along the batch axis, so each row would be treated by its position in the batch"),
        Case(name: "the number of rows used as data",
             bytes: ONNXBuild.model(
                nodes: [ONNXBuild.node("Shape", ["x"], ["s"], name: "shape"),
                        ONNXBuild.node("Gather", ["s", "zero"], ["n"], name: "rows", [ONNXBuild.attr("axis", int: 0)]),
                        ONNXBuild.node("Cast", ["n"], ["nf"], name: "cast", [ONNXBuild.attr("to", int: 1)]),
                        ONNXBuild.node("Div", ["x", "nf"], ["y"], name: "mean")],
                inputs: [x], outputs: [y], initializers: [ONNXBuild.int64s("zero", [], [0])]),
             node: "'mean' (Div)", opset: 13,
             reason: "an operand is computed from the number of rows in the batch, so every answer would depend on how the batch is split"),
        Case(name: "BatchNormalization with the rows on the channel axis",
             bytes: ONNXBuild.model(
                nodes: [ONNXBuild.node("Transpose", ["x"], ["t"], name: "transpose", [ONNXBuild.attr("perm", ints: [1, 0])]),
                        ONNXBuild.node("BatchNormalization", ["t", "g", "b", "m", "v"], ["y"], name: "bn")],
                inputs: [x], outputs: [y],
                initializers: ["g", "b", "m", "v"].map { ONNXBuild.floats($0, [1], [1]) }),
             node: "'bn' (BatchNormalization)", opset: 13,
             reason: "it applies one scale and mean per channel along axis 1 of its input [4, N], which is the batch axis, so each row would get another channel's statistics"),
    ]

    /// Reductions, slices, splits and normalisations along the batch axis.
    static let axisCases: [Case] = [
        Case(name: "ReduceMean over the batch axis", bytes: one("ReduceMean", "mean", [ONNXBuild.attr("axes", ints: [0])]),
             node: "'mean' (ReduceMean)", opset: 13,
             reason: "it reduces along axis 0 of its input [N, 4], which is the batch axis"),
        Case(name: "ReduceSum without axes", bytes: one("ReduceSum", "sum"),
             node: "'sum' (ReduceSum)", opset: 13,
             reason: "without axes it reduces every axis of its input [N, 4], the batch axis too"),
        Case(name: "Slice of the first rows",
             bytes: one("Slice", "slice", opset: 9, [ONNXBuild.attr("starts", ints: [0]), ONNXBuild.attr("ends", ints: [2]),
                                                    ONNXBuild.attr("axes", ints: [0])]),
             node: "'slice' (Slice)", opset: 9,
             reason: "it slices along axis 0 of its input [N, 4], which is the batch axis"),
        Case(name: "LayerNormalization over every axis",
             bytes: one("LayerNormalization", "ln", extra: ["g"], inits: [ONNXBuild.floats("g", [4], [1, 1, 1, 1])], opset: 17,
                        [ONNXBuild.attr("axis", int: 0)]),
             node: "'ln' (LayerNormalization)", opset: 17,
             reason: "it normalises each slice over the axes from 0 on of its input [N, 4], which include the batch axis 0"),
        Case(name: "Split along the batch axis",
             bytes: one("Split", "split", opset: 11, [ONNXBuild.attr("axis", int: 0)]),
             node: "'split' (Split)", opset: 11,
             reason: "it cuts its input [N, 4] along axis 0, the batch axis"),
    ]

    @Test("a reduction, slice, split or normalisation along the batch axis fails at load", arguments: axisCases)
    func rejectedAlongRows(_ c: Case) throws {
        let e = try #require(Self.loadError(c.bytes), "\(c.name) loaded")
        #expect(e.node == c.node)
        #expect(e.message.hasPrefix("\(c.node.split(separator: "(").last.map { String($0.dropLast()) } ?? "") at opset \(c.opset) mixes rows of the batch: \(c.reason)."))
    }

    static func loadError(_ bytes: Data) -> ONNXError? {
        do {
            _ = try ONNXTeacher(serialized: bytes, file: "rows.onnx")
            return nil
        } catch let e as ONNXError {
            return e
        } catch {
            return nil
        }
    }

    @Test("a node that mixes rows fails at load, naming file, node, operator, opset and reason", arguments: cases)
    func rejected(_ c: Case) throws {
        let e = try #require(Self.loadError(c.bytes), "\(c.name) loaded")
        let op = c.node.split(separator: "(").last.map { String($0.dropLast()) } ?? ""
        #expect(e.kind == .unsupportedOperator)
        #expect(e.file == "rows.onnx")
        #expect(e.node == c.node)
        #expect(e.description == "ONNX model rows.onnx, node \(c.node): \(op) at opset \(c.opset) mixes rows of the batch: \(c.reason). Distill evaluates rows independently, splitting a batch into chunks, so it needs a graph that computes each row on its own with the batch on axis 0; re-export the model without this pattern")
    }

    @Test("an output with the rows off axis 0, or with no rows at all, fails at load")
    func outputs() throws {
        let transposed = Self.one("Transpose", "transpose", [ONNXBuild.attr("perm", ints: [1, 0])])
        let t = try #require(Self.loadError(transposed))
        #expect(t.kind == .outputSelection)
        #expect(t.node == nil)
        #expect(t.message == "output 'y' has shape [4, N] with the rows of the batch on axis 1; Distill evaluates rows independently and reads them from axis 0, so this output mixes rows of the batch; re-export the model with the batch first")

        let constant = ONNXBuild.model(nodes: [ONNXBuild.node("Add", ["c", "c"], ["y"], name: "add")],
                                       inputs: [Self.x], outputs: [Self.y], initializers: [ONNXBuild.floats("c", [1, 1], [2])])
        let c = try #require(Self.loadError(constant))
        #expect(c.kind == .outputSelection)
        #expect(c.message == "output 'y' does not depend on the rows of the batch (it is the same for every batch); Distill evaluates rows independently and needs one answer per row")
    }

    @Test("the fuzz-found torch model with Flatten(axis=0) fails at load, not on the second row")
    func fuzzFixture() throws {
        let url = try #require(Bundle.module.resourceURL)
            .appendingPathComponent("Fixtures/fuzz/onnx/flatten-axis0-loads-then-predict-fails.onnx")
        let bytes = try Data(contentsOf: url)
        let e = try #require(Self.loadError(bytes))
        #expect(e.kind == .unsupportedOperator)
        #expect(e.node == "'/flatten/Flatten' (Flatten)")
        #expect(e.message == "Flatten at opset 11 mixes rows of the batch: with axis=0 it merges the batch axis of its input [N, 4] with other axes into one, so a chunk's rows would no longer be rows of the result. Distill evaluates rows independently, splitting a batch into chunks, so it needs a graph that computes each row on its own with the batch on axis 0; re-export the model without this pattern")
    }

    // MARK: - Patterns the exporters emit keep loading

    /// Rows 0…4 of a [5, 4] batch: row r is (r, r+1, r+2, r+3) − 2.
    static let rows: [Float] = [-2, -1, 0, 1, -1, 0, 1, 2, 0, 1, 2, 3, 1, 2, 3, 4, 2, 3, 4, 5]

    /// Predicts the five rows in chunks of two on two threads, then each row alone, and
    /// checks both against `expected`.
    func predictsRowByRow(_ bytes: Data, _ expected: [Float], tolerance: Float = 0) throws {
        let chunked = try ONNXTeacher(serialized: bytes, file: "rows.onnx", threads: 2, rowsPerChunk: 2)
        let whole = try chunked.predict(TeacherBatch(rowCount: 5, inputs: [(name: "x", width: 4, values: .float(Self.rows))]))
        #expect(whole.count == expected.count)
        for (a, b) in zip(whole, expected) { #expect(abs(a - b) <= tolerance, "\(whole) vs \(expected)") }
        let single = try ONNXTeacher(serialized: bytes, file: "rows.onnx", threads: 1, rowsPerChunk: 1)
        for r in 0..<5 {
            let one = try single.predict(TeacherBatch(rowCount: 1, inputs: [(name: "x", width: 4, values: .float(Array(Self.rows[(4 * r)..<(4 * r + 4)])))]))
            #expect(one == Array(whole[(r * one.count)..<((r + 1) * one.count)]))
        }
    }

    /// y = x · (1, 2, 3, 4) + 0.5 per row: 10r + 0.5 for row r.
    static let weighted: [Float] = [0.5, 10.5, 20.5, 30.5, 40.5]

    @Test("torch's x.view(x.size(0), -1) through Shape, Gather, Unsqueeze and Concat loads")
    func torchView() throws {
        let bytes = ONNXBuild.model(
            nodes: [
                ONNXBuild.node("Shape", ["x"], ["s"], name: "/Shape"),
                ONNXBuild.node("Gather", ["s", "zero"], ["n"], name: "/Gather", [ONNXBuild.attr("axis", int: 0)]),
                ONNXBuild.node("Unsqueeze", ["n", "axes"], ["n1"], name: "/Unsqueeze"),
                ONNXBuild.node("Concat", ["n1", "minus1"], ["shape"], name: "/Concat", [ONNXBuild.attr("axis", int: 0)]),
                ONNXBuild.node("Reshape", ["x", "shape"], ["r"], name: "/Reshape"),
                ONNXBuild.node("Gemm", ["r", "w", "b"], ["y"], name: "/fc/Gemm", [ONNXBuild.attr("transB", int: 1)]),
            ],
            inputs: [Self.x], outputs: [ONNXBuild.value("y", 1, [nil, 1])],
            initializers: [ONNXBuild.int64s("zero", [], [0]), ONNXBuild.int64s("axes", [1], [0]),
                           ONNXBuild.int64s("minus1", [1], [-1]), ONNXBuild.floats("w", [1, 4], [1, 2, 3, 4]),
                           ONNXBuild.floats("b", [1], [0.5])])
        // Row 1: (-1, 0, 1, 2) · (1, 2, 3, 4) + 0.5 = -1 + 0 + 3 + 8 + 0.5.
        let second: Float = -1 + 0 + 3 + 8 + 0.5
        #expect(Self.weighted[1] == second)
        try predictsRowByRow(bytes, Self.weighted)
    }

    @Test("skl2onnx's Reshape [-1, k] and a Reshape [0, -1] load")
    func sklearnReshape() throws {
        let bytes = ONNXBuild.model(
            nodes: [
                ONNXBuild.node("Reshape", ["x", "keep"], ["r"], name: "Reshape0"),
                ONNXBuild.node("Reshape", ["r", "wide"], ["r2"], name: "Reshape1"),
                ONNXBuild.node("MatMul", ["r2", "w"], ["m"], name: "MatMul"),
                ONNXBuild.node("Add", ["m", "b"], ["a"], name: "Add"),
                ONNXBuild.node("Reshape", ["a", "column"], ["y"], name: "Reshape2"),
            ],
            inputs: [Self.x], outputs: [ONNXBuild.value("y", 1, [nil, 1])],
            initializers: [ONNXBuild.int64s("keep", [2], [0, -1]), ONNXBuild.int64s("wide", [2], [-1, 4]),
                           ONNXBuild.floats("w", [4, 1], [1, 2, 3, 4]), ONNXBuild.floats("b", [1], [0.5]),
                           ONNXBuild.int64s("column", [2], [-1, 1])])
        try predictsRowByRow(bytes, Self.weighted)
    }

    @Test("tf2onnx's Transpose pair around an elementwise op loads")
    func transposePair() throws {
        let bytes = ONNXBuild.model(
            nodes: [
                ONNXBuild.node("Transpose", ["x"], ["t"], name: "Transpose__17", [ONNXBuild.attr("perm", ints: [1, 0])]),
                ONNXBuild.node("Tanh", ["t"], ["h"], name: "Tanh"),
                ONNXBuild.node("Transpose", ["h"], ["u"], name: "Transpose__18", [ONNXBuild.attr("perm", ints: [1, 0])]),
                ONNXBuild.node("MatMul", ["u", "w"], ["y"], name: "MatMul"),
            ],
            inputs: [Self.x], outputs: [ONNXBuild.value("y", 1, [nil, 1])],
            initializers: [ONNXBuild.floats("w", [4, 1], [1, 2, 3, 4])])
        var expected: [Float] = []
        for r in 0..<5 {
            var sum: Float = 0
            for j in 0..<4 { sum += Foundation.tanh(Self.rows[4 * r + j]) * Float(j + 1) }
            expected.append(sum)
        }
        try predictsRowByRow(bytes, expected, tolerance: 1e-5)
    }

    @Test("Unsqueeze at axis 0 keeps rows apart: [1, N, 1] answers row by row")
    func unsqueezeFirst() throws {
        let bytes = ONNXBuild.model(
            nodes: [
                ONNXBuild.node("Unsqueeze", ["x", "axes"], ["u"], name: "Unsqueeze"),
                ONNXBuild.node("MatMul", ["u", "w"], ["m"], name: "MatMul"),
                ONNXBuild.node("Add", ["m", "b"], ["y"], name: "Add"),
            ],
            inputs: [Self.x], outputs: [ONNXBuild.value("y", 1, [1, nil, 1])],
            initializers: [ONNXBuild.int64s("axes", [1], [0]), ONNXBuild.floats("w", [4, 1], [1, 2, 3, 4]),
                           ONNXBuild.floats("b", [1], [0.5])])
        try predictsRowByRow(bytes, Self.weighted)
    }

    @Test("F.normalize (ReduceL2, Clip, Expand to Shape(x), Div) and x[:, 1:3] load and predict row by row")
    func normalizeAndSlice() throws {
        let bytes = ONNXBuild.model(
            nodes: [
                ONNXBuild.node("ReduceL2", ["x"], ["norm"], name: "/ReduceL2", [ONNXBuild.attr("axes", ints: [1]), ONNXBuild.attr("keepdims", int: 1)]),
                ONNXBuild.node("Clip", ["norm", "eps"], ["clipped"], name: "/Clip"),
                ONNXBuild.node("Shape", ["x"], ["shape"], name: "/Shape"),
                ONNXBuild.node("Expand", ["clipped", "shape"], ["wide"], name: "/Expand"),
                ONNXBuild.node("Div", ["x", "wide"], ["unit"], name: "/Div"),
                ONNXBuild.node("Slice", ["unit", "one", "three", "one"], ["cols"], name: "/Slice"),
                ONNXBuild.node("ReduceSum", ["cols", "one"], ["y"], name: "/ReduceSum", [ONNXBuild.attr("keepdims", int: 1)]),
            ],
            inputs: [Self.x], outputs: [ONNXBuild.value("y", 1, [nil, 1])],
            initializers: [ONNXBuild.floats("eps", [], [1e-12]), ONNXBuild.int64s("one", [1], [1]), ONNXBuild.int64s("three", [1], [3])])
        // Row r: (x1 + x2) / ‖x‖ with x = (r−2, r−1, r, r+1).
        let expected = (0..<5).map { r -> Float in
            let v = (0..<4).map { Float(r - 2 + $0) }
            return (v[1] + v[2]) / (v.map { $0 * $0 }.reduce(0, +)).squareRoot()
        }
        try predictsRowByRow(bytes, expected, tolerance: 1e-6)
    }
}
