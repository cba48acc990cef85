import Foundation

/// The `json` export, format `distill.export/v1`: what it takes to apply the student (a
/// tree's `nodes`, a linear student's `linear` or a rule list's `rules`) and nothing about
/// how it was made (no impurity, synthetic rows, parameters, convergence or penalty path),
/// so it can be handed to another tool or kept as the deployed model.
/// The README's "Files" section documents it.
public struct ExportJSON: Codable, Sendable, Equatable {
    public static let format = "distill.export/v1"

    /// One node of a tree: a split (`feature` with `threshold`, or `left_levels`,
    /// `right_levels` and `unseen`; `missing`; `left`, `right`) or a leaf (`class`, for a
    /// classifier its most probable one). Every node has `value` and `rows`.
    public struct Node: Codable, Sendable, Equatable {
        public var id: Int
        public var feature: String?
        /// A value x goes left when Float32(x) ≤ threshold.
        public var threshold: Float?
        public var leftLevels: [String]?
        public var rightLevels: [String]?
        /// "left" or "right".
        public var unseen: String?
        /// "left" or "right".
        public var missing: String?
        public var left: Int?
        public var right: Int?
        /// Class probabilities in the order of `classes`, or the one value.
        public var value: [Float]
        /// Training rows (real ones) that reach the node.
        public var rows: Int
        public var `class`: String?

        enum CodingKeys: String, CodingKey {
            case id, feature, threshold, leftLevels = "left_levels", rightLevels = "right_levels"
            case unseen, missing, left, right, value, rows, `class`
        }
    }

    /// A linear student: η per output = intercept + Σ weight × term in the data's units,
    /// a number term being the value (its `mean` when missing) and a level term 1 when the
    /// row has that level, else 0; `standardized_*` are the same in units of the terms'
    /// `scale` around their `mean`.
    public struct Linear: Codable, Sendable, Equatable {
        public var link: LinearModel.Link
        public var terms: [LinearTerm]
        public var referenceLevels: [String: String]
        public var outputs: [LinearRecord.Output]

        enum CodingKeys: String, CodingKey {
            case link, terms, referenceLevels = "reference_levels", outputs
        }
    }

    /// One rule of a rule list, in order (the last, with no conditions, is the default): a
    /// row gets the answer of the first rule whose `conditions` all pass. A condition is as
    /// in `student.json` (`RuleRecord.Condition`): `test` "<=" or ">" with `threshold`
    /// (Float32(x) compared with it), "in" or "not in" with `levels` (a level not listed fails
    /// "in" and passes "not in", whether or not training saw it), or "missing"; `or_missing`
    /// says whether a missing value passes. `value` is the class probabilities or the value,
    /// `rows` the real training rows the rule answers, and for a classifier `class` its most
    /// probable class.
    public struct Rule: Codable, Sendable, Equatable {
        public var conditions: [RuleRecord.Condition]
        public var value: [Float]
        public var rows: Int
        public var `class`: String?
    }

    public var format: String
    public var kind: String
    public var task: String
    public var classes: [String]?
    public var features: [StudentFile.Feature]
    public var nodes: [Node]?
    public var linear: Linear?
    public var rules: [Rule]?

    /// Made from the student's own `student.json` form, so the two never say different things.
    public init(_ student: Student) {
        let file: StudentFile
        var leafClass: (Int) -> String? = { _ in nil }
        var ruleClass: (Int) -> String? = { _ in nil }
        switch student {
        case .tree(let tree):
            file = tree.file(parameters: [:])
            if case .classification(let classes) = tree.task {
                leafClass = { tree.isLeaf($0) ? classes[tree.topClass($0)] : nil }
            }
        case .linear(let model):
            file = model.file(parameters: [:], path: [])
        case .rules(let list):
            file = list.file(parameters: [:])
            if case .classification(let classes) = list.task {
                ruleClass = { classes[list.rules[$0].topClass] }
            }
        }
        format = Self.format
        kind = file.kind
        task = file.task
        classes = file.classes
        features = file.features
        nodes = file.nodes?.map { record in
            Node(id: record.id, feature: record.feature, threshold: record.threshold, leftLevels: record.leftLevels,
                 rightLevels: record.rightLevels, unseen: record.unseen, missing: record.missing, left: record.left,
                 right: record.right, value: record.value, rows: record.rows, class: leafClass(record.id))
        }
        rules = file.rules?.enumerated().map { index, record in
            Rule(conditions: record.conditions, value: record.value, rows: record.rows, class: ruleClass(index))
        }
        linear = file.linear.map { Linear(link: $0.link, terms: $0.terms, referenceLevels: $0.referenceLevels, outputs: $0.outputs) }
    }

    public func encoded() throws -> String {
        String(decoding: try JSONOutput.encode(self), as: UTF8.self)
    }
}
