/// Drops the conditions and then the rules of a list whose removal does not lower its
/// fidelity on validation rows (reduced-error pruning, Quinlan 1987), refitting the answers
/// after each trial: conditions from the first rule to the last (each rule's from its last
/// condition), then rules from the last to the first.
///
/// A removal that changes no validation row's answer is not made: the validation rows hold
/// no evidence against the condition or rule. Dropping on such ties, as plain reduced-error
/// pruning does, cut the penguins' list from 8 rules to 3 and its held-out agreement from
/// 0.98 to 0.92, because a fifth of a small training set reaches few of the later rules.
struct RulePruner {
    /// The list with its answers refitted to the training rows.
    let refit: (RuleList) throws -> RuleList
    let validation: Dataset
    let outputs: TeacherOutputs

    func prune(_ list: RuleList) throws -> RuleList {
        var list = list
        var answers = try list.predict(validation)
        var best = fidelity(answers) ?? -.infinity
        func attempt(_ change: (inout RuleList) -> Void) throws {
            var trial = list
            change(&trial)
            trial = try refit(trial)
            let trialAnswers = try trial.predict(validation)
            let score = fidelity(trialAnswers) ?? -.infinity
            if score >= best, trialAnswers != answers { (list, answers, best) = (trial, trialAnswers, score) }
        }
        var rule = 0
        while rule < list.ruleCount {
            var condition = list.rules[rule].conditions.count - 1
            // A rule keeps one condition here; dropping it whole is the next stage's.
            while condition >= 0, list.rules[rule].conditions.count > 1 {
                let conditions = list.rules[rule].conditions
                try attempt { $0.rules[rule].conditions = conditions.enumerated().filter { $0.offset != condition }.map(\.element) }
                condition -= 1
            }
            rule += 1
        }
        for rule in (0..<list.ruleCount).reversed() where rule < list.ruleCount {
            try attempt { $0.rules.remove(at: rule) }
        }
        return list
    }

    /// Agreement or R² on the validation rows; nil when undefined.
    private func fidelity(_ answers: [Float]) -> Double? {
        guard validation.rowCount > 0 else { return nil }
        let metrics = FidelityMetrics.measure(teacher: outputs, student: answers)
        return metrics.agreement ?? metrics.r2
    }
}
