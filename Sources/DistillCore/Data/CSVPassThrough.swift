/// A CSV file written back with columns added to every row, each original field exactly as
/// it was written: an ID like 9007199254740993 or a ZIP code like 02134 must not come back
/// as the Float32 a feature column holds, and columns the command did not use (`--drop`, the
/// label) keep their place.
public enum CSVPassThrough {
    /// - Parameters:
    ///   - source: the CSV file the rows were read from (`CSVReader.read` of the same file
    ///     and delimiter), read again record by record.
    ///   - added: the names of the added columns.
    ///   - rows: how many data rows the first reading found.
    ///   - fields: the added fields of data row `i` (from 0).
    ///   - path: where to write, or nil for standard output.
    /// - Throws: `DataError` naming `source` when it no longer holds the rows it held (it
    ///   changed since it was read), or naming `path` when it cannot be written.
    public static func write(from source: String, delimiter: Character, added: [String], rows: Int,
                             fields: (Int) -> [String], to path: String?) throws {
        if let path {
            try AtomicFile.write(to: path) { append in
                try copy(from: source, delimiter: delimiter, added: added, rows: rows, fields: fields, append)
            }
        } else {
            try copy(from: source, delimiter: delimiter, added: added, rows: rows, fields: fields) { print($0, terminator: "") }
        }
    }

    private static func copy(from source: String, delimiter: Character, added: [String], rows: Int,
                             fields: (Int) -> [String], _ append: (String) throws -> Void) throws {
        var row = -1
        try CSVReader.forEachRecord(source, delimiter: delimiter) { record in
            guard row < rows else { throw changed(source) }
            try append(CSVWriter.line(record + (row < 0 ? added : fields(row))))
            row += 1
        }
        guard row == rows else { throw changed(source) }
    }

    private static func changed(_ source: String) -> DataError {
        DataError("\(source): the file changed while Distill was reading it; run the command again")
    }
}
