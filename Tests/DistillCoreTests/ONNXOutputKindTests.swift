import Foundation
import Testing

@testable import DistillCore

/// `--teacher-output-kind`, `--teacher-temperature` and ZipMap outputs. Expected answers are
/// computed here in Double with Foundation's exp, independently of the evaluator.
@Suite("ONNX output kinds")
struct ONNXOutputKindTests {
    static let weights: [Float] = [0.5, -1, 1.5, 0.25, -0.75, 2]
    static let bias: [Float] = [0.1, -0.2, 0.3]

    /// x [N,2] → Gemm (W [width,2], b) → `logits` [N,width], then `heads`.
    func model(width: Int = 3, heads: [Onnx_NodeProto] = [], outputs: [Onnx_ValueInfoProto]? = nil, mlOpset: Int64? = nil) -> Data {
        ONNXBuild.model(
            nodes: [ONNXBuild.node("Gemm", ["x", "W", "b"], ["logits"], name: "gemm", [ONNXBuild.attr("transB", int: 1)])] + heads,
            inputs: [ONNXBuild.value("x", 1, [nil, 2])],
            outputs: outputs ?? [ONNXBuild.value("logits", 1, [nil, Int64(width)])],
            initializers: [ONNXBuild.floats("W", [Int64(width), 2], Array(Self.weights.prefix(2 * width))),
                           ONNXBuild.floats("b", [Int64(width)], Array(Self.bias.prefix(width)))],
            mlOpset: mlOpset)
    }

    /// The logits W·x + b of one row, by hand.
    func logits(_ x: [Float], width: Int = 3) -> [Double] {
        (0..<width).map { k in Double(Self.weights[2 * k]) * Double(x[0]) + Double(Self.weights[2 * k + 1]) * Double(x[1]) + Double(Self.bias[k]) }
    }

    func softmax(_ z: [Double], _ t: Double) -> [Double] {
        let e = z.map { Foundation.exp(($0 - z.max()!) / t) }
        return e.map { $0 / e.reduce(0, +) }
    }

    func rows(_ x: [[Float]]) -> TeacherBatch {
        TeacherBatch(rowCount: x.count, inputs: [(name: "x", width: 2, values: .float(x.flatMap { $0 }))])
    }

    func error(_ body: () throws -> Void) -> ONNXError? {
        do { try body() } catch let e as ONNXError { return e } catch { Issue.record("unexpected \(error)") }
        return nil
    }

    static let samples: [[Float]] = [[1, 2], [-3, 0.5], [0, 0], [4, -2]]

    @Test("several values per row with no Softmax: the error names --teacher-output-kind")
    func ambiguousNamesTheOption() {
        let e = error { _ = try ONNXTeacher(serialized: model(), file: "m.onnx") }
        #expect(e?.kind == .outputSelection)
        #expect(e?.message.contains("--teacher-output-kind logits") == true)
    }

