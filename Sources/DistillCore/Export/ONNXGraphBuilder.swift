import Foundation

/// Grows an ONNX graph node by node for the ONNX export.
///
/// Inputs and outputs take the names a user sees (the features', `label`, …); every value
/// in between gets a fresh name that none of those, nor any earlier value, holds, so a
/// column may be called anything without two values sharing a name.
struct ONNXGraphBuilder {
    /// Opset 17 of the default domain (IR version 8) and opset 3 of ai.onnx.ml: all the
    /// export needs, and old enough for runtimes well before onnxruntime 1.32.
    static let irVersion: Int64 = 8
    static let opsets: [(domain: String, version: Int64)] = [("", 17), (ONNXOperatorSet.mlDomain, 3)]

    typealias ElementType = Onnx_TensorProto.DataType

    private(set) var graph = Onnx_GraphProto()
    private var taken: Set<String>
    private var counter = 0

    /// - Parameter reserved: the names inputs and outputs will take.
    init(name: String, reserved: [String]) {
        graph.name = name
        taken = Set(reserved)
    }

    private mutating func fresh(_ stem: String) -> String {
        var name: String
        repeat {
            counter += 1
            name = "\(stem)_\(counter)"
        } while taken.contains(name)
        taken.insert(name)
        return name
    }

    /// Declares a graph input of shape [N, columns], or [N] when `columns` is nil.
    mutating func input(_ name: String, _ type: ElementType, columns: Int?) {
        graph.input.append(Self.valueInfo(name, type, columns: columns))
    }

    /// Makes `value` a graph output named `name`, of shape [N, columns], or [N] when `columns` is nil.
    mutating func output(_ name: String, from value: String, _ type: ElementType, columns: Int?) {
        node("Identity", [value], output: name)
        graph.output.append(Self.valueInfo(name, type, columns: columns))
    }

    private static func valueInfo(_ name: String, _ type: ElementType, columns: Int?) -> Onnx_ValueInfoProto {
        var rows = Onnx_TensorShapeProto.Dimension()
        rows.dimParam = "N"
        var shape = Onnx_TensorShapeProto()
        shape.dim = [rows]
        if let columns {
            var dimension = Onnx_TensorShapeProto.Dimension()
            dimension.dimValue = Int64(columns)
            shape.dim.append(dimension)
        }
        var tensor = Onnx_TypeProto.Tensor()
        tensor.elemType = Int32(type.rawValue)
        tensor.shape = shape
        var info = Onnx_ValueInfoProto()
        info.name = name
        info.type.tensorType = tensor
        return info
    }

    /// Appends an `op` node and returns the name of its (only) output.
    @discardableResult
    mutating func node(_ op: String, _ inputs: [String], domain: String = "",
                       _ attributes: [Onnx_AttributeProto] = [], output: String? = nil) -> String {
        var node = Onnx_NodeProto()
        node.opType = op
        node.domain = domain
        node.input = inputs
        node.output = [output ?? fresh(op)]
        node.name = fresh("node")
        node.attribute = attributes
        graph.node.append(node)
        return node.output[0]
    }

    mutating func cast(_ value: String, to type: ElementType) -> String {
        node("Cast", [value], [.int("to", type.rawValue)])
    }

    /// Columns [N, 1] side by side as one [N, columns] tensor.
    mutating func columns(_ columns: [String]) -> String {
        columns.count == 1 ? columns[0] : node("Concat", columns, [.int("axis", 1)])
    }

    /// A constant tensor of `shape` (a scalar when empty), added as an initializer.
    mutating func constant(_ values: ONNXConstant, shape: [Int]) -> String {
        var tensor = Self.tensor(values, shape: shape)
        tensor.name = fresh("constant")
        graph.initializer.append(tensor)
        return tensor.name
    }

