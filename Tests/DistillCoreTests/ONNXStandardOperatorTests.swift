import Foundation
import Testing

@testable import DistillCore

/// The operators added for current exporters, on hand-computed examples, at each opset
/// where their form changed.
@Suite("ONNX standard operators")
struct ONNXStandardOperatorTests {
    typealias B = ONNXBuild

    /// The float values, or none when the tensor is not float (so the expectation fails).
    func f(_ t: ONNXTensor) -> [Float] { (try? t.floats("")) ?? [] }

    func close(_ a: [Float], _ b: [Float], _ tolerance: Float = 1e-6) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance || ($0.isNaN && $1.isNaN) }
    }

    func unary(_ op: String, _ x: [Float], opset: Int64 = 18, _ attributes: [Onnx_AttributeProto] = []) throws -> [Float] {
        let bytes = B.single(op, inputShape: [Int64(x.count)], opset: opset, attributes)
        return try B.run(bytes, output: "y", [ONNXTensor(shape: [x.count], floats: x)]).floats("y")
    }

    /// A model with the given nodes, one float input x of `shape` and output y.
    func graph(_ nodes: [Onnx_NodeProto], shape: [Int64?], initializers: [Onnx_TensorProto] = [], opset: Int64 = 13,
               inputType: Int32 = 1) -> Data {
        B.model(nodes: nodes, inputs: [B.value("x", inputType, shape)], outputs: [B.value("y", 1, nil)],
                initializers: initializers, opset: opset)
    }

    // MARK: Activations and rounding

    @Test("Mish, HardSwish, Celu, Softsign, ThresholdedRelu by their closed forms")
    func activations() throws {
        // mish(1) = tanh(ln(1 + e)), mish(−1) = −tanh(ln(1 + 1/e)).
        #expect(close(try unary("Mish", [1, 0, -1, 30]), [Float(tanh(log(1 + M_E))), 0, Float(-tanh(log(1 + 1 / M_E))), 30]))
        #expect(close(try unary("HardSwish", [-4, -1, 1, 4], opset: 14), [0, -1.0 / 3, 2.0 / 3, 4]))
        #expect(close(try unary("Celu", [-2, 0, 3], opset: 12, [B.attr("alpha", float: 2)]), [Float(2 * (exp(-1.0) - 1)), 0, 3]))
        #expect(close(try unary("Celu", [-1], opset: 12), [Float(exp(-1.0) - 1)]))
        #expect(try unary("Softsign", [3, -1, 0], opset: 1) == [0.75, -0.5, 0])
        #expect(try unary("ThresholdedRelu", [0.5, 1, 2], opset: 10) == [0, 0, 2])
        #expect(try unary("ThresholdedRelu", [0.5, 1, 2], opset: 10, [B.attr("alpha", float: 0.2)]) == [0.5, 1, 2])
    }

    @Test("Floor, Ceil and Sign, with NaN kept")
    func rounding() throws {
        #expect(try unary("Floor", [-1.5, 0, 2.5], opset: 13) == [-2, 0, 2])
        #expect(try unary("Ceil", [-1.5, 0, 2.5], opset: 6) == [-1, 0, 3])
        let s = try unary("Sign", [-3, 0, 0.25, .nan], opset: 9)
        #expect(Array(s.prefix(3)) == [-1, 0, 1] && s[3].isNaN)
    }

    // MARK: Reductions

    @Test("reductions with axes as attribute (opset 13) and as input (opset 18)")
    func reductions() throws {
        let x = ONNXTensor(shape: [2, 3], floats: [1, 2, 3, 4, 5, 6])
        func reduce(_ op: String, opset: Int64, axes: [Int64]?, keepDims: Int64 = 1, noop: Int64? = nil) throws -> ONNXTensor {
            var attributes = [B.attr("keepdims", int: keepDims)]
            if let noop { attributes.append(B.attr("noop_with_empty_axes", int: noop)) }
            let asInput = opset >= (op == "ReduceSum" ? 13 : 18)
            if let axes, !asInput { attributes.append(B.attr("axes", ints: axes)) }
            let extra = asInput && axes != nil ? ["axes"] : []
            let inits = asInput ? axes.map { [B.int64s("axes", [Int64($0.count)], $0)] } ?? [] : []
            let bytes = B.single(op, inputShape: [nil, 3], extraInputs: extra, initializers: inits, opset: opset, attributes)
            return try B.run(bytes, output: "y", [x])
        }
        let mean = try reduce("ReduceMean", opset: 13, axes: [1])
        #expect(mean.shape == [2, 1] && f(mean) == [2, 5])
        let l2 = try reduce("ReduceL2", opset: 18, axes: [-1], keepDims: 0)
        #expect(l2.shape == [2] && close(f(l2), [Float(14.0.squareRoot()), Float(77.0.squareRoot())]))
        let sum = try reduce("ReduceSum", opset: 13, axes: [0])
        #expect(sum.shape == [1, 3] && f(sum) == [5, 7, 9])
        let sum11 = try reduce("ReduceSum", opset: 11, axes: [0], keepDims: 0)
        #expect(sum11.shape == [3] && f(sum11) == [5, 7, 9])
        let all = try reduce("ReduceMax", opset: 13, axes: nil, keepDims: 0)
        #expect(all.shape == [] && f(all) == [6])
        let noop = try reduce("ReduceMin", opset: 18, axes: nil, noop: 1)
        #expect(noop.shape == [2, 3] && f(noop) == [1, 2, 3, 4, 5, 6])
        let min = try reduce("ReduceMin", opset: 18, axes: [1])
        #expect(f(min) == [1, 4])
        #expect((try reduce("ReduceSumSquare", opset: 13, axes: [1]).floats("")) == [14, 77])
        #expect((try reduce("ReduceL1", opset: 13, axes: [1]).floats("")) == [6, 15])
    }

    @Test("LayerNormalization over the last axis, with scale and bias; Mean and InvStdDev")
    func layerNormalization() throws {
        let bytes = B.model(
            nodes: [B.node("LayerNormalization", ["x", "g", "b"], ["y", "mean", "inv"], name: "ln",
                           [B.attr("epsilon", float: 0)])],
            inputs: [B.value("x", 1, [nil, 4])], outputs: [B.value("y", 1, nil)],
            initializers: [B.floats("g", [4], [1, 1, 2, 2]), B.floats("b", [4], [0, 0, 0, 1])], opset: 17)
        // Mean 2.5, population variance 1.25: (x − 2.5)/√1.25 = ±1.3416408, ±0.4472136.
        let y = try B.run(bytes, output: "y", [ONNXTensor(shape: [1, 4], floats: [1, 2, 3, 4])])
        #expect(close(f(y), [-1.3416408, -0.4472136, 0.8944272, 3.6832816]))
        let inv = try B.run(bytes, output: "inv", [ONNXTensor(shape: [1, 4], floats: [1, 2, 3, 4])])
        #expect(inv.shape == [1, 1] && close(f(inv), [Float(1 / 1.25.squareRoot())]))
        // Before opset 17 the operator does not exist.
        let old = B.model(nodes: [B.node("LayerNormalization", ["x", "g"], ["y"], name: "ln")],
                          inputs: [B.value("x", 1, [nil, 4])], outputs: [B.value("y", 1, nil)],
                          initializers: [B.floats("g", [4], [1, 1, 1, 1])], opset: 16)
        #expect(throws: ONNXError.self) { _ = try B.run(old, output: "y", [ONNXTensor(shape: [1, 4], floats: [1, 2, 3, 4])]) }
    }

    // MARK: Slicing and shapes

    @Test("Slice with attributes (opset 1) and inputs: negative, clamped, stepped, empty")
    func slice() throws {
        let x = ONNXTensor(shape: [2, 4], floats: [0, 1, 2, 3, 4, 5, 6, 7])
        let attributes = B.single("Slice", inputShape: [nil, 4], opset: 9,
                                  [B.attr("starts", ints: [1]), B.attr("ends", ints: [1000]), B.attr("axes", ints: [1])])
        let a = try B.run(attributes, output: "y", [x])
        #expect(a.shape == [2, 3] && f(a) == [1, 2, 3, 5, 6, 7])
        func inputs(_ starts: Int64, _ ends: Int64, _ step: Int64) throws -> ONNXTensor {
            let bytes = B.single("Slice", inputShape: [nil, 4], extraInputs: ["s", "e", "a", "st"],
                                 initializers: [B.int64s("s", [1], [starts]), B.int64s("e", [1], [ends]),
                                                B.int64s("a", [1], [-1]), B.int64s("st", [1], [step])], opset: 13)
            return try B.run(bytes, output: "y", [x])
        }
        #expect(try inputs(-1, -1000, -1).floats("") == [3, 2, 1, 0, 7, 6, 5, 4])
        #expect(try inputs(0, Int64.max, 2).floats("") == [0, 2, 4, 6])
        #expect(try inputs(-3, -1, 1).floats("") == [1, 2, 5, 6])
        #expect(try inputs(3, 1, 1).shape == [2, 0])
        #expect(try inputs(3, 0, -2).floats("") == [3, 1, 7, 5])
    }

    @Test("Split by equal parts (opset 11), by sizes input (13), by num_outputs with a smaller last part (18)")
    func split() throws {
        let x = ONNXTensor(shape: [1, 5], floats: [1, 2, 3, 4, 5])
        func parts(opset: Int64, _ attributes: [Onnx_AttributeProto], sizes: [Int64]? = nil) throws -> [[Float]] {
            let bytes = B.model(
                nodes: [B.node("Split", sizes == nil ? ["x"] : ["x", "sizes"], ["p", "q"], name: "split", attributes)],
                inputs: [B.value("x", 1, [nil, 5])], outputs: [B.value("p", 1, nil), B.value("q", 1, nil)],
                initializers: sizes.map { [B.int64s("sizes", [2], $0)] } ?? [], opset: opset)
            return try ["p", "q"].map { try B.run(bytes, output: $0, [x]).floats("") }
        }
        #expect(try parts(opset: 11, [B.attr("axis", int: 1), B.attr("split", ints: [1, 4])]) == [[1], [2, 3, 4, 5]])
        #expect(try parts(opset: 13, [B.attr("axis", int: -1)], sizes: [4, 1]) == [[1, 2, 3, 4], [5]])
        #expect(try parts(opset: 18, [B.attr("axis", int: 1), B.attr("num_outputs", int: 2)]) == [[1, 2, 3], [4, 5]])
        #expect(throws: ONNXError.self) { _ = try parts(opset: 13, [B.attr("axis", int: 1)]) }
    }

    @Test("Expand broadcasts both ways; ConstantOfShape fills with its value (float 0 by default)")
    func expandAndConstantOfShape() throws {
        let expand = B.single("Expand", inputShape: [3, 1], extraInputs: ["s"], initializers: [B.int64s("s", [3], [2, 1, 2])], opset: 13)
        let e = try B.run(expand, output: "y", [ONNXTensor(shape: [3, 1], floats: [1, 2, 3])])
        #expect(e.shape == [2, 3, 2] && f(e) == [1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3])
        let zeros = B.single("ConstantOfShape", inputShape: [2], inputType: 7)
        let z = try B.run(zeros, output: "y", [ONNXTensor(shape: [2], data: .int64([2, 3]))])
        #expect(z.shape == [2, 3] && f(z) == [Float](repeating: 0, count: 6))
        var value = B.int64s("v", [1], [7])
        value.name = ""
        var attribute = Onnx_AttributeProto()
        attribute.name = "value"
        attribute.type = .tensor
        attribute.t = value
        let sevens = B.single("ConstantOfShape", inputShape: [1], inputType: 7, [attribute])
        let s = try B.run(sevens, output: "y", [ONNXTensor(shape: [1], data: .int64([3]))])
        guard case .int64(let v) = s.data else { Issue.record("ConstantOfShape lost the value's type"); return }
        #expect(v == [7, 7, 7])
    }

    @Test("Range counts ceil((limit − start) / delta) values, none when negative")
    func range() throws {
        func run(_ values: ONNXTensorData...) throws -> ONNXTensor {
            // Constant scalars: the loader folds the node, as it does for exporters' Range.
            let constants = zip(["a", "b", "c"], values).map { name, v -> Onnx_TensorProto in
                switch v {
                case .int64(let i): return B.int64s(name, [], i)
                case .float(let x): return B.floats(name, [], x)
                default: return Onnx_TensorProto()
                }
            }
            let bytes = B.model(nodes: [B.node("Range", ["a", "b", "c"], ["y"], name: "r")], inputs: [],
                                outputs: [B.value("y", 1, nil)], initializers: constants, opset: 11)
            return try B.run(bytes, output: "y", [])
        }
        guard case .int64(let ints) = try run(.int64([1]), .int64([6]), .int64([2])).data else { Issue.record("not int64"); return }
        #expect(ints == [1, 3, 5])
        #expect(try run(.float([0]), .float([1]), .float([0.25])).floats("") == [0, 0.25, 0.5, 0.75])
        #expect(try run(.float([5]), .float([1]), .float([1])).shape == [0])
    }

    // MARK: Comparisons, logic, Mod, variadic

    func binary(_ op: String, _ a: ONNXTensor, _ b: ONNXTensor, opset: Int64 = 13,
                _ attributes: [Onnx_AttributeProto] = []) throws -> ONNXTensor {
        let type: Int32 = switch a.elementType { case .int64: 7; case .bool: 9; case .double: 11; default: 1 }
        let bytes = B.model(nodes: [B.node(op, ["a", "b"], ["y"], name: "n", attributes)],
                            inputs: [B.value("a", type, a.shape.map { Int64($0) }), B.value("b", type, b.shape.map { Int64($0) })],
                            outputs: [B.value("y", 9, nil)], opset: opset)
        let model = try ONNXModel(serialized: bytes, file: "t.onnx")
        return try ONNXEvaluator.run(try ONNXGraph(model: model, outputName: "y"), inputs: [a, b])
    }

    func bools(_ t: ONNXTensor) -> [Bool] { if case .bool(let v) = t.data { v } else { [] } }

    @Test("comparisons broadcast and give bool; NaN compares false")
    func comparisons() throws {
        let a = ONNXTensor(shape: [4], floats: [1, 2, 3, .nan]), b = ONNXTensor(shape: [1], floats: [2])
        #expect(bools(try binary("Equal", a, b)) == [false, true, false, false])
        #expect(bools(try binary("Greater", a, b)) == [false, false, true, false])
        #expect(bools(try binary("Less", a, b)) == [true, false, false, false])
        #expect(bools(try binary("GreaterOrEqual", a, b, opset: 12)) == [false, true, true, false])
        #expect(bools(try binary("LessOrEqual", a, b, opset: 16)) == [true, true, false, false])
        let i = ONNXTensor(shape: [2, 1], data: .int64([0, -1])), j = ONNXTensor(shape: [2], data: .int64([-1, 0]))
        let eq = try binary("Equal", i, j)
        #expect(eq.shape == [2, 2] && bools(eq) == [false, true, true, false])
    }

    @Test("And, Or, Xor, Not")
    func logic() throws {
        let p = ONNXTensor(shape: [4], data: .bool([false, false, true, true]))
        let q = ONNXTensor(shape: [4], data: .bool([false, true, false, true]))
        #expect(bools(try binary("And", p, q)) == [false, false, false, true])
        #expect(bools(try binary("Or", p, q)) == [false, true, true, true])
        #expect(bools(try binary("Xor", p, q)) == [false, true, true, false])
        let not = B.model(nodes: [B.node("Not", ["x"], ["y"], name: "n")], inputs: [B.value("x", 9, [4])],
                          outputs: [B.value("y", 9, nil)])
        #expect(bools(try B.run(not, output: "y", [p])) == [true, true, false, false])
    }

    @Test("Mod: fmod=1 keeps the dividend's sign, fmod=0 (integers) the divisor's; float fmod=0 is refused")
    func mod() throws {
        func values(_ t: ONNXTensor) -> [Int64] { if case .int64(let v) = t.data { v } else { [] } }
        let a = ONNXTensor(shape: [4], data: .int64([5, -5, 5, -5])), b = ONNXTensor(shape: [4], data: .int64([3, 3, -3, -3]))
        #expect(values(try binary("Mod", a, b, opset: 10)) == [2, 1, -1, -2])
        #expect(values(try binary("Mod", a, b, opset: 13, [B.attr("fmod", int: 1)])) == [2, -2, 2, -2])
        let x = ONNXTensor(shape: [2], floats: [5.5, -5.5]), y = ONNXTensor(shape: [1], floats: [2])
        #expect(try binary("Mod", x, y, [B.attr("fmod", int: 1)]).floats("") == [1.5, -1.5])
        #expect(throws: ONNXError.self) { _ = try binary("Mod", x, y) }
        #expect(throws: ONNXError.self) { _ = try binary("Mod", a, ONNXTensor(shape: [1], data: .int64([0]))) }
    }

    @Test("Max, Min and Sum of three broadcast operands; NaN propagates through Max")
    func variadic() throws {
        func run(_ op: String) throws -> [Float] {
            let bytes = B.model(nodes: [B.node(op, ["x", "c", "d"], ["y"], name: "v")],
                                inputs: [B.value("x", 1, [nil, 3])], outputs: [B.value("y", 1, nil)],
                                initializers: [B.floats("c", [3], [2, 2, 2]), B.floats("d", [], [0])], opset: 8)
            return try B.run(bytes, output: "y", [ONNXTensor(shape: [1, 3], floats: [1, 3, -1])]).floats("")
        }
        #expect(try run("Max") == [2, 3, 2])
        #expect(try run("Min") == [0, 0, -1])
        #expect(try run("Sum") == [3, 5, 1])
        let nan = B.model(nodes: [B.node("Max", ["x", "x"], ["y"], name: "m")], inputs: [B.value("x", 1, [1])],
                          outputs: [B.value("y", 1, nil)], opset: 13)
        #expect(try B.run(nan, output: "y", [ONNXTensor(shape: [1], floats: [.nan])]).floats("")[0].isNaN)
    }

    // MARK: float64

    @Test("a double MLP runs in double: MatMul, Add, Tanh, Gemm, Softmax")
    func doubleModel() throws {
        let bytes = graph([B.node("MatMul", ["x", "w"], ["h"]), B.node("Add", ["h", "b"], ["hb"]), B.node("Tanh", ["hb"], ["t"]),
                           B.node("Gemm", ["t", "v"], ["z"], [B.attr("transB", int: 1)]), B.node("Softmax", ["z"], ["y"], [B.attr("axis", int: 1)])],
                          shape: [nil, 2],
                          initializers: [B.doubles("w", [2, 2], [1, 0, 0, 1]), B.doubles("b", [2], [0, 1e-12]),
                                         B.doubles("v", [2, 2], [1, 0, 0, 1])], inputType: 11)
        let y = try B.run(bytes, output: "y", [ONNXTensor(shape: [1, 2], data: .double([0.5, 0.5]))])
        guard case .double(let v) = y.data else { Issue.record("the output is not double"); return }
        // tanh(0.5 + 1e-12) − tanh(0.5) ≈ 7.86e-13: visible in double, lost in float.
        let d = tanh(0.5 + 1e-12) - tanh(0.5)
        let expected = 1 / (1 + exp(d))
        #expect(abs(v[0] - expected) < 1e-15 && v[0] != 0.5)
    }

    @Test("BatchNormalization runs in double")
    func doubleBatchNormalization() throws {
        let bytes = graph([B.node("BatchNormalization", ["x", "g", "b", "m", "v"], ["y"], name: "bn")], shape: [nil, 1],
                          initializers: [B.doubles("g", [1], [2]), B.doubles("b", [1], [1]), B.doubles("m", [1], [1]),
                                         B.doubles("v", [1], [4])], inputType: 11)
        let y = try B.run(bytes, output: "y", [ONNXTensor(shape: [1, 1], data: .double([3]))])
        guard case .double(let v) = y.data else { Issue.record("the output is not double"); return }
        // (3 − 1) / √(4 + 1e-5) · 2 + 1, with ε = 1e-5 as a float attribute default.
        #expect(abs(v[0] - (2 / (4 + Double(Float(1e-5))).squareRoot() * 2 + 1)) < 1e-14)
    }

    @Test("an operator without a double kernel says to re-export in float32")
    func doubleRefused() throws {
        // skl2onnx's Scaler computes in float32, so the double MatMul after it gets mixed types.
        let bytes = B.model(nodes: [B.node("Scaler", ["x"], ["s"], name: "scaler", domain: "ai.onnx.ml",
                                           [B.attr("offset", floats: [1]), B.attr("scale", floats: [2])]),
                                    B.node("MatMul", ["s", "w"], ["y"], name: "mm")],
                            inputs: [B.value("x", 11, [nil, 1])], outputs: [B.value("y", 11, [nil, 1])],
                            initializers: [B.doubles("w", [1, 1], [3])], mlOpset: 2)
        do {
            _ = try ONNXTeacher(serialized: bytes, file: "double.onnx")
            Issue.record("loaded")
        } catch let e as ONNXError {
            #expect(e.node == "'mm' (MatMul)")
            #expect(e.message.hasPrefix("the model fails on a sample row of zeros and empty strings: MatMul input B must be float, got double; Distill evaluates MatMul on float64 (double) values only where every operand is double"))
            #expect(e.message.hasSuffix("re-export the model in float32 (torch: model.float() and a float32 example input; skl2onnx: to_onnx(model, X[:1].astype(numpy.float32)))"))
        }
    }
}
