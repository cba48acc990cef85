import Foundation

/// One row written on the command line as comma-separated `name=value` pairs (`--values`).
///
/// A value in double quotes may hold commas; a doubled quote inside stands for one quote.
/// Spaces around names and values are dropped. A value that is empty or that a CSV file
/// would read as missing (NA, NaN, null, in any letter case) is missing.
public struct ValueList: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var name: String
        /// The value as written, unquoted; nil when missing.
        public var text: String?
    }

    public let entries: [Entry]

    /// - Throws: `DataError` naming `--values` and the pair that is not `name=value`, a quote
    ///   left open, text outside a value's quotes, or a name given twice.
    public init(parsing text: String) throws {
        var entries: [Entry] = []
        for pair in try Self.pairs(text) {
            guard let equals = pair.firstIndex(of: "=") else {
                throw DataError("--values: '\(DataError.cutShort(pair))' is not name=value")
            }
            let name = pair[..<equals].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { throw DataError("--values: '\(DataError.cutShort(pair))' has no name before '='") }
            guard !entries.contains(where: { $0.name == name }) else { throw DataError("--values: '\(name)' is given twice") }
            let value = try Self.unquoted(pair[pair.index(after: equals)...].trimmingCharacters(in: .whitespaces), of: name)
            entries.append(Entry(name: name, text: NumberParser.isMissingText(value) ? nil : value))
        }
        self.entries = entries
    }

    /// The text between commas that are outside double quotes.
    private static func pairs(_ text: String) throws -> [String] {
        var pairs: [String] = []
        var current = ""
        var quoted = false
        for character in text {
            if character == "\"" { quoted.toggle() }
            if character == ",", !quoted {
                pairs.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        guard !quoted else { throw DataError("--values: a double quote is not closed in '\(DataError.cutShort(current))'") }
        pairs.append(current)
        if let empty = pairs.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            throw DataError("--values: pair \(empty + 1) is empty; write name=value pairs separated by single commas")
        }
        return pairs
    }

    /// A value as written, or the inside of its double quotes with doubled quotes undone.
    private static func unquoted(_ value: String, of name: String) throws -> String {
        guard value.contains("\"") else { return value }
        guard value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") else {
            throw DataError("--values: the value of '\(name)' has text outside its double quotes: \(DataError.cutShort(value))")
        }
        return String(value.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"")
    }
}
