import Foundation
import Testing

@testable import DistillCore

/// Which output a teacher answers from, and what it means.
@Suite("ONNX output selection")
struct ONNXOutputSelectionTests {
    /// x [N,2] → Gemm → `logits` [N,k], with further heads chosen by the caller.
    func model(heads: [Onnx_NodeProto], outputs: [Onnx_ValueInfoProto], width: Int64 = 3) -> Data {
        ONNXBuild.model(
            nodes: [ONNXBuild.node("Gemm", ["x", "W", "b"], ["logits"], name: "gemm", [ONNXBuild.attr("transB", int: 1)])] + heads,
            inputs: [ONNXBuild.value("x", 1, [nil, 2])], outputs: outputs,
            initializers: [
                ONNXBuild.floats("W", [width, 2], (0..<(2 * Int(width))).map { Float($0) / 4 - 0.5 }),
                ONNXBuild.floats("b", [width], (0..<Int(width)).map { Float($0) / 10 }),
            ])
    }

    @Test("a Softmax output is classification with classes 0…k-1")
    func softmax() throws {
        let bytes = model(heads: [ONNXBuild.node("Softmax", ["logits"], ["prob"], [ONNXBuild.attr("axis", int: -1)])],
                          outputs: [ONNXBuild.value("logits", 1, [nil, 3]), ONNXBuild.value("prob", 1, [nil, 3])])
        let t = try ONNXTeacher(serialized: bytes, file: "m.onnx")
        #expect(t.outputName == "prob")
        #expect(t.task == .classification(classes: ["0", "1", "2"]))
        let p = try t.predict(TeacherBatch(rowCount: 1, inputs: [(name: "x", width: 2, values: .float([1, 2]))]))
        #expect(abs(p.reduce(0, +) - 1) < 1e-6)
    }

    @Test("a width-1 float output without probabilities is regression")
    func regression() throws {
        let bytes = model(heads: [ONNXBuild.node("Identity", ["logits"], ["value"])],
                          outputs: [ONNXBuild.value("value", 1, [nil, 1])], width: 1)
        let t = try ONNXTeacher(serialized: bytes, file: "m.onnx")
        #expect(t.task == .regression)
        // W = [-0.5, -0.25], b = 0: 2·(−0.5) + 4·(−0.25) = −2.
        let y = try t.predict(TeacherBatch(rowCount: 1, inputs: [(name: "x", width: 2, values: .float([2, 4]))]))
        #expect(y == [-2])
    }

    @Test("a width-1 Sigmoid output is a binary classifier answering [1-p, p]")
    func sigmoid() throws {
        let bytes = model(heads: [ONNXBuild.node("Sigmoid", ["logits"], ["p"])],
                          outputs: [ONNXBuild.value("p", 1, [nil, 1])], width: 1)
        let t = try ONNXTeacher(serialized: bytes, file: "m.onnx")
        #expect(t.task == .classification(classes: ["0", "1"]))
        // logit 0 → p = 0.5.
        let y = try t.predict(TeacherBatch(rowCount: 1, inputs: [(name: "x", width: 2, values: .float([0, 0]))]))
        #expect(y == [0.5, 0.5])
    }

    @Test("LogSoftmax outputs are answered as probabilities")
    func logSoftmax() throws {
        let bytes = model(heads: [ONNXBuild.node("LogSoftmax", ["logits"], ["logp"], [ONNXBuild.attr("axis", int: 1)])],
                          outputs: [ONNXBuild.value("logp", 1, [nil, 3])])
        let t = try ONNXTeacher(serialized: bytes, file: "m.onnx")
        #expect(t.task.outputWidth == 3)
        let p = try t.predict(TeacherBatch(rowCount: 1, inputs: [(name: "x", width: 2, values: .float([1, -1]))]))
        #expect(abs(p.reduce(0, +) - 1) < 1e-6)
        #expect(p.allSatisfy { $0 > 0 && $0 < 1 })
    }

    @Test("a symbolic input width takes the batch's width; an undeclared output width is measured")
    func symbolicWidths() throws {
        let bytes = ONNXBuild.model(
            nodes: [ONNXBuild.node("Softmax", ["x"], ["prob"], [ONNXBuild.attr("axis", int: 1)])],
            inputs: [ONNXBuild.value("x", 1, [nil, nil])], outputs: [ONNXBuild.value("prob", 1, [nil, 2])])
        let t = try ONNXTeacher(serialized: bytes, file: "m.onnx")
        #expect(t.inputs == .tensors([TeacherInput(name: "x", elementType: .float, width: nil, acceptsMissing: false)]))
        let p = try t.predict(TeacherBatch(rowCount: 2, inputs: [(name: "x", width: 2, values: .float([0, 0, 1, 1]))]))
        #expect(p == [0.5, 0.5, 0.5, 0.5])
        // Output shape left out entirely: one row of zeros measures three values per row.
        let undeclared = model(heads: [ONNXBuild.node("Softmax", ["logits"], ["prob"], [ONNXBuild.attr("axis", int: 1)])],
                               outputs: [ONNXBuild.value("prob", 1, nil)])
        let u = try ONNXTeacher(serialized: undeclared, file: "m.onnx")
        #expect(u.task == .classification(classes: ["0", "1", "2"]))
    }

