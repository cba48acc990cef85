/// The `markdown` export: a document a reviewer reads, and the escaping that keeps names
/// from the data or the model as plain text in it.
enum MarkdownText {
    /// `text` as literal Markdown text, fit for a table cell: every character CommonMark or
    /// GitHub's tables, strikethrough and math give a meaning is backslash-escaped (a
    /// backslash-escaped `<` or `&` starts no HTML tag or entity), and line breaks, which
    /// would end a table row, become spaces.
    static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "\\", "`", "*", "_", "[", "]", "<", ">", "#", "|", "~", "&", "$":
                result.append("\\")
                result.append(character)
            case "\n", "\r", "\r\n", "\t":
                result.append(" ")
            default:
                result.append(character)
            }
        }
        return result
    }

    static func document(_ tree: DecisionTree) -> String {
        var lines = ["# Decision tree student", ""]
        lines += taskLines(tree.task)
        lines.append("- Leaves: \(tree.leafCount), depth \(tree.depth)")
        lines.append("- Features tested: " + tree.splitFeatures.map { escaped(tree.featureNames[$0]) }.joined(separator: ", "))
        lines += ["", "## Leaves", "",
                  "One row per leaf, the largest first. A row meets exactly one leaf's conditions; \"or missing\" "
                  + "and \"or other\" say where missing values and levels unseen in training go.", ""]
        var header = ["leaf", "conditions"]
        switch tree.task {
        case .classification(let classes): header += ["class"] + classes.map { "P(\(escaped($0)))" }
        case .regression: header.append("value")
        }
        header.append("training rows")
        lines.append("| " + header.joined(separator: " | ") + " |")
        lines.append("|" + String(repeating: "---|", count: header.count))
        for rule in tree.leafRules(showing: escaped) {
            var cells = ["\(rule.leaf)", rule.conditions.isEmpty ? "(every row)" : rule.conditions.joined(separator: " AND ")]
            switch tree.task {
            case .classification(let classes):
                cells.append(escaped(classes[tree.topClass(rule.leaf)]))
                cells += tree.value[rule.leaf].map { DecisionTree.format($0, digits: 3) }
            case .regression:
                cells.append(DecisionTree.format(tree.value[rule.leaf][0], digits: 4))
            }
            cells.append("\(tree.realRows[rule.leaf])")
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func document(_ model: LinearModel) -> String {
        var lines = ["# Linear student", ""]
        lines += taskLines(model.task)
        let classes: [String] = if case .classification(let names) = model.task { names } else { [] }
        switch model.link {
        case .identity: lines.append("- Answer: value = η")
        case .logit: lines.append("- Answer: P(\(escaped(classes[1]))) = 1 / (1 + exp(−η)), P(\(escaped(classes[0]))) = 1 − P(\(escaped(classes[1])))")
        case .softmax: lines.append("- Answer: P(class) = exp(η of the class) / Σ over classes of exp(η of that class)")
        }
        lines.append("- Features used: \(model.nonzeroFeatures.count) of \(model.featureNames.count): "
                     + model.nonzeroFeatures.map(escaped).joined(separator: ", "))
        lines.append("- A missing number counts as its training mean; a missing or unseen level as the reference level"
                     + (model.terms.referenceLevels.isEmpty ? "." : " ("
                        + model.terms.referenceLevels.sorted { $0.key < $1.key }.map { "\(escaped($0.key)): \(escaped($0.value))" }.joined(separator: ", ") + ")."))
        for k in model.fit.weights.indices {
            let (intercept, weights) = model.rawWeights(output: k)
            let title = switch model.link {
            case .identity: "η"
            case .logit: "η (for \(escaped(classes[1])))"
            case .softmax: "η of \(escaped(classes[k]))"
            }
            lines += ["", "## \(title)", "",
                      "Weights in the data's units (a level's weight applies when the row has that level) and standardised "
                      + "(per standard deviation of the term), the largest standardised first.", "",
                      "| term | weight | standardised weight |", "|---|---|---|",
                      "| (intercept) | \(LinearModel.number(intercept)) | \(LinearModel.number(model.fit.intercepts[k])) |"]
            for j in model.termsByWeight(output: k) {
                let term = model.terms.terms[j]
                let name = term.level.map { "\(escaped(term.feature)) = \(escaped($0))" } ?? escaped(term.feature)
                lines.append("| \(name) | \(LinearModel.number(weights[j])) | \(LinearModel.number(model.fit.weights[k][j])) |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func taskLines(_ task: TeacherTask) -> [String] {
        switch task {
        case .classification(let classes): ["- Task: classification into \(classes.count) classes: " + classes.map(escaped).joined(separator: ", ")]
        case .regression: ["- Task: regression"]
        }
    }
}
