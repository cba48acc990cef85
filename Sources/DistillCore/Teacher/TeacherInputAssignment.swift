/// One `--input NAME=col1,col2,…`: the feature columns a model input takes, in order.
public struct TeacherInputAssignment: Sendable, Equatable {
    public var input: String
    public var columns: [String]

    public init(input: String, columns: [String]) {
        self.input = input
        self.columns = columns
    }

    /// Parses `NAME=col1,col2,…`; the input name ends at the first `=`.
    /// - Throws: `TeacherError` naming `--input` when the name or the column list is
    ///   empty or a column is named twice.
    public init(parsing text: String) throws {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
            throw TeacherError.binding("--input '\(text)': expected NAME=col1,col2,… (a model input, '=', its feature columns in order)")
        }
        input = String(text[..<eq])
        columns = text[text.index(after: eq)...].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard !columns.contains("") else {
            throw TeacherError.binding("--input '\(text)': a column name is empty; give the columns as col1,col2,…")
        }
        var seen = Set<String>()
        for column in columns where !seen.insert(column).inserted {
            throw TeacherError.binding("--input '\(text)' names column '\(column)' twice; each column feeds one value of the input")
        }
    }

    /// The names an exporter may have given an input made from `column`: every character
    /// but letters, digits and `_` replaced by `_`, with Unicode letters kept (skl2onnx,
    /// which also keeps `+`) or not (ASCII-only exporters), and `_` put before a leading
    /// digit.
    static func exportedNames(of column: String) -> Set<String> {
        func rename(_ keep: (Character) -> Bool) -> String {
            let body = String(column.map { keep($0) ? $0 : "_" })
            return body.first?.isNumber == true ? "_" + body : body
        }
        let unicode = rename { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "+" }
        let ascii = rename { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        var names: Set<String> = [unicode, ascii]
        for name in [unicode, ascii] where name.hasPrefix("_") && column.first?.isNumber == true {
            names.insert(String(name.dropFirst()))
        }
        names.remove(column)
        return names
    }
}
