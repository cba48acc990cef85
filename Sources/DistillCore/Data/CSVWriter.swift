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
        text += Self.line(fields, delimiter: delimiter)
    }

    public var contents: String { text }

    /// One record, with its line end.
    public static func line(_ fields: [String], delimiter: Character = ",") -> String {
        fields.map { quoted($0, delimiter: delimiter) }.joined(separator: String(delimiter)) + "\n"
    }

    private static func quoted(_ field: String, delimiter: Character) -> String {
        let needsQuotes = field.contains(delimiter) || field.contains("\"") || field.contains("\n")
            || field.contains("\r") || field.first == " " || field.last == " "
        guard needsQuotes else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
