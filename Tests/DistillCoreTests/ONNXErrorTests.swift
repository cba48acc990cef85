import Foundation
import Testing

@testable import DistillCore

/// Loading fails early, with messages that name the file, the node and what to do.
@Suite("ONNX load errors")
struct ONNXErrorTests {
    /// A float MLP-like model with one node of the given operator in the middle.
    func modelWith(op: String, name: String, domain: String = "", opset: Int64 = 13) -> Data {
        ONNXBuild.model(
            nodes: [
                ONNXBuild.node("Relu", ["x"], ["h"], name: "relu"),
                ONNXBuild.node(op, ["h"], ["p"], name: name, domain: domain),
                ONNXBuild.node("Softmax", ["p"], ["y"], name: "softmax", [ONNXBuild.attr("axis", int: 1)]),
            ],
            inputs: [ONNXBuild.value("x", 1, [nil, 3])], outputs: [ONNXBuild.value("y", 1, [nil, 3])],
            opset: opset, mlOpset: domain.isEmpty ? nil : 3)
    }

    func loadError(_ bytes: Data, output: String? = nil) -> ONNXError? {
        do {
            _ = try ONNXTeacher(serialized: bytes, file: "model.onnx", outputName: output)
            return nil
        } catch let e as ONNXError {
            return e
        } catch {
            return nil
        }
    }

    @Test("an unsupported operator names the op type, the node and the opset")
    func unsupportedOperator() throws {
        let e = try #require(loadError(modelWith(op: "LpNormalization", name: "/norm/LpNormalization")))
        #expect(e.kind == .unsupportedOperator)
        #expect(e.node == "'/norm/LpNormalization' (LpNormalization)")
        #expect(e.description.hasPrefix("ONNX model model.onnx, node '/norm/LpNormalization' (LpNormalization): operator LpNormalization (domain ai.onnx, opset 13) is not supported by Distill's evaluator; supported ai.onnx operators: Abs, Add, And, ArgMax"))
    }

    @Test("an operator of an unknown domain is refused at load")
    func unknownDomain() throws {
        let e = try #require(loadError(modelWith(op: "FusedGemm", name: "fused", domain: "com.microsoft")))
        #expect(e.kind == .unsupportedOperator || e.kind == .malformedModel)
        #expect(e.description.contains("FusedGemm"))
        #expect(e.description.contains("'fused'"))
    }

    @Test("an opset outside the reviewed range is refused, naming it")
    func opsetOutOfRange() throws {
        let newer = try #require(loadError(modelWith(op: "Relu", name: "r2", opset: 30)))
        #expect(newer.kind == .unsupportedOperator)
        #expect(newer.description.contains("opset 30"))
        // Elementwise Add before opset 7 had its own broadcast attribute; refused.
        let old = ONNXBuild.model(
            nodes: [ONNXBuild.node("Add", ["x", "x"], ["y"], name: "old_add")],
            inputs: [ONNXBuild.value("x", 1, [nil, 1])], outputs: [ONNXBuild.value("y", 1, [nil, 1])], opset: 6)
        let e = try #require(loadError(old))
        #expect(e.node == "'old_add' (Add)")
        #expect(e.description.contains("opset 6"))
    }

    @Test("truncated bytes are reported as a malformed file")
    func truncated() throws {
        let bytes = try Data(contentsOf: try ONNXFixture.url("torch_mlp_classifier.onnx"))
        for cut in [bytes.count / 2, bytes.count - 3, 10] {
            let e = try #require(loadError(bytes.prefix(cut)))
            #expect(e.kind == .malformedModel)
            #expect(e.file == "model.onnx")
        }
    }

    @Test("garbage and empty files are reported")
    func garbage() throws {
        let text = try #require(loadError(Data("this is a CSV file,1,2,3\n".utf8)))
        #expect(text.kind == .malformedModel)
        #expect(text.description.contains("not an ONNX model") || text.description.contains("no ONNX graph"))
        let empty = try #require(loadError(Data()))
        #expect(empty.description == "ONNX model model.onnx: the file is empty; expected an ONNX model (.onnx)")
    }

    @Test("a missing graph is reported")
    func missingGraph() throws {
        var m = Onnx_ModelProto()
        m.irVersion = 8
        m.producerName = "nothing"
        let e = try #require(loadError(try m.serializedBytes()))
        #expect(e.kind == .malformedModel)
        #expect(e.message.contains("no ONNX graph"))
    }

    @Test("a node input nothing produces names the node and the value")
    func danglingInput() throws {
        let bytes = ONNXBuild.model(
            nodes: [ONNXBuild.node("Gemm", ["x", "W", "b"], ["y"], name: "/0/Gemm")],
            inputs: [ONNXBuild.value("x", 1, [nil, 2])], outputs: [ONNXBuild.value("y", 1, [nil, 1])],
            initializers: [ONNXBuild.floats("W", [2, 1], [1, 2])])
        let e = try #require(loadError(bytes))
        #expect(e.kind == .malformedModel)
        #expect(e.description == "ONNX model model.onnx, node '/0/Gemm' (Gemm): input 'b' is not produced by any node, graph input or initializer")
    }

