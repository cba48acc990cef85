import ArgumentParser
import DistillCore

/// A saved student (`student.json`).
struct StudentOptions: ParsableArguments {
    @Option(help: "A student.json written by distill tree or distill linear.")
    var student: String

    func load() throws -> Student {
        try Student.read(student)
    }

    /// For commands that only explain trees.
    func loadTree() throws -> DecisionTree {
        let loaded = try load()
        guard case .tree(let tree) = loaded else {
            throw DataError("\(student): holds a '\(loaded.kind)' student, which this command cannot use; it takes tree students")
        }
        return tree
    }
}
