/// Decodes `Decodable` values from a parsed `JSONValue`, as `JSONDecoder` does, but every
/// error names the field's coding path and its line and column, and a number that does not
/// fit its field's type is said to be exactly that (a threshold of `1e300` for a Float32,
/// a row count of `2.5`), quoting the number as written.
struct JSONValueDecoder: Decoder {
    let value: JSONValue
    let codingPath: [CodingKey]
    /// The document's bytes, to turn an offset into a line and column for messages.
    let document: [UInt8]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// Decodes a whole document.
    static func decode<Value: Decodable>(_ type: Value.Type, from value: JSONValue, document: [UInt8]) throws -> Value {
        try Value(from: JSONValueDecoder(value: value, codingPath: [], document: document))
    }

    func place(_ value: JSONValue) -> JSONPlace { JSONPlace(offset: value.offset, in: document) }

    func mismatch(_ type: Any.Type, _ expected: String, _ value: JSONValue, path: [CodingKey]) -> DecodingError {
        .typeMismatch(type, .init(codingPath: path, debugDescription: "expected \(expected), found \(value.kindName) (\(place(value)))"))
    }

    /// `value` decoded as `T`: the primitives read here, anything else by its own `init(from:)`.
    func decode<T: Decodable>(_ type: T.Type, from value: JSONValue, path: [CodingKey]) throws -> T {
        if let primitive = try primitive(type, from: value, path: path) as? T { return primitive }
        return try T(from: JSONValueDecoder(value: value, codingPath: path, document: document))
    }

    /// `value` as the Bool, String, number type `type` is; nil for any other type.
    /// Compares metatypes (a pointer comparison) rather than casting, which is slow.
    private func primitive(_ type: Any.Type, from value: JSONValue, path: [CodingKey]) throws -> Any? {
        if type == String.self {
            guard case .string(let text) = value.kind else { throw mismatch(type, "a string", value, path: path) }
            return text
        }
        if type == Int.self { return try integer(Int.self, from: value, path: path) }
        if type == Double.self { return try floatingPoint(Double.self, from: value, path: path, range: "a 64-bit float (±1.8e308)") }
        if type == Float.self { return try floatingPoint(Float.self, from: value, path: path, range: "Float32 (±3.4e38)") }
        if type == Bool.self {
            guard case .bool(let flag) = value.kind else { throw mismatch(type, "true or false", value, path: path) }
            return flag
        }
        if type == Int64.self { return try integer(Int64.self, from: value, path: path) }
        if type == Int32.self { return try integer(Int32.self, from: value, path: path) }
        if type == UInt64.self { return try integer(UInt64.self, from: value, path: path) }
        if type == UInt32.self { return try integer(UInt32.self, from: value, path: path) }
        if type == UInt.self { return try integer(UInt.self, from: value, path: path) }
        return nil
    }

    private func floatingPoint<F: BinaryFloatingPoint & LosslessStringConvertible>(
        _ type: F.Type, from value: JSONValue, path: [CodingKey], range: String
    ) throws -> F {
        guard case .number(let text) = value.kind else { throw mismatch(type, "a number", value, path: path) }
        guard let number = F(text), number.isFinite else {
            throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: "\(text) is beyond the range of \(range) (\(place(value)))"))
        }
        return number
    }

    private func integer<I: FixedWidthInteger>(_ type: I.Type, from value: JSONValue, path: [CodingKey]) throws -> I {
        guard case .number(let text) = value.kind else { throw mismatch(type, "a whole number", value, path: path) }
        // 2.0 and 1e3 are whole numbers too, as JSONDecoder takes them.
        if let number = I(text) ?? Double(text).flatMap({ I(exactly: $0) }) { return number }
        let problem = Double(text).map { $0.rounded() == $0 } ?? false ? "is beyond the range of \(I.self)" : "is not a whole number"
        throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: "\(text) \(problem) (\(place(value)))"))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value.kind else { throw mismatch([String: Any].self, "an object", value, path: codingPath) }
        return KeyedDecodingContainer(JSONKeyedContainer<Key>(decoder: self, object: value, members: members))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        guard case .array(let items) = value.kind else { throw mismatch([Any].self, "an array", value, path: codingPath) }
        return JSONUnkeyedContainer(decoder: self, items: items)
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer {
        JSONSingleValueContainer(decoder: self)
    }
}

