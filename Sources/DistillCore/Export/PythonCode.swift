/// A student as a Python module that needs nothing outside the standard library:
/// `predict(row)` gives, for a dict from feature name to value (None or no entry when
/// missing), the answer `distill predict` gives.
struct PythonCode {
    let student: Student

    /// CPython's tokenizer allows 100 levels of indentation; a deeper tree cannot be
    /// written as nested `if`s.
    private static let maxDepth = 90

    /// Names the module itself defines or uses, which no feature's local may take.
    private static let own: Set<String> = ["math", "CLASSES", "LEAVES", "predict", "row", "leaf", "label",
                                           "probabilities", "eta", "etas", "top", "e", "total", "p", "k"]

    func module() throws -> String {
        switch student {
        case .tree(let tree): try treeModule(tree)
        case .linear(let model): try linearModule(model)
        case .rules: throw DataError("a rule list cannot be exported as Python yet")
        }
    }

    private func literal(_ text: String) throws -> String { try CodeText.literal(text, in: .python) }

    /// `name = row.get("name")` per feature the model reads, and each feature's local.
    private func locals(_ features: [String]) throws -> (lines: String, names: [String: String]) {
        let identifiers = CodeText.identifiers(features, in: .python, taken: Self.own)
        let lines = try zip(identifiers, features).map { "    \($0) = row.get(\(try literal($1)))\n" }.joined()
        return (lines, Dictionary(uniqueKeysWithValues: zip(features, identifiers)))
    }

    private func treeModule(_ tree: DecisionTree) throws -> String {
        let leaves = (0..<tree.nodeCount).filter(tree.isLeaf)
        let used = (0..<tree.nodeCount).filter { !tree.isLeaf($0) }.map { tree.feature[$0] }
        let features = tree.featureNames.indices.filter(Set(used).contains).map { tree.featureNames[$0] }
        let (lines, names) = try locals(features)
        var text = "\"\"\"A Distill decision tree: predict(row) gives the answer `distill predict` gives.\n\n"
            + "row maps a feature's name to its value: a number, a text level, or None (or no entry) when missing.\n"
            + "Distill reads a number as Float32 and sends it left when that is at most the split's threshold t,\n"
            + "so a number is compared with the midpoint between t and the next Float32 up.\n\"\"\"\n\n"
        let answer: String
        switch tree.task {
        case .classification(let classes):
            text += "CLASSES = (\(try classes.map(literal).joined(separator: ", ")),)\n\n"
            text += "# Per leaf (numbered as in student.json): the class, and the probability of each of CLASSES.\n"
            text += "LEAVES = {\n" + (try leaves.map { leaf in
                let probabilities = tree.value[leaf].map { "\($0)" }.joined(separator: ", ")
                return "    \(leaf): (\(try literal(classes[tree.topClass(leaf)])), (\(probabilities),)),\n"
            }.joined()) + "}\n"
            answer = "    label, probabilities = LEAVES[leaf]\n"
                + "    return {\"class\": label, \"probabilities\": dict(zip(CLASSES, probabilities)), \"leaf\": leaf}\n"
        case .regression:
            text += "# Per leaf (numbered as in student.json): the value.\n"
            text += "LEAVES = {\n" + leaves.map { "    \($0): \(tree.value[$0][0]),\n" }.joined() + "}\n"
            answer = "    return {\"value\": LEAVES[leaf], \"leaf\": leaf}\n"
        }
        return text + "\n\ndef predict(row: dict) -> dict:\n" + lines
            + (try route(tree, node: 0, depth: 1, names: names)) + answer
    }

