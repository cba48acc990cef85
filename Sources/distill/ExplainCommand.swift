import ArgumentParser
import DistillCore
import DistillExplain
import Foundation

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain one row: its path through a saved tree or rule-list student, in words, and the answers of the student and the teacher.",
        discussion: """
        Give the row as --data FILE --row N (N = 1 is the first data row after the header) or as \
        --values 'name=value,…'. With a teacher (--teacher or --teacher-command), its answer is shown \
        beside the student's. With --out, also writes explain.txt and the diagram with the row's \
        path (or the rule that answers it) highlighted (explain.dot and the --format files).
        """
    )

    @OptionGroup var studentOptions: StudentOptions
    @OptionGroup var teacherOptions: TeacherOptions
    @OptionGroup var dataOptions: DataOptions

    @Option(parsing: .unconditional, help: "The row of --data to explain, counting data rows from 1 (the first row after the header).")
    var row: Int?
    @Option(help: ArgumentHelp("The row as name=value pairs, comma separated; a value in double quotes may hold commas, and an empty value or NA is missing. Features no split tests may be left out.",
                               valueName: "name=value,…"))
    var values: String?

    @OptionGroup var diagramFormats: DiagramFormatOptions
    @Option(help: "Also write explain.txt and the diagram with the path highlighted into this directory (created if missing).")
    var out: String?

    func validate() throws {
        switch (dataOptions.data, row, values) {
        case (.some, .some, nil), (nil, nil, .some): break
        case (_, _, .some): throw ValidationError("give the row either with --data and --row or with --values, not both")
        case (nil, .some, nil): throw ValidationError("--row needs --data FILE, the rows it counts in")
        case (.some, nil, nil): throw ValidationError("--data needs --row N, the row to explain")
        case (nil, nil, nil): throw ValidationError("give the row to explain with --data FILE --row N or with --values 'name=value,…'")
        }
        if let row, row < 1 {
            throw ValidationError("--row counts data rows from 1 (the first row after the header), so it cannot be \(row)")
        }
        if values != nil, dataOptions.impute != nil {
            throw ValidationError("--impute learns from the rows of --data, so it does not apply to --values")
        }
    }

    func run() throws {
        let output = try out.map { try OutputDirectory($0) }
        let student = try studentOptions.load()
        if case .linear = student {
            throw DataError("\(studentOptions.student): holds a linear student, which this command cannot use; it takes tree and rule-list students")
        }
        let teacher = teacherOptions.isGiven ? try teacherOptions.load() : nil
        if let teacher, teacher.task != student.task {
            throw DataError("the student answers \(FidelityCommand.describe(student.task)) but the teacher \(FidelityCommand.describe(teacher.task))")
        }
        let (explained, teacherView, source) = try chosenRow(student, teacher: teacher)
        let answer = try teacher.map { try teacherOptions.query($0).answers(for: teacherView, source: source) }
        let text: String
        let diagram: String
        switch student {
        case .tree(let tree):
            let explanation = try RowExplanation(tree: tree, row: explained, source: source, teacher: answer)
            text = explanation.text
            diagram = TreeDiagram(tree: tree, leafFidelity: [], overallAgreement: nil, highlightedPath: explanation.path).dot
        case .rules(let list):
            let explanation = try RuleExplanation(list: list, row: explained, source: source, teacher: answer)
            text = explanation.text
            diagram = RuleListDiagram(list: list, ruleFidelity: [], highlighted: explanation.rule).dot
        case .linear:
            preconditionFailure("refused above")
        }
        if let output {
            // Made only now, so that a row that cannot be explained leaves nothing behind.
            try output.write(try diagramFormats.files("explain", dot: diagram) + [("explain.txt", Data(text.utf8))])
        }
        print(text, terminator: "")
    }

    /// The row as the student sees it, as the teacher should see it, and where it comes from.
    private func chosenRow(_ student: Student, teacher: (any Teacher)?) throws -> (row: Dataset, teacherView: Dataset, source: String) {
        if let values {
            let list = try ValueList(parsing: values)
            let named = Set(list.entries.map(\.name))
            let omitted = student.featureNames.filter { !named.contains($0) }
            let given: Dataset
            switch student {
            case .tree(let tree): given = try tree.row(from: list)
            case .rules(let rules): given = try rules.row(from: list)
            case .linear: preconditionFailure("run() refuses linear students")
            }
            // The teacher reads every feature, so say which ones it was sent as missing.
            let source = "the row given with --values" + (omitted.isEmpty ? "" : " (left out, so missing: \(omitted.joined(separator: ", ")))")
            return (given, given, source)
        }
        guard let row, let path = dataOptions.data else { preconditionFailure("validate() asks for --data and --row") }
        let data = try studentOptions.features(of: try dataOptions.load(for: teacher), source: path, for: student)
        guard row <= data.rowCount else {
            throw DataError("--row \(row): \(path) has \(data.rowCount) data rows (counted from 1 after the header)")
        }
        // Imputed from the whole file, as `distill label` does, so both give the teacher the same row.
        return (data.rows([row - 1]), dataOptions.imputed(data).rows([row - 1]), "row \(row) of \(path)")
    }
}
