/// Writes an XML 1.0 document element by element, escaping every attribute value as it
/// goes, so no name or level can end an attribute or open a tag.
///
/// Besides `& < >` and `"` (attributes are double-quoted), tab, line feed and carriage
/// return are written as character references: a parser would turn them into spaces in an
/// attribute (and a carriage return into a line feed anywhere), changing a name that holds
/// them. XML 1.0 has no way at all to carry the other C0 control characters, nor U+FFFE
/// and U+FFFF, so a text holding one is refused rather than altered.
struct XMLWriter {
    private(set) var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    private var open: [String] = []

    /// `<name a="v" …>`; `end()` closes it.
    mutating func start(_ name: String, _ attributes: [(String, String)] = []) throws {
        text += indent + "<\(name)\(try Self.attributes(attributes))>\n"
        open.append(name)
    }

    /// `<name a="v" …/>`.
    mutating func empty(_ name: String, _ attributes: [(String, String)] = []) throws {
        text += indent + "<\(name)\(try Self.attributes(attributes))/>\n"
    }

    mutating func end() {
        let name = open.removeLast()
        text += indent + "</\(name)>\n"
    }

    /// `<!-- note -->`, for text Distill writes itself (never a name from the data).
    mutating func comment(_ note: String) {
        precondition(!note.contains("--") && !note.hasSuffix("-"), "an XML comment cannot hold --")
        text += indent + "<!-- \(note) -->\n"
    }

    private var indent: String { String(repeating: "  ", count: open.count) }

    private static func attributes(_ attributes: [(String, String)]) throws -> String {
        try attributes.map { " \($0.0)=\"\(try escaped($0.1))\"" }.joined()
    }

    /// `text` as an attribute value between double quotes.
    /// - Throws: `DataError` quoting the text when it holds a character XML 1.0 cannot carry.
    static func escaped(_ text: String) throws -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t": out += "&#9;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            case "\u{0}"..."\u{1F}", "\u{FFFE}", "\u{FFFF}":
                let shown = text.unicodeScalars.map { $0.properties.generalCategory == .control || $0.value >= 0xFFFE
                    ? "\\u{\(String($0.value, radix: 16))}" : String($0) }.joined()
                let hex = String(scalar.value, radix: 16, uppercase: true)
                throw DataError("the name '\(shown)' holds U+\(String(repeating: "0", count: 4 - hex.count) + hex), a character XML 1.0 cannot carry; rename it")
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
