import Foundation

/// The JSON of the Open Inference Protocol (KServe V2 REST), as far as a teacher needs it:
/// a model's metadata (`GET /v2/models/{name}`), an inference request and its response
/// (`POST /v2/models/{name}/infer`).
enum InferenceProtocol {
    /// One tensor a model's metadata declares.
    struct Tensor: Equatable {
        var name: String
        var datatype: String
        /// -1 marks a dimension of any size (the batch axis first).
        var shape: [Int]
        /// `parameters.classes` of an output, where the server gives class names.
        var classes: [String]?

        /// Values per row: the product of the dimensions after the batch axis; `nil` when one
        /// of them is -1.
        var rowWidth: Int? {
            var width = 1
            for dimension in shape.dropFirst() {
                guard dimension >= 0 else { return nil }
                width *= dimension
            }
            return width
        }

        var described: String {
            "\(name): \(datatype) [" + shape.map(String.init).joined(separator: ", ") + "]"
        }
    }

    struct Metadata: Equatable {
        var name: String
        var platform: String
        var inputs: [Tensor]
        var outputs: [Tensor]
        /// `parameters.classes` of the model, for servers that put them there.
        var classes: [String]?
    }

    /// The teacher element type of a V2 datatype; `nil` for one a teacher cannot send.
    static func elementType(_ datatype: String) -> TeacherElementType? {
        switch datatype {
        case "FP16", "FP32", "BF16": .float
        case "FP64": .double
        case "INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64": .int64
        case "BYTES": .string
        default: nil
        }
    }

    static func metadata(_ body: Data) throws -> Metadata {
        let object = try jsonObject(body)
        guard let name = object["name"] as? String else { throw TeacherError("the metadata has no model \"name\"") }
        return Metadata(name: name, platform: object["platform"] as? String ?? "",
                        inputs: try tensors(object["inputs"], "inputs"), outputs: try tensors(object["outputs"], "outputs"),
                        classes: try classes(in: object["parameters"]))
    }

    private static func tensors(_ value: Any?, _ key: String) throws -> [Tensor] {
        guard let value, !(value is NSNull) else { return [] }
        guard let list = value as? [[String: Any]] else { throw TeacherError("the metadata's \"\(key)\" is not a list of tensors") }
        return try list.map { entry in
            guard let name = entry["name"] as? String, let datatype = entry["datatype"] as? String,
                  let shape = entry["shape"] as? [NSNumber] else {
                throw TeacherError("a tensor of the metadata's \"\(key)\" lacks its name, datatype or shape")
            }
            return Tensor(name: name, datatype: datatype, shape: shape.map(\.intValue), classes: try classes(in: entry["parameters"]))
        }
    }

    private static func classes(in parameters: Any?) throws -> [String]? {
        guard let parameters = parameters as? [String: Any], let value = parameters["classes"], !(value is NSNull) else { return nil }
        guard let list = value as? [Any] else { throw TeacherError("\"parameters.classes\" is not a list") }
        return list.map { ($0 as? String) ?? "\($0)" }
    }

    /// The body of an inference request: one tensor per input, `[rows, width]` (or `[rows]`
    /// for an input declared one-dimensional), and the one output wanted. Written by hand:
    /// JSONSerialization would box every value of every batch.
    static func request(_ batch: TeacherBatch, inputs: [Tensor], output: String) -> Data {
        let declared = Dictionary(inputs.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var text = #"{"inputs": ["#
        for (position, input) in batch.inputs.enumerated() {
            if position > 0 { text += ", " }
            let tensor = declared[input.name]
            let shape = tensor?.shape.count == 1 ? [batch.rowCount] : [batch.rowCount, input.width]
            text += #"{"name": "# + JSONText.string(input.name)
            text += #", "shape": ["# + shape.map(String.init).joined(separator: ", ") + "]"
            text += #", "datatype": "# + JSONText.string(tensor?.datatype ?? "FP32") + #", "data": ["#
            switch input.values {
            case .float(let values): text += values.map { "\($0)" }.joined(separator: ", ")
            case .double(let values): text += values.map { "\($0)" }.joined(separator: ", ")
            case .int64(let values): text += values.map { "\($0)" }.joined(separator: ", ")
            case .string(let values): text += values.map(JSONText.string).joined(separator: ", ")
            }
            text += "]}"
        }
        text += #"], "outputs": [{"name": "# + JSONText.string(output) + "}]}"
        return Data(text.utf8)
    }

    /// The values of `output` in an inference response, row-major.
    /// - Throws: `TeacherError` when the response is not one, lacks the output, or holds
    ///   other than `rows × width` numbers.
    static func values(_ body: Data, output: String, rows: Int, width: Int) throws -> [Float] {
        let object = try jsonObject(body)
        guard let outputs = object["outputs"] as? [[String: Any]] else {
            throw TeacherError("the answer has no \"outputs\" list: \(excerpt(body))")
        }
        guard let tensor = outputs.first(where: { $0["name"] as? String == output }) else {
            let names = outputs.compactMap { $0["name"] as? String }
            throw TeacherError("the answer has no output '\(output)'; it has \(names.isEmpty ? "none" : DataSelection.list(names))")
        }
        var values: [Float] = []
        values.reserveCapacity(rows * width)
        // The protocol sends data flat; some servers nest it by row, which reads the same.
        func append(_ value: Any) throws {
            if let list = value as? [Any] {
                for element in list { try append(element) }
            } else if let number = value as? NSNumber, String(cString: number.objCType) != "c" {
                values.append(Float(number.doubleValue))
            } else {
                throw TeacherError("output '\(output)' holds \(value), not a number")
            }
        }
        try append(tensor["data"] ?? [Any]())
        let shape = (tensor["shape"] as? [NSNumber])?.map(\.intValue)
        guard values.count == rows * width else {
            let shown = shape.map { " (shape [" + $0.map(String.init).joined(separator: ", ") + "])" } ?? ""
            throw TeacherError("output '\(output)' has \(values.count) values\(shown) for \(rows) rows × \(width) per row")
        }
        return values
    }

    private static func jsonObject(_ body: Data) throws -> [String: Any] {
        guard let object = try? JSONSerialization.jsonObject(with: body), let dictionary = object as? [String: Any] else {
            throw TeacherError("the answer is not a JSON object: \(excerpt(body))")
        }
        return dictionary
    }

    /// The start of a body, for messages.
    static func excerpt(_ body: Data) -> String {
        let text = String(decoding: body.prefix(400), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "(an empty body)" : "\"\(DataError.cutShort(text, limit: 200))\""
    }
}
