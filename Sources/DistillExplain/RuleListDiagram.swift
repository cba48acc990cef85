import DistillCore
import Foundation

/// The DOT text of an ordered rule list: a chain of boxes `IF cond AND cond THEN answer`,
/// each with its rows and held-out fidelity, joined by `else` edges, the default rule last.
/// For a tree student the rules are its leaves (`DecisionTree.leafRules()`).
public struct RuleListDiagram {
    public struct Rule: Sendable {
        public var conditions: [String]
        public var answer: String
        public var rows: Int
        public var syntheticRows: Int
        /// Held-out agreement (classification) and the rows it is measured on.
        public var fidelity: (share: Double, rows: Int)?
    }

    public let rules: [Rule]
    /// The rule drawn marked: the one that answers an explained row.
    public let highlighted: Int?

    /// The most rules drawn as boxes of their own. Past it the diagram draws the first
    /// rules, the marked one and the default, and each run of rules between them as one
    /// folded box: Graphviz took 6 s to lay out a chain of 4,950 rules here, and a chain of
    /// thousands of boxes is not read; `rules.txt` and `student.json` hold every rule.
    public static let drawnRuleLimit = 500

    public init(rules: [Rule]) {
        self.rules = rules
        highlighted = nil
    }

    /// The leaves of a tree as an ordered rule list.
    public init(tree: DecisionTree, leafFidelity: [LeafFidelity]) {
        let fidelity = Dictionary(leafFidelity.map { ($0.leaf, $0) }, uniquingKeysWith: { a, _ in a })
        highlighted = nil
        rules = tree.leafRules().map { rule in
            let value = tree.value[rule.leaf]
            let answer: String
            switch tree.task {
            case .classification(let classes):
                let best = tree.topClass(rule.leaf)
                answer = String(format: "%@ (p=%.2f)", classes[best], value[best])
            case .regression:
                answer = String(format: "%.4g", value[0])
            }
            let measured = fidelity[rule.leaf].flatMap { leaf in leaf.agreement.map { ($0, leaf.rows) } }
            return Rule(conditions: rule.conditions, answer: answer, rows: tree.realRows[rule.leaf],
                        syntheticRows: tree.syntheticRows[rule.leaf], fidelity: measured)
        }
    }

    /// A rule-list student, with each rule's held-out fidelity (`LeafFidelity.leaf` is the
    /// rule's index) where measured, and rule `highlighted` marked.
    public init(list: RuleList, ruleFidelity: [LeafFidelity], highlighted: Int? = nil) {
        self.highlighted = highlighted
        let fidelity = Dictionary(ruleFidelity.map { ($0.leaf, $0) }, uniquingKeysWith: { a, _ in a })
        rules = list.rules.indices.map { index in
            let measured = fidelity[index].flatMap { rule in rule.agreement.map { ($0, rule.rows) } }
            return Rule(conditions: list.conditionTexts(index), answer: list.answerText(index), rows: list.rules[index].realRows,
                        syntheticRows: list.rules[index].syntheticRows, fidelity: measured)
        }
    }

    public var dot: String {
        var lines = [
            "digraph rules {",
            "  graph [rankdir=TB, nodesep=0.3, ranksep=0.3, fontname=\"Helvetica\"];",
            "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#F7F7F7\", color=\"#555555\", fontname=\"Helvetica\", fontsize=10, margin=\"0.1,0.05\"];",
            "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#555555\"];",
        ]
        var drawn: [String] = []
        var hidden: [Int] = []
        /// Ends a run of hidden rules with one folded box in their place.
        func foldHidden() {
            guard let first = hidden.first, let last = hidden.last else { return }
            let text = "rules \(first + 1)–\(last + 1) (\(hidden.count) rules), folded"
            lines.append("  f\(first) [label=<<I>\(DOTText.html(text))</I>>, style=\"rounded,dashed\"];")
            drawn.append("f\(first)")
            hidden = []
        }
        for (index, rule) in rules.enumerated() {
            guard isDrawn(index) else {
                hidden.append(index)
                continue
            }
            foldHidden()
            let isDefault = index == rules.count - 1
            var text: String
            if isDefault {
                text = rules.count == 1 ? "<B>ALWAYS</B> " : "<B>ELSE</B> "
            } else {
                let conditions = rule.conditions.isEmpty ? ["true"] : rule.conditions
                text = "<B>IF</B> " + conditions.map(DOTText.html).joined(separator: "<BR ALIGN=\"LEFT\"/><B>AND</B> ")
                    + "<BR ALIGN=\"LEFT\"/><B>THEN</B> "
            }
            text += DOTText.html(rule.answer) + "<BR ALIGN=\"LEFT\"/>"
            var details = "rows \(rule.rows)"
            if rule.syntheticRows > 0 { details += " (+\(rule.syntheticRows) synthetic)" }
            if let fidelity = rule.fidelity { details += String(format: ", fidelity %.3f on %d", fidelity.share, fidelity.rows) }
            text += "<FONT POINT-SIZE=\"8\">\(DOTText.html(details))</FONT><BR ALIGN=\"LEFT\"/>"
            let style = index == highlighted ? ", fillcolor=\"#FDE7D6\", color=\"#D95F02\", penwidth=2.5"
                : isDefault ? ", fillcolor=\"#E8E8E8\"" : ""
            lines.append("  r\(index) [label=<\(text)>\(style)];")
            drawn.append("r\(index)")
        }
        for (from, to) in zip(drawn, drawn.dropFirst()) {
            lines.append("  \(from) -> \(to) [label=\"else\"];")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Whether rule `index` gets a box of its own: every rule of a list within
    /// `drawnRuleLimit`, else the first ones, the marked one and the default.
    private func isDrawn(_ index: Int) -> Bool {
        rules.count <= Self.drawnRuleLimit || index < Self.drawnRuleLimit - 2 || index == highlighted || index == rules.count - 1
    }
}
