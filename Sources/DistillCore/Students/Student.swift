/// A saved student of any kind, as the commands that apply students see it.
public enum Student: Sendable {
    case tree(DecisionTree)
    case linear(LinearModel)

    /// Reads a `student.json` of any kind this Distill knows.
    /// - Throws: `DataError` naming the file.
    public static func read(_ path: String) throws -> Student {
        try Student(file: StudentFile.read(path), path: path)
    }

    /// The student a file read from `path` holds.
    /// - Throws: `DataError` naming the file.
    public init(file: StudentFile, path: String) throws {
        switch file.kind {
        case "tree": self = .tree(try DecisionTree(file: file, path: path))
        case "linear": self = .linear(try LinearModel(file: file, path: path))
        default: throw DataError("\(path): holds a '\(file.kind)' student, which this Distill does not know; it knows tree and linear students")
        }
    }

    public var kind: String {
        switch self {
        case .tree: "tree"
        case .linear: "linear"
        }
    }

    public var task: TeacherTask {
        switch self {
        case .tree(let tree): tree.task
        case .linear(let model): model.task
        }
    }

    /// The student's answers for every row, laid out as a teacher's.
    public func predict(_ data: Dataset) throws -> [Float] {
        switch self {
        case .tree(let tree): try tree.predict(data)
        case .linear(let model): try model.predict(data)
        }
    }
}
