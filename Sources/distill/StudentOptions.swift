import ArgumentParser
import DistillCore

/// A saved student (`student.json`).
struct StudentOptions: ParsableArguments {
    @Option(help: "A student.json written by distill tree, linear or rules.")
    var student: String

    func load() throws -> Student {
        try Student.read(student)
    }

    /// The tree student saved at `path`.
    /// - Throws: `DataError` naming the file when it holds no tree.
    static func tree(at path: String) throws -> DecisionTree {
        let loaded = try Student.read(path)
        guard case .tree(let tree) = loaded else {
            throw DataError("\(path): holds a '\(loaded.kind)' student, which this command cannot use; it takes tree students")
        }
        return tree
    }
}