    @Test("declared logits become softmax(z / T)", arguments: [nil, 1, 2, 0.5] as [Float?])
    func logitsSoftmax(temperature: Float?) throws {
        let t = try ONNXTeacher(serialized: model(), file: "m.onnx", outputKind: .logits, temperature: temperature)
        #expect(t.task == .classification(classes: ["0", "1", "2"]))
        #expect(t.outputKind == .logits)
        #expect(t.temperature == (temperature ?? 1))
        let p = try t.predict(rows(Self.samples))
        for (r, x) in Self.samples.enumerated() {
            let expected = softmax(logits(x), Double(temperature ?? 1))
            for k in 0..<3 { #expect(abs(Double(p[3 * r + k]) - expected[k]) < 2e-7, "row \(r) class \(k)") }
        }
    }

    @Test("one declared logit becomes [1 − σ(z/T), σ(z/T)]")
    func oneLogit() throws {
        let t = try ONNXTeacher(serialized: model(width: 1), file: "m.onnx", outputKind: .logits, temperature: 2)
        #expect(t.task == .classification(classes: ["0", "1"]))
        let p = try t.predict(rows(Self.samples))
        for (r, x) in Self.samples.enumerated() {
            let s = 1 / (1 + Foundation.exp(-logits(x, width: 1)[0] / 2))
            #expect(abs(Double(p[2 * r + 1]) - s) < 2e-7)
            #expect(abs(Double(p[2 * r]) - (1 - s)) < 2e-7)
        }
    }

    @Test("without a declaration, one value per row stays a regression value; declared value too")
    func value() throws {
        for kind in [nil, TeacherOutputKind.value] {
            let t = try ONNXTeacher(serialized: model(width: 1), file: "m.onnx", outputKind: kind)
            #expect(t.task == .regression)
            #expect(t.outputKind == .value)
            #expect(try t.predict(rows([[1, 2]])) == [Float(logits([1, 2], width: 1)[0])])
        }
    }

    @Test("a value declared for three values per row is refused naming the option")
    func valueTooWide() {
        let e = error { _ = try ONNXTeacher(serialized: model(), file: "m.onnx", outputKind: .value) }
        #expect(e?.message.contains("has 3 values per row, not one regression value") == true)
        #expect(e?.message.contains("--teacher-output-kind") == true)
    }

    @Test("declared probabilities are used as they are")
    func declaredProbabilities() throws {
        let bytes = ONNXBuild.model(nodes: [ONNXBuild.node("Identity", ["x"], ["y"])],
                                    inputs: [ONNXBuild.value("x", 1, [nil, 2])], outputs: [ONNXBuild.value("y", 1, [nil, 2])])
        let t = try ONNXTeacher(serialized: bytes, file: "m.onnx", outputKind: .probabilities)
        #expect(try t.predict(TeacherBatch(rowCount: 1, inputs: [(name: "x", width: 2, values: .float([0.25, 0.75]))])) == [0.25, 0.75])
    }

    func softmaxModel() -> Data {
        model(heads: [ONNXBuild.node("Softmax", ["logits"], ["prob"], name: "sm", [ONNXBuild.attr("axis", int: -1)])],
              outputs: [ONNXBuild.value("prob", 1, [nil, 3])])
    }

    @Test("logits or a value declared for a Softmax output are refused")
    func contradiction() {
        for kind in [TeacherOutputKind.logits, .value] {
            let e = error { _ = try ONNXTeacher(serialized: softmaxModel(), file: "m.onnx", outputKind: kind) }
            #expect(e?.message.contains("--teacher-output-kind \(kind.rawValue) does not fit output 'prob', which holds probabilities (computed by Softmax)") == true)
        }
    }

    @Test("--teacher-temperature is refused for probabilities and values")
    func temperatureOnlyForLogits() {
        let onProbabilities = error { _ = try ONNXTeacher(serialized: softmaxModel(), file: "m.onnx", temperature: 2) }
        #expect(onProbabilities?.message.contains("--teacher-temperature applies to logits only, and output 'prob' holds probabilities") == true)
        let onValue = error { _ = try ONNXTeacher(serialized: model(width: 1), file: "m.onnx", outputKind: .value, temperature: 2) }
        #expect(onValue?.message.contains("--teacher-temperature applies to logits only") == true)
    }

    @Test("a temperature that is not positive is refused", arguments: [0, -1, Float.infinity, Float.nan])
    func badTemperature(_ t: Float) {
        let e = error { _ = try ONNXTeacher(serialized: model(), file: "m.onnx", outputKind: .logits, temperature: t) }
        #expect(e?.message.contains("--teacher-temperature must be a positive number") == true)
    }

    /// Collects warnings from the teacher's threads.
    final class Warnings: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [String] = []
        var all: [String] { lock.lock(); defer { lock.unlock() }; return list }
        func add(_ s: String) { lock.lock(); list.append(s); lock.unlock() }
    }

