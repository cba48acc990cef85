/// How a code export names what it defines.
public struct CodeExportOptions: Sendable, Equatable {
    /// The prefix of every name the code defines (`<name>_predict`, `struct <name>_input`),
    /// so that several students can live in one program.
    public var name: String
    /// C: the header's file name, as the source's `#include` reads it.
    public var header: String

    public init(name: String = "student", header: String = "student.h") {
        self.name = name
        self.header = header
    }

    /// - Throws: `DataError` when `name` is not an identifier of `language` of its own.
    func validName(in language: CodeLanguage) throws -> String {
        guard let first = name.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic,
              CodeText.identifiers([name], in: language) == [name] else {
            throw DataError("--name '\(name)' must be a letter then letters, digits or _, and not a keyword")
        }
        return name
    }
}

/// A student as a C function and its header: `<name>_predict(&input, &output)` fills the
/// answer `distill predict` gives for one row, from a struct with one field per feature
/// (a number as double, NAN when missing; a level as a NUL-terminated UTF-8 string, NULL
/// when missing).
struct CCode {
    let student: Student
    let options: CodeExportOptions

    private var features: [String] { student.featureNames }

    private var isNumeric: [Bool] { student.featureLevels.map { $0 == nil } }

    private var classes: [String]? { student.classes }

    private func literal(_ text: String) throws -> String { try CodeText.literal(text, in: .c) }

    func header() throws -> String {
        let name = try options.validName(in: .c)
        let fields = CodeText.identifiers(features, in: .c)
        let guardName = "DISTILL_\(name.uppercased())_H"
        var text = "/* A Distill \(student.kind) student: \(name)_predict gives the answer `distill predict` gives for one row. */\n"
            + "#ifndef \(guardName)\n#define \(guardName)\n\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"
            + "/* One field per feature, named after it (the name as written is in the comment):\n"
            + "   a number as a double, NAN when missing; a level as a NUL-terminated UTF-8 string, NULL when missing. */\n"
            + "struct \(name)_input {\n"
        for (j, field) in fields.enumerated() {
            text += "    \(isNumeric[j] ? "double " : "const char *")\(field); // \(try literal(features[j]))\n"
        }
        text += "};\n\n"
        if let classes {
            text += "/* The classes, in the order of the probabilities. */\n"
                + "extern const char *const \(name)_classes[\(classes.count)];\n\n"
                + "struct \(name)_output {\n    int class_index; /* into \(name)_classes; the first of the most probable */\n"
                + "    double probabilities[\(classes.count)];\n"
        } else {
            text += "struct \(name)_output {\n    double value;\n"
        }
        switch student {
        case .tree: text += "    int leaf; /* numbered as in student.json */\n"
        case .rules: text += "    int rule; /* the rule that answered, numbered from 1 (the default last), as distill predict numbers them */\n"
        case .linear: break
        }
        return text + "};\n\nvoid \(name)_predict(const struct \(name)_input *in, struct \(name)_output *out);\n\n"
            + "#ifdef __cplusplus\n}\n#endif\n\n#endif\n"
    }

    func source() throws -> String {
        let name = try options.validName(in: .c)
        guard !options.header.contains(where: { $0 == "\"" || $0 == "\\" || !$0.isASCII || $0.isNewline }) else {
            throw DataError("the header's file name '\(options.header)' cannot be written in an #include; rename it")
        }
        let fields = Dictionary(uniqueKeysWithValues: zip(features, CodeText.identifiers(features, in: .c)))
        var text = "#include \"\(options.header)\"\n\n#include <math.h>\n#include <string.h>\n\n"
        if let classes {
            text += "const char *const \(name)_classes[\(classes.count)] = {\(try classes.map(literal).joined(separator: ", "))};\n\n"
        }
        text += "void \(name)_predict(const struct \(name)_input *in, struct \(name)_output *out) {\n"
        switch student {
        case .tree(let tree):
            text += "    /* Distill reads a number as Float32 and sends it left when that is at most the split's threshold t,\n"
                + "       so a number is compared with the midpoint between t and the next Float32 up. */\n"
            text += try route(tree, fields: fields)
        case .linear(let model):
            text += try linearBody(model, fields: fields)
        case .rules(let list):
            text += "    /* The first rule whose conditions all pass answers. Distill reads a number as Float32 and compares that\n"
                + "       with a condition's threshold t, so a number is compared with the midpoint between t and the next Float32 up. */\n"
            text += try ruleChain(list, fields: fields)
        }
        return text + "}\n"
    }

    /// The statements that fill `out` with a leaf's or rule's answer, `number` going to `field`.
    private func answer(_ field: String, _ number: Int, value: [Float], topClass: Int) -> [String] {
        var lines = ["out->\(field) = \(number);"]
        if classes != nil {
            lines.append("out->class_index = \(topClass);")
            lines += value.enumerated().map { "out->probabilities[\($0)] = \($1);" }
        } else {
            lines.append("out->value = \(value[0]);")
        }
        return lines
    }

