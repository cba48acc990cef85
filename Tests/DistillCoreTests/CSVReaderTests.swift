import Foundation
import Testing

@testable import DistillCore

@Suite("CSV reader")
struct CSVReaderTests {
    let files = TemporaryDirectory()

    func read(_ text: String, delimiter: Character = ",") throws -> CSVTable {
        try CSVReader.read(files.write("data.csv", text), delimiter: delimiter)
    }

    func failure(_ text: String) -> String {
        bytesFailure(Array(text.utf8))
    }

    func bytesFailure(_ bytes: [UInt8]) -> String {
        do {
            _ = try CSVReader.read(files.write("data.csv", bytes: bytes))
            return "no error"
        } catch {
            return "\(error)".replacingOccurrences(of: files.path + "/", with: "")
        }
    }

    @Test func numbersAndTextColumns() throws {
        let table = try read("a,b,c\n1,x,2.5\n-3e2,y,\n0.125,x,NA\n")
        #expect(table.rowCount == 3)
        #expect(table.columns.map(\.name) == ["a", "b", "c"])
        #expect(table.columns[0].values == .numeric([1, -300, 0.125]))
        #expect(table.columns[1].values == .categorical(codes: [0, 1, 0], levels: ["x", "y"]))
        guard case .numeric(let c) = table.columns[2].values else { Issue.record("c is numeric"); return }
        #expect(c[0] == 2.5 && c[1].isNaN && c[2].isNaN)
    }

    @Test(arguments: ["", "NA", "na", "NaN", "nan", "NULL", "null", " "])
    func missingTokens(token: String) throws {
        let table = try read("a,t\n1,x\n\(token),\(token)\n")
        #expect(table.columns[0].isMissing(1))
        #expect(table.columns[1].isMissing(1))
        #expect(table.columns[1].levels == ["x"])
    }

    @Test func quotingPerRFC4180() throws {
        let table = try read("name,note\n\"Smith, J\",\"said \"\"hi\"\"\"\n\"multi\nline\",plain\n")
        #expect(table.rowCount == 2)
        #expect(table.columns[0].text(at: 0) == "Smith, J")
        #expect(table.columns[1].text(at: 0) == "said \"hi\"")
        #expect(table.columns[0].text(at: 1) == "multi\nline")
    }

    @Test func bomCRLFAndBlankLines() throws {
        let table = try CSVReader.read(files.write("bom.csv", bytes: [0xEF, 0xBB, 0xBF] + Array("x,y\r\n1,2\r\n\r\n3,4\r\n".utf8)))
        #expect(table.columns.map(\.name) == ["x", "y"])
        #expect(table.columns[1].values == .numeric([2, 4]))
    }

    @Test func noTrailingNewlineAndOtherDelimiter() throws {
        let table = try read("x;y\n1,5;a\n2;b", delimiter: ";")
        #expect(table.rowCount == 2)
        // "1,5" is not a number with ';' as separator, so x becomes text.
        #expect(table.columns[0].levels == ["1,5", "2"])
    }

    @Test func columnThatTurnsToTextKeepsOriginalSpelling() throws {
        let table = try read("code\n007\n1.50\nabc\n")
        #expect(table.columns[0].levels == ["007", "1.50", "abc"])
        #expect(table.columns[0].text(at: 0) == "007")
    }

    @Test func utf8TextLevels() throws {
        let table = try read("city\nZürich\nMünchen\n東京\n")
        #expect(table.columns[0].levels == ["München", "Zürich", "東京"])
    }

    @Test func recordsSpanningReadChunks() throws {
        // Longer than one 1 MiB chunk, with a quoted newline near every boundary.
        var text = "id,note\n"
        for row in 0..<60_000 { text += "\(row),\"line one\nline two \(row % 7)\"\n" }
        let table = try read(text)
        #expect(table.rowCount == 60_000)
        #expect(table.columns[0].values == .numeric((0..<60_000).map(Float.init)))
        #expect(table.columns[1].levels.count == 7)
    }

    @Test func float32RoundingMatchesParsingThroughDouble() throws {
        let table = try read("v\n0.1\n3.4028235e38\n1e-50\n123456789012345678901234\n")
        #expect(table.columns[0].values == .numeric([Float(0.1), Float.greatestFiniteMagnitude, 0, Float(1.2345679e23)]))
    }

    // Each bad input names the file, line and column and quotes the value.
    @Test func missingFile() {
        do {
            _ = try CSVReader.read(files.path + "/no-such.csv")
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".hasSuffix("no-such.csv: cannot open: No such file or directory"))
        }
    }

    @Test func emptyFile() {
        #expect(failure("") == "data.csv: the file is empty; a header row is required")
    }

    @Test func headerOnly() {
        #expect(failure("a,b\n") == "data.csv: has a header but no data rows")
    }

    @Test func duplicateColumnNames() {
        #expect(failure("a,b,a\n1,2,3\n") == "data.csv:1:3: duplicate column name (also column 1): \"a\"")
    }

