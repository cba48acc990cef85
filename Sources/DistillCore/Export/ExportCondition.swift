/// One feature's test as every export writes it, whether it is the test that sends a row
/// to a tree split's left child or a rule's condition: a missing value passes when
/// `missingPasses`, a present one as `present` says. Each target language has one writer
/// for it, so trees and rule lists are written by the same code.
struct ExportCondition {
    enum Present {
        /// Float32(x) ≤ t, or with `above` its negation.
        case number(Float32Split, above: Bool)
        /// A level among `listed` (never empty here), or when negated a level not among them.
        case levels(LevelSplit)
        /// Every present value passes (true) or none does (false): a level test with no
        /// levels, or a rule's `missing` test. Written apart, since `IN ()` is not SQL.
        case always(Bool)
    }

    let feature: Int
    let missingPasses: Bool
    let present: Present

    /// The test that sends a row to the left child of split `node`.
    /// - Throws: `DataError` naming the node when the split is malformed.
    init(tree: DecisionTree, node: Int) throws {
        feature = tree.feature[node]
        missingPasses = tree.missingGoesLeft[node]
        present = tree.featureLevels[feature] == nil
            ? .number(try Float32Split(threshold: tree.threshold[node], at: "node \(node)"), above: false)
            : Self.levels(try LevelSplit(tree: tree, node: node))
    }

    /// Condition `index` of rule `rule` (both counted from 0; errors count from 1).
    /// - Throws: `DataError` naming the rule and condition when it tests a number with levels
    ///   or a level with a threshold, or its threshold is not finite.
    init(list: RuleList, rule: Int, condition index: Int) throws {
        try self.init(list.rules[rule].conditions[index], names: list.featureNames, levels: list.featureLevels,
                      at: "rule \(rule + 1), condition \(index + 1)")
    }

    /// A rule's condition on a student with these features.
    /// - Parameter place: where the condition is, for the error ("rule 2, condition 1").
    /// - Throws: `DataError` naming the place when the condition tests a number with levels
    ///   or a level with a threshold, or its threshold is not finite.
    init(_ condition: RuleCondition, names: [String], levels: [[String]?], at place: String) throws {
        feature = condition.feature
        missingPasses = condition.missingMatches
        let numeric = levels[feature] == nil
        switch condition.test {
        case .missing:
            present = .always(false)
        case .atMost(let t) where numeric:
            present = .number(try Float32Split(threshold: t, at: place), above: false)
        case .above(let t) where numeric:
            present = .number(try Float32Split(threshold: t, at: place), above: true)
        default:
            guard !numeric, let split = LevelSplit(condition) else {
                throw DataError("\(place) tests the \(numeric ? "numeric" : "categorical") feature '\(names[feature])' "
                                + "with \(numeric ? "levels" : "a threshold"); the rule list is malformed")
            }
            present = Self.levels(split)
        }
    }

    /// The rules' conditions, in order, up to the first rule with none (the default): any
    /// after it could never answer, so the chains the exports write end there.
    static func rules(of list: RuleList) throws -> [[ExportCondition]] {
        let answering = (list.rules.firstIndex { $0.conditions.isEmpty } ?? list.rules.count - 1) + 1
        return try list.rules.indices.prefix(answering).map { rule in
            try list.rules[rule].conditions.indices.map { try ExportCondition(list: list, rule: rule, condition: $0) }
        }
    }

    private static func levels(_ split: LevelSplit) -> Present {
        split.listed.isEmpty ? .always(split.negated) : .levels(split)
    }

    /// Why the number written is not the threshold the student holds, for beside it.
    var comment: String? {
        if case .number(let split, _) = present { split.comment } else { nil }
    }
}