    /// `condition` on the field `x` of `in`.
    private func condition(_ condition: ExportCondition, x: String) throws -> String {
        let numeric = student.featureLevels[condition.feature] == nil
        switch condition.present {
        case .always(let passes):
            switch (passes, condition.missingPasses) {
            case (true, true): return "1"
            case (true, false): return numeric ? "!isnan(\(x))" : "\(x) != NULL"
            case (false, true): return numeric ? "isnan(\(x))" : "\(x) == NULL"
            case (false, false): return "0"
            }
        case .number(let split, let above):
            // NaN compares false, so without `isnan` a missing number fails.
            let test = "\(x) \(split.comparison(above: above)) \(try CodeText.number(split.midpoint))"
            return condition.missingPasses ? "isnan(\(x)) || " + test : test
        case .levels(let split):
            let listed = try split.listed.map { "strcmp(\(x), \(try literal($0))) == 0" }.joined(separator: " || ")
            let test = split.negated ? "!(\(listed))" : "(\(listed))"
            // strcmp must not see NULL, so the missing case is decided first.
            return condition.missingPasses ? "\(x) == NULL || \(test)" : "\(x) != NULL && \(test)"
        }
    }

    /// The nested `if`s that fill in the leaf's answer, written in one pass into one string.
    /// - Throws: `DataError` when the tree is deeper than C compilers nest, or a split is malformed.
    private func route(_ tree: DecisionTree, fields: [String: String]) throws -> String {
        try NestingLimit.c.check(tree)
        var text = ""
        try tree.walk { step, depth in
            let indent = String(repeating: "    ", count: depth + 1)
            switch step {
            case .leaf(let node):
                for line in answer("leaf", node, value: tree.value[node], topClass: tree.topClass(node)) {
                    text += indent + line + "\n"
                }
            case .split(let node):
                let goesLeft = try ExportCondition(tree: tree, node: node)
                let test = try condition(goesLeft, x: "in->" + fields[tree.featureNames[goesLeft.feature]]!)
                text += "\(indent)if (\(test)) {\(goesLeft.comment.map { " // " + $0 } ?? "")\n"
            case .otherwise:
                text += "\(indent)} else {\n"
            case .end:
                text += "\(indent)}\n"
            case .folded:
                break
            }
        }
        return text
    }

    /// One `if` per rule that fills in its answer and returns, in order, then the default's.
    private func ruleChain(_ list: RuleList, fields: [String: String]) throws -> String {
        var text = ""
        for (index, rule) in try ExportCondition.rules(of: list).enumerated() {
            let body = answer("rule", index + 1, value: list.rules[index].value, topClass: list.rules[index].topClass)
            guard !rule.isEmpty else {
                text += body.map { "    " + $0 + "\n" }.joined()
                continue
            }
            let tests = try rule.map { condition in
                let test = try self.condition(condition, x: "in->" + fields[list.featureNames[condition.feature]]!)
                return (rule.count > 1 ? "(\(test))" : test, condition.comment.map { " // " + $0 } ?? "")
            }
            // A comment ends its line, so the `{` goes before the last condition's.
            text += "    if (" + tests.enumerated().map { n, test in
                (n == 0 ? "" : "\n        && ") + test.0 + (n == tests.count - 1 ? ") {" : "") + test.1
            }.joined() + "\n"
            text += (body + ["return;"]).map { "        " + $0 + "\n" }.joined() + "    }\n"
        }
        return text
    }

    private func linearBody(_ model: LinearModel, fields: [String: String]) throws -> String {
        let outputs = model.fit.weights.count
        var text = "    /* η in the data's units: a missing number counts as its training mean, a missing or unseen level as the reference level. */\n"
        text += "    const double eta[\(outputs)] = {\n"
        for k in 0..<outputs {
            let (intercept, weights) = model.rawWeights(output: k)
            text += "        \(try CodeText.number(intercept))"
            for j in model.termsByWeight(output: k) {
                let term = model.terms.terms[j]
                let x = "in->" + fields[term.feature]!
                let value = try term.level.map { "(\(x) != NULL && strcmp(\(x), \(try literal($0))) == 0 ? 1.0 : 0.0)" }
                    ?? "(isnan(\(x)) ? \(try CodeText.number(term.mean)) : \(x))"
                text += "\n            \(weights[j] < 0 ? "-" : "+") \(try CodeText.number(abs(weights[j]))) * \(value)"
            }
            text += ",\n"
        }
        text += "    };\n"
        switch (model.link, model.task) {
        case (.identity, _):
            text += "    out->value = eta[0];\n"
        case (.logit, .classification):
            // σ(η) > 1/2 exactly when η > 0; at 0 the first class wins the tie.
            text += "    const double p = 1.0 / (1.0 + exp(-eta[0]));\n"
                + "    out->class_index = eta[0] > 0.0 ? 1 : 0;\n"
                + "    out->probabilities[0] = 1.0 - p;\n    out->probabilities[1] = p;\n"
        case (.softmax, .classification):
            text += "    int top = 0;\n"
                + "    for (int k = 1; k < \(outputs); k++) {\n"
                + "        if (eta[k] > eta[top]) top = k; /* the first largest wins a tie, as in Distill */\n    }\n"
                + "    double total = 0.0;\n"
                + "    for (int k = 0; k < \(outputs); k++) {\n"
                + "        out->probabilities[k] = exp(eta[k] - eta[top]);\n        total += out->probabilities[k];\n    }\n"
                + "    for (int k = 0; k < \(outputs); k++) out->probabilities[k] /= total;\n"
                + "    out->class_index = top;\n"
        default:
            throw DataError("a '\(model.link.rawValue)' link does not fit this student's task")
        }
        return text
    }
}