    @Test func tooFewFields() {
        #expect(failure("a,b,c\n1,2,3\n4,5\n") == "data.csv:3:3: too few fields: expected 3 (as in the header), found 2")
    }

    @Test func tooManyFields() {
        #expect(failure("a,b\n1,2\n\n3,4,5\n") == "data.csv:4:3: too many fields: expected 2 (as in the header), found 3")
    }

    @Test func unterminatedQuote() {
        #expect(failure("a,b\n1,\"open\n2,3\n") == "data.csv:2:2: unterminated quoted field (the quote opened here is never closed)")
    }

    @Test func numberOutOfRange() {
        #expect(failure("a,b\n1,2\n3,1e39\n") == "data.csv:3:2: number outside the range of Float32 (±3.4e38) in column 'b': \"1e39\"")
    }

    @Test func longValuesAreCutShort() {
        let long = "9" + String(repeating: "0", count: 60)
        #expect(failure("a\n\(long)\n") == "data.csv:2:1: number outside the range of Float32 (±3.4e38) in column 'a': \"\(String(long.prefix(40)))…\"")
    }

    @Test func textAfterClosingQuote() {
        #expect(failure("a,b\n\"x\"y,2\n") == "data.csv:2:1: unexpected text after a closing quote")
    }

    @Test func invalidUTF8() throws {
        let path = files.write("bad.csv", bytes: Array("a\n".utf8) + [0xC3, 0x28, 0x0A])
        #expect(throws: DataError("\(path):2:1: the field is not valid UTF-8")) { try CSVReader.read(path) }
    }

    @Test func emptyHeaderName() {
        #expect(failure("a,,c\n1,2,3\n") == "data.csv:1:2: the header has an empty column name")
    }

    static let nulAdvice = "holds a NUL byte (0x00): the file looks like UTF-16 or binary, not UTF-8 text; save it as UTF-8"

    /// UTF-16 without a byte-order mark has a NUL beside every ASCII character: the first
    /// is the error, rather than rows of NULs and a complaint about field counts.
    @Test(arguments: [(false, "data.csv:1:1: "), (true, "data.csv:1:1: ")])
    func utf16WithoutByteOrderMark(bigEndian: Bool, place: String) {
        let text = "a,b\n1,2\n3,4\n"
        let bytes = text.utf16.flatMap { unit -> [UInt8] in
            let pair = [UInt8(unit & 0xFF), UInt8(unit >> 8)]
            return bigEndian ? pair.reversed() : pair
        }
        #expect(bytesFailure(bytes) == place + Self.nulAdvice)
    }

    @Test(arguments: [([0xFF, 0xFE] as [UInt8], "UTF-16 (little-endian)"), ([0xFE, 0xFF], "UTF-16 (big-endian)"),
                      ([0xFF, 0xFE, 0x00, 0x00], "UTF-32 (little-endian)"), ([0x00, 0x00, 0xFE, 0xFF], "UTF-32 (big-endian)")])
    func foreignByteOrderMarks(mark: [UInt8], name: String) {
        #expect(bytesFailure(mark + Array("a\n1\n".utf8)) ==
                "data.csv: starts with a \(name) byte-order mark; Distill reads CSV files in UTF-8: save the file as UTF-8")
    }

    @Test func nulInsideANumberNamesItsLineAndColumn() {
        #expect(bytesFailure(Array("a,b\n1,2\n3,4".utf8) + [0] + Array("5\n".utf8)) == "data.csv:3:2: " + Self.nulAdvice)
    }

    @Test func nulInsideAQuotedFieldNamesTheLineItIsOn() {
        #expect(bytesFailure(Array("a,b\n1,\"x\ny".utf8) + [0] + Array("\"\n".utf8)) == "data.csv:3:2: " + Self.nulAdvice)
    }

    @Test func nulAfterAClosingQuote() {
        #expect(bytesFailure(Array("a,b\n\"x\"".utf8) + [0] + Array(",2\n".utf8)) == "data.csv:2:1: " + Self.nulAdvice)
    }

    @Test func nulIsNoDelimiter() {
        #expect(throws: DataError("--delimiter must be one ASCII character other than a quote, a line end or NUL, not '\u{0}'")) {
            try read("a\n1\n", delimiter: "\u{0}")
        }
    }

    static let infinityAdvice = "the column's other values are numbers, and Distill takes finite numbers only: leave the field empty for a missing value"

    @Test(arguments: ["inf", "-inf", "+inf", "Infinity", "+Infinity", "-INFINITY", "INF", " inf "])
    func infinityAmongNumbersIsAnError(token: String) {
        #expect(failure("x,y\n1,a\n\(token),b\n2,c\n") == "data.csv:3:1: infinity in column 'x': \"\(token)\"; " + Self.infinityAdvice)
    }

    @Test func infinityBeforeAnyNumberOrAmongMissingValues() {
        #expect(failure("x,y\ninf,1\n1,2\n") == "data.csv:2:1: infinity in column 'x': \"inf\"; " + Self.infinityAdvice)
        #expect(failure("x,y\n,1\nNA,2\n-Infinity,3\nnan,4\n") == "data.csv:4:1: infinity in column 'x': \"-Infinity\"; " + Self.infinityAdvice)
    }

    @Test func theEarliestInfinityIsReportedWhenColumnsHoldSeveral() {
        #expect(failure("x,y\n1,2\n3,inf\ninf,4\n") == "data.csv:3:2: infinity in column 'y': \"inf\"; " + Self.infinityAdvice)
    }

    @Test func infinityInAColumnOfTextIsALevel() throws {
        let table = try read("size,n\nlow,1\ninf,2\nhigh,3\n")
        #expect(table.columns[0].levels == ["high", "inf", "low"])
        // Text after numbers and infinity: the column is read again as text.
        let later = try read("code\n1\ninf\nabc\n")
        #expect(later.columns[0].levels == ["1", "abc", "inf"])
    }

    @Test func nanIsMissingNotInfinity() throws {
        let table = try read("x\n1\nnan\n-2\n")
        #expect(table.columns[0].isMissing(1))
        #expect(table.columns[0].isNumeric)
    }
}

