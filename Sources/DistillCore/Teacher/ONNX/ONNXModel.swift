import Foundation
import SwiftProtobuf

/// A parsed ONNX model whose graph has been checked for structure and put in order.
///
/// This is the stage between the file and the compiled `ONNXGraph`: every node is still
/// the exporter's, names are still strings, and nothing has been pruned, so the output
/// selection and the summary see the whole model.
struct ONNXModel {
    /// One node as the exporter wrote it, plus its position for messages.
    struct Node {
        var name: String
        var opType: String
        var domain: String
        var inputs: [String]
        var outputs: [String]
        var attributes: [Onnx_AttributeProto]
        /// Position in the file, used to name unnamed nodes.
        var index: Int

        /// How messages name the node: `'name' (OpType)` or `#3 (OpType)` when unnamed.
        var label: String { name.isEmpty ? "#\(index) (\(opType))" : "'\(name)' (\(opType))" }
    }

    /// The model file as the user named it, for messages.
    let file: String
    let proto: Onnx_ModelProto
    /// Opset version per canonical domain ("ai.onnx", "ai.onnx.ml", …).
    let opsets: [String: Int]
    /// Nodes in an order where every node comes after the producers of its inputs.
    let nodes: [Node]
    /// Value name → position in `nodes` of the node producing it.
    let producer: [String: Int]
    /// Initializers by name, still serialized; decoded on demand.
    let initializers: [String: Onnx_TensorProto]
    /// Graph inputs that are not initializers: what the caller must provide.
    let inputs: [Onnx_ValueInfoProto]
    let outputs: [Onnx_ValueInfoProto]
    /// Where initializers stored beside the model are read from.
    let externalData: ONNXExternalData

    /// Reads and checks a model file.
    /// - Throws: `ONNXError` (`.unreadableFile`, `.malformedModel`) naming the file and,
    ///   for dangling or duplicate names, the node.
    init(contentsOf url: URL, displayName: String? = nil) throws {
        let file = displayName ?? url.relativePath
        let bytes: Data
        do {
            bytes = try Data(contentsOf: url)
        } catch {
            throw ONNXError(.unreadableFile, file: file, "cannot read the file (\(error.localizedDescription))")
        }
        try self.init(serialized: bytes, file: file, directory: url.deletingLastPathComponent())
    }

    /// Parses and checks a model from its bytes; `directory` is the folder external
    /// tensors are read from (none for a model that exists only as bytes).
    init(serialized bytes: Data, file: String, directory: URL? = nil) throws {
        self.file = file
        externalData = ONNXExternalData(directory: directory, file: file)
        guard !bytes.isEmpty else {
            throw ONNXError(.malformedModel, file: file, "the file is empty; expected an ONNX model (.onnx)")
        }
        let proto: Onnx_ModelProto
        do {
            proto = try Onnx_ModelProto(serializedBytes: bytes)
        } catch {
            throw ONNXError(.malformedModel, file: file,
                            "the bytes are not an ONNX model (protobuf decoding failed: \(error)); the file may be truncated or not an .onnx file")
        }
        guard proto.hasGraph, proto.irVersion > 0 else {
            throw ONNXError(.malformedModel, file: file,
                            "the file holds no ONNX graph (missing ir_version or graph); it may be truncated or not an .onnx file")
        }
        self.proto = proto
        let graph = proto.graph
        guard !graph.output.isEmpty else {
            throw ONNXError(.malformedModel, file: file, "the graph declares no outputs")
        }

        var opsets: [String: Int] = [:]
        for o in proto.opsetImport {
            opsets[ONNXOperatorSet.canonicalDomain(o.domain)] = Int(truncatingIfNeeded: o.version)
        }
        self.opsets = opsets

        var initializers: [String: Onnx_TensorProto] = [:]
        for t in graph.initializer { initializers[t.name] = t }
        self.initializers = initializers
        inputs = graph.input.filter { initializers[$0.name] == nil }
        outputs = graph.output

        // Every value must have exactly one source: an input, an initializer or a node.
        var available = Set(initializers.keys)
        for i in graph.input { available.insert(i.name) }
        var producedBy: [String: Int] = [:]
        let raw = graph.node.enumerated().map { (i, n) in
            Node(name: n.name, opType: n.opType, domain: n.domain, inputs: n.input, outputs: n.output,
                 attributes: n.attribute, index: i)
        }
        for (i, n) in raw.enumerated() {
            for o in n.outputs where !o.isEmpty {
                if available.contains(o) || producedBy[o] != nil {
                    throw ONNXError(.malformedModel, file: file, node: n.label,
                                    "output '\(o)' is already produced by another node, input or initializer")
                }
                producedBy[o] = i
            }
        }
        for n in raw {
            for name in n.inputs where !name.isEmpty && !available.contains(name) && producedBy[name] == nil {
                throw ONNXError(.malformedModel, file: file, node: n.label,
                                "input '\(name)' is not produced by any node, graph input or initializer")
            }
        }
        for o in graph.output where !available.contains(o.name) && producedBy[o.name] == nil {
            throw ONNXError(.malformedModel, file: file, "graph output '\(o.name)' is not produced by any node or input")
        }

        // Depth-first topological order: each node right after its producers, otherwise in
        // file order (usually already topological, then left unchanged). O(nodes + edges).
        var state = [UInt8](repeating: 0, count: raw.count)  // 0 new, 1 on the path, 2 placed
        var order: [Int] = []
        order.reserveCapacity(raw.count)
        for root in raw.indices where state[root] == 0 {
            var path: [(node: Int, next: Int)] = [(root, 0)]
            state[root] = 1
            while let top = path.last {
                let inputs = raw[top.node].inputs
                if top.next < inputs.count {
                    path[path.count - 1].next += 1
                    guard let p = producedBy[inputs[top.next]] else { continue }
                    if state[p] == 1 {
                        throw ONNXError(.malformedModel, file: file, node: raw[p].label,
                                        "the graph has a cycle through this node")
                    }
                    if state[p] == 0 {
                        state[p] = 1
                        path.append((p, 0))
                    }
                } else {
                    state[top.node] = 2
                    order.append(top.node)
                    path.removeLast()
                }
            }
        }
        nodes = order.map { raw[$0] }
        var producer: [String: Int] = [:]
        for (p, n) in nodes.enumerated() {
            for o in n.outputs where !o.isEmpty { producer[o] = p }
        }
        self.producer = producer
    }