    @Test("logits whose rows already sum to 1 warn once; real logits do not")
    func logitsThatArePropabilitiesWarn() throws {
        let bytes = ONNXBuild.model(nodes: [ONNXBuild.node("Identity", ["x"], ["y"])],
                                    inputs: [ONNXBuild.value("x", 1, [nil, 3])], outputs: [ONNXBuild.value("y", 1, [nil, 3])])
        let warnings = Warnings()
        let t = try ONNXTeacher(serialized: bytes, file: "m.onnx", outputKind: .logits, rowsPerChunk: 2, warn: warnings.add)
        _ = try t.predict(TeacherBatch(rowCount: 2, inputs: [(name: "x", width: 3, values: .float([2, -1, 0.5, 3, 1, 1]))]))
        #expect(warnings.all.isEmpty)
        let probabilities: [Float] = [0.2, 0.3, 0.5, 0.1, 0.1, 0.8, 1, 0, 0, 0.6, 0.4, 0]
        _ = try t.predict(TeacherBatch(rowCount: 4, inputs: [(name: "x", width: 3, values: .float(probabilities))]))
        #expect(warnings.all.count == 1)
        #expect(warnings.all.first?.contains("output 'y' is declared logits (--teacher-output-kind logits), but its rows already sum to 1") == true)
    }

