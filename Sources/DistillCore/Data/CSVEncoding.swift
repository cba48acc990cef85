/// What the CSV reader says about bytes that show a file is not UTF-8 text.
///
/// Distill reads UTF-8 only. A UTF-16 or UTF-32 file read as UTF-8 looks like text with a
/// NUL after (or before) every ASCII character, so without these checks it would be read as
/// rows of NULs and fail later with a message about field counts that hides the cause.
enum CSVEncoding {
    /// Byte-order marks of the encodings Distill does not read, longest first, since the
    /// UTF-32 little-endian mark starts with the UTF-16 one.
    private static let foreignMarks: [(bytes: [UInt8], name: String)] = [
        ([0xFF, 0xFE, 0x00, 0x00], "UTF-32 (little-endian)"),
        ([0x00, 0x00, 0xFE, 0xFF], "UTF-32 (big-endian)"),
        ([0xFF, 0xFE], "UTF-16 (little-endian)"),
        ([0xFE, 0xFF], "UTF-16 (big-endian)"),
    ]

    /// Bytes the longest mark needs, so the reader waits for them before checking.
    static let markLength = 4

    /// - Parameter start: the file's first bytes (up to `markLength`, fewer if it is shorter).
    /// - Throws: `DataError` naming the file and the encoding when it starts with the
    ///   byte-order mark of UTF-16 or UTF-32.
    static func checkMark(_ start: [UInt8], path: String) throws {
        guard let mark = foreignMarks.first(where: { start.starts(with: $0.bytes) }) else { return }
        throw DataError("\(path): starts with a \(mark.name) byte-order mark; Distill reads CSV files in UTF-8: save the file as UTF-8")
    }

    /// The error for a NUL byte, which no CSV text holds.
    static func nulByte(path: String, line: Int, column: Int) -> DataError {
        DataError.at(path, line: line, column: column,
                     "holds a NUL byte (0x00): the file looks like UTF-16 or binary, not UTF-8 text; save it as UTF-8")
    }
}
