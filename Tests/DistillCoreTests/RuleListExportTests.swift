import Foundation
import Testing

@testable import DistillCore

@Suite("distill export of a rule list: every format, the conditions in rule order, the rule that answered")
struct RuleListExportTests {
    static let colour = "a|b \"c\""

    /// 1. x ≤ 4.5 AND (colour ∈ {it's} or missing) → yes; 2. x is missing → no;
    /// 3. (x > 0.1 or missing) AND colour ∉ {a\b} → a tie, so no; 4. colour ∈ {} or missing
    /// (only a missing colour) → no; 5. the default → yes. Names and levels are SQL and
    /// Markdown syntax, 4.5 is written with `<=` and Float32 0.1 with `<` (their last
    /// significand bits differ).
    func list(regression: Bool = false) -> RuleList {
        func rule(_ conditions: [RuleCondition], _ value: [Float], _ rows: Int) -> RuleList.Rule {
            RuleList.Rule(conditions: conditions, value: regression ? [value[1] * 10] : value, realRows: rows, syntheticRows: 1)
        }
        return RuleList(
            featureNames: ["x", Self.colour], featureLevels: [nil, ["a\\b", "it's"]],
            task: regression ? .regression : .classification(classes: ["no", "it's \"yes\""]),
            rules: [rule([RuleCondition(feature: 0, test: .atMost(4.5), missingMatches: false),
                          RuleCondition(feature: 1, test: .inLevels(["it's"]), missingMatches: true)], [0, 1], 3),
                    rule([RuleCondition(feature: 0, test: .missing, missingMatches: true)], [1, 0], 2),
                    rule([RuleCondition(feature: 0, test: .above(0.1), missingMatches: true),
                          RuleCondition(feature: 1, test: .notInLevels(["a\\b"]), missingMatches: false)], [0.5, 0.5], 1),
                    rule([RuleCondition(feature: 1, test: .inLevels([]), missingMatches: true)], [0.75, 0.25], 1),
                    rule([], [0.25, 0.75], 5)])
    }

