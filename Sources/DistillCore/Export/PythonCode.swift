/// A student as a Python module that needs nothing outside the standard library:
/// `predict(row)` gives, for a dict from feature name to value (None or no entry when
/// missing), the answer `distill predict` gives.
struct PythonCode {
    let student: Student

    /// Names the module itself defines or uses, which no feature's local may take.
    private static let own: Set<String> = ["math", "CLASSES", "LEAVES", "RULES", "predict", "row", "leaf", "label",
                                           "probabilities", "eta", "etas", "top", "e", "total", "p", "k"]

    func module() throws -> String {
        switch student {
        case .tree(let tree): try treeModule(tree)
        case .linear(let model): try linearModule(model)
        case .rules(let list): try ruleListModule(list)
        }
    }

    private func literal(_ text: String) throws -> String { try CodeText.literal(text, in: .python) }

    /// `name = row.get("name")` per feature the model reads, and each feature's local.
    private func locals(_ features: [String]) throws -> (lines: String, names: [String: String]) {
        let identifiers = CodeText.identifiers(features, in: .python, taken: Self.own)
        let lines = try zip(identifiers, features).map { "    \($0) = row.get(\(try literal($1)))\n" }.joined()
        return (lines, Dictionary(uniqueKeysWithValues: zip(features, identifiers)))
    }

    /// The table `name` of each part's answer (a leaf's, a rule's) by its number (`numbered`
    /// says how), and the lines that return the answer of the part whose number is in `key`.
    private func answers(_ name: String, key: String, numbered: String, task: TeacherTask,
                         parts: [(number: Int, value: [Float], topClass: Int)]) throws -> (table: String, lines: String) {
        switch task {
        case .classification(let classes):
            let table = "CLASSES = (\(try classes.map(literal).joined(separator: ", ")),)\n\n"
                + "# Per \(key) (\(numbered)): the class, and the probability of each of CLASSES.\n"
                + "\(name) = {\n" + (try parts.map { part in
                    "    \(part.number): (\(try literal(classes[part.topClass])), (\(part.value.map { "\($0)" }.joined(separator: ", ")),)),\n"
                }.joined()) + "}\n"
            return (table, "    label, probabilities = \(name)[\(key)]\n"
                + "    return {\"class\": label, \"probabilities\": dict(zip(CLASSES, probabilities)), \"\(key)\": \(key)}\n")
        case .regression:
            let table = "# Per \(key) (\(numbered)): the value.\n"
                + "\(name) = {\n" + parts.map { "    \($0.number): \($0.value[0]),\n" }.joined() + "}\n"
            return (table, "    return {\"value\": \(name)[\(key)], \"\(key)\": \(key)}\n")
        }
    }

    /// `condition` on the local `x`.
    private func condition(_ condition: ExportCondition, x: String) throws -> String {
        let test: String
        switch condition.present {
        case .always(let passes):
            switch (passes, condition.missingPasses) {
            case (true, true): return "True"
            case (true, false): return "\(x) is not None"
            case (false, true): return "\(x) is None"
            case (false, false): return "False"
            }
        case .number(let split, let above):
            test = "\(x) \(split.comparison(above: above)) \(try CodeText.number(split.midpoint))"
        case .levels(let split):
            test = "\(x) \(split.negated ? "not in" : "in") (\(try split.listed.map(literal).joined(separator: ", ")),)"
        }
        // None cannot be compared with a number, so the missing case is decided first.
        return condition.missingPasses ? "\(x) is None or \(test)" : "\(x) is not None and \(test)"
    }

    private func treeModule(_ tree: DecisionTree) throws -> String {
        let leaves = (0..<tree.nodeCount).filter(tree.isLeaf).map { (number: $0, value: tree.value[$0], topClass: tree.topClass($0)) }
        let used = (0..<tree.nodeCount).filter { !tree.isLeaf($0) }.map { tree.feature[$0] }
        let features = tree.featureNames.indices.filter(Set(used).contains).map { tree.featureNames[$0] }
        let (lines, names) = try locals(features)
        let (table, answer) = try answers("LEAVES", key: "leaf", numbered: "numbered as in student.json", task: tree.task, parts: leaves)
        let text = "\"\"\"A Distill decision tree: predict(row) gives the answer `distill predict` gives.\n\n"
            + "row maps a feature's name to its value: a number, a text level, or None (or no entry) when missing.\n"
            + "Distill reads a number as Float32 and sends it left when that is at most the split's threshold t,\n"
            + "so a number is compared with the midpoint between t and the next Float32 up.\n\"\"\"\n\n" + table
        return text + "\n\ndef predict(row: dict) -> dict:\n" + lines
            + (try route(tree, names: names)) + answer
    }

    /// The nested `if`s that set `leaf`, written in one pass into one string.
    /// - Throws: `DataError` when the tree is deeper than Python can nest, or a split is malformed.
    private func route(_ tree: DecisionTree, names: [String: String]) throws -> String {
        try NestingLimit.python.check(tree)
        var text = ""
        try tree.walk { step, depth in
            let indent = String(repeating: "    ", count: depth + 1)
            switch step {
            case .leaf(let node):
                text += "\(indent)leaf = \(node)\n"
            case .split(let node):
                let goesLeft = try ExportCondition(tree: tree, node: node)
                let test = try condition(goesLeft, x: names[tree.featureNames[goesLeft.feature]]!)
                text += "\(indent)if \(test):\(goesLeft.comment.map { "  # " + $0 } ?? "")\n"
            case .otherwise:
                text += "\(indent)else:\n"
            case .folded, .end:
                break
            }
        }
        return text
    }

    /// One `if` per rule that returns its answer, in order, then the default's: flat, as a
    /// chain of `elif`s deep enough makes CPython's compiler recurse too far.
    private func ruleListModule(_ list: RuleList) throws -> String {
        let conditions = try ExportCondition.rules(of: list)
        let (lines, names) = try locals(list.testedFeatures.map { list.featureNames[$0] })
        let rules = list.rules.enumerated().map { (number: $0 + 1, value: $1.value, topClass: $1.topClass) }
        let (table, answer) = try answers("RULES", key: "rule", numbered: "numbered from 1, as distill predict numbers them", task: list.task, parts: rules)
        var body = lines
        for (index, rule) in conditions.enumerated().dropLast() {
            let tests = try rule.map { condition in
                (text: try self.condition(condition, x: names[list.featureNames[condition.feature]]!), comment: condition.comment)
            }
            if tests.count == 1 {
                body += "    if \(tests[0].text):\(tests[0].comment.map { "  # " + $0 } ?? "")\n"
            } else {
                body += "    if (\n" + tests.enumerated().map { n, test in
                    "        \(n == 0 ? "" : "and ")(\(test.text))\(test.comment.map { "  # " + $0 } ?? "")\n"
                }.joined() + "    ):\n"
            }
            body += "        return _answer(\(index + 1))\n"
        }
        body += "    return _answer(\(conditions.count))\n"
        let text = "\"\"\"A Distill rule list: predict(row) gives the answer `distill predict` gives.\n\n"
            + "row maps a feature's name to its value: a number, a text level, or None (or no entry) when missing.\n"
            + "The first rule whose conditions all pass answers; the last has none (the default).\n"
            + "Distill reads a number as Float32 and compares that with a condition's threshold t,\n"
            + "so a number is compared with the midpoint between t and the next Float32 up.\n\"\"\"\n\n" + table
        // `_answer` cannot be hidden by a feature's local, as those never start with `_`.
        return text + "\n\ndef predict(row: dict) -> dict:\n" + body
            + "\n\ndef _answer(rule: int) -> dict:\n" + answer
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
