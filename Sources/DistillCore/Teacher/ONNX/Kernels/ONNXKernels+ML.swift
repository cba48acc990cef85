/// Kernels of the ai.onnx.ml domain that scikit-learn exports emit for preprocessing.
enum ONNXMachineLearning {
    /// Numeric values as floats (Scaler and Imputer accept float, double and int64).
    private static func numeric(_ x: ONNXTensor, _ op: String) throws -> [Float] {
        switch x.data {
        case .float(let v): return v
        case .double(let v): return v.map { Float($0) }
        case .int64(let v): return v.map { Float($0) }
        default: throw ONNXKernelError("\(op) needs a numeric input, got \(x.elementType.rawValue)", kind: .unsupportedType)
        }
    }

    /// Scaler: y = (x − offset[c]) · scale[c] along the last axis; one value broadcasts.
    static func scaler(_ x: ONNXTensor, offset: [Float], scale: [Float]) throws -> ONNXTensor {
        var v = try numeric(x, "Scaler")
        let width = x.shape.last ?? 1
        for (name, p) in [("offset", offset), ("scale", scale)] where p.count != 1 && p.count != width {
            throw ONNXKernelError("Scaler \(name) has \(p.count) values but the input has \(width) columns")
        }
        v.withUnsafeMutableBufferPointer { p in
            let rows = width == 0 ? 0 : p.count / width
            for r in 0..<rows {
                for c in 0..<width {
                    let o = offset.count == 1 ? offset[0] : offset[c]
                    let s = scale.count == 1 ? scale[0] : scale[c]
                    p[r * width + c] = (p[r * width + c] - o) * s
                }
            }
        }
        return ONNXTensor(shape: x.shape, floats: v)
    }

    /// Imputer: values equal to the replaced value (NaN matches NaN) become the column's
    /// imputed value.
    static func imputer(_ x: ONNXTensor, floats: [Float], int64s: [Int64],
                        replacedFloat: Float, replacedInt64: Int64) throws -> ONNXTensor {
        let width = x.shape.last ?? 1
        switch x.data {
        case .float(var v):
            guard floats.count == 1 || floats.count == width else {
                throw ONNXKernelError("Imputer has \(floats.count) imputed floats but the input has \(width) columns")
            }
            let nan = replacedFloat.isNaN
            for i in v.indices where nan ? v[i].isNaN : v[i] == replacedFloat {
                v[i] = floats.count == 1 ? floats[0] : floats[i % width]
            }
            return ONNXTensor(shape: x.shape, floats: v)
        case .int64(var v):
            guard int64s.count == 1 || int64s.count == width else {
                throw ONNXKernelError("Imputer has \(int64s.count) imputed int64s but the input has \(width) columns")
            }
            for i in v.indices where v[i] == replacedInt64 {
                v[i] = int64s.count == 1 ? int64s[0] : int64s[i % width]
            }
            return ONNXTensor(shape: x.shape, data: .int64(v))
        default:
            throw ONNXKernelError("Imputer needs a float or int64 input, got \(x.elementType.rawValue)", kind: .unsupportedType)
        }
    }

    /// LabelEncoder: maps each value through the table whose key type matches the input.
    static func labelEncoder(_ x: ONNXTensor, tables: [ONNXLabelTable]) throws -> ONNXTensor {
        let inputType: ONNXElementType = x.elementType == .double ? .float : x.elementType
        guard let table = tables.first(where: { $0.keyType == inputType }) else {
            throw ONNXKernelError("LabelEncoder has no keys of the input's type \(x.elementType.rawValue)", kind: .unsupportedType)
        }
        let defaultPosition = table.values.count
        var positions = [Int](repeating: defaultPosition, count: x.count)
        switch (x.data, table.keys) {
        case (.string(let v), .strings(let map)):
            for i in v.indices { positions[i] = map[v[i]] ?? defaultPosition }
        case (.int64(let v), .int64s(let map)):
            for i in v.indices { positions[i] = map[v[i]] ?? defaultPosition }
        case (.float(let v), .floats(let map)):
            for i in v.indices { positions[i] = map[ONNXLabelTable.floatKey(v[i])] ?? defaultPosition }
        case (.double(let v), .floats(let map)):
            for i in v.indices { positions[i] = map[ONNXLabelTable.floatKey(Float(v[i]))] ?? defaultPosition }
        default:
            throw ONNXKernelError("LabelEncoder input type \(x.elementType.rawValue) does not match its keys", kind: .unsupportedType)
        }
        // Appending the default makes "not found" one more position to pick.
        let extended: ONNXTensorData
        switch (table.values, table.defaultValue) {
        case (.string(let a), .string(let d)): extended = .string(a + d)
        case (.int64(let a), .int64(let d)): extended = .int64(a + d)
        case (.float(let a), .float(let d)): extended = .float(a + d)
        case (.double(let a), .double(let d)): extended = .double(a + d)
        case (.bool(let a), .bool(let d)): extended = .bool(a + d)
        default: throw ONNXKernelError("LabelEncoder default has another type than its values", kind: .malformedModel)
        }
        return ONNXTensor(shape: x.shape, data: extended.picking(positions))
    }