/// Files large enough that blocks are cut in two and parsed on two cores.
@Suite("CSV reader, blocks parsed in parallel")
struct CSVParallelTests {
    let files = TemporaryDirectory()
    static let rows = 200_000

    @Test func numbersAndLevelsMatchTheRows() throws {
        var text = "id,colour,x\r\n"
        for row in 0..<Self.rows {
            text += "\(row),\(["red", "green", "blue"][row % 3]),\(row % 10 == 0 ? "" : String(Double(row) / 8))\r\n"
            if row % 50_000 == 0 { text += "\r\n" }
        }
        let table = try CSVReader.read(files.write("big.csv", text))
        #expect(table.rowCount == Self.rows)
        #expect(table.columns[0].values == .numeric((0..<Self.rows).map(Float.init)))
        #expect(table.columns[1].levels == ["blue", "green", "red"])
        guard case .categorical(let codes, _) = table.columns[1].values else { Issue.record("colour"); return }
        #expect(codes.enumerated().allSatisfy { row, code in code == [2, 1, 0][row % 3] })
        guard case .numeric(let x) = table.columns[2].values else { Issue.record("x"); return }
        #expect(x.enumerated().allSatisfy { row, value in row % 10 == 0 ? value.isNaN : value == Float(Double(row) / 8) })
    }

    @Test func columnTurningToTextLateKeepsItsSpelling() throws {
        var text = "code\n"
        // Over 1 MiB, so the last block is cut in two; the text comes in its second half.
        for row in 0..<Self.rows { text += row == Self.rows - 5 ? "x7\n" : "000000\(row % 100)\n" }
        let table = try CSVReader.read(files.write("late.csv", text))
        #expect(table.columns[0].levels.count == 101)
        #expect(table.columns[0].text(at: 3) == "0000003")
        #expect(table.columns[0].text(at: Self.rows - 5) == "x7")
    }

    @Test func nulInALaterBlockNamesItsExactLine() throws {
        var text = "a,b\n"
        for row in 0..<Self.rows { text += row == 150_000 ? "1,2\u{0}\n" : "\(row),1\n" }
        do {
            _ = try CSVReader.read(files.write("nul.csv", text))
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".hasSuffix("nul.csv:150002:2: " + CSVReaderTests.nulAdvice))
        }
    }

    @Test func infinityInALaterBlockNamesItsExactLine() throws {
        var text = "a,b\n"
        for row in 0..<Self.rows { text += "\(row),\(row == 170_000 || row == 190_000 ? "-inf" : "1.5")\n" }
        do {
            _ = try CSVReader.read(files.write("inf.csv", text))
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".hasSuffix("inf.csv:170002:2: infinity in column 'b': \"-inf\"; " + CSVReaderTests.infinityAdvice))
        }
    }

    @Test func infinityInOneHalfAndTextInTheOtherMakeAColumnOfText() throws {
        var text = "a,b\n"
        for row in 0..<Self.rows { text += "\(row),\(row == 120_000 ? "inf" : row == Self.rows - 3 ? "many" : String(row % 5))\n" }
        let table = try CSVReader.read(files.write("levels.csv", text))
        #expect(table.columns[1].levels == ["0", "1", "2", "3", "4", "inf", "many"])
        #expect(table.columns[1].text(at: 120_000) == "inf")
    }

    @Test func errorInALaterBlockNamesItsExactLine() throws {
        var text = "a,b\n"
        for row in 0..<Self.rows { text += row == 150_000 ? "1,2,3\n" : "\(row),1\n" }
        do {
            _ = try CSVReader.read(files.write("bad.csv", text))
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".hasSuffix("bad.csv:150002:3: too many fields: expected 2 (as in the header), found 3"))
        }
    }
}
