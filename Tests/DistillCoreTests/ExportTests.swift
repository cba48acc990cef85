import Foundation
import Testing

@testable import DistillCore

@Suite("distill export: SQL, Markdown and code quoting, the JSON schema, the SQL and code a student becomes")
struct ExportTests {
    /// x ≤ threshold (missing → right), then a level split on `a|b "c"` whose levels are
    /// SQL and Markdown syntax: `it's` and missing go left, `a\b` and unseen levels right.
    func tree(threshold: Float = 4.5, classes: [String] = ["no", "it's \"yes\""]) throws -> DecisionTree {
        var tree = DecisionTree(featureNames: ["x", "a|b \"c\""], featureLevels: [nil, ["a\\b", "it's"]],
                                task: .classification(classes: classes))
        for (value, rows) in [([Float(0.5), 0.5], 8), ([1, 0], 4), ([0.25, 0.75], 4), ([0, 1], 2), ([0.5, 0.5], 2)] {
            _ = tree.addNode(value: value, realRows: rows, syntheticRows: 3, impurity: 0.5)
        }
        tree.feature[0] = 0
        tree.threshold[0] = threshold
        tree.missingGoesLeft[0] = false
        (tree.left[0], tree.right[0]) = (1, 2)
        tree.feature[2] = 1
        (tree.leftLevels[2], tree.rightLevels[2]) = (["it's"], ["a\\b"])
        tree.unseenGoesLeft[2] = false
        (tree.left[2], tree.right[2]) = (3, 4)
        return tree
    }

    /// η = 0.5 + 1.0 × (x − 2) / 0.5 + 0 × colour=red, standardised: in the data's units
    /// η = −3.5 + 2 x.
    func linear() -> LinearModel {
        let terms = LinearTerms(terms: [LinearTerm(name: "x", feature: "x", level: nil, mean: 2, scale: 0.5),
                                        LinearTerm(name: "colour=red", feature: "colour", level: "red", mean: 0.25, scale: 0.4330127018922193)],
                                referenceLevels: ["colour": "blue"])
        let fit = LinearFit(lambda: 0.01, weights: [[1.0, 0.0]], intercepts: [0.5], iterations: 7, maxChange: 1e-12,
                            converged: true, objective: 0.3)
        return LinearModel(featureNames: ["x", "colour"], featureLevels: [nil, ["blue", "red"]],
                           task: .classification(classes: ["a", "b"]), terms: terms, link: .logit, l1Ratio: 1, fit: fit)
    }

    @Test func identifiersAndLiteralsDoubleTheirQuotes() throws {
        let sqlite = SQLText(options: SQLExportOptions(dialect: .sqlite))
        #expect(try sqlite.identifier("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(try sqlite.identifier("--x; drop") == "\"--x; drop\"")
        #expect(try sqlite.literal("x'y") == "'x''y'")
        #expect(try sqlite.literal("a\\b") == "'a\\b'")
        let postgres = SQLText(options: SQLExportOptions(dialect: .postgres))
        #expect(try postgres.literal("x'y") == "'x''y'")
        #expect(try postgres.literal("a\\b'") == "E'a\\\\b'''", "a backslash means itself whatever standard_conforming_strings says")
        #expect(try postgres.identifier("a\\b") == "\"a\\b\"")
    }

    @Test func namesHoldingNULAreRefused() throws {
        let sql = SQLText(options: SQLExportOptions())
        #expect(throws: DataError.self) { try sql.identifier("a\0b") }
        #expect(throws: DataError.self) { try sql.literal("a\0b") }
        let error = #expect(throws: DataError.self) { try Student.tree(tree(classes: ["no", "y\0es"])).exported(as: .sql) }
        #expect(error?.description.contains("NUL") == true)
    }

    /// Float32(x) ≤ t, for a double x, is x ≤ m or x < m, m halfway to the next Float32:
    /// ≤ when t's last significand bit is 0 (4.5), < when it is 1 (Float32 0.1).
    @Test(arguments: [(Float(4.5), "\"x\" <= 4.500000238418579 "), (Float(0.1), "\"x\" < 0.10000000521540642 ")])
    func thresholdsCompareWithTheMidpointToTheNextFloat32(threshold: Float, comparison: String) throws {
        let sql = try Student.tree(tree(threshold: threshold)).exported(as: .sql)
        #expect(sql.contains("      WHEN \"x\" IS NOT NULL AND " + comparison + "-- threshold \(Column.format(threshold)) as Float32\n"))
        let midpoint = try #require(Double(comparison.split(separator: " ")[2]))
        #expect(Float(midpoint.nextDown) == threshold && Float(midpoint.nextUp) == threshold.nextUp)
        #expect((Float(midpoint) == threshold) == comparison.contains("<="))
    }