    @Test("logits alone are refused with advice")
    func logitsOnly() throws {
        let bytes = model(heads: [], outputs: [ONNXBuild.value("logits", 1, [nil, 3])])
        do {
            _ = try ONNXTeacher(serialized: bytes, file: "m.onnx")
            Issue.record("logits were accepted")
        } catch let e as ONNXError {
            #expect(e.kind == .outputSelection)
            #expect(e.message.contains("say which with --teacher-output-kind logits"))
        }
    }

    @Test("an output named like probabilities counts even without Softmax")
    func namedProbabilities() throws {
        let bytes = model(heads: [ONNXBuild.node("Identity", ["logits"], ["output_probability"])],
                          outputs: [ONNXBuild.value("output_probability", 1, [nil, 3])])
        let t = try ONNXTeacher(serialized: bytes, file: "m.onnx")
        #expect(t.outputName == "output_probability")
        #expect(t.task.outputWidth == 3)
    }

    @Test("--teacher-output picks an output and prunes the rest")
    func explicitOutput() throws {
        let bytes = model(
            heads: [
                ONNXBuild.node("Softmax", ["logits"], ["prob"], [ONNXBuild.attr("axis", int: 1)]),
                ONNXBuild.node("ReduceSum", ["logits"], ["total"], name: "unsupported_head"),
                ONNXBuild.node("Identity", ["logits"], ["value"]),
            ],
            outputs: [ONNXBuild.value("prob", 1, [nil, 3]), ONNXBuild.value("total", 1, [nil, 1])])
        // The unsupported ReduceSum is not needed for "prob", so the model loads.
        let t = try ONNXTeacher(serialized: bytes, file: "m.onnx", outputName: "prob")
        #expect(t.outputName == "prob")
        // Asking for the output that needs it fails at load, naming the node.
        do {
            _ = try ONNXTeacher(serialized: bytes, file: "m.onnx", outputName: "total")
            Issue.record("an unsupported node was accepted")
        } catch let e as ONNXError {
            #expect(e.node == "'unsupported_head' (ReduceSum)")
        }
    }

    @Test("an integer label output cannot be the teacher's answer")
    func labelOutput() throws {
        do {
            _ = try ONNXTeacher(contentsOf: try ONNXFixture.url("sklearn_mlp_classifier.onnx"), outputName: "label")
            Issue.record("a label output was accepted")
        } catch let e as ONNXError {
            #expect(e.message.contains("holds string[?] values"))
        }
    }

    @Test("class names come from the skl2onnx class list", arguments: [
        ("sklearn_mlp_classifier.onnx", ["class_a", "class_b", "class_c"]),
        ("sklearn_mlp_binary.onnx", ["3", "13"]),
        ("sklearn_columns.onnx", ["no", "yes"]),
    ])
    func sklearnClasses(file: String, classes: [String]) throws {
        let t = try ONNXTeacher(contentsOf: try ONNXFixture.url(file))
        #expect(t.outputName == "probabilities")
        #expect(t.task == .classification(classes: classes))
    }

    @Test("ZipMap class labels name the classes of the probability tensor it reads")
    func zipMapLabels() throws {
        var zipMap = ONNXBuild.node("ZipMap", ["prob"], ["output_probability"], name: "zipmap", domain: "ai.onnx.ml",
                                    [ONNXBuild.attr("classlabels_strings", strings: ["cat", "dog", "eel"])])
        zipMap.domain = "ai.onnx.ml"
        var bytes = model(heads: [ONNXBuild.node("Softmax", ["logits"], ["prob"], [ONNXBuild.attr("axis", int: 1)]), zipMap],
                          outputs: [ONNXBuild.value("prob", 1, [nil, 3])])
        var proto = try Onnx_ModelProto(serializedBytes: bytes)
        var ml = Onnx_OperatorSetIdProto()
        ml.domain = "ai.onnx.ml"
        ml.version = 1
        proto.opsetImport.append(ml)
        // The ZipMap's sequence-of-maps output is declared but never evaluated.
        var seq = Onnx_ValueInfoProto()
        seq.name = "output_probability"
        var map = Onnx_TypeProto.Map()
        map.keyType = 8
        map.valueType.tensorType.elemType = 1
        seq.type.sequenceType.elemType.mapType = map
        proto.graph.output.append(seq)
        bytes = try proto.serializedBytes()
        let t = try ONNXTeacher(serialized: bytes, file: "m.onnx")
        #expect(t.outputName == "prob")
        #expect(t.task == .classification(classes: ["cat", "dog", "eel"]))
        #expect(t.modelSummary.outputs.last?.type == "seq(map(string,float[…]))")
    }

    @Test("int64 ZipMap labels become decimal text")
    func zipMapIntegerLabels() throws {
        let model = try ONNXModel(contentsOf: try ONNXFixture.url("sklearn_zipmap.onnx"))
        #expect(try model.classNames(count: 2, probabilities: "probabilities") == ["0", "1"])
        #expect(try model.classNames(count: 3, probabilities: "probabilities") == ["0", "1", "2"])
    }
}
