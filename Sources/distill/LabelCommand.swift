import ArgumentParser
import DistillCore
import Foundation

struct LabelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "label",
        abstract: "Write the rows with the teacher's outputs appended.",
        discussion: """
        Classification teachers add one column teacher_p_<class> per class and teacher_class; \
        regression teachers add teacher_value. The file is written only when every row was answered.
        """
    )

    @OptionGroup var teacherOptions: TeacherOptions
    @OptionGroup var dataOptions: DataOptions

    @Option(help: "The CSV file to write.")
    var out: String

    func run() throws {
        try AtomicFile.checkWritable(out, option: "--out")
        let teacher = try teacherOptions.load()
        let data = try dataOptions.load()
        let progress = Progress(total: data.rowCount, noun: "labelled")
        let outputs = try TeacherQuery(teacher: teacher, batchSize: teacherOptions.batchSize)
            .answers(for: dataOptions.imputed(data), source: dataOptions.data) { progress.update(done: $0) }
        progress.finish()
        // The file shows the rows as they were read; imputed values only reach the teacher.
        try AtomicFile.write(Data(LabeledTable(data: data, outputs: outputs).csv().utf8), to: out)
    }
}