    @Test("nodes out of file order are sorted; a cycle is reported")
    func ordering() throws {
        let shuffled = ONNXBuild.model(
            nodes: [ONNXBuild.node("Softmax", ["h"], ["y"], name: "second", [ONNXBuild.attr("axis", int: 1)]),
                    ONNXBuild.node("Relu", ["x"], ["h"], name: "first")],
            inputs: [ONNXBuild.value("x", 1, [nil, 2])], outputs: [ONNXBuild.value("y", 1, [nil, 2])])
        let t = try ONNXTeacher(serialized: shuffled, file: "model.onnx")
        #expect(try t.predict(TeacherBatch(rowCount: 1, inputs: [(name: "x", width: 2, values: .float([-5, -7]))])) == [0.5, 0.5])
        let cycle = ONNXBuild.model(
            nodes: [ONNXBuild.node("Relu", ["b"], ["a"], name: "ra"), ONNXBuild.node("Relu", ["a"], ["b"], name: "rb"),
                    ONNXBuild.node("Add", ["x", "b"], ["y"], name: "add")],
            inputs: [ONNXBuild.value("x", 1, [nil, 1])], outputs: [ONNXBuild.value("y", 1, [nil, 1])])
        let e = try #require(loadError(cycle))
        #expect(e.message == "the graph has a cycle through this node")
        #expect(e.node == "'ra' (Relu)" || e.node == "'rb' (Relu)")
    }

    @Test("shapes that do not fit fail at load, naming the node")
    func shapeMismatchAtLoad() throws {
        let bytes = ONNXBuild.model(
            nodes: [ONNXBuild.node("Gemm", ["x", "W"], ["h"], name: "/0/Gemm"),
                    ONNXBuild.node("Softmax", ["h"], ["y"], name: "softmax", [ONNXBuild.attr("axis", int: 1)])],
            inputs: [ONNXBuild.value("x", 1, [nil, 3])], outputs: [ONNXBuild.value("y", 1, [nil, 2])],
            initializers: [ONNXBuild.floats("W", [4, 2], [Float](repeating: 1, count: 8))])
        let e = try #require(loadError(bytes))
        #expect(e.kind == .malformedModel)
        #expect(e.node == "'/0/Gemm' (Gemm)")
        #expect(e.message.hasPrefix("the model fails on a sample row of zeros and empty strings: Gemm inner dimensions differ"))
    }

    @Test("a model refusing the neutral sample row's values still loads")
    func valueDependentSample() throws {
        // zeros=0: the empty string of the sample row is an unknown category, a property of
        // the data, not of the model.
        let bytes = ONNXBuild.model(
            nodes: [ONNXBuild.node("OneHotEncoder", ["x"], ["h"], name: "onehot", domain: "ai.onnx.ml",
                                   [ONNXBuild.attr("cats_strings", strings: ["a", "b"]), ONNXBuild.attr("zeros", int: 0)]),
                    ONNXBuild.node("Flatten", ["h"], ["f"]),
                    ONNXBuild.node("Softmax", ["f"], ["y"], [ONNXBuild.attr("axis", int: 1)])],
            inputs: [ONNXBuild.value("x", 8, [nil, 1])], outputs: [ONNXBuild.value("y", 1, [nil, 2])], mlOpset: 1)
        let t = try ONNXTeacher(serialized: bytes, file: "model.onnx")
        let p = try t.predict(TeacherBatch(rowCount: 1, inputs: [(name: "x", width: 1, values: .string(["b"]))]))
        let e = Float(M_E)
        #expect(abs(p[1] - e / (1 + e)) < 1e-6)
        do {
            _ = try t.predict(TeacherBatch(rowCount: 1, inputs: [(name: "x", width: 1, values: .string(["zzz"]))]))
            Issue.record("an unknown category was accepted with zeros=0")
        } catch let error as ONNXError {
            #expect(error.node == "'onehot' (OneHotEncoder)")
            #expect(error.message.contains("unknown category 'zzz'"))
        }
    }

