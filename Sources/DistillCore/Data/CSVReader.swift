import Foundation

/// Every column of a CSV file, as read.
public struct CSVTable: Sendable, Equatable {
    public var path: String
    public var columns: [Column]
    public var rowCount: Int
}

/// Reads CSV files (RFC 4180) into columns.
///
/// A header row is required. Fields are separated by `delimiter`; a field in double quotes
/// may hold the delimiter, newlines and doubled quotes. UTF-8 with or without a byte-order
/// mark; LF, CRLF or CR line ends; blank lines are skipped. A UTF-16 or UTF-32 byte-order
/// mark, or a NUL byte anywhere, is an error: the file is not UTF-8 text. Numbers become
/// Float32 (and also stay at double precision with `keepingDoubles`, for a teacher with
/// float64 inputs), and a number beyond Float32's range is an error. Empty fields and NA, NaN, null
/// (any case) are missing. A column with any other text is categorical, except that
/// infinity (`inf`, `-Infinity`, …) in a column whose other values are all numbers is an
/// error, not a level: it is a number Distill cannot take, not a category.
///
/// The file is streamed in blocks of a few MiB, so memory holds the columns and one block,
/// not the file. A block without quote characters (the usual numeric file) is cut at a line
/// end near its middle and its two halves are parsed on two cores; anything unusual in a
/// half (an error, a quote) sends the whole block through the sequential parser, which
/// reports errors with their exact line.
public enum CSVReader {
    public static func read(_ path: String, delimiter: Character = ",", keepingDoubles: Bool = false) throws -> CSVTable {
        guard let separator = delimiter.asciiValue, separator != 0, delimiter != "\"", delimiter != "\n", delimiter != "\r" else {
            throw DataError("--delimiter must be one ASCII character other than a quote, a line end or NUL, not '\(delimiter)'")
        }
        var textColumns = Set<Int>()
        while true {
            var pass = CSVPass(path: path, delimiter: separator, textColumns: textColumns, keepingDoubles: keepingDoubles)
            try pass.run()
            try pass.checkInfinities()
            let reread = pass.columnsToReread
            if reread.isEmpty {
                return CSVTable(path: path, columns: pass.columns.map { $0.column() }, rowCount: pass.rowCount)
            }
            textColumns.formUnion(reread)
        }
    }

    /// Calls `body` with every record of the file as it is written: the header first, then
    /// each data row, its fields' text with quotes undone, blank lines skipped. The records
    /// are those `read` makes its rows of, in the same order; memory holds one block of the
    /// file, so the original text of any column can be written back unchanged.
    public static func forEachRecord(_ path: String, delimiter: Character = ",", _ body: ([String]) throws -> Void) throws {
        guard let separator = delimiter.asciiValue, delimiter != "\"", delimiter != "\n", delimiter != "\r" else {
            throw DataError("--delimiter must be one ASCII character other than a quote or a line end, not '\(delimiter)'")
        }
        try withoutActuallyEscaping(body) { body in
            var pass = CSVPass(path: path, delimiter: separator, textColumns: [], keepingDoubles: false)
            pass.recordHandler = body
            try pass.run()
        }
    }
}

/// One reading of a CSV file from start to end.
private struct CSVPass {
    let path: String
    let delimiter: UInt8
    let textColumns: Set<Int>
    let keepingDoubles: Bool
    private(set) var columns: [ColumnBuilder] = []
    private(set) var rowCount = 0
    /// The physical line the next record starts on.
    private var line = 1
    private var fields: [FieldSpan] = []
    private var fileSize = 0
    /// When set, each record's fields go here as text instead of into columns.
    var recordHandler: (([String]) throws -> Void)?

    init(path: String, delimiter: UInt8, textColumns: Set<Int>, keepingDoubles: Bool) {
        self.path = path
        self.delimiter = delimiter
        self.textColumns = textColumns
        self.keepingDoubles = keepingDoubles
    }

    var columnsToReread: Set<Int> {
        Set(columns.indices.filter { columns[$0].needsRereadAsText && !textColumns.contains($0) })
    }

    /// Infinity is a number Distill cannot take: in a column whose other values are all
    /// numbers (or missing) it is an error at its first appearance, the earliest in the file
    /// when several columns hold one. The column's numbers read before it turned to text
    /// were numbers, so this pass's levels decide, without reading the file again.
    /// - Throws: `DataError` naming the line, column and value.
    func checkInfinities() throws {
        let found = columns.indices.compactMap { index in columns[index].firstInfinity().map { (index, $0.line, $0.value) } }
        guard let (index, line, value) = found.min(by: { ($0.1, $0.0) < ($1.1, $1.0) }) else { return }
        throw DataError.at(path, line: line, column: index + 1, columnName: columns[index].name,
                           "infinity", value: value,
                           hint: "the column's other values are numbers, and Distill takes finite numbers only: leave the field empty for a missing value")
    }