/// A coding key for array positions and dictionary keys.
struct JSONKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
    }

    init(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}

private struct JSONKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: JSONValueDecoder
    /// The object itself, for where a missing key should have been.
    let object: JSONValue
    private let members: [JSONMember]
    /// Member positions by key for a large object, so that it is not searched for each
    /// key; a small one is searched.
    private let index: [String: Int]?

    init(decoder: JSONValueDecoder, object: JSONValue, members: [JSONMember]) {
        self.decoder = decoder
        self.object = object
        self.members = members
        index = members.count < 16 ? nil : Dictionary(members.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { first, _ in first })
    }

    private func position(_ key: Key) -> Int? {
        let name = key.stringValue
        return index.map { $0[name] } ?? members.firstIndex { $0.key == name }
    }

    var codingPath: [CodingKey] { decoder.codingPath }
    var allKeys: [Key] { members.compactMap { Key(stringValue: $0.key) } }

    func contains(_ key: Key) -> Bool { position(key) != nil }

    private func member(_ key: Key) throws -> JSONValue {
        guard let position = position(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath,
                                                      debugDescription: "the object at \(decoder.place(object))"))
        }
        return members[position].value
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        if case .null = try member(key).kind { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decoder.decode(type, from: try member(key), path: codingPath + [key])
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try JSONValueDecoder(value: try member(key), codingPath: codingPath + [key], document: decoder.document).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
        try JSONValueDecoder(value: try member(key), codingPath: codingPath + [key], document: decoder.document).unkeyedContainer()
    }

    func superDecoder() throws -> Decoder {
        guard let key = Key(stringValue: "super") else {
            throw DecodingError.keyNotFound(JSONKey(stringValue: "super"), .init(codingPath: codingPath, debugDescription: "no \"super\" key"))
        }
        return try superDecoder(forKey: key)
    }

    func superDecoder(forKey key: Key) throws -> Decoder {
        JSONValueDecoder(value: try member(key), codingPath: codingPath + [key], document: decoder.document)
    }
}

private struct JSONUnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: JSONValueDecoder
    let items: [JSONValue]
    var currentIndex = 0

    init(decoder: JSONValueDecoder, items: [JSONValue]) {
        self.decoder = decoder
        self.items = items
    }

    var codingPath: [CodingKey] { decoder.codingPath }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }
    private var key: CodingKey { JSONKey(intValue: currentIndex) }

    private func item() throws -> JSONValue {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: codingPath + [key], debugDescription: "the array has only \(items.count) items"))
        }
        return items[currentIndex]
    }

    mutating func decodeNil() throws -> Bool {
        guard case .null = try item().kind else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let value = try decoder.decode(type, from: try item(), path: codingPath + [key])
        currentIndex += 1
        return value
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let container = try JSONValueDecoder(value: try item(), codingPath: codingPath + [key], document: decoder.document).container(keyedBy: type)
        currentIndex += 1
        return container
    }

    mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer {
        let container = try JSONValueDecoder(value: try item(), codingPath: codingPath + [key], document: decoder.document).unkeyedContainer()
        currentIndex += 1
        return container
    }

    mutating func superDecoder() throws -> Decoder {
        let decoder = JSONValueDecoder(value: try item(), codingPath: codingPath + [key], document: self.decoder.document)
        currentIndex += 1
        return decoder
    }
}

private struct JSONSingleValueContainer: SingleValueDecodingContainer {
    let decoder: JSONValueDecoder

    var codingPath: [CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool {
        if case .null = decoder.value.kind { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try decoder.decode(type, from: decoder.value, path: codingPath)
    }
}