    /// The opset the model imports for a node's domain.
    func opset(for node: Node) throws -> Int {
        let domain = ONNXOperatorSet.canonicalDomain(node.domain)
        guard let v = opsets[domain] else {
            throw ONNXError(.malformedModel, file: file, node: node.label,
                            "the node uses domain '\(domain)', which the model does not import in opset_import")
        }
        return v
    }

    /// The value of `name` when it is a constant: an initializer or a Constant node's output.
    func constant(_ name: String) throws -> ONNXTensor? {
        if var t = initializers[name] {
            if t.dataLocation == .external || !t.externalData.isEmpty { t = try externalData.inlined(t) }
            do { return try ONNXTensor(proto: t) } catch let e as ONNXKernelError {
                throw ONNXError(e.kind, file: file, "initializer '\(name)': \(e.message)")
            }
        }
        if let p = producer[name], nodes[p].opType == "Constant", ONNXOperatorSet.canonicalDomain(nodes[p].domain) == ONNXOperatorSet.standardDomain {
            return try constantNodeValue(nodes[p])
        }
        return nil
    }

    /// The tensor a Constant node holds, from whichever `value*` attribute it uses.
    func constantNodeValue(_ node: Node) throws -> ONNXTensor {
        let a = ONNXAttributes(node.attributes)
        do {
            if let t = try a.tensor("value") { return t }
            if a.has("value_float") { return ONNXTensor(shape: [], floats: [try a.float("value_float", default: 0)]) }
            if let f = try a.floats("value_floats") { return ONNXTensor(shape: [f.count], floats: f) }
            if a.has("value_int") { return ONNXTensor(shape: [], data: .int64([Int64(try a.int("value_int", default: 0))])) }
            if let i = try a.int64s("value_ints") { return ONNXTensor(shape: [i.count], data: .int64(i)) }
            if a.has("value_string") { return ONNXTensor(shape: [], data: .string([try a.string("value_string", default: "")])) }
            if let s = try a.strings("value_strings") { return ONNXTensor(shape: [s.count], data: .string(s)) }
        } catch let e as ONNXKernelError {
            throw ONNXError(e.kind, file: file, node: node.label, e.message)
        }
        throw ONNXError(.unsupportedOperator, file: file, node: node.label,
                        "Constant node has no value attribute Distill can read (sparse values are not supported)")
    }
}
