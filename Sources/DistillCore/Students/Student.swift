/// A saved student of any kind, as the commands that apply students see it.
public enum Student: Sendable {
    case tree(DecisionTree)
    case linear(LinearModel)
    case rules(RuleList)

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
        case "rules": self = .rules(try RuleList(file: file, path: path))
        default: throw DataError("\(path): holds a '\(file.kind)' student, which this Distill does not know; it knows tree, linear and rules students")
        }
    }

    public var kind: String {
        switch self {
        case .tree: "tree"
        case .linear: "linear"
        case .rules: "rules"
        }
    }

    public var task: TeacherTask {
        switch self {
        case .tree(let tree): tree.task
        case .linear(let model): model.task
        case .rules(let list): list.task
        }
    }

    /// The features the student reads, in its order.
    public var featureNames: [String] {
        switch self {
        case .tree(let tree): tree.featureNames
        case .linear(let model): model.featureNames
        case .rules(let list): list.featureNames
        }
    }

    /// Each feature's training levels, nil for a numeric one.
    public var featureLevels: [[String]?] {
        switch self {
        case .tree(let tree): tree.featureLevels
        case .linear(let model): model.featureLevels
        case .rules(let list): list.featureLevels
        }
    }

    /// The teacher's classes, nil for a regression student.
    public var classes: [String]? {
        if case .classification(let classes) = task { classes } else { nil }
    }

    /// The student's answers for every row, laid out as a teacher's.
    public func predict(_ data: Dataset) throws -> [Float] {
        switch self {
        case .tree(let tree): try tree.predict(data)
        case .linear(let model): try model.predict(data)
        case .rules(let list): try list.predict(data)
        }
    }
}