    mutating func run() throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw DataError("\(path): cannot open: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) == 0 {
            guard (info.st_mode & S_IFMT) != S_IFDIR else { throw DataError("\(path): is a directory, not a CSV file") }
            fileSize = Int(info.st_size)
        }

        let chunkSize = 1 << 20
        let blockSize = 4 << 20
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(blockSize + chunkSize)
        var atEnd = false
        var first = true
        var sawHeader = false
        while !atEnd {
            let got = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, chunkSize) }
            guard got >= 0 else {
                throw DataError("\(path): read failed: \(String(cString: strerror(errno)))")
            }
            atEnd = got == 0
            buffer.append(contentsOf: chunk[0..<got])
            if first {
                if buffer.count < CSVEncoding.markLength, !atEnd { continue }
                try CSVEncoding.checkMark(Array(buffer.prefix(CSVEncoding.markLength)), path: path)
                if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { buffer.removeFirst(3) }
                first = false
            }
            if sawHeader, !atEnd, buffer.count < blockSize { continue }
            var consumed = 0
            if sawHeader, rowCount > 0, recordHandler == nil, let (middle, end) = CSVPass.parallelCuts(buffer, atEnd: atEnd) {
                consumed = parseInParallel(buffer, halves: [0..<middle, middle..<end]) ? end : 0
            }
            if consumed == 0 {
                consumed = try buffer.withUnsafeBufferPointer { bytes in
                    try parseRecords(bytes, atEnd: atEnd, sawHeader: &sawHeader)
                }
            }
            buffer.removeFirst(consumed)
        }
        guard sawHeader else { throw DataError("\(path): the file is empty; a header row is required") }
        guard rowCount > 0 else { throw DataError("\(path): has a header but no data rows") }
    }

    /// Where to cut a block for two workers: after a line end near the middle, and after its
    /// last line end (everything, at the end of the file). Nil when the block is small or
    /// holds a quote, whose newlines could be inside a field.
    private static func parallelCuts(_ buffer: [UInt8], atEnd: Bool) -> (middle: Int, end: Int)? {
        guard buffer.count >= 1 << 20 else { return nil }
        // memchr: a vectorised scan, where a Swift loop here showed in profiles.
        let hasQuote = buffer.withUnsafeBytes { bytes in
            bytes.baseAddress.map { memchr($0, Int32(UInt8(ascii: "\"")), bytes.count) != nil } ?? false
        }
        guard !hasQuote else { return nil }
        func isLineEnd(_ byte: UInt8) -> Bool { byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") }
        let end = atEnd ? buffer.count : (buffer.lastIndex(where: isLineEnd).map { $0 + 1 } ?? 0)
        guard let middle = buffer[(end / 2)..<end].firstIndex(where: isLineEnd).map({ $0 + 1 }), middle < end else {
            return nil
        }
        return (middle, end)
    }

    /// Parses each range of `buffer` on its own core into fresh columns, then appends them in
    /// order. Returns false, leaving this pass unchanged, when a range needs the sequential
    /// parser (an error to report with its line).
    private mutating func parseInParallel(_ buffer: [UInt8], halves: [Range<Int>]) -> Bool {
        var fresh = CSVPass(path: path, delimiter: delimiter, textColumns: textColumns, keepingDoubles: keepingDoubles)
        fresh.columns = columns.map(\.emptyCopy)
        let template = fresh
        let workers = concurrentMap(halves.count) { index -> CSVPass? in
            buffer[halves[index]].withUnsafeBufferPointer { bytes in
                var worker = template
                if worker.parseNumericRows(bytes) { return worker }
                worker = template
                var sawHeader = true
                let used = try? worker.parseRecords(bytes, atEnd: true, sawHeader: &sawHeader)
                return used == bytes.count ? worker : nil
            }
        }
        guard workers.allSatisfy({ $0 != nil }) else { return false }
        for worker in workers.compactMap({ $0 }) {
            for index in columns.indices { columns[index].append(worker.columns[index], lineOffset: line - 1) }
            rowCount += worker.rowCount
            line += worker.line - 1
        }
        return true
    }

    /// The fast path for blocks of plain numbers: one pass that finds and converts each
    /// field at once, with no field list. Returns false at anything else (text, quotes, a
    /// missing-value word, a wrong field count, a number out of range), leaving the caller
    /// to parse the bytes again with the general parser.
    private mutating func parseNumericRows(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        guard columns.allSatisfy({ !$0.isText }) else { return false }
        let lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        let n = p.count
        let width = columns.count
        var i = 0
        var rows = 0
        var lines = 0
        var values = [Double](repeating: 0, count: width)
        while i < n {
            if p[i] == lf || p[i] == cr {
                // A blank line; CRLF counts once.
                if p[i] == cr, i + 1 < n, p[i + 1] == lf { i += 1 }
                i += 1
                lines += 1
                continue
            }
            for column in 0..<width {
                let value: Double
                let next: Int
                if i < n, p[i] == delimiter || p[i] == lf || p[i] == cr {
                    (value, next) = (.nan, i)
                } else {
                    guard let (number, stop) = NumberParser.scanNumber(p, i, n), Float(number).isFinite else { return false }
                    (value, next) = (number, stop)
                }
                let last = column == width - 1
                if last {
                    guard next == n || p[next] == lf || p[next] == cr else { return false }
                } else {
                    guard next < n, p[next] == delimiter else { return false }
                }
                values[column] = value
                i = next + (last ? 0 : 1)
            }
            for column in 0..<width { columns[column].appendParsed(values[column]) }
            if i < n, p[i] == cr, i + 1 < n, p[i + 1] == lf { i += 1 }
            i += 1
            lines += 1
            rows += 1
        }
        rowCount += rows
        line += lines
        return true
    }

    /// Parses every complete record in `bytes`; returns how many bytes were used.
    private mutating func parseRecords(_ bytes: UnsafeBufferPointer<UInt8>, atEnd: Bool,
                                       sawHeader: inout Bool) throws -> Int {
        var position = 0
        while position < bytes.count {
            guard let record = try scanRecord(bytes, from: position, atEnd: atEnd) else { break }
            let isBlank = fields.count == 1 && fields[0].end == fields[0].start && !fields[0].quoted
            if !isBlank, let recordHandler {
                try recordHandler(fields.indices.map { try text(of: $0, in: bytes) })
                if sawHeader { rowCount += 1 }
                sawHeader = true
            } else if !isBlank {
                if !sawHeader {
                    try readHeader(bytes)
                    sawHeader = true
                } else {
                    if rowCount == 0 { reserveRows(firstRowBytes: record.next - position) }
                    try storeRow(bytes)
                }
            }
            line += record.lineEnds
            position = record.next
        }
        return position
    }

    /// Finds the fields of the record starting at `start`; nil when the buffer ends first.
    private mutating func scanRecord(_ p: UnsafeBufferPointer<UInt8>, from start: Int,
                                     atEnd: Bool) throws -> (next: Int, lineEnds: Int)? {
        let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        let n = p.count
        fields.removeAll(keepingCapacity: true)
        var i = start
        var lineEnds = 0
        while true {
            if i < n, p[i] == quote {
                i += 1
                let fieldStart = i
                var escaped = false
                while true {
                    while i < n, p[i] != quote {
                        if p[i] == lf { lineEnds += 1 }
                        if p[i] == 0 { throw CSVEncoding.nulByte(path: path, line: line + lineEnds, column: fields.count + 1) }
                        i += 1
                    }
                    if i >= n {
                        guard atEnd else { return nil }
                        throw DataError.at(path, line: line, column: fields.count + 1,
                                           "unterminated quoted field (the quote opened here is never closed)")
                    }
                    if i + 1 < n, p[i + 1] == quote {
                        escaped = true
                        i += 2
                        continue
                    }
                    if i + 1 >= n, !atEnd { return nil }
                    break
                }
                fields.append(FieldSpan(start: fieldStart, end: i, quoted: true, escaped: escaped))
                i += 1
                if i < n, p[i] == 0 {
                    throw CSVEncoding.nulByte(path: path, line: line + lineEnds, column: fields.count)
                }
                if i < n, p[i] != delimiter, p[i] != lf, p[i] != cr {
                    throw DataError.at(path, line: line + lineEnds, column: fields.count,
                                       "unexpected text after a closing quote")
                }
            } else {
                let fieldStart = i
                while i < n, p[i] != delimiter, p[i] != lf, p[i] != cr, p[i] != 0 { i += 1 }
                if i < n, p[i] == 0 {
                    throw CSVEncoding.nulByte(path: path, line: line + lineEnds, column: fields.count + 1)
                }
                if i >= n, !atEnd { return nil }
                fields.append(FieldSpan(start: fieldStart, end: i, quoted: false, escaped: false))
            }
            if i < n, p[i] == delimiter {
                i += 1
                continue
            }
            if i < n, p[i] == cr {
                i += 1
                if i < n, p[i] == lf {
                    i += 1
                } else if i >= n, !atEnd {
                    return nil
                }
                lineEnds += 1
            } else if i < n, p[i] == lf {
                i += 1
                lineEnds += 1
            }
            return (i, lineEnds)
        }
    }

    private mutating func readHeader(_ p: UnsafeBufferPointer<UInt8>) throws {
        var names: [String] = []
        var seen: [String: Int] = [:]
        for index in 0..<fields.count {
            let name = try text(of: index, in: p).trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else {
                throw DataError.at(path, line: line, column: index + 1, "the header has an empty column name")
            }
            if let earlier = seen[name] {
                throw DataError.at(path, line: line, column: index + 1,
                                   "duplicate column name (also column \(earlier + 1))", value: name)
            }
            seen[name] = index
            names.append(name)
        }
        columns = names.enumerated().map { index, name in
            ColumnBuilder(name: name, text: textColumns.contains(index), keepingDoubles: keepingDoubles)
        }
    }

    /// Reserves room for the rows the file probably holds, judged by its first row, so the
    /// columns do not grow by copying. Generous on purpose: untouched capacity costs address
    /// space, not memory.
    private mutating func reserveRows(firstRowBytes: Int) {
        guard fileSize > 0 else { return }
        let estimate = min(fileSize / max(firstRowBytes, 1) * 5 / 4 + 16, 1 << 28)
        for index in columns.indices {
            columns[index].reserve(estimate)
        }
    }

    private mutating func storeRow(_ p: UnsafeBufferPointer<UInt8>) throws {
        guard fields.count == columns.count else {
            let problem = fields.count < columns.count ? "too few" : "too many"
            throw DataError.at(path, line: line, column: min(fields.count, columns.count) + 1,
                               "\(problem) fields: expected \(columns.count) (as in the header), found \(fields.count)")
        }
        let numericDone = fields.withUnsafeBufferPointer { spans in
            columns.withUnsafeMutableBufferPointer { builders in
                Self.storeNumbers(spans, into: builders, from: p)
            }
        }
        if numericDone == fields.count {
            rowCount += 1
            return
        }
        for index in numericDone..<fields.count {
            if !columns[index].isText, !fields[index].escaped {
                let field = UnsafeBufferPointer(rebasing: p[fields[index].start..<fields[index].end])
                if columns[index].appendNumberIfValid(field) { continue }
                if case .value = NumberParser.parse(field) {
                    throw DataError.at(path, line: line, column: index + 1, columnName: columns[index].name,
                                       "number outside the range of Float32 (±3.4e38)", value: try text(of: index, in: p))
                }
            }
            let value = try text(of: index, in: p)
            columns[index].appendText(value, isMissing: NumberParser.isMissingText(value), line: line)
        }
        rowCount += 1
    }

    /// The fast path: stores leading numeric fields until one needs more care (text, an
    /// escaped quote, a number out of range, which is not stored); returns how many were stored.
    private static func storeNumbers(_ spans: UnsafeBufferPointer<FieldSpan>,
                                     into builders: UnsafeMutableBufferPointer<ColumnBuilder>,
                                     from p: UnsafeBufferPointer<UInt8>) -> Int {
        for index in 0..<spans.count {
            let span = spans[index]
            guard !builders[index].isText, !span.escaped else { return index }
            let field = UnsafeBufferPointer(rebasing: p[span.start..<span.end])
            guard builders[index].appendNumberIfValid(field) else { return index }
        }
        return spans.count
    }

    /// The field's text, with doubled quotes undone; invalid UTF-8 is an error.
    private func text(of index: Int, in p: UnsafeBufferPointer<UInt8>) throws -> String {
        var bytes = Array(p[fields[index].start..<fields[index].end])
        if fields[index].escaped {
            var unescaped: [UInt8] = []
            unescaped.reserveCapacity(bytes.count)
            var i = 0
            while i < bytes.count {
                unescaped.append(bytes[i])
                i += bytes[i] == UInt8(ascii: "\"") ? 2 : 1
            }
            bytes = unescaped
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw DataError.at(path, line: line, column: index + 1, "the field is not valid UTF-8")
        }
        return text
    }
}

// The parallel path copies a pass to each worker; it is never taken with a record handler,
// the one member that is not Sendable.
extension CSVPass: @unchecked Sendable {}

/// Byte range of one field of the record being read.
private struct FieldSpan {
    var start: Int
    var end: Int
    var quoted: Bool
    /// Holds doubled quotes that must be undone before use.
    var escaped: Bool
}
