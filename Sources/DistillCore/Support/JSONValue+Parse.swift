/// Why a document is not JSON, and where.
struct JSONSyntaxError: Error, Equatable {
    /// The byte the problem starts at.
    var offset: Int
    var message: String
}

extension JSONValue {
    /// Containers nested deeper than this are refused: Distill's files nest a few levels,
    /// and a value tree of unbounded depth would overflow the stack when it is freed.
    static let maximumDepth = 512

    /// Parses a whole document (RFC 8259), without recursion.
    ///
    /// NaN and Infinity, which some writers put in JSON, get a message of their own; an
    /// object that repeats a key is refused, as a reader could take either value.
    /// - Throws: `JSONSyntaxError` at the first byte that is not JSON.
    /// - Complexity: O(n) in the document's bytes.
    static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        try bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(bytes: buffer)
            return try parser.document()
        }
    }
}

/// One parse: the position, and the containers open around it, innermost last.
private struct JSONParser {
    /// An array or object being filled.
    struct Container {
        var offset: Int
        var isArray: Bool
        var items: [JSONValue] = []
        var members: [JSONMember] = []
        /// The keys of a large object, to find a repeated key without searching the members.
        var keys: Set<String> = []
        /// The key whose value is being read.
        var key = ""
    }

    /// The document, borrowed for the parse: read through a buffer pointer rather than the
    /// array, the parse takes half the time in a debug build.
    let bytes: UnsafeBufferPointer<UInt8>
    var i = 0
    var open: [Container] = []

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    func fail(_ message: String, at offset: Int? = nil) -> JSONSyntaxError {
        JSONSyntaxError(offset: offset ?? i, message: message)
    }

    var atEnd: Bool { i >= bytes.count }

    func next(is character: Unicode.Scalar) -> Bool {
        i < bytes.count && bytes[i] == UInt8(ascii: character)
    }

    mutating func document() throws -> JSONValue {
        while true {
            skipSpace()
            // nil when a container opened: its first value comes next.
            guard var value = try valueOrOpening() else { continue }
            // Hand the value to the container around it; close every container that ends after it.
            while true {
                skipSpace()
                guard !open.isEmpty else {
                    guard atEnd else { throw fail("unexpected text after the end of the document") }
                    return value
                }
                let last = open.count - 1
                if open[last].isArray {
                    open[last].items.append(value)
                } else {
                    open[last].members.append(JSONMember(key: open[last].key, value: value))
                }
                if next(is: ",") {
                    i += 1
                    if !open[last].isArray {
                        skipSpace()
                        try readKey()
                    }
                    break
                }
                guard next(is: open[last].isArray ? "]" : "}") else {
                    let kind = open[last].isArray ? "an array" : "an object"
                    if atEnd { throw fail("the document ends inside \(kind)") }
                    throw fail(open[last].isArray ? "expected ',' or ']' after an array item" : "expected ',' or '}' after an object member")
                }
                i += 1
                let closed = open.removeLast()
                value = JSONValue(kind: closed.isArray ? .array(closed.items) : .object(closed.members), offset: closed.offset)
            }
        }
    }

    /// The scalar or empty container at `i`, or nil after opening a container that holds
    /// something, the parser then at its first value.
    mutating func valueOrOpening() throws -> JSONValue? {
        guard next(is: "[") || next(is: "{") else { return try scalar() }
        let offset = i
        let isArray = next(is: "[")
        guard open.count < JSONValue.maximumDepth else {
            throw fail("arrays and objects nest deeper than \(JSONValue.maximumDepth) levels")
        }
        i += 1
        skipSpace()
        if next(is: isArray ? "]" : "}") {
            i += 1
            return JSONValue(kind: isArray ? .array([]) : .object([]), offset: offset)
        }
        open.append(Container(offset: offset, isArray: isArray))
        if !isArray { try readKey() }
        return nil
    }

    /// Reads `"key":` into the innermost container, an object.
    mutating func readKey() throws {
        guard next(is: "\"") else {
            throw fail(atEnd ? "the document ends inside an object" : "expected a key in double quotes")
        }
        let keyOffset = i
        let key = try string()
        let last = open.count - 1
        if open[last].members.count < Self.smallObject {
            guard !open[last].members.contains(where: { $0.key == key }) else { throw fail("the key \"\(key)\" appears twice in one object", at: keyOffset) }
        } else {
            if open[last].keys.isEmpty { open[last].keys = Set(open[last].members.map(\.key)) }
            guard open[last].keys.insert(key).inserted else { throw fail("the key \"\(key)\" appears twice in one object", at: keyOffset) }
        }
        open[last].key = key
        skipSpace()
        guard next(is: ":") else { throw fail("expected ':' after the key \"\(key)\"") }
        i += 1
    }

    /// Objects with fewer members are searched for a repeated key; larger ones keep a set.
    static let smallObject = 16

    mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    /// A string, number, true, false or null at `i`.
    mutating func scalar() throws -> JSONValue {
        let offset = i
        guard !atEnd else { throw fail("the document ends where a value should be") }
        if next(is: "\"") { return JSONValue(kind: .string(try string()), offset: offset) }
        if let token = nonFiniteToken() {
            throw fail("\(token) is not a JSON number: JSON has no NaN or Infinity, and Distill's files hold finite numbers only")
        }
        if next(is: "-") || bytes[i] &- UInt8(ascii: "0") < 10 { return JSONValue(kind: .number(try number()), offset: offset) }
        for (word, kind) in JSONParser.literals where bytes[i...].starts(with: word) {
            i += word.count
            return JSONValue(kind: kind, offset: offset)
        }
        throw fail("unexpected \(describe(offset)) where a value should be")
    }

