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
        for conditions in try ExportCondition.rules(of: list) {
            guard var all = try conditions.first.map({ try passes($0, &builder) }) else {
                fired.append(builder.column(of: 1, like: list.featureNames[0]))
                continue
            }
            for condition in conditions.dropFirst() {
                all = builder.node("And", [all, try passes(condition, &builder)])
            }
            fired.append(builder.cast(all, to: .float))
        }
        let first = builder.node("ArgMax", [builder.columns(fired)], [.int("axis", 1), .int("keepdims", 0)])
        let table = builder.constant(.floats(list.rules.flatMap(\.value)), shape: [list.rules.count, list.task.outputWidth])
        let scores = builder.node("Gather", [table, first], [.int("axis", 0)])
        let counted = builder.node("Add", [first, builder.constant(.int64s([1]), shape: [])])
        return ONNXExport.Answer(scores: scores, position: ("rule", counted))
    }

    /// A bool [N, 1]: whether each row passes `condition`.
    private func passes(_ condition: ExportCondition, _ builder: inout ONNXGraphBuilder) throws -> String {
        let name = list.featureNames[condition.feature]
        let missing: Float = condition.missingPasses ? 1 : 0
        switch condition.present {
        case .number(let split, let above):
            let test = builder.node(above ? "Greater" : "LessOrEqual", [name, builder.constant(.floats([split.threshold]), shape: [])])
            return condition.missingPasses ? builder.node("Or", [test, builder.node("IsNaN", [name])]) : test
        case .levels(let split):
            let listed: Float = split.negated ? 0 : 1
            return builder.cast(try builder.levelMap(name, split.listed.map { ($0, listed) }, missing: missing, otherwise: 1 - listed), to: .bool)
        case .always(let all) where list.featureLevels[condition.feature] == nil:
            if all == condition.missingPasses { return builder.cast(builder.column(of: all ? 1 : 0, like: name), to: .bool) }
            let isMissing = builder.node("IsNaN", [name])
            return condition.missingPasses ? isMissing : builder.node("Not", [isMissing])
        case .always(let all):
            return builder.cast(try builder.levelMap(name, [], missing: missing, otherwise: all ? 1 : 0), to: .bool)
        }
    }
}
