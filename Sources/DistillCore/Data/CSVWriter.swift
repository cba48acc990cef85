import Foundation

/// Writes tables as CSV (RFC 4180): a field is quoted when it holds the delimiter, a quote,
/// a line end or leading/trailing spaces, with quotes doubled. Missing values are empty.
public struct CSVWriter {
    public let delimiter: Character
    private(set) var text = ""

    public init(header: [String], delimiter: Character = ",") {
        self.delimiter = delimiter
        appendRow(header)
    }

    public mutating func appendRow(_ fields: [String]) {
        var first = true
        for field in fields {
            if !first { text.append(delimiter) }
            first = false
            text += quoted(field)
        }
        text += "\n"
    }

    public var contents: String { text }

    private func quoted(_ field: String) -> String {
        let needsQuotes = field.contains(delimiter) || field.contains("\"") || field.contains("\n")
            || field.contains("\r") || field.first == " " || field.last == " "
        guard needsQuotes else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
