import Foundation
import Testing

@testable import DistillCore

/// Inputs the fuzzers (or a person thinking like one) found troublesome, kept so they stay
/// handled: every model under `Fixtures/fuzz/onnx` either loads and predicts or fails
/// with an `ONNXError`; every CSV under `Fixtures/fuzz/csv` gives exactly the recorded
/// table or error.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static func folder(_ name: String) -> URL? {
        Bundle.module.resourceURL?.appendingPathComponent("Fixtures/fuzz").appendingPathComponent(name)
    }

    /// The file names in a fuzz folder, sorted; empty if the folder is missing (which
    /// `foldersHoldInputs` reports).
    static func files(_ name: String) -> [String] {
        guard let dir = folder(name),
              let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return [] }
        return names.filter { !$0.hasPrefix(".") }.sorted()
    }

    static let onnxFiles = files("onnx")
    static let csvFiles = files("csv")

    @Test("the fuzz folders hold the regression inputs")
    func foldersHoldInputs() {
        #expect(Self.onnxFiles.contains("flatten-axis0-loads-then-predict-fails.onnx"))
        #expect(Set(Self.csvFiles) == Set(Self.csvOutcomes.keys))
    }

    // MARK: - ONNX

    /// Three rows of zeros (or empty strings) for every input the teacher takes.
    static func zeroRows(_ teacher: ONNXTeacher) throws -> TeacherBatch {
        guard case .tensors(let inputs) = teacher.inputs else {
            throw ONNXError(.invalidInput, file: "", "an ONNX teacher takes tensors")
        }
        return TeacherBatch(rowCount: 3, inputs: inputs.map { input in
            let width = input.width ?? 1
            let values: TensorValues
            switch input.elementType {
            case .string: values = .string([String](repeating: "", count: 3 * width))
            case .int64: values = .int64([Int64](repeating: 0, count: 3 * width))
            case .float, .double: values = .float([Float](repeating: 0, count: 3 * width))
            }
            return (name: input.name, width: width, values: values)
        })
    }

    @Test("a fuzz model either loads and predicts three zero rows or throws an ONNXError", arguments: onnxFiles)
    func onnxModel(_ name: String) throws {
        let url = try #require(Self.folder("onnx")).appendingPathComponent(name)
        do {
            let teacher = try ONNXTeacher(contentsOf: url, threads: 2, rowsPerChunk: 1)
            let answers = try teacher.predict(try Self.zeroRows(teacher))
            #expect(answers.count == 3 * teacher.task.outputWidth)
            // Identical rows get identical answers, however the batch was chunked.
            let w = teacher.task.outputWidth
            #expect(Array(answers[0..<w]) == Array(answers[w..<(2 * w)]))
            #expect(Array(answers[0..<w]) == Array(answers[(2 * w)...]))
        } catch let e as ONNXError {
            #expect(!e.message.isEmpty)
            #expect(e.file == url.relativePath)
        }
    }

    @Test("the torch model with Flatten(axis=0) now fails at load as mixing rows")
    func flattenAxis0() throws {
        let url = try #require(Self.folder("onnx")).appendingPathComponent("flatten-axis0-loads-then-predict-fails.onnx")
        let error = #expect(throws: ONNXError.self) { try ONNXTeacher(contentsOf: url) }
        let e = try #require(error)
        #expect(e.kind == .unsupportedOperator)
        #expect(e.node == "'/flatten/Flatten' (Flatten)")
        #expect(e.message.hasPrefix("Flatten at opset 11 mixes rows of the batch: with axis=0 it merges the batch axis"))
        #expect(e.message.contains("Distill evaluates rows independently"))
    }

    // MARK: - CSV

    /// What reading a fuzz CSV gives: the columns (name and values as text, "" for
    /// missing) or the error, with the file's path shown as its name.
    enum CSVOutcome: Equatable, CustomStringConvertible {
        case table([String: [String]], order: [String])
        case error(String)

        var description: String {
            switch self {
            case .table(let columns, let order): "table " + order.map { "\($0)=\(columns[$0] ?? [])" }.joined(separator: " ")
            case .error(let message): "error \(message)"
            }
        }
    }

    /// The files, byte by byte: `bom-only` is EF BB BF alone; `cr-only-line-ends` is
    /// `a,b⏎1,2⏎3,4⏎` with CR line ends; `header-only-delimiters` is `,,` then `1,2,3`;
    /// `huge-exponent` is `x` then `1e999999999999999999`; `invalid-utf8-header` has FF in
    /// the first header field; `lone-quote-at-eof` ends in `3,"` with no closing quote;
    /// `nul-bytes` has a NUL as the second field of row 1; `quoted-newline-and-doubled-quotes`
    /// has a quoted field holding a newline and `""q""`, and a quoted empty field.
    static let csvOutcomes: [String: CSVOutcome] = [
        "bom-only.csv": .error("bom-only.csv: the file is empty; a header row is required"),
        "cr-only-line-ends.csv": .table(["a": ["1", "3"], "b": ["2", "4"]], order: ["a", "b"]),
        "header-only-delimiters.csv": .error("header-only-delimiters.csv:1:1: the header has an empty column name"),
        "huge-exponent.csv": .error("huge-exponent.csv:2:1: number outside the range of Float32 (±3.4e38) in column 'x': \"1e999999999999999999\""),
        "invalid-utf8-header.csv": .error("invalid-utf8-header.csv:1:1: the field is not valid UTF-8"),
        "lone-quote-at-eof.csv": .error("lone-quote-at-eof.csv:3:2: unterminated quoted field (the quote opened here is never closed)"),
        // No CSV text holds NUL: it is the mark of UTF-16 or of a binary file.
        "nul-bytes.csv": .error("nul-bytes.csv:2:2: holds a NUL byte (0x00): the file looks like UTF-16 or binary, not UTF-8 text; save it as UTF-8"),
        "quoted-newline-and-doubled-quotes.csv": .table(["name": ["a\nb \"q\"", ""], "v": ["1", "2"]], order: ["name", "v"]),
    ]

    @Test("a fuzz CSV gives exactly its recorded table or error", arguments: csvFiles)
    func csvInput(_ name: String) throws {
        let path = try #require(Self.folder("csv")).appendingPathComponent(name).path
        let outcome: CSVOutcome
        do {
            let table = try CSVReader.read(path)
            for column in table.columns { #expect(column.count == table.rowCount, "column '\(column.name)'") }
            var columns: [String: [String]] = [:]
            for column in table.columns { columns[column.name] = (0..<column.count).map { column.text(at: $0) } }
            outcome = .table(columns, order: table.columns.map(\.name))
        } catch let e as DataError {
            outcome = .error(e.description.replacingOccurrences(of: path, with: name))
        }
        #expect(outcome == Self.csvOutcomes[name])
    }
}
