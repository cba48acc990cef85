/// The type a model declares for one of its inputs or outputs.
struct ONNXDeclaredType: Sendable, Equatable {
    enum Kind: Sendable, Equatable { case tensor, sequence, map, unknown }

    var kind: Kind
    /// ONNX element type code of a tensor (0 when not declared).
    var elementCode: Int32
    /// Dimensions of a tensor; `nil` entries are symbolic ("N", "batch") or unknown.
    /// `nil` when the model declares no shape at all.
    var dims: [Int?]?
    /// Readable form for summaries and messages: `float[N,3]`, `seq(map(int64,float))`.
    var text: String

    init(_ type: Onnx_TypeProto) {
        switch type.value {
        case .tensorType(let t):
            kind = .tensor
            elementCode = t.elemType
            if t.hasShape {
                let d = t.shape.dim.map { dim -> Int? in
                    if case .dimValue(let v) = dim.value, v >= 0 { return Int(v) }
                    return nil
                }
                dims = d
                let shown = zip(d, t.shape.dim).map { (v, dim) -> String in
                    if let v { return String(v) }
                    if case .dimParam(let p) = dim.value, !p.isEmpty { return p }
                    return "?"
                }
                text = "\(ONNXElementType.onnxName(t.elemType))[\(shown.joined(separator: ","))]"
            } else {
                dims = nil
                text = "\(ONNXElementType.onnxName(t.elemType))[…]"
            }
        case .sequenceType(let s):
            kind = .sequence
            elementCode = 0
            dims = nil
            text = "seq(\(ONNXDeclaredType(s.elemType).text))"
        case .mapType(let m):
            kind = .map
            elementCode = 0
            dims = nil
            text = "map(\(ONNXElementType.onnxName(m.keyType)),\(ONNXDeclaredType(m.valueType).text))"
        case nil:
            kind = .unknown
            elementCode = 0
            dims = nil
            text = "unknown"
        }
    }

    var elementType: ONNXElementType? { kind == .tensor ? ONNXElementType(onnxCode: elementCode) : nil }

    /// Values per row: the product of the dimensions after the first (1 for a 1-D
    /// tensor); `nil` when one of them is symbolic, no shape is declared, or the declared
    /// width is beyond `ONNXLimits` (then the width is measured instead of trusted).
    var rowWidth: Int? {
        guard let dims else { return nil }
        if dims.count <= 1 { return 1 }
        var inner: [Int] = []
        for d in dims.dropFirst() {
            guard let d else { return nil }
            inner.append(d)
        }
        guard let w = ONNXLimits.elementCount(inner), w <= ONNXLimits.maxElements else { return nil }
        return w
    }
}
