/// A rule list as one 0/1 column per rule (whether all its conditions pass), side by side;
/// ArgMax returns the first largest, so it picks the first rule that fires, and the
/// default rule, having no conditions, is a column of ones. The rule's answer is then
/// gathered from a table of the rules' stored values.
///
/// Conditions test as `RuleRouter` does: a number x (float) ≤ t or > t, NaN failing both,
/// so a missing value passes only through `missingMatches`; a level through a lookup that
/// gives listed levels, unlisted (unseen) ones and the missing marker their answers.
struct ONNXRuleGraph {
    let list: RuleList

    func build(_ builder: inout ONNXGraphBuilder) throws -> ONNXExport.Answer {
        var fired: [String] = []
        for (number, rule) in list.rules.enumerated() {
            guard var all = try rule.conditions.first.map({ try passes($0, rule: number, &builder) }) else {
                fired.append(builder.column(of: 1, like: list.featureNames[0]))
                continue
            }
            for condition in rule.conditions.dropFirst() {
                all = builder.node("And", [all, try passes(condition, rule: number, &builder)])
            }
            fired.append(builder.cast(all, to: .float))
        }
        let first = builder.node("ArgMax", [builder.columns(fired)], [.int("axis", 1), .int("keepdims", 0)])
        let table = builder.constant(.floats(list.rules.flatMap(\.value)), shape: [list.rules.count, list.task.outputWidth])
        let scores = builder.node("Gather", [table, first], [.int("axis", 0)])
        let counted = builder.node("Add", [first, builder.constant(.int64s([1]), shape: [])])
        return ONNXExport.Answer(scores: scores, position: ("rule", counted))
    }

    /// A bool [N, 1]: whether each row passes `condition` of rule `rule` (from 0).
    private func passes(_ condition: RuleCondition, rule: Int, _ builder: inout ONNXGraphBuilder) throws -> String {
        let name = list.featureNames[condition.feature]
        let missing: Float = condition.missingMatches ? 1 : 0
        let test: String
        switch (condition.test, list.featureLevels[condition.feature] != nil) {
        case (.atMost(let t), false):
            test = builder.node("LessOrEqual", [name, builder.constant(.floats([t]), shape: [])])
        case (.above(let t), false):
            test = builder.node("Greater", [name, builder.constant(.floats([t]), shape: [])])
        case (.missing, false):
            return builder.node("IsNaN", [name])
        case (.inLevels(let levels), true):
            return builder.cast(try builder.levelMap(name, levels.map { ($0, 1) }, missing: missing, otherwise: 0), to: .bool)
        case (.notInLevels(let levels), true):
            return builder.cast(try builder.levelMap(name, levels.map { ($0, 0) }, missing: missing, otherwise: 1), to: .bool)
        case (.missing, true):
            return builder.cast(try builder.levelMap(name, [], missing: 1, otherwise: 0), to: .bool)
        default:
            throw DataError("rule \(rule + 1) tests '\(name)' as the other kind of feature; the student file is malformed")
        }
        return condition.missingMatches ? builder.node("Or", [test, builder.node("IsNaN", [name])]) : test
    }
}
