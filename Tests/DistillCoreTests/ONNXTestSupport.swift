import Foundation
import Testing

@testable import DistillCore

/// Builds small ONNX models in code for operator and error tests.
enum ONNXBuild {
    static func attr(_ name: String, int value: Int64) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .int
        a.i = value
        return a
    }

    static func attr(_ name: String, float value: Float) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .float
        a.f = value
        return a
    }

    static func attr(_ name: String, ints values: [Int64]) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .ints
        a.ints = values
        return a
    }

    static func attr(_ name: String, floats values: [Float]) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .floats
        a.floats = values
        return a
    }

    static func attr(_ name: String, string value: String) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .string
        a.s = Data(value.utf8)
        return a
    }

    static func attr(_ name: String, strings values: [String]) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = .strings
        a.strings = values.map { Data($0.utf8) }
        return a
    }

    static func node(_ op: String, _ inputs: [String], _ outputs: [String], name: String = "",
                     domain: String = "", _ attributes: [Onnx_AttributeProto] = []) -> Onnx_NodeProto {
        var n = Onnx_NodeProto()
        n.opType = op
        n.input = inputs
        n.output = outputs
        n.name = name
        n.domain = domain
        n.attribute = attributes
        return n
    }

    static func floats(_ name: String, _ dims: [Int64], _ values: [Float]) -> Onnx_TensorProto {
        var t = Onnx_TensorProto()
        t.name = name
        t.dims = dims
        t.dataType = 1
        t.floatData = values
        return t
    }

    static func doubles(_ name: String, _ dims: [Int64], _ values: [Double]) -> Onnx_TensorProto {
        var t = Onnx_TensorProto()
        t.name = name
        t.dims = dims
        t.dataType = 11
        t.doubleData = values
        return t
    }

    static func int64s(_ name: String, _ dims: [Int64], _ values: [Int64]) -> Onnx_TensorProto {
        var t = Onnx_TensorProto()
        t.name = name
        t.dims = dims
        t.dataType = 7
        t.int64Data = values
        return t
    }

    static func strings(_ name: String, _ dims: [Int64], _ values: [String]) -> Onnx_TensorProto {
        var t = Onnx_TensorProto()
        t.name = name
        t.dims = dims
        t.dataType = 8
        t.stringData = values.map { Data($0.utf8) }
        return t
    }

    /// A value declaration; `nil` dimensions are symbolic ("N").
    static func value(_ name: String, _ elementType: Int32, _ dims: [Int64?]?) -> Onnx_ValueInfoProto {
        var v = Onnx_ValueInfoProto()
        v.name = name
        var t = Onnx_TypeProto.Tensor()
        t.elemType = elementType
        if let dims {
            var shape = Onnx_TensorShapeProto()
            shape.dim = dims.map { d in
                var dim = Onnx_TensorShapeProto.Dimension()
                if let d { dim.dimValue = d } else { dim.dimParam = "N" }
                return dim
            }
            t.shape = shape
        }
        v.type.tensorType = t
        return v
    }

    static func model(nodes: [Onnx_NodeProto], inputs: [Onnx_ValueInfoProto], outputs: [Onnx_ValueInfoProto],
                      initializers: [Onnx_TensorProto] = [], opset: Int64 = 13, mlOpset: Int64? = nil) -> Data {
        var g = Onnx_GraphProto()
        g.name = "test"
        g.node = nodes
        g.input = inputs
        g.output = outputs
        g.initializer = initializers
        var m = Onnx_ModelProto()
        m.irVersion = 8
        m.producerName = "distill-tests"
        m.graph = g
        var o = Onnx_OperatorSetIdProto()
        o.domain = ""
        o.version = opset
        m.opsetImport = [o]
        if let mlOpset {
            var ml = Onnx_OperatorSetIdProto()
            ml.domain = "ai.onnx.ml"
            ml.version = mlOpset
            m.opsetImport.append(ml)
        }
        // Serializing a message built in code cannot fail; a failure here is a test bug.
        return (try? m.serializedBytes()) ?? Data()
    }

    /// Compiles `bytes` for `output` and evaluates it on `inputs` (in graph input order).
    static func run(_ bytes: Data, output: String, _ inputs: [ONNXTensor]) throws -> ONNXTensor {
        let model = try ONNXModel(serialized: bytes, file: "test.onnx")
        let graph = try ONNXGraph(model: model, outputName: output)
        return try ONNXEvaluator.run(graph, inputs: inputs)
    }

    /// A one-node float model `y = op(x, …)` with x of the given shape.
    static func single(_ op: String, inputShape: [Int64?], extraInputs: [String] = [],
                       initializers: [Onnx_TensorProto] = [], opset: Int64 = 13, domain: String = "",
                       inputType: Int32 = 1, _ attributes: [Onnx_AttributeProto] = []) -> Data {
        model(nodes: [node(op, ["x"] + extraInputs, ["y"], name: "n", domain: domain, attributes)],
              inputs: [value("x", inputType, inputShape)], outputs: [value("y", 1, nil)],
              initializers: initializers, opset: opset, mlOpset: domain.isEmpty ? nil : 2)
    }
}

/// A committed fixture: a model and onnxruntime's answers for a few rows.
struct ONNXFixture: Decodable {
    struct Input: Decodable {
        var name: String
        var type: String
        var width: Int
        var values: [JSONValue]
    }

    /// A number, a string or null (a missing number).
    enum JSONValue: Decodable {
        case number(Double), text(String), missing

        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() {
                self = .missing
            } else if let d = try? c.decode(Double.self) {
                self = .number(d)
            } else {
                self = .text(try c.decode(String.self))
            }
        }

        var float: Float {
            if case .number(let d) = self { return Float(d) }
            return .nan
        }

        var text: String {
            if case .text(let s) = self { return s }
            return ""
        }
    }

    var model: String
    var rows: Int
    var inputs: [Input]
    var output: String
    var task: String
    var classes: [String]?
    var expected: [Double]

    static func directory() throws -> URL {
        let base = try #require(Bundle.module.resourceURL)
        return base.appendingPathComponent("Fixtures").appendingPathComponent("onnx")
    }

    static func url(_ file: String) throws -> URL {
        try directory().appendingPathComponent(file)
    }

    static func load(_ name: String) throws -> ONNXFixture {
        let data = try Data(contentsOf: try url(name + ".json"))
        return try JSONDecoder().decode(ONNXFixture.self, from: data)
    }

    var batch: TeacherBatch {
        TeacherBatch(rowCount: rows, inputs: inputs.map { input in
            let values: TensorValues
            switch input.type {
            case "string": values = .string(input.values.map(\.text))
            case "int64": values = .int64(input.values.map { Int64($0.float) })
            default: values = .float(input.values.map(\.float))
            }
            return (name: input.name, width: input.width, values: values)
        })
    }
}
