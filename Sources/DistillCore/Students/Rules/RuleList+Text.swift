import Foundation

extension RuleList {
    /// A rule's answer in words: the class and its probability, or the value.
    public func answerText(_ rule: Int) -> String {
        let value = rules[rule].value
        switch task {
        case .classification(let classes):
            let best = rules[rule].topClass
            return "\(classes[best]) (p=\(String(format: "%.3f", value[best])))"
        case .regression:
            return String(format: "%.4g", value[0])
        }
    }

    /// The list as `IF … THEN …` / `ELSE IF …` / `ELSE …` lines, each with the rule's
    /// training rows and, when given, its held-out fidelity (`LeafFidelity.leaf` is the
    /// rule's index).
    public func text(ruleFidelity: [LeafFidelity] = []) -> String {
        let fidelity = Dictionary(ruleFidelity.map { ($0.leaf, $0) }, uniquingKeysWith: { a, _ in a })
        return rules.indices.map { index in
            let conditions = conditionTexts(index).joined(separator: " AND ")
            let head = index == rules.count - 1 ? (index == 0 ? "ALWAYS" : "ELSE") : (index == 0 ? "IF " : "ELSE IF ") + conditions + " THEN"
            var details = "rows \(rules[index].realRows)"
            if rules[index].syntheticRows > 0 { details += " (+\(rules[index].syntheticRows) synthetic)" }
            if let measured = fidelity[index] {
                if let agreement = measured.agreement {
                    details += String(format: ", fidelity %.3f on %d held-out rows", agreement, measured.rows)
                } else if let mae = measured.mae {
                    details += String(format: ", MAE %.4g on %d held-out rows", mae, measured.rows)
                }
            }
            return "\(head) \(answerText(index))   [\(details)]"
        }.joined(separator: "\n") + "\n"
    }
}
