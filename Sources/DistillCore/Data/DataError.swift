/// A problem with input data, said with where it is and what to do.
public struct DataError: Error, CustomStringConvertible, Equatable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }

    /// `file:line:column: message`, with the offending value quoted and cut short, then what
    /// to do when `hint` says it.
    static func at(_ file: String, line: Int, column: Int? = nil, columnName: String? = nil,
                   _ message: String, value: String? = nil, hint: String? = nil) -> DataError {
        var place = "\(file):\(line)"
        if let column {
            place += ":\(column)"
        }
        var text = "\(place): \(message)"
        if let columnName {
            text += " in column '\(columnName)'"
        }
        if let value {
            text += ": \"\(DataError.cutShort(value))\""
        }
        if let hint {
            text += "; \(hint)"
        }
        return DataError(text)
    }

    static func cutShort(_ value: String, limit: Int = 40) -> String {
        value.count <= limit ? value : String(value.prefix(limit)) + "…"
    }
}
