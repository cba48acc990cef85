import ArgumentParser
import DistillCore

/// A saved student (`student.json`).
struct StudentOptions: ParsableArguments {
    @Option(help: "A student.json written by distill tree.")
    var student: String

    func load() throws -> DecisionTree {
        let file = try StudentFile.read(student)
        guard file.kind == "tree" else {
            throw DataError("\(student): holds a '\(file.kind)' student, which this command cannot use yet; it takes tree students")
        }
        return try DecisionTree(file: file, path: student)
    }
}