    @Test("a missing file is reported as unreadable")
    func missingFile() throws {
        #expect(throws: ONNXError.self) {
            _ = try ONNXTeacher(contentsOf: URL(fileURLWithPath: "no-such-model.onnx"))
        }
    }

    @Test("a ZipMap output that is not a ZipMap's names the option to use")
    func sequenceNotFromZipMap() throws {
        var proto = try Onnx_ModelProto(serializedBytes: ONNXBuild.model(
            nodes: [ONNXBuild.node("Identity", ["x"], ["y"])], inputs: [ONNXBuild.value("x", 1, [nil, 3])], outputs: []))
        var seq = Onnx_ValueInfoProto()
        seq.name = "y"
        seq.type.sequenceType.elemType.tensorType.elemType = 1
        proto.graph.output = [seq]
        do {
            _ = try ONNXTeacher(serialized: try proto.serializedBytes(), file: "m.onnx")
            Issue.record("a sequence output loaded")
        } catch let e as ONNXError {
            #expect(e.kind == .outputSelection)
            #expect(e.message.contains("output 'y' is a seq(float[…]) not made by a ZipMap"))
        }
    }

    @Test("an unknown output name lists the available outputs")
    func unknownOutput() throws {
        do {
            _ = try ONNXTeacher(contentsOf: try ONNXFixture.url("sklearn_mlp_classifier.onnx"), outputName: "proba")
            Issue.record("an unknown output loaded")
        } catch let e as ONNXError {
            #expect(e.kind == .outputSelection)
            #expect(e.message.contains("no output named 'proba'"))
            #expect(e.message.contains("label (string[?])"))
            #expect(e.message.contains("probabilities (float[?,3])"))
        }
    }

    @Test("a batch missing an input or of the wrong width is refused")
    func badBatch() throws {
        let teacher = try ONNXTeacher(contentsOf: try ONNXFixture.url("torch_mlp_classifier.onnx"))
        #expect(throws: ONNXError.self) {
            _ = try teacher.predict(TeacherBatch(rowCount: 1, inputs: [(name: "other", width: 4, values: .float([1, 2, 3, 4]))]))
        }
        #expect(throws: ONNXError.self) {
            _ = try teacher.predict(TeacherBatch(rowCount: 1, inputs: [(name: "input", width: 3, values: .float([1, 2, 3]))]))
        }
    }
}

/// Every unsupported operator of a model is reported at once.
@Suite("ONNX unsupported operators")
struct ONNXUnsupportedOperatorsTests {
    typealias B = ONNXBuild

    /// Relu, two LpNormalization nodes, a Gelu with an unknown approximation and a
    /// com.microsoft FusedGemm.
    var bytes: Data {
        B.model(nodes: [B.node("Relu", ["x"], ["a"], name: "relu"),
                        B.node("LpNormalization", ["a"], ["b"], name: "lp1"),
                        B.node("LpNormalization", ["b"], ["c"], name: "lp2"),
                        B.node("Gelu", ["c"], ["d"], name: "gelu", [B.attr("approximate", string: "erf")]),
                        B.node("FusedGemm", ["d"], ["e"], name: "fused", domain: "com.microsoft"),
                        B.node("Softmax", ["e"], ["y"], name: "softmax", [B.attr("axis", int: 1)])],
                inputs: [B.value("x", 1, [nil, 3])], outputs: [B.value("y", 1, [nil, 3])], opset: 20)
    }

    @Test("one error lists each unsupported operator with domain, opset, count and first node")
    func listed() throws {
        var m = try Onnx_ModelProto(serializedBytes: bytes)
        var ms = Onnx_OperatorSetIdProto()
        ms.domain = "com.microsoft"
        ms.version = 1
        m.opsetImport.append(ms)
        do {
            _ = try ONNXTeacher(serialized: try m.serializedBytes(), file: "m.onnx")
            Issue.record("loaded")
        } catch let e as ONNXError {
            #expect(e.kind == .unsupportedOperator)
            #expect(e.node == nil)
            let lines = e.message.split(separator: "\n").map(String.init)
            #expect(lines[0] == "4 nodes use 3 operators Distill's evaluator does not support:")
            #expect(lines[1] == "  LpNormalization (domain ai.onnx, opset 20) × 2, first node 'lp1' (LpNormalization)")
            #expect(lines[2] == "  Gelu (domain ai.onnx, opset 20) × 1, first node 'gelu' (Gelu): Gelu approximate='erf' is not supported")
            #expect(lines[3] == "  FusedGemm (domain com.microsoft, opset 1) × 1, first node 'fused' (FusedGemm)")
            #expect(lines[4].hasPrefix("supported ai.onnx operators: Abs, Add, And, ArgMax"))
        }
    }

    @Test("the operator table marks the unsupported operators")
    func table() throws {
        let dir = TemporaryDirectory()
        let path = dir.write("m.onnx", bytes: Array(bytes))
        let counts = try ONNXModelSummary.operators(ofModelAt: URL(fileURLWithPath: path))
        #expect(counts.first == ONNXModelSummary.OperatorCount(op: "LpNormalization", count: 2, opset: 20, supported: false))
        #expect(counts.contains(ONNXModelSummary.OperatorCount(op: "Relu", count: 1, opset: 20, supported: true)))
        #expect(counts.contains { $0.op == "Gelu" && !$0.supported })
        let text = ONNXModelSummary.operatorTable(counts)
        #expect(text[1] == "  operator                 opset  count  supported")
        #expect(text[2] == "  LpNormalization          20     2      NO")
        #expect(text.contains("  Relu                     20     1      yes"))
        #expect(text.last == "  unsupported: LpNormalization, Gelu, com.microsoft.FusedGemm")
    }
}
