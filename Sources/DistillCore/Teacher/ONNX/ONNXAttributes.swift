import Foundation

/// Typed access to a node's attributes, with defaults as the operator specifications give.
///
/// Only the loader reads attributes: it turns them into an `ONNXOperation` once, so the
/// evaluator never looks an attribute up by name while predicting.
struct ONNXAttributes {
    private let byName: [String: Onnx_AttributeProto]

    init(_ attributes: [Onnx_AttributeProto]) {
        var map: [String: Onnx_AttributeProto] = [:]
        for a in attributes { map[a.name] = a }
        byName = map
    }

    func has(_ name: String) -> Bool { byName[name] != nil }

    func int(_ name: String, default value: Int) throws -> Int {
        guard let a = byName[name] else { return value }
        guard a.type == .int || (a.type == .undefined && a.hasI) else { throw mistyped(name, "an integer") }
        guard let x = Int(exactly: a.i) else { throw mistyped(name, "an integer in range") }
        return x
    }

    func float(_ name: String, default value: Float) throws -> Float {
        guard let a = byName[name] else { return value }
        guard a.type == .float || (a.type == .undefined && a.hasF) else { throw mistyped(name, "a float") }
        return a.f
    }

    func string(_ name: String, default value: String) throws -> String {
        guard let a = byName[name] else { return value }
        guard a.type == .string || (a.type == .undefined && a.hasS) else { throw mistyped(name, "a string") }
        return String(decoding: a.s, as: UTF8.self)
    }

    func ints(_ name: String) throws -> [Int]? {
        guard let a = byName[name] else { return nil }
        guard a.type == .ints || a.type == .undefined else { throw mistyped(name, "a list of integers") }
        return a.ints.map { Int(truncatingIfNeeded: $0) }
    }

    func int64s(_ name: String) throws -> [Int64]? {
        guard let a = byName[name] else { return nil }
        guard a.type == .ints || a.type == .undefined else { throw mistyped(name, "a list of integers") }
        return a.ints
    }

    func floats(_ name: String) throws -> [Float]? {
        guard let a = byName[name] else { return nil }
        guard a.type == .floats || a.type == .undefined else { throw mistyped(name, "a list of floats") }
        return a.floats
    }

    func strings(_ name: String) throws -> [String]? {
        guard let a = byName[name] else { return nil }
        guard a.type == .strings || a.type == .undefined else { throw mistyped(name, "a list of strings") }
        return a.strings.map { String(decoding: $0, as: UTF8.self) }
    }

    func tensor(_ name: String) throws -> ONNXTensor? {
        guard let a = byName[name] else { return nil }
        guard a.type == .tensor || (a.type == .undefined && a.hasT) else { throw mistyped(name, "a tensor") }
        return try ONNXTensor(proto: a.t)
    }

    private func mistyped(_ name: String, _ expected: String) -> ONNXKernelError {
        ONNXKernelError("attribute '\(name)' should be \(expected)", kind: .malformedModel)
    }

    /// A classifier's class labels: `classlabels_strings`, else the integer list `intsName`
    /// (`classlabels_ints` or `classlabels_int64s`, as the operator names it).
    func classLabels(ints intsName: String, op: String) throws -> ONNXTensorData {
        if let s = try strings("classlabels_strings"), !s.isEmpty { return .string(s) }
        if let i = try int64s(intsName), !i.isEmpty { return .int64(i) }
        throw ONNXKernelError("\(op) has neither \(intsName) nor classlabels_strings", kind: .malformedModel)
    }
}
