import ArgumentParser
import DistillCore

/// A saved student (`student.json`).
struct StudentOptions: ParsableArguments {
    @Option(help: "A student.json written by distill tree, linear or rules.")
    var student: String

    func load() throws -> Student {
        try Student.read(student)
    }

    /// `data`'s features in the order the student (and so the teacher, when it was trained)
    /// took them, found by name; other columns are left out.
    /// - Throws: `DataError` naming `source` and the student file when a feature is missing
    ///   or of the other kind.
    func features(of data: Dataset, source: String, for loaded: Student) throws -> Dataset {
        try data.aligned(to: loaded.featureNames, numeric: loaded.featureLevels.map { $0 == nil }, exact: false,
                         source: source, reference: "the student \(student)")
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
