import Foundation

extension ONNXTensor {
    /// Decodes a serialized ONNX tensor (an initializer or an attribute value).
    ///
    /// Values come from `raw_data` (little-endian, packed) when present, else from the
    /// typed repeated field the specification assigns to the element type. The number of
    /// values must match the dimensions. Initializers stored in external files are read
    /// by `ONNXExternalData` first; an external tensor reaching here (an attribute) is
    /// rejected.
    /// - Throws: `ONNXKernelError` saying what is wrong; the loader adds file and node.
    init(proto: Onnx_TensorProto) throws {
        let name = proto.name.isEmpty ? "a tensor" : "tensor '\(proto.name)'"
        if proto.dataLocation == .external || !proto.externalData.isEmpty {
            throw ONNXKernelError(
                "\(name) keeps its values in an external file, which Distill reads only for initializers; re-export the model with this tensor inside the .onnx file",
                kind: .unsupportedType)
        }
        var shape: [Int] = []
        for d in proto.dims {
            guard d >= 0, d <= Int64(Int32.max) else {
                throw ONNXKernelError("\(name) has an invalid dimension \(d)", kind: .malformedModel)
            }
            shape.append(Int(d))
        }
        guard let count = ONNXLimits.elementCount(shape) else {
            throw ONNXKernelError("\(name) has dimensions \(shape) whose product overflows", kind: .malformedModel)
        }
        guard let type = ONNXElementType(onnxCode: proto.dataType) else {
            throw ONNXKernelError(
                "\(name) has element type \(ONNXElementType.onnxName(proto.dataType)), which Distill does not evaluate",
                kind: .unsupportedType)
        }
        let code = proto.dataType
        let data: ONNXTensorData
        if proto.hasRawData && type != .string {
            data = try Self.decodeRaw(proto.rawData, code: code, count: count, name: name)
        } else {
            switch type {
            case .float:
                data = .float(proto.floatData)
            case .double:
                data = .double(proto.doubleData)
            case .int64:
                if code == 7 {
                    data = .int64(proto.int64Data)
                } else if code == 12 || code == 13 {
                    var values: [Int64] = []
                    values.reserveCapacity(proto.uint64Data.count)
                    for v in proto.uint64Data {
                        guard let x = Int64(exactly: v) else {
                            throw ONNXKernelError("\(name) holds the uint64 value \(v), larger than Distill's int64 range", kind: .unsupportedType)
                        }
                        values.append(x)
                    }
                    data = .int64(values)
                } else {
                    data = .int64(proto.int32Data.map { Int64($0) })
                }
            case .bool:
                data = .bool(proto.int32Data.map { $0 != 0 })
            case .string:
                data = .string(proto.stringData.map { String(decoding: $0, as: UTF8.self) })
            }
        }
        guard data.count == count else {
            throw ONNXKernelError(
                "\(name) declares shape \(shape) (\(count) values) but holds \(data.count)", kind: .malformedModel)
        }
        self.init(shape: shape, data: data)
    }

    /// Decodes packed little-endian values of ONNX type `code` from `raw`.
    private static func decodeRaw(_ raw: Data, code: Int32, count: Int, name: String) throws -> ONNXTensorData {
        let width: Int
        switch code {
        case 2, 3, 9: width = 1
        case 4, 5: width = 2
        case 1, 6, 12: width = 4
        case 7, 11, 13: width = 8
        default:
            throw ONNXKernelError("\(name) has an unsupported raw element type \(ONNXElementType.onnxName(code))", kind: .unsupportedType)
        }
        guard count <= Int.max / width, raw.count == count * width else {
            throw ONNXKernelError(
                "\(name) should hold \(count) values (\(count * width) bytes) but raw_data has \(raw.count) bytes",
                kind: .malformedModel)
        }
        return try raw.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) throws -> ONNXTensorData in
            func load<T: FixedWidthInteger>(_: T.Type, _ i: Int) -> T {
                T(littleEndian: bytes.loadUnaligned(fromByteOffset: i * width, as: T.self))
            }
            switch code {
            case 1:
                return .float((0..<count).map { Float(bitPattern: load(UInt32.self, $0)) })
            case 11:
                return .double((0..<count).map { Double(bitPattern: load(UInt64.self, $0)) })
            case 7: return .int64((0..<count).map { load(Int64.self, $0) })
            case 6: return .int64((0..<count).map { Int64(load(Int32.self, $0)) })
            case 5: return .int64((0..<count).map { Int64(load(Int16.self, $0)) })
            case 4: return .int64((0..<count).map { Int64(load(UInt16.self, $0)) })
            case 3: return .int64((0..<count).map { Int64(load(Int8.self, $0)) })
            case 2: return .int64((0..<count).map { Int64(load(UInt8.self, $0)) })
            case 12: return .int64((0..<count).map { Int64(load(UInt32.self, $0)) })
            case 13:
                var values: [Int64] = []
                values.reserveCapacity(count)
                for i in 0..<count {
                    let v = load(UInt64.self, i)
                    guard let x = Int64(exactly: v) else {
                        throw ONNXKernelError("\(name) holds the uint64 value \(v), larger than Distill's int64 range", kind: .unsupportedType)
                    }
                    values.append(x)
                }
                return .int64(values)
            default:  // 9: bool
                return .bool((0..<count).map { load(UInt8.self, $0) != 0 })
            }
        }
    }
}
