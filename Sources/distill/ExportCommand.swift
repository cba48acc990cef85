import ArgumentParser
import DistillCore
import Foundation

extension ExportFormat: ExpressibleByArgument {}
extension SQLDialect: ExpressibleByArgument {}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a saved student as text, Markdown, JSON, SQL, code, ONNX or PMML.",
        discussion: """
        A tree, a linear student or a rule list. \
        text: the tree's rules, the rule list or the linear equation. markdown: a document with the leaves, the rules or \
        the weights as a table. json: the model alone (distill.export/v1). sql: one SELECT over --table that answers every \
        row as distill predict does (missing values as NULL), with the tree's leaf or the rule list's rule. python: a module with predict(row: dict) -> dict that needs nothing outside the \
        standard library. c: a function <name>_predict and its header, written to --out NAME.c and NAME.h. \
        swift: an enum <Name> with Input, Output and predict(_:). \
        onnx: a model onnxruntime runs, one input per feature, written to --out only (it is binary). \
        pmml: a PMML 4.4 document (a TreeModel for a tree or a rule list, a RegressionModel for a linear student) \
        with outputs named as distill predict's columns. \
        Writes to --out, or to standard output.
        """
    )

    @OptionGroup var studentOptions: StudentOptions

    @Option(help: "What to write.")
    var format: ExportFormat

    @Option(help: "The file to write (default: standard output).")
    var out: String?

    @Option(help: "sql: the database the query is for (default sqlite).")
    var dialect: SQLDialect?

    @Option(help: "sql: the table holding the rows, one column per feature (default data).")
    var table: String?

    @Flag(help: "sql: also a student_p_<class> column per class.")
    var probabilities = false

    @Option(help: "sql: a key column to pass through first.")
    var id: String?

    @Option(help: "c, swift: the prefix of the names the code defines (default student).")
    var name: String?

    func validate() throws {
        if format != .sql {
            let given = [dialect != nil ? "--dialect" : nil, table != nil ? "--table" : nil,
                         probabilities ? "--probabilities" : nil, id != nil ? "--id" : nil].compactMap { $0 }
            if !given.isEmpty {
                throw ValidationError("\(given.joined(separator: ", ")) only apply to --format sql")
            }
        }
        if name != nil, format != .c, format != .swift {
            throw ValidationError("--name only applies to --format c and swift")
        }
        if format == .onnx, out == nil {
            throw ValidationError("--format onnx writes a binary model, not text for standard output: give --out FILE.onnx")
        }
        if format == .c, out?.hasSuffix(".c") != true {
            throw ValidationError("--format c writes a source and a header: give --out NAME.c (the header is NAME.h)")
        }
    }

    func run() throws {
        if let out { try AtomicFile.checkWritable(out, option: "--out") }
        let student = try studentOptions.load()
        let options = SQLExportOptions(dialect: dialect ?? .sqlite, table: table ?? "data", probabilities: probabilities, id: id)
        var code = CodeExportOptions(name: name ?? "student")
        if format == .c, let out {
            let header = String(out.dropLast(2)) + ".h"
            code.header = URL(fileURLWithPath: header).lastPathComponent
            let source = try student.exported(as: format, code: code)
            try AtomicFile.write([(header, Data(try student.cHeader(code: code).utf8)), (out, Data(source.utf8))])
            return
        }
        if format == .onnx, let out {
            try AtomicFile.write(try student.onnxModel(), to: out)
            return
        }
        let text = try student.exported(as: format, sql: options, code: code)
        if let out {
            try AtomicFile.write(Data(text.utf8), to: out)
        } else {
            print(text, terminator: "")
        }
    }
}