    @Test func treeQueryRoutesLevelsMissingValuesAndAnswersPerLeaf() throws {
        let options = SQLExportOptions(table: "my \"table\"", probabilities: true, id: "key")
        let sql = try Student.tree(tree()).exported(as: .sql, sql: options)
        // A WHEN per leaf, the tests on its path merged, the last leaf the ELSE.
        #expect(sql.contains("      WHEN (\"x\" IS NULL OR \"x\" > 4.500000238418579) -- threshold 4.5 as Float32\n"
                             + "       AND (\"a|b \"\"c\"\"\" IS NULL OR \"a|b \"\"c\"\"\" IN ('it''s'))\n      THEN 3\n      ELSE 4\n"))
        #expect(sql.contains("CASE \"distill_leaf\" WHEN 1 THEN 'no' WHEN 3 THEN 'it''s \"yes\"' WHEN 4 THEN 'no' END AS \"student_class\""))
        #expect(sql.contains("CASE \"distill_leaf\" WHEN 1 THEN 0.0 WHEN 3 THEN 1.0 WHEN 4 THEN 0.5 END AS \"student_p_it's \"\"yes\"\"\""))
        #expect(sql.hasPrefix("--"))
        #expect(sql.contains("SELECT\n  \"key\",\n"))
        #expect(sql.hasSuffix("  FROM \"my \"\"table\"\"\"\n) AS \"distill_rows\";\n"))
        let noComment = sql.split(separator: "\n").map { $0.components(separatedBy: " -- ")[0] }
        #expect(noComment.filter { !$0.hasPrefix("--") }.allSatisfy { !$0.contains("--") }, "no comment begins inside the query")
    }

    @Test func unseenLevelsGoingLeftAreTheComplementOfTheRightLevels() throws {
        var tree = try tree()
        tree.unseenGoesLeft[2] = true
        tree.missingGoesLeft[2] = false
        let sql = try Student.tree(tree).exported(as: .sql)
        #expect(sql.contains("       AND (\"a|b \"\"c\"\"\" IS NOT NULL AND \"a|b \"\"c\"\"\" NOT IN ('a\\b'))\n      THEN 3\n"))
    }

    @Test func linearQueryIsTheEquationInTheDataUnits() throws {
        let sqlite = try Student.linear(linear()).exported(as: .sql, sql: SQLExportOptions(probabilities: true))
        #expect(sqlite.contains("    -3.5\n      + 2.0 * COALESCE(\"x\", 2.0) AS \"distill_eta\""))
        #expect(!sqlite.contains("colour"), "a zero weight is left out")
        #expect(sqlite.contains("CASE WHEN \"distill_eta\" > 0.0 THEN 'b' ELSE 'a' END AS \"student_class\""))
        #expect(sqlite.contains("1.0 / (1.0 + EXP(-MIN(MAX(\"distill_eta\", -700.0), 700.0))) AS \"student_p_b\""))
        let postgres = try Student.linear(linear()).exported(as: .sql, sql: SQLExportOptions(dialect: .postgres, probabilities: true))
        #expect(postgres.contains("1.0 / (1.0 + EXP(LEAST(GREATEST(\"distill_eta\", -700.0), 700.0))) AS \"student_p_a\""))
        let classOnly = try Student.linear(linear()).exported(as: .sql)
        #expect(!classOnly.contains("EXP"), "the class needs no EXP, which some SQLite builds lack")
    }

    @Test func optionsThatDoNotFitAreRefused() throws {
        #expect(throws: DataError.self) { try Student.tree(tree()).exported(as: .sql, sql: SQLExportOptions(id: "leaf")) }
        #expect(throws: DataError.self) { try Student.tree(tree()).exported(as: .sql, sql: SQLExportOptions(table: "")) }
        var regression = DecisionTree(featureNames: ["x"], featureLevels: [nil], task: .regression)
        _ = regression.addNode(value: [1.5], realRows: 3, syntheticRows: 0, impurity: 0)
        #expect(throws: DataError.self) { try Student.tree(regression).exported(as: .sql, sql: SQLExportOptions(probabilities: true)) }
        #expect(try Student.tree(regression).exported(as: .sql).contains("CASE \"distill_leaf\" WHEN 0 THEN 1.5 END AS \"student_value\""))
    }

    @Test func markdownEscapesEverySyntaxCharacter() {
        #expect(MarkdownText.escaped("a|b*c_d[e]`f`<script>#x &amp; $1~\\\nend")
                == "a\\|b\\*c\\_d\\[e\\]\\`f\\`\\<script\\>\\#x \\&amp; \\$1\\~\\\\ end")
        #expect(MarkdownText.escaped("plain name 1.5") == "plain name 1.5")
    }

    @Test func markdownTreeIsATableOfEscapedLeafRules() throws {
        let text = try Student.tree(tree()).exported(as: .markdown)
        let rows = text.split(separator: "\n").filter { $0.hasPrefix("| ") }
        #expect(rows.count == 1 + 3, "a header and one row per leaf")
        #expect(rows[0] == "| leaf | conditions | class | P(no) | P(it's \"yes\") | training rows |")
        #expect(rows.contains("| 3 | x > 4.5 or missing AND a\\|b \"c\" ∈ {it's} or missing | it's \"yes\" | 0 | 1 | 2 |"))
        #expect(rows.allSatisfy { $0.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count == 7 })
    }

    @Test func markdownLinearListsTheInterceptAndNonzeroTerms() throws {
        let text = try Student.linear(linear()).exported(as: .markdown)
        #expect(text.contains("| (intercept) | -3.5 | 0.5 |\n| x | 2 | 1 |\n"))
        #expect(!text.contains("| colour"))
        #expect(text.contains("reference level (colour: blue)"))
    }

    @Test func jsonExportHoldsTheModelWithoutHowItWasMade() throws {
        for student in [Student.tree(try tree()), .linear(linear())] {
            let text = try student.exported(as: .json)
            let decoded = try JSONDecoder().decode(ExportJSON.self, from: Data(text.utf8))
            #expect(decoded.format == "distill.export/v1" && decoded.kind == student.kind)
            for field in ["impurity", "synthetic_rows", "parameters", "convergence", "\"path\"", "lambda", "l1_ratio"] {
                #expect(!text.contains(field), "\(field) is not part of the export")
            }
        }
        let exported = try JSONDecoder().decode(ExportJSON.self, from: Data(try Student.tree(tree()).exported(as: .json).utf8))
        let nodes = try #require(exported.nodes)
        #expect(nodes.map(\.class) == [nil, "no", nil, "it's \"yes\"", "no"])
        #expect(nodes[0].threshold == 4.5 && nodes[0].missing == "right" && nodes[2].unseen == "right")
        let linear = try #require(try JSONDecoder().decode(ExportJSON.self, from: Data(try Student.linear(linear()).exported(as: .json).utf8)).linear)
        #expect(linear.outputs[0].intercept == -3.5 && linear.outputs[0].weights == [2, 0] && linear.outputs[0].class == "b")
    }

    @Test func textIsTheExistingRulesAndEquation() throws {
        #expect(try Student.tree(tree()).exported(as: .text) == tree().text())
        #expect(try Student.linear(linear()).exported(as: .text) == linear().equation)
    }

    @Test func identifiersAreSanitisedPrefixedAndUnique() {
        #expect(CodeText.identifiers(["a b", "a_b", "naïve", "1st", "", "_x", "class", "x"], in: .python, taken: ["x"])
                == ["a_b", "a_b_2", "na_ve", "v_1st", "v_", "v__x", "v_class", "x_2"])
        #expect(CodeText.identifiers(["class", "NAN", "def"], in: .c) == ["v_class", "v_NAN", "def"])
        #expect(CodeText.identifiers(["def", "self", "Type"], in: .swift) == ["def", "v_self", "v_Type"])
    }

    @Test func literalsEscapeQuotesBackslashesControlAndNonASCII() throws {
        let text = "it's \"a\\b\"\nnaïve 𝔘?\u{7F}"
        #expect(try CodeText.literal(text, in: .python) == #""it's \"a\\b\"\nna\xefve \U0001d518?\x7f""#)
        #expect(try CodeText.literal(text, in: .swift) == #""it's \"a\\b\"\nna\u{ef}ve \u{1d518}?\u{7f}""#)
        #expect(try CodeText.literal(text, in: .c) == #""it's \"a\\b\"\nna\303\257ve \360\235\224\230\?\177""#)
        #expect(throws: DataError.self) { try CodeText.literal("a\0b", in: .c) }
        #expect(try CodeText.literal("a\0b", in: .python) == #""a\x00b""#)
    }

    /// The Python module routes at the Float32 midpoint, guards None before comparing, and
    /// sends unseen levels by the complement of the other side's list.
    @Test func pythonTreeRoutesAsTheSQLDoes() throws {
        var tree = try tree()
        tree.unseenGoesLeft[2] = true
        let code = try Student.tree(tree).exported(as: .python)
        #expect(code.contains("    x = row.get(\"x\")\n    a_b__c_ = row.get(\"a|b \\\"c\\\"\")\n"))
        #expect(code.contains("    if x is not None and x <= 4.500000238418579:  # threshold 4.5 as Float32\n        leaf = 1\n"))
        #expect(code.contains("        if a_b__c_ is None or a_b__c_ not in (\"a\\\\b\",):\n"))
        #expect(code.contains("    3: (\"it's \\\"yes\\\"\", (0.0, 1.0,)),\n"))
    }

    @Test func pythonLinearIsTheEquationWithMeansForMissingNumbers() throws {
        let code = try Student.linear(linear()).exported(as: .python)
        #expect(code.contains("    eta = (-3.5\n        + 2.0 * (2.0 if x is None else x))\n"))
        #expect(!code.contains("colour"), "a zero weight is left out")
        #expect(code.contains("\"class\": CLASSES[1] if eta > 0.0 else CLASSES[0]"))
    }

    @Test func cHeaderDeclaresOneFieldPerFeatureAndTheSourceRoutesLikeTheSQL() throws {
        let student = Student.tree(try tree())
        let options = CodeExportOptions(name: "small", header: "small.h")
        let header = try student.cHeader(code: options)
        #expect(header.contains("struct small_input {\n    double x; // \"x\"\n    const char *a_b__c_; // \"a|b \\\"c\\\"\"\n};\n"))
        #expect(header.contains("extern const char *const small_classes[2];"))
        #expect(header.contains("void small_predict(const struct small_input *in, struct small_output *out);"))
        let source = try student.exported(as: .c, code: options)
        #expect(source.hasPrefix("#include \"small.h\"\n"))
        #expect(source.contains("    if (in->x <= 4.500000238418579) { // threshold 4.5 as Float32\n"))
        #expect(source.contains("        if (in->a_b__c_ == NULL || (strcmp(in->a_b__c_, \"it's\") == 0)) {\n"))
        #expect(source.contains("{\"no\", \"it's \\\"yes\\\"\"}"))
    }

    @Test func cNamesThatCannotBeWrittenAreRefused() throws {
        for name in ["1st", "my name", "int", "_x"] {
            #expect(throws: DataError.self) { try Student.tree(tree()).cHeader(code: CodeExportOptions(name: name)) }
        }
        #expect(throws: DataError.self) { try Student.tree(tree()).exported(as: .c, code: CodeExportOptions(header: "a\"b.h")) }
        #expect(throws: DataError.self) { try Student.tree(tree(classes: ["no", "y\0es"])).exported(as: .c) }
    }

    @Test func swiftEnumHoldsOptionalInputsAndRoutesLikeTheSQL() throws {
        let code = try Student.tree(try tree()).exported(as: .swift, code: CodeExportOptions(name: "small"))
        #expect(code.contains("enum Small {\n"))
        #expect(code.contains("        var x: Double? = nil // \"x\"\n        var a_b__c_: String? = nil // \"a|b \\\"c\\\"\"\n"))
        #expect(code.contains("        if input.x.map({ $0 <= 4.500000238418579 }) ?? false { // threshold 4.5 as Float32\n"))
        #expect(code.contains("            if input.a_b__c_.map({ [\"it's\"].contains($0) }) ?? true {\n"))
        #expect(code.contains("return Output(leaf: 3, classIndex: 1, probabilities: [0.0, 1.0])"))
        let linear = try Student.linear(linear()).exported(as: .swift)
        #expect(linear.contains("enum Student {\n"))
        #expect(linear.contains("        var eta: [Double] = [-3.5]\n        eta[0] += 2.0 * (input.x ?? 2.0)\n"))
        #expect(throws: DataError.self) { try Student.tree(tree()).exported(as: .swift, code: CodeExportOptions(name: "double")) }
    }
}