    private func route(_ tree: DecisionTree, node: Int, depth: Int, names: [String: String]) throws -> String {
        let indent = String(repeating: "    ", count: depth)
        guard !tree.isLeaf(node) else { return "\(indent)leaf = \(node)\n" }
        guard depth < Self.maxDepth else {
            throw DataError("the tree is deeper than \(Self.maxDepth) splits, which Python cannot nest; fit it with --max-depth")
        }
        let feature = tree.featureNames[tree.feature[node]]
        let x = names[feature]!
        var comment = ""
        let test: String
        if tree.featureLevels[tree.feature[node]] == nil {
            let split = try Float32Split(threshold: tree.threshold[node], node: node)
            test = "\(x) \(split.comparison) \(try CodeText.number(split.midpoint))"
            comment = "  # threshold \(Column.format(tree.threshold[node])) as Float32"
        } else {
            let split = try LevelSplit(tree: tree, node: node)
            test = "\(x) \(split.negated ? "not in" : "in") (\(try split.listed.map(literal).joined(separator: ", ")),)"
        }
        // None cannot be compared with a number, so the missing case is decided first.
        let condition = tree.missingGoesLeft[node] ? "\(x) is None or \(test)" : "\(x) is not None and \(test)"
        return "\(indent)if \(condition):\(comment)\n"
            + (try route(tree, node: tree.left[node], depth: depth + 1, names: names))
            + "\(indent)else:\n"
            + (try route(tree, node: tree.right[node], depth: depth + 1, names: names))
    }

    private func linearModule(_ model: LinearModel) throws -> String {
        let outputs = model.fit.weights.count
        let terms = (0..<outputs).map { model.termsByWeight(output: $0) }
        let usedFeatures = Set(terms.flatMap { $0.map { model.terms.terms[$0].feature } })
        let (lines, names) = try locals(model.featureNames.filter(usedFeatures.contains))
        let etaNames = outputs == 1 ? ["eta"] : (0..<outputs).map { "eta_\($0)" }
        var body = lines
        body += "    # η in the data's units: a missing number counts as its training mean, a missing or unseen level as the reference level.\n"
        for k in 0..<outputs {
            let (intercept, weights) = model.rawWeights(output: k)
            body += "    \(etaNames[k]) = (\(try CodeText.number(intercept))"
            for j in terms[k] {
                let term = model.terms.terms[j]
                let x = names[term.feature]!
                let value = try term.level.map { "(1.0 if \(x) == \(try literal($0)) else 0.0)" }
                    ?? "(\(try CodeText.number(term.mean)) if \(x) is None else \(x))"
                body += "\n        \(weights[j] < 0 ? "-" : "+") \(try CodeText.number(abs(weights[j]))) * \(value)"
            }
            body += ")\n"
        }
        var header = "\"\"\"A Distill linear student: predict(row) gives the answer `distill predict` gives.\n\n"
            + "row maps a feature's name to its value: a number, a text level, or None (or no entry) when missing.\n\"\"\"\n"
        switch (model.link, model.task) {
        case (.identity, _):
            body += "    return {\"value\": eta}\n"
        case (.logit, .classification(let classes)):
            header += "import math\n\nCLASSES = (\(try classes.map(literal).joined(separator: ", ")))\n"
            // math.exp raises OverflowError past about 709.
            body += "    p = 1.0 / (1.0 + math.exp(-max(min(eta, \(LinearSQL.exponentBound)), -\(LinearSQL.exponentBound))))\n"
                // σ(η) > 1/2 exactly when η > 0; at 0 the first class wins the tie.
                + "    return {\"class\": CLASSES[1] if eta > 0.0 else CLASSES[0], \"probabilities\": {CLASSES[0]: 1.0 - p, CLASSES[1]: p}}\n"
        case (.softmax, .classification(let classes)):
            header += "import math\n\nCLASSES = (\(try classes.map(literal).joined(separator: ", ")),)\n"
            body += "    etas = [\(etaNames.joined(separator: ", "))]\n"
                + "    top = max(etas)\n"
                + "    e = [math.exp(v - top) for v in etas]\n"
                + "    total = sum(e)\n"
                + "    # The first largest η wins a tie, as in Distill.\n"
                + "    return {\"class\": CLASSES[etas.index(top)], \"probabilities\": {c: v / total for c, v in zip(CLASSES, e)}}\n"
        default:
            throw DataError("a '\(model.link.rawValue)' link does not fit this student's task")
        }
        return header + "\n\ndef predict(row: dict) -> dict:\n" + body
    }
}