    @Test("ai.onnx.ml regressors and classifier scores are detected; raw linear scores are not")
    func machineLearningDetection() throws {
        func ml(_ op: String, outputs: [String], _ attributes: [Onnx_AttributeProto] = []) throws -> ONNXModel {
            let bytes = ONNXBuild.model(
                nodes: [ONNXBuild.node(op, ["x"], outputs, name: "m", domain: "ai.onnx.ml", attributes)],
                inputs: [ONNXBuild.value("x", 1, [nil, 2])],
                outputs: outputs.count == 1 ? [ONNXBuild.value(outputs[0], 1, [nil, 1])]
                    : [ONNXBuild.value(outputs[0], 7, [nil]), ONNXBuild.value(outputs[1], 1, [nil, 3])],
                mlOpset: 1)
            return try ONNXModel(serialized: bytes, file: "m.onnx")
        }
        let regressor = try ml("LinearRegressor", outputs: ["variable"])
        #expect(try regressor.chooseOutput(requested: nil).kind == .value)
        #expect(throws: ONNXError.self) { try regressor.chooseOutput(requested: nil, kind: .probabilities) }
        let forest = try ml("TreeEnsembleClassifier", outputs: ["label", "scores"])
        #expect(try forest.chooseOutput(requested: nil) == ONNXOutputChoice(name: "scores", kind: .probabilities, classes: ["0", "1", "2"], declaredWidth: 3))
        let logistic = try ml("LinearClassifier", outputs: ["label", "scores"], [ONNXBuild.attr("post_transform", string: "SOFTMAX")])
        #expect(try logistic.chooseOutput(requested: nil).kind == .probabilities)
        let raw = try ml("LinearClassifier", outputs: ["label", "scores"])
        #expect(throws: ONNXError.self) { try raw.chooseOutput(requested: nil) }
        #expect(try raw.chooseOutput(requested: nil, kind: .logits, temperature: 3)
                == ONNXOutputChoice(name: "scores", kind: .logits, temperature: 3, classes: ["0", "1", "2"], declaredWidth: 3))
    }

    // MARK: ZipMap

    func zipMapModel(_ labels: Onnx_AttributeProto?, extra: Onnx_AttributeProto? = nil) throws -> Data {
        let zipMap = ONNXBuild.node("ZipMap", ["prob"], ["output_probability"], name: "zipmap", domain: "ai.onnx.ml",
                                    [labels, extra].compactMap { $0 })
        var proto = try Onnx_ModelProto(serializedBytes: model(
            heads: [ONNXBuild.node("Softmax", ["logits"], ["prob"], [ONNXBuild.attr("axis", int: 1)]), zipMap],
            outputs: [], mlOpset: 1))
        var seq = Onnx_ValueInfoProto()
        seq.name = "output_probability"
        var map = Onnx_TypeProto.Map()
        map.keyType = labels?.name == "classlabels_strings" ? 8 : 7
        map.valueType.tensorType.elemType = 1
        seq.type.sequenceType.elemType.mapType = map
        proto.graph.output = [ONNXBuild.value("label", 7, [nil]), seq]
        proto.graph.node.append(ONNXBuild.node("ArgMax", ["prob"], ["label"], [ONNXBuild.attr("axis", int: 1), ONNXBuild.attr("keepdims", int: 0)]))
        return try proto.serializedBytes()
    }

    @Test("a ZipMap output answers its input's probabilities with its labels as classes")
    func zipMap() throws {
        for (attribute, classes) in [(ONNXBuild.attr("classlabels_int64s", ints: [10, 20, 30]), ["10", "20", "30"]),
                                     (ONNXBuild.attr("classlabels_strings", strings: ["cat", "dog", "eel"]), ["cat", "dog", "eel"])] {
            let t = try ONNXTeacher(serialized: try zipMapModel(attribute), file: "m.onnx")
            #expect(t.outputName == "output_probability")
            #expect(t.outputKind == .probabilities)
            #expect(t.task == .classification(classes: classes))
            let p = try t.predict(rows(Self.samples))
            for (r, x) in Self.samples.enumerated() {
                let expected = softmax(logits(x), 1)
                for k in 0..<3 { #expect(abs(Double(p[3 * r + k]) - expected[k]) < 2e-7) }
            }
        }
    }

    @Test("logits declared for a ZipMap output are refused naming the node")
    func zipMapIsProbabilities() throws {
        let bytes = try zipMapModel(ONNXBuild.attr("classlabels_int64s", ints: [0, 1, 2]))
        let e = error { _ = try ONNXTeacher(serialized: bytes, file: "m.onnx", outputKind: .logits) }
        #expect(e?.node == "'zipmap' (ZipMap)")
        #expect(e?.message.contains("a ZipMap gives class probabilities") == true)
    }

    @Test("ZipMap labels that do not fit the probabilities are refused naming the node")
    func zipMapBadLabels() throws {
        let cases: [(Onnx_AttributeProto?, Onnx_AttributeProto?, String)] = [
            (ONNXBuild.attr("classlabels_int64s", ints: [0, 1]), nil, "ZipMap has 2 class labels but its input has shape [1, 3]"),
            (ONNXBuild.attr("classlabels_strings", strings: ["a", "b", "c", "d"]), nil, "ZipMap has 4 class labels"),
            (nil, nil, "exactly one of classlabels_strings and classlabels_int64s, non-empty; it has neither"),
            (ONNXBuild.attr("classlabels_int64s", ints: [0, 1, 2]), ONNXBuild.attr("classlabels_strings", strings: ["a", "b", "c"]), "it has both"),
            (ONNXBuild.attr("classlabels_strings", strings: ["a", "b", "a"]), nil, "class label 'a' appears twice"),
        ]
        for (labels, extra, message) in cases {
            let e = error { _ = try ONNXTeacher(serialized: try zipMapModel(labels, extra: extra), file: "m.onnx") }
            #expect(e?.node == "'zipmap' (ZipMap)", "\(message)")
            #expect(e?.message.contains(message) == true, "\(e?.message ?? "loaded") should say \(message)")
        }
    }

    @Test("skl2onnx's default ZipMap export of an MLPClassifier loads with its classes")
    func sklearnZipMap() throws {
        let t = try ONNXTeacher(contentsOf: try ONNXFixture.url("sklearn_zipmap.onnx"))
        #expect(t.outputName == "output_probability")
        #expect(t.task == .classification(classes: ["0", "1"]))
        let p = try t.predict(TeacherBatch(rowCount: 1, inputs: [(name: "input", width: 4, values: .float([1, -1, 0.5, 2]))]))
        #expect(abs(p[0] + p[1] - 1) < 1e-6)
    }
}
