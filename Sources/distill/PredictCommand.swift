import ArgumentParser
import DistillCore
import Foundation

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Apply a saved student to rows: its answer (and, for a tree, the leaf; for a rule list, the rule) of each row.",
        discussion: """
        Adds student_p_<class> per class and student_class (or student_value) to the rows, and for a tree the leaf \
        (its node id in student.json), for a rule list the rule that answered (counting from 1; the default is the last). \
        Writes to --out, or to standard output.
        """
    )

    @OptionGroup var studentOptions: StudentOptions

    @Option(help: "The CSV file of rows (header row required).")
    var data: String

    @Option(help: "The field separator of the CSV file.")
    var delimiter: String = ","

    @Option(help: "The CSV file to write (default: standard output).")
    var out: String?

    func run() throws {
        if let out { try AtomicFile.checkWritable(out, option: "--out") }
        let student = try studentOptions.load()
        guard delimiter.count == 1, let separator = delimiter.first else {
            throw ValidationError("--delimiter must be one character, not '\(delimiter)'")
        }
        let table = try CSVReader.read(data, delimiter: separator)
        let rows = Dataset(features: table.columns, rowCount: table.rowCount)
        let answers = TeacherOutputs(task: student.task, values: try student.predict(rows))
        // A tree also says which leaf each row reaches, a rule list which rule answers it.
        var where_: (name: String, values: [Int])?
        switch student {
        case .tree(let tree): where_ = ("leaf", try tree.leaves(for: rows))
        case .rules(let list): where_ = ("rule", try list.firedRules(for: rows).map { $0 + 1 })
        case .linear: where_ = nil
        }
        // Every column as it was read, the student's answers after it.
        let added = AnswerColumns.names(for: student.task, prefix: "student") + (where_.map { [$0.name] } ?? [])
        try CSVPassThrough.write(from: data, delimiter: separator, added: added, rows: rows.rowCount, fields: { row in
            AnswerColumns.fields(answers, row: row) + (where_.map { [String($0.values[row])] } ?? [])
        }, to: out)
    }
}