    @Test func sqlIsOneSearchedCaseInRuleOrder() throws {
        let sql = try Student.rules(list()).exported(as: .sql, sql: SQLExportOptions(probabilities: true, id: "key"))
        #expect(sql.contains("""
                CASE
                      WHEN ("x" IS NOT NULL AND "x" <= 4.500000238418579) -- threshold 4.5 as Float32
                       AND ("a|b ""c""\" IS NULL OR "a|b ""c""\" IN ('it''s'))
                      THEN 1
                      WHEN "x" IS NULL
                      THEN 2
                      WHEN ("x" IS NULL OR "x" >= 0.10000000521540642) -- threshold 0.1 as Float32
                       AND ("a|b ""c""\" IS NOT NULL AND "a|b ""c""\" NOT IN ('a\\b'))
                      THEN 3
                      WHEN "a|b ""c""\" IS NULL
                      THEN 4
                      ELSE 5
                    END AS "distill_rule"
                """))
        #expect(sql.contains("CASE \"distill_rule\" WHEN 1 THEN 'it''s \"yes\"' WHEN 2 THEN 'no' WHEN 3 THEN 'no' WHEN 4 THEN 'no' WHEN 5 THEN 'it''s \"yes\"' END AS \"student_class\""),
                "the tie of rule 3 goes to the first class")
        #expect(sql.contains("CASE \"distill_rule\" WHEN 1 THEN 0.0 WHEN 2 THEN 1.0 WHEN 3 THEN 0.5 WHEN 4 THEN 0.75 WHEN 5 THEN 0.25 END AS \"student_p_no\""))
        #expect(sql.contains("SELECT\n  \"key\",\n") && sql.contains("  \"distill_rule\" AS \"rule\"\nFROM (\n"))
        let noComment = sql.split(separator: "\n").map { $0.components(separatedBy: " -- ")[0] }
        #expect(noComment.dropFirst(3).allSatisfy { !$0.contains("--") }, "no comment begins inside the query")
    }

    @Test func sqlOfTheDefaultAloneNeedsNoCase() throws {
        var list = list(regression: true)
        list.rules = [list.defaultRule]
        let sql = try Student.rules(list).exported(as: .sql)
        #expect(sql.contains("    1 AS \"distill_rule\"\n"))
        #expect(sql.contains("CASE \"distill_rule\" WHEN 1 THEN 7.5 END AS \"student_value\""))
    }

    @Test func sqlOptionsThatDoNotFitAreRefused() throws {
        let clash = #expect(throws: DataError.self) { try Student.rules(list()).exported(as: .sql, sql: SQLExportOptions(id: "rule")) }
        #expect(clash?.description.contains("--id 'rule'") == true)
        let regression = #expect(throws: DataError.self) {
            try Student.rules(list(regression: true)).exported(as: .sql, sql: SQLExportOptions(probabilities: true))
        }
        #expect(regression?.description.contains("this rule list is a regression") == true)
    }

    /// A tree's split and a rule's condition that test the same are written the same, by one writer per language.
    @Test func treeSplitsAndRuleConditionsShareTheirWriters() throws {
        var tree = DecisionTree(featureNames: ["x"], featureLevels: [nil], task: .regression)
        for value in [Float(1), 2, 3] { _ = tree.addNode(value: [value], realRows: 1, syntheticRows: 0, impurity: 0) }
        (tree.feature[0], tree.threshold[0], tree.missingGoesLeft[0], tree.left[0], tree.right[0]) = (0, 0.1, true, 1, 2)
        let rules = RuleList(featureNames: ["x"], featureLevels: [nil], task: .regression,
                             rules: [.init(conditions: [RuleCondition(feature: 0, test: .atMost(0.1), missingMatches: true)],
                                           value: [2], realRows: 1, syntheticRows: 0),
                                     .init(conditions: [], value: [3], realRows: 1, syntheticRows: 0)])
        let split = try ExportCondition(tree: tree, node: 0)
        let condition = try ExportCondition(list: rules, rule: 0, condition: 0)
        let sql = SQLText(options: SQLExportOptions())
        #expect(try sql.condition(split, column: "x") == "x IS NULL OR x < 0.10000000521540642")
        #expect(try sql.condition(condition, column: "x") == sql.condition(split, column: "x"))
        for format in [ExportFormat.python, .c, .swift] {
            let line = { (text: String) in text.split(separator: "\n").first { $0.contains("0.10000000521540642") }.map(String.init) }
            let fromTree = try #require(line(try Student.tree(tree).exported(as: format)))
            let fromRule = try #require(line(try Student.rules(rules).exported(as: format)))
            #expect(fromTree.trimmingCharacters(in: .whitespaces) == fromRule.trimmingCharacters(in: .whitespaces), "\(format)")
        }
    }

    /// The module is run: on rows on and around both thresholds, with missing values and a
    /// level training never saw, it names the rule `firedRules` names and gives its answer.
    @Test func pythonModuleAnswersAsTheRuleListDoes() throws {
        let files = TemporaryDirectory()
        let list = list()
        files.write("student_rules.py", try Student.rules(list).exported(as: .python))
        let xs = ["", "0.1", "0.1000000001", "0.10000000521540642", "0.1000000053", "4.5", "4.5000001", "4.500000238418579", "4.5000003", "7"]
        let levels = ["", "it's", "a\\b", "never seen"]
        var csv = "x,\"a|b \"\"c\"\"\"\n"
        for x in xs { for level in levels { csv += "\(x),\(level.isEmpty ? "" : "\"\(level)\"")\n" } }
        let table = try CSVReader.read(files.write("rows.csv", csv))
        let fired = try list.firedRules(for: Dataset(features: table.columns, rowCount: table.rowCount))
        #expect(Set(fired) == Set(0..<5), "every rule answers some row")
        let driver = """
            import csv, json, sys
            sys.path.insert(0, sys.argv[1])
            import student_rules
            with open(sys.argv[2], newline="") as f:
                for row in csv.DictReader(f):
                    values = {k: None if v == "" else float(v) if k == "x" else v for k, v in row.items()}
                    print(json.dumps(student_rules.predict(values)))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", files.write("driver.py", driver), files.path, files.path + "/rows.csv"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let answers = try output.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        #expect(answers.map { $0["rule"] as? Int } == fired.map { $0 + 1 })
        let classes = ["no", "it's \"yes\""]
        #expect(answers.map { $0["class"] as? String } == fired.map { classes[list.rules[$0].topClass] })
    }

    @Test func pythonReturnsEachRulesAnswerInOrder() throws {
        let code = try Student.rules(list()).exported(as: .python)
        #expect(code.contains("""
                    if (
                        (x is not None and x <= 4.500000238418579)  # threshold 4.5 as Float32
                        and (a_b__c_ is None or a_b__c_ in ("it's",))
                    ):
                        return _answer(1)
                    if x is None:
                        return _answer(2)
                """))
        #expect(code.contains("    if a_b__c_ is None:\n        return _answer(4)\n    return _answer(5)\n"))
        #expect(code.contains("    3: (\"no\", (0.5, 0.5,)),\n"))
        #expect(code.contains("\"rule\": rule}"))
    }

    @Test func cFillsTheAnswerOfTheFirstRuleThatPasses() throws {
        let student = Student.rules(list())
        let options = CodeExportOptions(name: "small", header: "small.h")
        #expect(try student.cHeader(code: options).contains("    double probabilities[2];\n    int rule;"))
        let source = try student.exported(as: .c, code: options)
        #expect(source.contains("""
                    if ((in->x <= 4.500000238418579) // threshold 4.5 as Float32
                        && (in->a_b__c_ == NULL || (strcmp(in->a_b__c_, "it's") == 0))) {
                        out->rule = 1;
                        out->class_index = 1;
                """))
        #expect(source.contains("    if (isnan(in->x)) {\n        out->rule = 2;\n"))
        #expect(source.contains("    if ((isnan(in->x) || in->x >= 0.10000000521540642) // threshold 0.1 as Float32\n"))
        #expect(source.contains("        return;\n    }\n    out->rule = 5;\n    out->class_index = 1;\n"))
        var unwritable = list()
        unwritable.rules[0].conditions[1].test = .inLevels(["a\0b"])
        #expect(throws: DataError.self) { try Student.rules(unwritable).exported(as: .c) }
    }

    @Test func swiftReturnsFromOneIfPerRule() throws {
        let code = try Student.rules(list()).exported(as: .swift)
        #expect(code.contains("        /// The rule that answered, numbered from 1 (the default last), as `distill predict` numbers them.\n        var rule: Int\n"))
        #expect(code.contains("""
                        if input.x.map({ $0 <= 4.500000238418579 }) ?? false, // threshold 4.5 as Float32
                           input.a_b__c_.map({ ["it's"].contains($0) }) ?? true {
                            return Output(rule: 1, classIndex: 1, probabilities: [0.0, 1.0])
                        }
                        if input.x == nil {
                """))
        #expect(code.contains("        return Output(rule: 5, classIndex: 1, probabilities: [0.25, 0.75])\n    }\n}\n"))
        #expect(try Student.rules(list(regression: true)).exported(as: .swift).contains("return Output(rule: 3, value: 5.0)"))
    }

    @Test func markdownIsATableOfTheRulesInOrder() throws {
        let text = try Student.rules(list()).exported(as: .markdown)
        let rows = text.split(separator: "\n").filter { $0.hasPrefix("| ") }
        #expect(rows.count == 1 + 5, "a header and one row per rule")
        #expect(rows[0] == "| rule | conditions | class | P(no) | P(it's \"yes\") | training rows |")
        #expect(rows[1] == "| 1 | x ≤ 4.5 AND (a\\|b \"c\" ∈ {it's} or missing) | it's \"yes\" | 0 | 1 | 3 |")
        #expect(rows[2] == "| 2 | x is missing | no | 1 | 0 | 2 |")
        #expect(rows[5] == "| 5 | (every other row) | it's \"yes\" | 0.25 | 0.75 | 5 |")
        #expect(text.contains("- Rules: 4 and a default, 6 conditions"))
    }

    @Test func textAndJSONHoldTheRules() throws {
        #expect(try Student.rules(list()).exported(as: .text) == list().text())
        let text = try Student.rules(list()).exported(as: .json)
        #expect(!text.contains("synthetic_rows"), "how the list was made is not part of the export")
        let exported = try JSONDecoder().decode(ExportJSON.self, from: Data(text.utf8))
        let rules = try #require(exported.rules)
        #expect(exported.kind == "rules" && rules.count == 5)
        #expect(rules.map(\.class) == ["it's \"yes\"", "no", "no", "no", "it's \"yes\""])
        #expect(rules[2].conditions.map(\.test) == [">", "not in"] && rules[2].conditions[0].orMissing)
        #expect(rules[0].rows == 3 && rules[4].conditions.isEmpty)
    }

    @Test func malformedConditionsAreNamed() throws {
        var levelsOnANumber = list()
        levelsOnANumber.rules[2].conditions[0].test = .inLevels(["a"])
        for format in [ExportFormat.sql, .python, .c, .swift] {
            let error = #expect(throws: DataError.self) { try Student.rules(levelsOnANumber).exported(as: format) }
            #expect(error?.description.contains("rule 3, condition 1 tests the numeric feature 'x' with levels") == true, "\(format)")
        }
        var thresholdOnALevel = list()
        thresholdOnALevel.rules[0].conditions[1].test = .above(1)
        let level = #expect(throws: DataError.self) { try Student.rules(thresholdOnALevel).exported(as: .sql) }
        #expect(level?.description.contains("rule 1, condition 2 tests the categorical feature 'a|b \"c\"' with a threshold") == true)
        var infinite = list()
        infinite.rules[0].conditions[0].test = .atMost(.infinity)
        let threshold = #expect(throws: DataError.self) { try Student.rules(infinite).exported(as: .python) }
        #expect(threshold?.description.contains("rule 1, condition 1 has the threshold inf") == true)
    }
}
