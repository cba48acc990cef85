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
        var text = "import Foundation\n\n"
            + "/// A Distill \(student.kind) student: `\(type).predict(_:)` gives the answer `distill predict` gives for one row.\n"
            + "enum \(type) {\n"
            + "    /// One property per feature, named after it (the name as written is in the comment); nil when missing.\n"
            + "    struct Input {\n"
        for (j, property) in properties.enumerated() {
            text += "        var \(property): \(numeric[j] ? "Double" : "String")? = nil // \(try literal(features[j]))\n"
        }
        text += "    }\n\n    struct Output: Equatable {\n"
        switch student {
        case .tree: text += "        /// Numbered as in student.json.\n        var leaf: Int\n"
        case .rules: text += "        /// The rule that answered, numbered from 1 (the default last), as `distill predict` numbers them.\n        var rule: Int\n"
        case .linear: break
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
        // Functions `predict` calls, written after it.
        var helpers = ""
        switch student {
        case .tree(let tree):
            text += "        // Distill reads a number as Float32 and sends it left when that is at most the split's threshold t,\n"
                + "        // so a number is compared with the midpoint between t and the next Float32 up.\n"
            text += try route(tree, names: names, classification: classes != nil, helpers: &helpers)
        case .linear(let model):
            text += try linearBody(model, names: names)
        case .rules(let list):
            text += "        // The first rule whose conditions all pass answers. Distill reads a number as Float32 and compares that\n"
                + "        // with a condition's threshold t, so a number is compared with the midpoint between t and the next Float32 up.\n"
            text += try ruleChain(list, names: names, classification: classes != nil, helpers: &helpers)
        }
        return text + "    }\n" + helpers + "}\n"
    }

    /// swiftc's optimiser takes time that grows with the square of a function's size: one
    /// function of a balanced tree's 1,001 nodes took 4 s at -O, of 4,001 nodes 50 s, and of
    /// 1,000 rules 22 s (Swift 6.3). So a tree's nodes below every `levelsPerFunction`th level,
    /// and each `rulesPerFunction` rules of a list, go into a function of their own, and a
    /// large student compiles in time that grows with its size.
    static let levelsPerFunction = 6
    static let rulesPerFunction = 100

    /// `Output`'s arguments after the leaf or rule: its class and probabilities, or its value.
    private func answer(value: [Float], topClass: Int, classification: Bool) -> String {
        classification
            ? "classIndex: \(topClass), probabilities: [\(value.map { "\($0)" }.joined(separator: ", "))]"
            : "value: \(value[0])"
    }

    /// `condition` on the optional `x`: the test mapped over a present value, the missing
    /// case after `??`.
    private func condition(_ condition: ExportCondition, x: String) throws -> String {
        let test: String
        switch condition.present {
        case .always(let passes):
            return passes == condition.missingPasses ? "\(passes)" : "\(x) \(passes ? "!=" : "==") nil"
        case .number(let split, let above):
            test = "$0 \(split.comparison(above: above)) \(try CodeText.number(split.midpoint))"
        case .levels(let split):
            let listed = "[\(try split.listed.map(literal).joined(separator: ", "))].contains($0)"
            test = split.negated ? "!" + listed : listed
        }
        return "\(x).map({ \(test) }) ?? \(condition.missingPasses)"
    }

    /// The nested `if`s that return the leaf's answer, written in one pass into one string;
    /// the subtrees under every `levelsPerFunction`th level are functions of their own
    /// (`subtree<node>`), added to `helpers` in the order they are met.
    /// - Throws: `DataError` when the tree is deeper than the limit, or a split is malformed.
    private func route(_ tree: DecisionTree, names: [String: String], classification: Bool, helpers: inout String) throws -> String {
        try NestingLimit.swift.check(tree)
        var roots = [0]
        var body = ""
        var next = 0
        while next < roots.count {
            let root = roots[next]
            next += 1
            var text = ""
            try tree.walk(from: root, foldedFrom: Self.levelsPerFunction) { step, depth in
                let indent = String(repeating: "    ", count: depth + 2)
                switch step {
                case .leaf(let node):
                    text += "\(indent)return Output(leaf: \(node), "
                        + "\(answer(value: tree.value[node], topClass: tree.topClass(node), classification: classification)))\n"
                case .folded(let node):
                    text += "\(indent)return subtree\(node)(input)\n"
                    roots.append(node)
                case .split(let node):
                    let goesLeft = try ExportCondition(tree: tree, node: node)
                    let test = try condition(goesLeft, x: "input." + names[tree.featureNames[goesLeft.feature]]!)
                    text += "\(indent)if \(test) {\(goesLeft.comment.map { " // " + $0 } ?? "")\n"
                case .otherwise:
                    text += "\(indent)} else {\n"
                case .end:
                    text += "\(indent)}\n"
                }
            }
            if root == 0 {
                body = text
            } else {
                helpers += "\n    private static func subtree\(root)(_ input: Input) -> Output {\n" + text + "    }\n"
            }
        }
        return body
    }

    /// One `if` per rule that returns its answer, in order, then the default's. A rule's
    /// conditions are the `if`'s comma-separated clauses, each type-checked on its own: one
    /// expression of several `??` and closures can take Swift very long to type-check. Each
    /// `rulesPerFunction` rules are a function of their own (`rules<first>`, nil when none
    /// answers), added to `helpers`, when the list has more.
    private func ruleChain(_ list: RuleList, names: [String: String], classification: Bool, helpers: inout String) throws -> String {
        let chain = try ExportCondition.rules(of: list)
        var blocks: [String] = []
        for (index, rule) in chain.enumerated() {
            let output = "return Output(rule: \(index + 1), "
                + "\(answer(value: list.rules[index].value, topClass: list.rules[index].topClass, classification: classification)))"
            guard !rule.isEmpty else {
                blocks.append("        \(output)\n")
                continue
            }
            let clauses = try rule.map { condition in
                (try self.condition(condition, x: "input." + names[list.featureNames[condition.feature]]!),
                 condition.comment.map { " // " + $0 } ?? "")
            }
            // A comment ends its line, so the `,` or `{` goes before it.
            blocks.append("        if " + clauses.enumerated().map { n, clause in
                clause.0 + (n == clauses.count - 1 ? " {" : ",") + clause.1
            }.joined(separator: "\n           ") + "\n" + "            \(output)\n        }\n")
        }
        guard blocks.count > Self.rulesPerFunction else { return blocks.joined() }
        // The default (the last block) answers in `predict` itself, after every group.
        var text = ""
        for first in stride(from: 0, to: blocks.count - 1, by: Self.rulesPerFunction) {
            let group = blocks[first..<min(first + Self.rulesPerFunction, blocks.count - 1)]
            text += "        if let output = rules\(first + 1)(input) { return output }\n"
            helpers += "\n    private static func rules\(first + 1)(_ input: Input) -> Output? {\n" + group.joined() + "        return nil\n    }\n"
        }
        return text + blocks[blocks.count - 1]
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
