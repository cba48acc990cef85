/// The `markdown` export: a document a reviewer reads (a tree's leaves, a rule list's rules
/// or a linear student's weights as tables), and the escaping that keeps names
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
        lines += tableHeader("leaf", tree.task)
        for rule in tree.leafRules(showing: escaped) {
            lines.append(tableRow(["\(rule.leaf)", rule.conditions.isEmpty ? "(every row)" : rule.conditions.joined(separator: " AND ")],
                                  task: tree.task, value: tree.value[rule.leaf], topClass: tree.topClass(rule.leaf),
                                  rows: tree.realRows[rule.leaf]))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func document(_ list: RuleList) -> String {
        var lines = ["# Rule list student", ""]
        lines += taskLines(list.task)
        lines.append("- Rules: \(list.ruleCount) and a default, \(list.conditionCount) conditions")
        lines.append("- Features tested: " + list.testedFeatures.map { escaped(list.featureNames[$0]) }.joined(separator: ", "))
        lines += ["", "## Rules", "",
                  "In order: a row gets the answer of the first rule whose conditions all hold, and of the last (the default) "
                  + "when none does. \"or missing\" says that a missing value passes; a level a rule does not name fails "
                  + "∈ and passes ∉, whether or not training saw it. Training rows are those the rule answers.", ""]
        lines += tableHeader("rule", list.task)
        for (index, rule) in list.rules.enumerated() {
            let conditions = list.conditionTexts(index, showing: escaped)
            lines.append(tableRow(["\(index + 1)", conditions.isEmpty ? "(every other row)" : conditions.joined(separator: " AND ")],
                                  task: list.task, value: rule.value, topClass: rule.topClass, rows: rule.realRows))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The header and rule of a table with a row per leaf or rule, named `first`.
    private static func tableHeader(_ first: String, _ task: TeacherTask) -> [String] {
        var header = [first, "conditions"]
        switch task {
        case .classification(let classes): header += ["class"] + classes.map { "P(\(escaped($0)))" }
        case .regression: header.append("value")
        }
        header.append("training rows")
        return ["| " + header.joined(separator: " | ") + " |", "|" + String(repeating: "---|", count: header.count)]
    }

    /// A leaf's or rule's table row: `cells` (its number and conditions, escaped), then its answer and training rows.
    private static func tableRow(_ cells: [String], task: TeacherTask, value: [Float], topClass: Int, rows: Int) -> String {
        var cells = cells
        switch task {
        case .classification(let classes):
            cells.append(escaped(classes[topClass]))
            cells += value.map { DecisionTree.format($0, digits: 3) }
        case .regression:
            cells.append(DecisionTree.format(value[0], digits: 4))
        }
        cells.append("\(rows)")
        return "| " + cells.joined(separator: " | ") + " |"
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