    private static func tensor(_ values: ONNXConstant, shape: [Int]) -> Onnx_TensorProto {
        var tensor = Onnx_TensorProto()
        tensor.dims = shape.map(Int64.init)
        let type: ElementType
        switch values {
        case .floats(let v): (type, tensor.floatData) = (.float, v)
        case .doubles(let v): (type, tensor.doubleData) = (.double, v)
        case .int64s(let v): (type, tensor.int64Data) = (.int64, v)
        case .strings(let v): (type, tensor.stringData) = (.string, v.map { Data($0.utf8) })
        }
        tensor.dataType = Int32(type.rawValue)
        return tensor
    }

    /// A float column of `value` with as many rows as `like`, a graph input of shape [N, 1]:
    /// for the parts of a graph that read no feature but must still answer every row.
    mutating func column(of value: Float, like input: String) -> String {
        node("ConstantOfShape", [node("Shape", [input])], [.tensor("value", Self.tensor(.floats([value]), shape: [1]))])
    }

    /// A string column [N, 1] as numbers: each of `levels` to its number, the missing
    /// marker "" to `missing`, any other level to `otherwise` (ai.onnx.ml LabelEncoder).
    /// - Throws: `DataError` naming `feature` when one of `levels` is "", which a row could
    ///   not tell from a missing value.
    mutating func levelMap(_ feature: String, _ levels: [(String, Float)], missing: Float, otherwise: Float) throws -> String {
        var keys = [ONNXExport.missingLevel], values = [missing]
        for (level, value) in levels where !keys.dropFirst().contains(level) {
            guard level != ONNXExport.missingLevel else {
                throw DataError("the student tests '\(feature)' for the empty level \"\", which the ONNX export keeps for a missing value")
            }
            keys.append(level)
            values.append(value)
        }
        return node("LabelEncoder", [feature], domain: ONNXOperatorSet.mlDomain,
                    [.strings("keys_strings", keys), .floats("values_floats", values), .float("default_float", otherwise)])
    }

    /// The graph as a model file's bytes.
    func model(documentation: String) throws -> Data {
        var model = Onnx_ModelProto()
        model.irVersion = Self.irVersion
        model.producerName = "distill"
        model.producerVersion = DistillVersion.current
        model.docString = documentation
        model.opsetImport = Self.opsets.map { opset in
            var id = Onnx_OperatorSetIdProto()
            id.domain = opset.domain
            id.version = opset.version
            return id
        }
        model.graph = graph
        return try model.serializedBytes()
    }
}

/// The values of a constant tensor, by element type.
enum ONNXConstant {
    case floats([Float])
    case doubles([Double])
    case int64s([Int64])
    case strings([String])
}

extension Onnx_AttributeProto {
    static func int(_ name: String, _ value: Int) -> Onnx_AttributeProto {
        var a = named(name, .int)
        a.i = Int64(value)
        return a
    }

    static func ints(_ name: String, _ values: [Int]) -> Onnx_AttributeProto {
        var a = named(name, .ints)
        a.ints = values.map(Int64.init)
        return a
    }

    static func float(_ name: String, _ value: Float) -> Onnx_AttributeProto {
        var a = named(name, .float)
        a.f = value
        return a
    }

    static func floats(_ name: String, _ values: [Float]) -> Onnx_AttributeProto {
        var a = named(name, .floats)
        a.floats = values
        return a
    }

    static func string(_ name: String, _ value: String) -> Onnx_AttributeProto {
        var a = named(name, .string)
        a.s = Data(value.utf8)
        return a
    }

    static func strings(_ name: String, _ values: [String]) -> Onnx_AttributeProto {
        var a = named(name, .strings)
        a.strings = values.map { Data($0.utf8) }
        return a
    }

    static func tensor(_ name: String, _ value: Onnx_TensorProto) -> Onnx_AttributeProto {
        var a = named(name, .tensor)
        a.t = value
        return a
    }

    private static func named(_ name: String, _ type: AttributeType) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        a.name = name
        a.type = type
        return a
    }
}