    /// OneHotEncoder: appends an axis of `width` with a 1 at each value's category.
    /// Unknown values give all zeros, or an error when `zeros` is false.
    static func oneHotEncoder(_ x: ONNXTensor, strings: [String: Int]?, int64s: [Int64: Int]?,
                              width: Int, zeros: Bool) throws -> ONNXTensor {
        try ONNXLimits.check(x.shape + [width], "OneHotEncoder output")
        var out = [Float](repeating: 0, count: x.count * width)
        func mark(_ i: Int, _ category: Int?, _ shown: @autoclosure () -> String) throws {
            if let c = category {
                out[i * width + c] = 1
            } else if !zeros {
                throw ONNXKernelError("OneHotEncoder met the unknown category '\(shown())' and was exported with zeros=0",
                                     dependsOnValues: true)
            }
        }
        switch x.data {
        case .string(let v):
            guard let strings else { throw ONNXKernelError("OneHotEncoder has integer categories but got strings", kind: .unsupportedType) }
            for i in v.indices { try mark(i, strings[v[i]], v[i]) }
        case .int64(let v):
            guard let int64s else { throw ONNXKernelError("OneHotEncoder has string categories but got integers", kind: .unsupportedType) }
            for i in v.indices { try mark(i, int64s[v[i]], String(v[i])) }
        case .float, .double:
            guard let int64s else { throw ONNXKernelError("OneHotEncoder has string categories but got numbers", kind: .unsupportedType) }
            let v = try ONNXConversion.cast(x, to: .int64).integers("OneHotEncoder input")
            for i in v.indices { try mark(i, int64s[Int64(v[i])], String(v[i])) }
        case .bool:
            throw ONNXKernelError("OneHotEncoder does not take bool inputs", kind: .unsupportedType)
        }
        return ONNXTensor(shape: x.shape + [width], floats: out)
    }

    /// ArrayFeatureExtractor: picks the given positions along the last axis of `x` for
    /// every row; a 1-D `x` (e.g. class labels) gives shape [1, count], as onnxruntime.
    static func arrayFeatureExtractor(_ x: ONNXTensor, _ indices: ONNXTensor) throws -> ONNXTensor {
        let idx = try indices.integers("ArrayFeatureExtractor indices")
        guard let stride = x.shape.last, stride > 0 else {
            throw ONNXKernelError("ArrayFeatureExtractor needs a non-empty input, got shape \(x.shape)")
        }
        for j in idx where j < 0 || j >= stride {
            throw ONNXKernelError("ArrayFeatureExtractor index \(j) is out of range for \(stride) columns", dependsOnValues: true)
        }
        let rows = x.count / stride
        try ONNXLimits.check([rows, idx.count], "ArrayFeatureExtractor output")
        var positions: [Int] = []
        positions.reserveCapacity(rows * idx.count)
        for r in 0..<rows { for j in idx { positions.append(r * stride + j) } }
        var shape = x.shape
        if shape.count == 1 { shape = [1, idx.count] } else { shape[shape.count - 1] = idx.count }
        return ONNXTensor(shape: shape, data: x.data.picking(positions))
    }
}
