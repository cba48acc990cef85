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
        do {
            _ = try read(text)
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
