import Foundation
import Testing

@testable import DistillCore

/// Each exporter family's fixture, predicted by Distill, against onnxruntime's values.
@Suite("ONNX fixtures match onnxruntime")
struct ONNXFixtureTests {
    static let fixtures = [
        "torch_mlp_classifier", "torch_mlp_regressor", "sklearn_mlp_classifier", "sklearn_mlp_binary",
        "sklearn_mlp_regressor", "keras_dense_opset13", "keras_dense_opset10", "sklearn_columns",
    ]

    @Test("predictions match within 1e-5", arguments: fixtures)
    func matchesOnnxRuntime(name: String) throws {
        let fixture = try ONNXFixture.load(name)
        let teacher = try ONNXTeacher(contentsOf: try ONNXFixture.url(fixture.model), threads: 1)
        #expect(teacher.outputName == fixture.output)
        switch (teacher.task, fixture.task) {
        case (.classification(let classes), "classification"):
            #expect(classes == fixture.classes)
        case (.regression, "regression"):
            break
        default:
            Issue.record("task \(teacher.task) but the fixture expects \(fixture.task)")
        }
        let predicted = try teacher.predict(fixture.batch)
        #expect(predicted.count == fixture.expected.count)
        for (p, e) in zip(predicted, fixture.expected) {
            #expect(abs(Double(p) - e) <= 1e-5, "\(name): \(p) vs onnxruntime \(e)")
        }
    }

    @Test("threads and chunk sizes do not change answers", arguments: ["torch_mlp_classifier", "sklearn_columns"])
    func slicingIsInvisible(name: String) throws {
        let fixture = try ONNXFixture.load(name)
        let url = try ONNXFixture.url(fixture.model)
        // Repeat the rows so several slices and chunks exist.
        var batch = fixture.batch
        let copies = 50
        batch = TeacherBatch(rowCount: batch.rowCount * copies, inputs: batch.inputs.map { input in
            let values: TensorValues
            switch input.values {
            case .float(let v): values = .float(Array(repeating: v, count: copies).flatMap { $0 })
            case .double(let v): values = .double(Array(repeating: v, count: copies).flatMap { $0 })
            case .int64(let v): values = .int64(Array(repeating: v, count: copies).flatMap { $0 })
            case .string(let v): values = .string(Array(repeating: v, count: copies).flatMap { $0 })
            }
            return (name: input.name, width: input.width, values: values)
        })
        let one = try ONNXTeacher(contentsOf: url, threads: 1).predict(batch)
        // The same bits, not merely close: each row's arithmetic is the same whatever rows
        // it shares a thread, a chunk or a matrix product with.
        for (threads, chunk) in [(2, 7), (2, 512), (1, 1), (3, 64)] {
            let other = try ONNXTeacher(contentsOf: url, threads: threads, rowsPerChunk: chunk).predict(batch)
            #expect(other.map(\.bitPattern) == one.map(\.bitPattern), "\(threads) threads, chunks of \(chunk) rows")
        }
        let width = fixture.expected.count / fixture.rows
        let firstCopy = Array(one.prefix(fixture.rows * width))
        let lastCopy = Array(one.suffix(fixture.rows * width))
        #expect(lastCopy.map(\.bitPattern) == firstCopy.map(\.bitPattern))
        for (p, e) in zip(lastCopy, fixture.expected) { #expect(abs(Double(p) - e) <= 1e-5) }
    }

    @Test("inputs: names, types, widths and missing-value acceptance")
    func columnInputs() throws {
        let teacher = try ONNXTeacher(contentsOf: try ONNXFixture.url("sklearn_columns.onnx"))
        #expect(teacher.inputs == .tensors([
            TeacherInput(name: "color", elementType: .string, width: 1, acceptsMissing: true),
            TeacherInput(name: "size", elementType: .string, width: 1, acceptsMissing: true),
            TeacherInput(name: "age", elementType: .float, width: 1, acceptsMissing: true),
            TeacherInput(name: "income", elementType: .float, width: 1, acceptsMissing: true),
        ]))
        let torch = try ONNXTeacher(contentsOf: try ONNXFixture.url("torch_mlp_classifier.onnx"))
        #expect(torch.inputs == .tensors([TeacherInput(name: "input", elementType: .float, width: 4, acceptsMissing: false)]))
    }

    @Test("the summary lists operators, parameters, opsets and producer")
    func summary() throws {
        let teacher = try ONNXTeacher(contentsOf: try ONNXFixture.url("torch_mlp_classifier.onnx"))
        let s = teacher.modelSummary
        #expect(s.producerName == "pytorch")
        #expect(s.opsets == [ONNXModelSummary.Opset(domain: "ai.onnx", version: 13)])
        // 4→8→8→3: (8·4 + 8) + (8·8 + 8) + (3·8 + 3).
        #expect(s.parameterCount == 40 + 72 + 27)
        #expect(s.operatorCounts.first == ONNXModelSummary.OperatorCount(op: "Gemm", count: 3, opset: 13, supported: true))
        #expect(s.operatorCounts.contains(ONNXModelSummary.OperatorCount(op: "Softmax", count: 1, opset: 13, supported: true)))
        #expect(s.outputs == [ONNXModelSummary.Output(name: "output", type: "float[batch_size,3]", selected: true)])
        #expect(s.description.contains("task: classification, 3 classes: 0, 1, 2"))

        let columns = try ONNXTeacher(contentsOf: try ONNXFixture.url("sklearn_columns.onnx")).modelSummary
        #expect(columns.operatorCounts.contains { $0.op == "ai.onnx.ml.OneHotEncoder" && $0.count == 2 && $0.supported })
        #expect(columns.outputs.map(\.name) == ["label", "probabilities"])
        #expect(columns.outputs.map(\.selected) == [false, true])
    }
}