    static let literals: [(word: [UInt8], kind: JSONValue.Kind)] = [(Array("true".utf8), .bool(true)), (Array("false".utf8), .bool(false)), (Array("null".utf8), .null)]

    /// NaN or Infinity at `i` (with a sign, in any letter case, as JavaScript and Python
    /// write them), which JSON has no way to write.
    func nonFiniteToken() -> String? {
        var start = i
        if start < bytes.count, bytes[start] == UInt8(ascii: "-") || bytes[start] == UInt8(ascii: "+") { start += 1 }
        guard start < bytes.count, bytes[start] | 0x20 == UInt8(ascii: "n") || bytes[start] | 0x20 == UInt8(ascii: "i") else { return nil }
        var end = start
        while end < bytes.count, end - start < 8, (bytes[end] | 0x20) &- UInt8(ascii: "a") < 26 { end += 1 }
        let word = String(decoding: bytes[start..<end], as: UTF8.self).lowercased()
        return ["nan", "inf", "infinity"].contains(word) ? String(decoding: bytes[i..<end], as: UTF8.self) : nil
    }

    /// The byte at `offset` in words, for "unexpected …".
    func describe(_ offset: Int) -> String {
        let byte = bytes[offset]
        if byte > 0x20, byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return byte < 0x80 ? "byte 0x\(String(byte, radix: 16, uppercase: true))" : "non-ASCII text"
    }

    /// A number's text, checked against JSON's grammar:
    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    mutating func number() throws -> String {
        let start = i
        func digits() -> Int {
            let from = i
            while i < bytes.count, bytes[i] &- UInt8(ascii: "0") < 10 { i += 1 }
            return i - from
        }
        if next(is: "-") { i += 1 }
        let integerStart = i
        let integerDigits = digits()
        guard integerDigits > 0 else { throw fail("a '-' that no digit follows") }
        guard integerDigits == 1 || bytes[integerStart] != UInt8(ascii: "0") else {
            throw fail("a number with a leading zero", at: start)
        }
        if next(is: ".") {
            i += 1
            guard digits() > 0 else { throw fail("a '.' that no digit follows") }
        }
        if next(is: "e") || next(is: "E") {
            i += 1
            if next(is: "+") || next(is: "-") { i += 1 }
            guard digits() > 0 else { throw fail("an exponent without digits") }
        }
        return String(decoding: bytes[start..<i], as: UTF8.self)
    }

    /// What each one-letter escape stands for.
    static let escapes: [UInt8: UInt8] = [0x22: 0x22, 0x5C: 0x5C, 0x2F: 0x2F, 0x62: 0x08, 0x66: 0x0C, 0x6E: 0x0A, 0x72: 0x0D, 0x74: 0x09]

    /// The string whose opening quote is at `i`, its escapes undone.
    mutating func string() throws -> String {
        let quote = i
        i += 1
        var decoded: [UInt8] = []
        var runStart = i
        while true {
            guard !atEnd else { throw fail("a string that is never closed", at: quote) }
            let byte = bytes[i]
            if byte == UInt8(ascii: "\"") { break }
            guard byte >= 0x20 else {
                if byte == 0x0A { throw fail("a line break inside the string opened at \(JSONPlace(offset: quote, in: Array(bytes))): is its closing quote missing?") }
                throw fail("a control character (byte 0x\(String(byte, radix: 16, uppercase: true))) inside a string, where JSON needs it escaped")
            }
            guard byte == UInt8(ascii: "\\") else {
                i += 1
                continue
            }
            decoded += bytes[runStart..<i]
            i += 1
            guard !atEnd else { throw fail("a string that is never closed", at: quote) }
            if let replacement = JSONParser.escapes[bytes[i]] {
                decoded.append(replacement)
                i += 1
            } else if next(is: "u") {
                decoded += Array(String(try unicodeEscape()).utf8)
            } else {
                throw fail("a backslash before \(describe(i)), which is no JSON escape")
            }
            runStart = i
        }
        // Most strings have no escape, and are read straight from the document.
        let text = decoded.isEmpty ? String(validating: bytes[runStart..<i], as: UTF8.self)
                                   : String(validating: decoded + bytes[runStart..<i], as: UTF8.self)
        i += 1
        guard let text else {
            throw fail("a string that is not valid UTF-8", at: quote)
        }
        return text
    }

    /// The character of `\uXXXX` (or of a surrogate pair of two), `i` on the `u`.
    mutating func unicodeEscape() throws -> Character {
        let start = i - 1
        let high = try hexQuad()
        var scalar = high
        if (0xD800..<0xDC00).contains(high), i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
            i += 1
            let low = try hexQuad()
            if (0xDC00..<0xE000).contains(low) { scalar = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00) }
        }
        guard let unicode = Unicode.Scalar(scalar) else { throw fail("a \\u escape of a lone surrogate", at: start) }
        return Character(unicode)
    }

    /// The value of the four hex digits after the `u` at `i`.
    mutating func hexQuad() throws -> UInt32 {
        let start = i - 1
        var value: UInt32 = 0
        for offset in 1...4 {
            guard i + offset < bytes.count, let digit = Character(Unicode.Scalar(bytes[i + offset])).hexDigitValue else {
                throw fail("a \\u escape without four hex digits", at: start)
            }
            value = value << 4 | UInt32(digit)
        }
        i += 5
        return value
    }
}
