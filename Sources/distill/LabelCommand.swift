import ArgumentParser
import DistillCore
import Foundation

struct LabelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "label",
        abstract: "Write the rows with the teacher's outputs appended.",
        discussion: """
        Every column of the file is written back as it was read (--label, --features and --drop \
        only choose what the teacher sees). Classification teachers add one column teacher_p_<class> \
        per class and teacher_class; regression teachers add teacher_value. The file is written only \
        when every row was answered.
        """
    )

    @OptionGroup var teacherOptions: TeacherOptions
    @OptionGroup var dataOptions: DataOptions

    @Option(help: "The CSV file to write.")
    var out: String

    func run() throws {
        try AtomicFile.checkWritable(out, option: "--out")
        let teacher = try teacherOptions.load()
        let data = try dataOptions.load(for: teacher)
        let progress = Progress(total: data.rowCount, noun: "labelled")
        let outputs = try teacherOptions.query(teacher)
            .answers(for: dataOptions.imputed(data), source: dataOptions.data) { progress.update(done: $0) }
        progress.finish()
        // Every column of every row as it was written; imputed values only reach the teacher.
        try CSVPassThrough.write(from: dataOptions.data ?? "", delimiter: Character(dataOptions.delimiter),
                                 added: AnswerColumns.names(for: outputs.task, prefix: "teacher"), rows: data.rowCount,
                                 fields: { AnswerColumns.fields(outputs, row: $0) }, to: out)
    }
}
