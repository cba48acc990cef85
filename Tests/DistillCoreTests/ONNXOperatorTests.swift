import Foundation
import Testing

@testable import DistillCore

/// Operator semantics on hand-computed examples.
@Suite("ONNX operators")
struct ONNXOperatorTests {
    typealias B = ONNXBuild

    func floats(_ t: ONNXTensor) throws -> [Float] { try t.floats("result") }

    func close(_ a: [Float], _ b: [Float], _ tolerance: Float = 1e-6) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance }
    }

    // MARK: Gemm and MatMul

    @Test("Gemm with transB, alpha, beta and a row bias")
    func gemmTransB() throws {
        let bytes = B.single("Gemm", inputShape: [nil, 2], extraInputs: ["B", "C"],
                             initializers: [B.floats("B", [3, 2], [1, 0, 0, 1, 1, 1]), B.floats("C", [3], [1, 2, 3])],
                             [B.attr("transB", int: 1), B.attr("alpha", float: 2), B.attr("beta", float: 0.5)])
        let y = try B.run(bytes, output: "y", [ONNXTensor(shape: [2, 2], floats: [1, 2, 3, 4])])
        // A·Bᵀ = [[1,2,3],[3,4,7]]; ·2 + 0.5·[1,2,3].
        #expect(y.shape == [2, 3])
        #expect(try floats(y) == [2.5, 5, 7.5, 6.5, 9, 15.5])
    }

    @Test("Gemm with transA and a per-row bias [M, 1]; scalar bias; no bias")
    func gemmTransA() throws {
        let perRow = B.single("Gemm", inputShape: [2, 2], extraInputs: ["B", "C"],
                              initializers: [B.floats("B", [2, 1], [1, 1]), B.floats("C", [2, 1], [10, 20])],
                              [B.attr("transA", int: 1)])
        // Aᵀ = [[1,3],[2,4]]; Aᵀ·[1,1]ᵀ = [4, 6]; + [10, 20].
        #expect(try floats(B.run(perRow, output: "y", [ONNXTensor(shape: [2, 2], floats: [1, 2, 3, 4])])) == [14, 26])
        let scalar = B.single("Gemm", inputShape: [nil, 2], extraInputs: ["B", "C"],
                              initializers: [B.floats("B", [2, 1], [1, -1]), B.floats("C", [], [100])])
        #expect(try floats(B.run(scalar, output: "y", [ONNXTensor(shape: [2, 2], floats: [5, 1, 1, 5])])) == [104, 96])
        let none = B.single("Gemm", inputShape: [nil, 2], extraInputs: ["B"], initializers: [B.floats("B", [2, 1], [2, 3])])
        #expect(try floats(B.run(none, output: "y", [ONNXTensor(shape: [1, 2], floats: [1, 1])])) == [5])
    }

    @Test("MatMul of a 3-D tensor with a matrix, and of a vector")
    func matMul() throws {
        let bytes = B.single("MatMul", inputShape: [nil, 2, 2], extraInputs: ["W"],
                             initializers: [B.floats("W", [2, 3], [1, 0, 1, 0, 1, 1])])
        let y = try B.run(bytes, output: "y", [ONNXTensor(shape: [2, 2, 2], floats: [1, 2, 3, 4, 5, 6, 7, 8])])
        #expect(y.shape == [2, 2, 3])
        #expect(try floats(y) == [1, 2, 3, 3, 4, 7, 5, 6, 11, 7, 8, 15])
        let vector = B.single("MatMul", inputShape: [2], extraInputs: ["W"], initializers: [B.floats("W", [2, 3], [1, 0, 1, 0, 1, 1])])
        let v = try B.run(vector, output: "y", [ONNXTensor(shape: [2], floats: [2, 3])])
        #expect(v.shape == [3])
        #expect(try floats(v) == [2, 3, 5])
    }

    // MARK: Broadcasting

    @Test("numpy broadcasting for Add, Sub, Mul, Div", arguments: [
        ("Add", [2, 3] as [Int64], [3] as [Int64], [1, 2, 3, 4, 5, 6] as [Float], [10, 20, 30] as [Float],
         [2, 3] as [Int], [11, 22, 33, 14, 25, 36] as [Float]),
        ("Mul", [2, 1], [1, 3], [2, 3], [1, 10, 100], [2, 3], [2, 20, 200, 3, 30, 300]),
        ("Sub", [2, 2], [], [5, 6, 7, 8], [1], [2, 2], [4, 5, 6, 7]),
        ("Div", [2, 3], [2, 1], [2, 4, 6, 9, 12, 15], [2, 3], [2, 3], [1, 2, 3, 3, 4, 5]),
        ("Add", [2, 1, 2], [3, 1], [1, 2, 3, 4], [10, 20, 30], [2, 3, 2],
         [11, 12, 21, 22, 31, 32, 13, 14, 23, 24, 33, 34]),
    ])
    func broadcasting(op: String, xShape: [Int64], wShape: [Int64], x: [Float], w: [Float], shape: [Int], expected: [Float]) throws {
        let bytes = B.single(op, inputShape: xShape.map { $0 }, extraInputs: ["w"], initializers: [B.floats("w", wShape, w)])
        let y = try B.run(bytes, output: "y", [ONNXTensor(shape: xShape.map { Int($0) }, floats: x)])
        #expect(y.shape == shape)
        #expect(try floats(y) == expected)
    }

    @Test("incompatible shapes fail with both shapes named")
    func badBroadcast() throws {
        let bytes = B.single("Add", inputShape: [nil, 3], extraInputs: ["w"], initializers: [B.floats("w", [2], [1, 2])])
        #expect(throws: ONNXError.self) {
            _ = try B.run(bytes, output: "y", [ONNXTensor(shape: [1, 3], floats: [1, 2, 3])])
        }
    }

    // MARK: Softmax

    @Test("Softmax axis: opset 11 flattens from the axis, opset 13 uses the single axis")
    func softmaxAxis() throws {
        let x = ONNXTensor(shape: [1, 2, 2], floats: [1, 2, 3, 4])
        let e = [1, 2, 3, 4].map { Float(Foundation.exp(Double($0))) }
        let old = try floats(B.run(B.single("Softmax", inputShape: [1, 2, 2], opset: 11, [B.attr("axis", int: 1)]), output: "y", [x]))
        let total = e.reduce(0, +)
        #expect(close(old, e.map { $0 / total }))
        let new = try floats(B.run(B.single("Softmax", inputShape: [1, 2, 2], opset: 13, [B.attr("axis", int: 1)]), output: "y", [x]))
        // Along axis 1: pairs (x[0,0,j], x[0,1,j]) = (1,3) and (2,4).
        #expect(close(new, [e[0] / (e[0] + e[2]), e[1] / (e[1] + e[3]), e[2] / (e[0] + e[2]), e[3] / (e[1] + e[3])]))
        // Default axis: 1 before opset 13 (the whole row here), −1 from 13 on.
        let defaultOld = try floats(B.run(B.single("Softmax", inputShape: [1, 2, 2], opset: 11), output: "y", [x]))
        #expect(close(defaultOld, old))
        let defaultNew = try floats(B.run(B.single("Softmax", inputShape: [1, 2, 2], opset: 13), output: "y", [x]))
        #expect(close(defaultNew, [e[0] / (e[0] + e[1]), e[1] / (e[0] + e[1]), e[2] / (e[2] + e[3]), e[3] / (e[2] + e[3])]))
    }

    @Test("LogSoftmax is log of Softmax and stable for large logits")
    func logSoftmax() throws {
        let x = ONNXTensor(shape: [1, 3], floats: [1000, 1001, 1002])
        let y = try floats(B.run(B.single("LogSoftmax", inputShape: [nil, 3], [B.attr("axis", int: 1)]), output: "y", [x]))
        let s = Foundation.log(1 + Foundation.exp(-1.0) + Foundation.exp(-2.0))
        #expect(close(y, [Float(-2 - s), Float(-1 - s), Float(-s)], 1e-4))
    }

    // MARK: Activations

    @Test("activations on hand-computed values")
    func activations() throws {
        let x = ONNXTensor(shape: [1, 4], floats: [-2, -0.5, 0, 3])
        func run(_ op: String, _ attrs: [Onnx_AttributeProto] = []) throws -> [Float] {
            try floats(B.run(B.single(op, inputShape: [nil, 4], attrs), output: "y", [x]))
        }
        #expect(try run("Relu") == [0, 0, 0, 3])
        #expect(try run("LeakyRelu", [B.attr("alpha", float: 0.1)]) == [-0.2, -0.05, 0, 3])
        #expect(try run("LeakyRelu") == [-0.02, -0.005, 0, 3])
        #expect(close(try run("Elu", [B.attr("alpha", float: 2)]), [2 * (Float(Foundation.exp(-2.0)) - 1), 2 * (Float(Foundation.exp(-0.5)) - 1), 0, 3]))
        #expect(close(try run("Sigmoid"), [-2, -0.5, 0, 3].map { 1 / (1 + Float(Foundation.exp(-Double($0)))) }))
        #expect(close(try run("Tanh"), [-2, -0.5, 0, 3].map { Float(Foundation.tanh(Double($0))) }))
    }

    @Test("Erf, Gelu (opset 20), PRelu and Pow as PyTorch exports them")
    func torchActivations() throws {
        let x = ONNXTensor(shape: [1, 3], floats: [-1, 0, 2])
        let erf = try floats(B.run(B.single("Erf", inputShape: [nil, 3]), output: "y", [x]))
        #expect(close(erf, [-0.8427008, 0, 0.9953223]))
        // GELU(x) = x·Φ(x): Φ(−1) = 0.1586553, Φ(2) = 0.9772499.
        let gelu = try floats(B.run(B.single("Gelu", inputShape: [nil, 3], opset: 20), output: "y", [x]))
        #expect(close(gelu, [-0.1586553, 0, 1.9544997]))
        let tanh = try floats(B.run(B.single("Gelu", inputShape: [nil, 3], opset: 20, [B.attr("approximate", string: "tanh")]),
                                    output: "y", [x]))
        #expect(close(tanh, [-0.1588080, 0, 1.9545977], 1e-5))
        #expect(throws: ONNXError.self) { _ = try B.run(B.single("Gelu", inputShape: [nil, 3], opset: 19), output: "y", [x]) }
        let prelu = B.single("PRelu", inputShape: [nil, 3], extraInputs: ["slope"], initializers: [B.floats("slope", [3], [0.5, 2, 3])])
        #expect(try floats(B.run(prelu, output: "y", [ONNXTensor(shape: [1, 3], floats: [-2, -1, 4])])) == [-1, -2, 4])
        let pow = B.single("Pow", inputShape: [nil, 3], extraInputs: ["e"], initializers: [B.floats("e", [], [2])])
        #expect(try floats(B.run(pow, output: "y", [x])) == [1, 0, 4])
    }

    @Test("Clip: attributes before opset 11, inputs after (constant, omitted or computed)")
    func clip() throws {
        let x = ONNXTensor(shape: [1, 4], floats: [-3, 0.5, 2, 9])
        let attrs = B.single("Clip", inputShape: [nil, 4], opset: 6, [B.attr("min", float: 0), B.attr("max", float: 6)])
        #expect(try floats(B.run(attrs, output: "y", [x])) == [0, 0.5, 2, 6])
        let inputs = B.single("Clip", inputShape: [nil, 4], extraInputs: ["lo", "hi"], initializers: [B.floats("lo", [], [-1]), B.floats("hi", [], [1])],
                              opset: 13)
        #expect(try floats(B.run(inputs, output: "y", [x])) == [-1, 0.5, 1, 1])
        let onlyMax = B.single("Clip", inputShape: [nil, 4], extraInputs: ["", "hi"], initializers: [B.floats("hi", [], [1])],
                               opset: 12)
        #expect(try floats(B.run(onlyMax, output: "y", [x])) == [-3, 0.5, 1, 1])
        // A bound computed at run time (here: a graph input) goes through the same kernel.
        let computed = B.model(nodes: [B.node("Clip", ["x", "lo"], ["y"])],
                               inputs: [B.value("x", 1, [nil, 4]), B.value("lo", 1, [1])], outputs: [B.value("y", 1, nil)])
        #expect(try floats(B.run(computed, output: "y", [x, ONNXTensor(shape: [], floats: [1])])) == [1, 1, 2, 9])
    }

    @Test("BatchNormalization in inference mode")
    func batchNormalization() throws {
        let bytes = B.single("BatchNormalization", inputShape: [nil, 2], extraInputs: ["s", "b", "m", "v"],
                             initializers: [B.floats("s", [2], [2, 1]), B.floats("b", [2], [1, 0]),
                                            B.floats("m", [2], [1, -1]), B.floats("v", [2], [4, 1])],
                             [B.attr("epsilon", float: 0)])
        // (x − m)/√v · s + b: (3 − 1)/2·2 + 1 = 3; (1 + 1)/1·1 + 0 = 2.
        #expect(close(try floats(B.run(bytes, output: "y", [ONNXTensor(shape: [1, 2], floats: [3, 1])])), [3, 2]))
    }

    // MARK: Shapes

    @Test("Squeeze and Unsqueeze: axes attribute before opset 13, input from 13")
    func squeezeUnsqueeze() throws {
        let x = ONNXTensor(shape: [2, 1, 3], floats: [1, 2, 3, 4, 5, 6])
        let s11 = B.single("Squeeze", inputShape: [2, 1, 3], opset: 11, [B.attr("axes", ints: [1])])
        #expect(try B.run(s11, output: "y", [x]).shape == [2, 3])
        let s13 = B.single("Squeeze", inputShape: [2, 1, 3], extraInputs: ["axes"], initializers: [B.int64s("axes", [1], [-2])],
                           opset: 13)
        #expect(try B.run(s13, output: "y", [x]).shape == [2, 3])
        let all = B.single("Squeeze", inputShape: [2, 1, 3], opset: 13)
        #expect(try B.run(all, output: "y", [x]).shape == [2, 3])
        let u11 = B.single("Unsqueeze", inputShape: [2, 1, 3], opset: 11, [B.attr("axes", ints: [0, -1])])
        #expect(try B.run(u11, output: "y", [x]).shape == [1, 2, 1, 3, 1])
        let u13 = B.single("Unsqueeze", inputShape: [2, 1, 3], extraInputs: ["axes"], initializers: [B.int64s("axes", [1], [3])],
                           opset: 13)
        let y = try B.run(u13, output: "y", [x])
        #expect(y.shape == [2, 1, 3, 1])
        #expect(try floats(y) == [1, 2, 3, 4, 5, 6])
        // Squeezing an axis that is not 1 is an error.
        let bad = B.single("Squeeze", inputShape: [2, 1, 3], opset: 11, [B.attr("axes", ints: [0])])
        #expect(throws: ONNXError.self) { _ = try B.run(bad, output: "y", [x]) }
    }

    @Test("Reshape with 0 and -1, Flatten, Transpose, Concat, Gather")
    func shapes() throws {
        let x = ONNXTensor(shape: [2, 3], floats: [1, 2, 3, 4, 5, 6])
        let reshape = B.single("Reshape", inputShape: [2, 3], extraInputs: ["s"], initializers: [B.int64s("s", [3], [0, -1, 1])])
        #expect(try B.run(reshape, output: "y", [x]).shape == [2, 3, 1])
        let flatten = B.single("Flatten", inputShape: [2, 3], [B.attr("axis", int: 0)])
        #expect(try B.run(flatten, output: "y", [x]).shape == [1, 6])
        let transpose = B.single("Transpose", inputShape: [2, 3], [B.attr("perm", ints: [1, 0])])
        let t = try B.run(transpose, output: "y", [x])
        #expect(t.shape == [3, 2])
        #expect(try floats(t) == [1, 4, 2, 5, 3, 6])
        let concat = B.single("Concat", inputShape: [2, 3], extraInputs: ["c"], initializers: [B.floats("c", [2, 1], [9, 8])],
                              [B.attr("axis", int: -1)])
        #expect(try floats(B.run(concat, output: "y", [x])) == [1, 2, 3, 9, 4, 5, 6, 8])
        let gather = B.single("Gather", inputShape: [2, 3], extraInputs: ["i"], initializers: [B.int64s("i", [2], [-1, 0])],
                              [B.attr("axis", int: 1)])
        let g = try B.run(gather, output: "y", [x])
        #expect(g.shape == [2, 2])
        #expect(try floats(g) == [3, 1, 6, 4])
    }

    @Test("Cast truncates toward zero, ArgMax picks first or last of ties, Where selects")
    func conversions() throws {
        let cast = B.single("Cast", inputShape: [nil, 4], [B.attr("to", int: 7)])
        let c = try B.run(cast, output: "y", [ONNXTensor(shape: [1, 4], floats: [1.9, -1.9, 0.2, 3])])
        #expect(try c.integers("c") == [1, -1, 0, 3])
        let x = ONNXTensor(shape: [2, 3], floats: [1, 5, 5, 7, 0, 7])
        let first = try B.run(B.single("ArgMax", inputShape: [2, 3], [B.attr("axis", int: 1)]), output: "y", [x])
        #expect(first.shape == [2, 1])
        #expect(try first.integers("a") == [1, 0])
        let last = try B.run(B.single("ArgMax", inputShape: [2, 3], [B.attr("axis", int: 1), B.attr("keepdims", int: 0),
                                                                    B.attr("select_last_index", int: 1)]), output: "y", [x])
        #expect(last.shape == [2])
        #expect(try last.integers("a") == [2, 2])
        let whereModel = B.model(
            nodes: [B.node("Cast", ["x"], ["cond"], [B.attr("to", int: 9)]), B.node("Where", ["cond", "a", "b"], ["y"])],
            inputs: [B.value("x", 1, [nil, 1])], outputs: [B.value("y", 8, nil)],
            initializers: [B.strings("a", [1], ["fill"]), B.strings("b", [1, 2], ["p", "q"])])
        let w = try B.run(whereModel, output: "y", [ONNXTensor(shape: [2, 1], floats: [1, 0])])
        #expect(w.shape == [2, 2])
        guard case .string(let s) = w.data else { Issue.record("Where gave \(w.elementType)"); return }
        #expect(s == ["fill", "fill", "p", "q"])
    }

    // MARK: ai.onnx.ml

    @Test("OneHotEncoder appends a category axis; unknown values are zeros or an error")
    func oneHotEncoder() throws {
        let strings = ONNXTensor(shape: [3, 1], data: .string(["b", "z", "a"]))
        let zeros = B.single("OneHotEncoder", inputShape: [nil, 1], domain: "ai.onnx.ml", inputType: 8,
                             [B.attr("cats_strings", strings: ["a", "b", "c"]), B.attr("zeros", int: 1)])
        let y = try B.run(zeros, output: "y", [strings])
        #expect(y.shape == [3, 1, 3])
        #expect(try floats(y) == [0, 1, 0, 0, 0, 0, 1, 0, 0])
        let strict = B.single("OneHotEncoder", inputShape: [nil, 1], domain: "ai.onnx.ml", inputType: 8,
                              [B.attr("cats_strings", strings: ["a", "b", "c"]), B.attr("zeros", int: 0)])
        #expect(throws: ONNXError.self) { _ = try B.run(strict, output: "y", [strings]) }
        let ints = B.single("OneHotEncoder", inputShape: [nil, 1], domain: "ai.onnx.ml", inputType: 7,
                            [B.attr("cats_int64s", ints: [4, 2])])
        #expect(try floats(B.run(ints, output: "y", [ONNXTensor(shape: [2, 1], data: .int64([2, 4]))])) == [0, 1, 1, 0])
    }

    @Test("LabelEncoder: keys/values (opset 2), classes_strings (opset 1), defaults")
    func labelEncoder() throws {
        let v2 = B.single("LabelEncoder", inputShape: [nil, 1], domain: "ai.onnx.ml", inputType: 8,
                          [B.attr("keys_strings", strings: ["", "x"]), B.attr("values_int64s", ints: [1, 7]),
                           B.attr("default_int64", int: 0)])
        let y = try B.run(v2, output: "y", [ONNXTensor(shape: [3, 1], data: .string(["x", "", "other"]))])
        #expect(try y.integers("y") == [7, 1, 0])
        let floatsModel = B.single("LabelEncoder", inputShape: [nil, 1], domain: "ai.onnx.ml",
                                   [B.attr("keys_floats", floats: [0.5, .nan]), B.attr("values_strings", strings: ["half", "missing"])])
        let f = try B.run(floatsModel, output: "y", [ONNXTensor(shape: [3, 1], floats: [.nan, 0.5, 2])])
        guard case .string(let s) = f.data else { Issue.record("expected strings"); return }
        #expect(s == ["missing", "half", "_Unused"])
        // Opset 1: strings → index, int64 → string.
        var m = try Onnx_ModelProto(serializedBytes: B.single(
            "LabelEncoder", inputShape: [nil], domain: "ai.onnx.ml", inputType: 8,
            [B.attr("classes_strings", strings: ["lo", "hi"]), B.attr("default_int64", int: -5)]))
        m.opsetImport[1].version = 1
        let v1 = try B.run(try m.serializedBytes(), output: "y", [ONNXTensor(shape: [3], data: .string(["hi", "lo", "??"]))])
        #expect(try v1.integers("y") == [1, 0, -5])
    }

    @Test("Imputer replaces NaN per column; Scaler shifts and scales per column")
    func imputerScaler() throws {
        let imputer = B.single("Imputer", inputShape: [nil, 2], domain: "ai.onnx.ml",
                               [B.attr("imputed_value_floats", floats: [10, 20]), B.attr("replaced_value_float", float: .nan)])
        let y = try B.run(imputer, output: "y", [ONNXTensor(shape: [2, 2], floats: [.nan, 1, 2, .nan])])
        #expect(try floats(y) == [10, 1, 2, 20])
        let scaler = B.single("Scaler", inputShape: [nil, 2], domain: "ai.onnx.ml",
                              [B.attr("offset", floats: [1, 2]), B.attr("scale", floats: [2, 0.5])])
        #expect(try floats(B.run(scaler, output: "y", [ONNXTensor(shape: [1, 2], floats: [3, 6])])) == [4, 2])
    }

    @Test("ArrayFeatureExtractor on a 1-D class list gives [1, n], as onnxruntime")
    func arrayFeatureExtractor() throws {
        let bytes = B.model(
            nodes: [B.node("ArrayFeatureExtractor", ["classes", "i"], ["y"], domain: "ai.onnx.ml")],
            inputs: [B.value("i", 7, [nil, 1])], outputs: [B.value("y", 8, nil)],
            initializers: [B.strings("classes", [3], ["a", "b", "c"])], mlOpset: 1)
        let y = try B.run(bytes, output: "y", [ONNXTensor(shape: [3, 1], data: .int64([2, 0, 2]))])
        #expect(y.shape == [1, 3])
        guard case .string(let s) = y.data else { Issue.record("expected strings"); return }
        #expect(s == ["c", "a", "c"])
        #expect(throws: ONNXError.self) {
            _ = try B.run(bytes, output: "y", [ONNXTensor(shape: [1, 1], data: .int64([3]))])
        }
    }

    @Test("tensors decode from raw_data as well as typed fields")
    func rawData() throws {
        var t = Onnx_TensorProto()
        t.dims = [2]
        t.dataType = 1
        var raw = Data()
        for v: Float in [1.5, -2] { withUnsafeBytes(of: v.bitPattern.littleEndian) { raw.append(contentsOf: $0) } }
        t.rawData = raw
        #expect(try ONNXTensor(proto: t).floats("t") == [1.5, -2])
        t.rawData = raw.prefix(6)
        #expect(throws: ONNXKernelError.self) { _ = try ONNXTensor(proto: t) }
    }
}
