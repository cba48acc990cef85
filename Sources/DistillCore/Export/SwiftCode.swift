import Foundation

/// A student as Swift source: an enum named after `CodeExportOptions.name` (first letter
/// upper-cased) holding `Input` (an optional property per feature, nil when missing),
/// `Output` and `predict(_:)`, which gives the answer `distill predict` gives for one row.
struct SwiftCode {
    let student: Student
    let options: CodeExportOptions

    /// The enum's name: the prefix with its first letter upper-cased, as Swift names types.
    /// - Throws: `DataError` when that is not an identifier, or is a keyword or a standard type.
    func typeName() throws -> String {
        let name = options.name.prefix(1).uppercased() + options.name.dropFirst()
        return try CodeExportOptions(name: name).validName(in: .swift)
    }

    private func literal(_ text: String) throws -> String { try CodeText.literal(text, in: .swift) }

    func source() throws -> String {
        let type = try typeName()
        let features = student.featureNames
        let numeric = student.featureLevels.map { $0 == nil }
        let classes = student.classes
        let properties = CodeText.identifiers(features, in: .swift)
        let names = Dictionary(uniqueKeysWithValues: zip(features, properties))
        let isTree = if case .tree = student { true } else { false }
        var text = "import Foundation\n\n"
            + "/// A Distill \(student.kind) student: `\(type).predict(_:)` gives the answer `distill predict` gives for one row.\n"
            + "enum \(type) {\n"
            + "    /// One property per feature, named after it (the name as written is in the comment); nil when missing.\n"
            + "    struct Input {\n"
        for (j, property) in properties.enumerated() {
            text += "        var \(property): \(numeric[j] ? "Double" : "String")? = nil // \(try literal(features[j]))\n"
        }
        text += "    }\n\n    struct Output: Equatable {\n"
        if isTree {
            text += "        /// Numbered as in student.json.\n        var leaf: Int\n"
        }
        if let classes {
            text += "        /// Into `classes`; the first of the most probable.\n        var classIndex: Int\n"
                + "        var probabilities: [Double]\n"
                + "        var label: String { \(type).classes[classIndex] }\n"
                + "    }\n\n    static let classes = [\(try classes.map(literal).joined(separator: ", "))]\n"
        } else {
            text += "        var value: Double\n    }\n"
        }
        text += "\n    static func predict(_ input: Input) -> Output {\n"
        switch student {
        case .tree(let tree):
            text += "        // Distill reads a number as Float32 and sends it left when that is at most the split's threshold t,\n"
                + "        // so a number is compared with the midpoint between t and the next Float32 up.\n"
            text += try route(tree, node: 0, indent: "        ", names: names, classification: classes != nil)
        case .linear(let model):
            text += try linearBody(model, names: names)
        case .rules:
            throw DataError("a rule list cannot be exported as Swift yet")
        }
        return text + "    }\n}\n"
    }

    private func route(_ tree: DecisionTree, node: Int, indent: String, names: [String: String], classification: Bool) throws -> String {
        guard !tree.isLeaf(node) else {
            let answer = classification
                ? "classIndex: \(tree.topClass(node)), probabilities: [\(tree.value[node].map { "\($0)" }.joined(separator: ", "))]"
                : "value: \(tree.value[node][0])"
            return "\(indent)return Output(leaf: \(node), \(answer))\n"
        }
        let x = "input." + names[tree.featureNames[tree.feature[node]]]!
        var comment = ""
        let test: String
        if tree.featureLevels[tree.feature[node]] == nil {
            let split = try Float32Split(threshold: tree.threshold[node], node: node)
            test = "$0 \(split.comparison) \(try CodeText.number(split.midpoint))"
            comment = " // threshold \(Column.format(tree.threshold[node])) as Float32"
        } else {
            let split = try LevelSplit(tree: tree, node: node)
            let listed = "[\(try split.listed.map(literal).joined(separator: ", "))].contains($0)"
            test = split.listed.isEmpty ? "_ in \(split.negated)" : split.negated ? "!" + listed : listed
        }
        let condition = "\(x).map({ \(test) }) ?? \(tree.missingGoesLeft[node])"
        return "\(indent)if \(condition) {\(comment)\n"
            + (try route(tree, node: tree.left[node], indent: indent + "    ", names: names, classification: classification))
            + "\(indent)} else {\n"
            + (try route(tree, node: tree.right[node], indent: indent + "    ", names: names, classification: classification))
            + "\(indent)}\n"
    }

    private func linearBody(_ model: LinearModel, names: [String: String]) throws -> String {
        let outputs = model.fit.weights.count
        var intercepts: [String] = []
        var lines = ""
        for k in 0..<outputs {
            let (intercept, weights) = model.rawWeights(output: k)
            intercepts.append(try CodeText.number(intercept))
            for j in model.termsByWeight(output: k) {
                let term = model.terms.terms[j]
                let x = "input." + names[term.feature]!
                let value = try term.level.map { "(\(x) == \(try literal($0)) ? 1.0 : 0.0)" }
                    ?? "(\(x) ?? \(try CodeText.number(term.mean)))"
                // One statement per term: a long sum of literals is slow for Swift to type-check.
                lines += "        eta[\(k)] \(weights[j] < 0 ? "-=" : "+=") \(try CodeText.number(abs(weights[j]))) * \(value)\n"
            }
        }
        var text = "        // η in the data's units: a missing number counts as its training mean, a missing or unseen level as the reference level.\n"
            + "        var eta: [Double] = [\(intercepts.joined(separator: ", "))]\n" + lines
        switch (model.link, model.task) {
        case (.identity, _):
            text += "        return Output(value: eta[0])\n"
        case (.logit, .classification):
            // σ(η) > 1/2 exactly when η > 0; at 0 the first class wins the tie.
            text += "        let p = 1.0 / (1.0 + exp(-eta[0]))\n"
                + "        return Output(classIndex: eta[0] > 0.0 ? 1 : 0, probabilities: [1.0 - p, p])\n"
        case (.softmax, .classification):
            text += "        let top = eta.firstIndex(of: eta.max()!)! // the first largest wins a tie, as in Distill\n"
                + "        let e = eta.map { exp($0 - eta[top]) }\n"
                + "        let total = e.reduce(0, +)\n"
                + "        return Output(classIndex: top, probabilities: e.map { $0 / total })\n"
        default:
            throw DataError("a '\(model.link.rawValue)' link does not fit this student's task")
        }
        return text
    }
}
