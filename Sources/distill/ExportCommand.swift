import ArgumentParser
import DistillCore
import Foundation

extension ExportFormat: ExpressibleByArgument {}
extension SQLDialect: ExpressibleByArgument {}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a saved student as text, Markdown, JSON, SQL or code.",
        discussion: """
        text: the tree's rules or the linear equation. markdown: a document with the leaves or the weights as a table. \
        json: the model alone (distill.export/v1). sql: one SELECT over --table that answers every row as distill predict does \
        (missing values as NULL). python: a module with predict(row: dict) -> dict that needs nothing outside the \
        standard library. Writes to --out, or to standard output.
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

    func validate() throws {
        if format != .sql {
            let given = [dialect != nil ? "--dialect" : nil, table != nil ? "--table" : nil,
                         probabilities ? "--probabilities" : nil, id != nil ? "--id" : nil].compactMap { $0 }
            if !given.isEmpty {
                throw ValidationError("\(given.joined(separator: ", ")) only apply to --format sql")
            }
        }
    }

    func run() throws {
        let student = try studentOptions.load()
        let options = SQLExportOptions(dialect: dialect ?? .sqlite, table: table ?? "data", probabilities: probabilities, id: id)
        let text = try student.exported(as: format, sql: options)
        if let out {
            try AtomicFile.write(Data(text.utf8), to: out)
        } else {
            print(text, terminator: "")
        }
    }
}
