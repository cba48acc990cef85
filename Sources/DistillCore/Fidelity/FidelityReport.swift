import Foundation

/// `fidelity.json`: how faithful a student is, on which rows, and at what size.
public struct FidelityReport: Codable, Sendable, Equatable {
    public static let format = "distill.fidelity/v1"

    public struct StudentSummary: Codable, Sendable, Equatable {
        public var kind: String
        public var leaves: Int?
        public var depth: Int?
        public var nodes: Int?
        /// Linear students: features with a nonzero weight.
        public var nonzeroFeatures: Int?
        /// Rule lists: rules before the default, and their conditions.
        public var rules: Int?
        public var conditions: Int?

        enum CodingKeys: String, CodingKey {
            case kind, leaves, depth, nodes, nonzeroFeatures = "nonzero_features", rules, conditions
        }
    }

    public var format = FidelityReport.format
    public var task: String
    public var student: StudentSummary
    /// The rows the student learned from.
    public var train: FidelityMetrics
    /// Rows the student never saw (`--eval-data`, or the `--holdout` part): the honest figure.
    public var eval: FidelityMetrics
    /// Rows made up and labelled by the teacher while growing, when there were any.
    public var synthetic: FidelityMetrics?
    /// Held-out fidelity of each tree on the pruning path.
    public var curve: [FidelityCurvePoint]
    /// Held-out fidelity per leaf (per rule for a rule list, `leaf` being the rule's index).
    public var leaves: [LeafFidelity]
    public var teacherQueries: Int
    public var notes: [String]

    enum CodingKeys: String, CodingKey {
        case format, task, student, train, eval, synthetic, curve, leaves, teacherQueries = "teacher_queries", notes
    }

    public init(tree: DecisionTree, result: TreeDistillation.Result, teacherQueries: Int) {
        if case .classification = tree.task { task = "classification" } else { task = "regression" }
        student = StudentSummary(kind: "tree", leaves: tree.leafCount, depth: tree.depth, nodes: tree.nodeCount, nonzeroFeatures: nil)
        train = result.train
        eval = result.eval
        synthetic = result.synthetic
        curve = result.curve
        leaves = result.leaves
        self.teacherQueries = teacherQueries
        notes = result.notes
    }

    public init(linear result: LinearDistillation.Result, teacherQueries: Int) {
        if case .classification = result.model.task { task = "classification" } else { task = "regression" }
        student = StudentSummary(kind: "linear", nonzeroFeatures: result.model.nonzeroFeatures.count)
        train = result.train
        eval = result.eval
        curve = result.curve
        leaves = []
        self.teacherQueries = teacherQueries
        notes = result.notes
    }

    public init(rules result: RuleDistillation.Result, teacherQueries: Int) {
        if case .classification = result.list.task { task = "classification" } else { task = "regression" }
        student = StudentSummary(kind: "rules", rules: result.list.ruleCount, conditions: result.list.conditionCount)
        train = result.train
        eval = result.eval
        synthetic = result.synthetic
        curve = result.curve
        leaves = result.rules
        self.teacherQueries = teacherQueries
        notes = result.notes
    }

    /// Reads and checks a `fidelity.json` (see `check(path:)`; `check(against:path:)` sets
    /// it against its student).
    /// - Throws: `DataError` naming the file.
    public static func read(_ path: String) throws -> FidelityReport {
        let report = try VersionedJSONFile.read(FidelityReport.self, from: path, format: format, what: "fidelity report")
        try report.check(path: path)
        return report
    }

    public func encoded() throws -> Data {
        try JSONOutput.encode(self)
    }
}
