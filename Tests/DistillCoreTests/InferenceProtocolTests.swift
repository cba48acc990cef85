import Foundation
import Testing

@testable import DistillCore

/// The Open Inference Protocol's JSON as `ServerTeacher` reads and writes it. The server
/// itself (MLServer, and misbehaving doubles) is checked by Tests/Peers/check_teacher_server.py.
@Suite("Open Inference Protocol JSON")
struct InferenceProtocolTests {
    /// What MLServer 1.7.1 answers for a scikit-learn model whose model-settings.json
    /// declares its input and two outputs.
    let mlserverMetadata = #"""
    {"name":"breast-cancer","versions":[],"platform":"","inputs":[{"name":"features","datatype":"FP64","shape":[-1,30]}],"outputs":[{"name":"predict","datatype":"BYTES","shape":[-1,1]},{"name":"predict_proba","datatype":"FP64","shape":[-1,2],"parameters":{"classes":["benign","malignant"]}}],"parameters":{}}
    """#

    @Test func readsMLServerMetadata() throws {
        let metadata = try InferenceProtocol.metadata(Data(mlserverMetadata.utf8))
        #expect(metadata.name == "breast-cancer")
        #expect(metadata.inputs == [.init(name: "features", datatype: "FP64", shape: [-1, 30])])
        #expect(metadata.inputs[0].rowWidth == 30)
        #expect(metadata.outputs.map(\.name) == ["predict", "predict_proba"])
        #expect(metadata.outputs[1].classes == ["benign", "malignant"])
        let chosen = try ServerTeacher.output(of: metadata, named: "predict_proba")
        #expect(try ServerTeacher.task(of: chosen, modelClasses: nil) == .classification(classes: ["benign", "malignant"]))
        #expect(throws: TeacherError("the model has several outputs ('predict', 'predict_proba'); choose the one to answer from with --teacher-output")) {
            try ServerTeacher.output(of: metadata, named: nil)
        }
        #expect(throws: TeacherError("--teacher-output 'p' is not an output of the model; its outputs are 'predict', 'predict_proba'")) {
            try ServerTeacher.output(of: metadata, named: "p")
        }
    }

    @Test(arguments: [
        ([-1], "FP32", nil, TeacherTask.regression),
        ([-1, 1], "FP64", nil, .regression),
        ([-1, 3], "FP32", nil, .classification(classes: ["0", "1", "2"])),
        ([-1, 2], "FP32", ["no", "yes"], .classification(classes: ["no", "yes"])),
    ] as [([Int], String, [String]?, TeacherTask)])
    func taskFromOutputShape(shape: [Int], datatype: String, classes: [String]?, task: TeacherTask) throws {
        let output = InferenceProtocol.Tensor(name: "y", datatype: datatype, shape: shape)
        #expect(try ServerTeacher.task(of: output, modelClasses: classes) == task)
    }

    @Test(arguments: [
        (InferenceProtocol.Tensor(name: "y", datatype: "FP32", shape: [-1, -1]), "output 'y' declares shape [-1, -1], with no fixed number of values per row"),
        (InferenceProtocol.Tensor(name: "y", datatype: "BYTES", shape: [-1, 2]), "output 'y' is BYTES, not numbers"),
        (InferenceProtocol.Tensor(name: "y", datatype: "FP32", shape: [-1, 3], classes: ["a", "b", "a"]), "parameters.classes gives 3 names, 2 distinct"),
    ])
    func refusedOutputs(output: InferenceProtocol.Tensor, message: String) {
        #expect {
            try ServerTeacher.task(of: output, modelClasses: nil)
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test func writesARequestTheProtocolReads() throws {
        let batch = TeacherBatch(rowCount: 2, inputs: [
            (name: "x", width: 2, values: .float([1.5, -2, 0.1, 3e-7])),
            (name: "n", width: 1, values: .int64([7, -8])),
            (name: "t", width: 1, values: .string(["a \"quoted\"\nline", ""])),
        ])
        let declared = [InferenceProtocol.Tensor(name: "x", datatype: "FP64", shape: [-1, 2]),
                        InferenceProtocol.Tensor(name: "n", datatype: "INT64", shape: [-1]),
                        InferenceProtocol.Tensor(name: "t", datatype: "BYTES", shape: [-1, 1])]
        let body = InferenceProtocol.request(batch, inputs: declared, output: "proba")
        let object = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        let inputs = try #require(object["inputs"] as? [[String: Any]])
        #expect(inputs.map { $0["name"] as? String } == ["x", "n", "t"])
        #expect(inputs.map { $0["datatype"] as? String } == ["FP64", "INT64", "BYTES"])
        #expect(inputs.map { $0["shape"] as? [Int] } == [[2, 2], [2], [2, 1]])
        #expect((inputs[0]["data"] as? [Double]) == [1.5, -2, 0.1, 3e-7])
        #expect((inputs[1]["data"] as? [Int]) == [7, -8])
        #expect((inputs[2]["data"] as? [String]) == ["a \"quoted\"\nline", ""])
        #expect((object["outputs"] as? [[String: String]]) == [["name": "proba"]])
    }

    @Test func readsFlatAndNestedAnswers() throws {
        let flat = #"{"outputs": [{"name": "other", "data": [9]}, {"name": "p", "shape": [2, 2], "datatype": "FP64", "data": [0.25, 0.75, 1, 0]}]}"#
        #expect(try InferenceProtocol.values(Data(flat.utf8), output: "p", rows: 2, width: 2) == [0.25, 0.75, 1, 0])
        let nested = #"{"outputs": [{"name": "p", "shape": [2, 2], "datatype": "FP32", "data": [[0.25, 0.75], [1, 0]]}]}"#
        #expect(try InferenceProtocol.values(Data(nested.utf8), output: "p", rows: 2, width: 2) == [0.25, 0.75, 1, 0])
    }

    @Test(arguments: [
        (#"{"outputs": [{"name": "p", "shape": [2, 3], "data": [1, 2, 3, 4, 5, 6]}]}"#, "output 'p' has 6 values (shape [2, 3]) for 2 rows × 2 per row"),
        (#"{"outputs": [{"name": "q", "data": [1, 2, 3, 4]}]}"#, "the answer has no output 'p'; it has 'q'"),
        (#"{"outputs": [{"name": "p", "data": [true, 0, 1, 0]}]}"#, "output 'p' holds"),
        (#"{"outputs": [{"name": "p", "data": ["0.5", 0, 1, 0]}]}"#, "output 'p' holds 0.5, not a number"),
        (#"{"error": "no such model"}"#, #"the answer has no "outputs" list: "{"error": "no such model"}""#),
        ("<html>busy</html>", #"the answer is not a JSON object: "<html>busy</html>""#),
    ])
    func refusedAnswers(body: String, message: String) {
        #expect {
            try InferenceProtocol.values(Data(body.utf8), output: "p", rows: 2, width: 2)
        } throws: { error in
            "\(error)".contains(message)
        }
    }
}
