/// A JSON document as parsed by `JSONValue.parse`, each value with the byte offset it
/// starts at, so that an error found while decoding it can say where it is.
///
/// Distill parses its versioned files itself rather than with Foundation's `JSONDecoder`,
/// because that one reports a number that does not fit its field (a threshold of `1e300`,
/// a row count of `1.5`) only as "not valid JSON", with neither the field nor the place.
struct JSONValue: Sendable {
    enum Kind: Sendable {
        case null
        case bool(Bool)
        /// The number as written, converted when the field's type is known.
        case number(String)
        case string(String)
        case array([JSONValue])
        /// Members in the order written; keys are unique (the parser refuses repeats).
        case object([JSONMember])
    }

    var kind: Kind
    /// Where the value starts in the document's bytes.
    var offset: Int

    /// The kind in words, for messages: "a number", "an object", ….
    var kindName: String {
        switch kind {
        case .null: "null"
        case .bool: "true or false"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// One member of an object. A struct rather than a tuple, whose array type Swift looks up
/// at run time on every use (it showed in profiles of large files).
struct JSONMember: Sendable {
    var key: String
    var value: JSONValue
}

/// Where a byte of a document is, as people count: line and column from 1, a column being
/// a character (a UTF-8 sequence), not a byte.
struct JSONPlace: CustomStringConvertible, Equatable {
    var line: Int
    var column: Int

    init(offset: Int, in bytes: [UInt8]) {
        line = 1
        column = 1
        for byte in bytes[0..<min(offset, bytes.count)] {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
    }

    var description: String { "line \(line), column \(column)" }
}
