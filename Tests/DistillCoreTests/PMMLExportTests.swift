import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

@testable import DistillCore

@Suite("distill export --format pmml: XML escaping, the tree's and rule list's predicates, the regression tables")
struct PMMLExportTests {
    let fixtures = ExportTests()

    /// The document parsed by Foundation's XML parser, which fails on anything not well formed.
    func parsed(_ student: Student) throws -> XMLDocument {
        try XMLDocument(xmlString: try student.exported(as: .pmml))
    }

    func nodes(_ document: XMLDocument, _ path: String) throws -> [XMLElement] {
        try document.nodes(forXPath: path).compactMap { $0 as? XMLElement }
    }

    /// Looked up among the attributes: swift-corelibs-foundation's `attribute(forName:)`
    /// answers nil for these (the elements are in the PMML namespace, the attributes in none).
    func attribute(_ element: XMLElement?, _ name: String) -> String? {
        element?.attributes?.first { $0.name == name }?.stringValue
    }

    @Test func treeIsATreeModelWithANodePerNodeAndDistillsOutputs() throws {
        let document = try parsed(.tree(fixtures.tree()))
        let root = try #require(document.rootElement())
        #expect(root.name == "PMML" && root.uri == PMMLDocument.namespace && attribute(root, "version") == "4.4")
        let model = try #require(try nodes(document, "/*[local-name()='PMML']/*[local-name()='TreeModel']").first)
        #expect(attribute(model, "functionName") == "classification" && attribute(model, "splitCharacteristic") == "binarySplit")
        let ids = try nodes(document, "//*[local-name()='Node']").compactMap { attribute($0, "id") }
        #expect(ids == ["0", "1", "2", "3", "4"], "depth first, left before right")
        let leaf3 = try #require(try nodes(document, "//*[local-name()='Node'][@id='3']").first)
        #expect(attribute(leaf3, "score") == "it's \"yes\"")
        let outputs = try nodes(document, "//*[local-name()='OutputField']").map { [attribute($0, "name"), attribute($0, "feature")] }
        #expect(outputs == [["student_class", "predictedValue"], ["student_p_no", "probability"],
                            ["student_p_it's \"yes\"", "probability"], ["leaf", "entityId"]])
        let fields = try nodes(document, "//*[local-name()='MiningField']").map { [attribute($0, "name"), attribute($0, "invalidValueTreatment")] }
        #expect(fields == [["x", nil], ["a|b \"c\"", "asIs"], ["teacher", nil]], "unseen levels reach the predicates")
    }

    /// Float32(x) ≤ t is x ≤ m or x < m, m halfway to the next Float32; a missing x goes
    /// right at that node of the fixture, so the test is guarded by isNotMissing.
    @Test(arguments: [(Float(4.5), "lessOrEqual", "4.500000238418579"), (Float(0.1), "lessThan", "0.10000000521540642")])
    func thresholdsCompareWithTheMidpointToTheNextFloat32(threshold: Float, comparison: String, midpoint: String) throws {
        let text = try Student.tree(fixtures.tree(threshold: threshold)).exported(as: .pmml)
        #expect(text.contains("""
                  <Node id="1" score="no" recordCount="7">
                    <CompoundPredicate booleanOperator="and">
                      <SimplePredicate field="x" operator="isNotMissing"/>
                      <!-- threshold \(Column.format(threshold)) as Float32 -->
                      <SimplePredicate field="x" operator="\(comparison)" value="\(midpoint)"/>
                    </CompoundPredicate>
            """))
    }

    @Test func levelSplitsListTheLevelsAndMissingTakesItsSide() throws {
        let document = try parsed(.tree(fixtures.tree()))
        // Node 2 sends `it's` and missing left; `a\b` and unseen levels go right.
        let left = try #require(try nodes(document, "//*[local-name()='Node'][@id='3']/*[local-name()='CompoundPredicate']").first)
        #expect(attribute(left, "booleanOperator") == "or")
        let tests = (left.children ?? []).compactMap { $0 as? XMLElement }.map { [attribute($0, "operator"), attribute($0, "value")] }
        #expect(tests == [["isMissing", nil], ["equal", "it's"]])
    }

    @Test func hostileNamesRoundTripThroughAnXMLParser() throws {
        let hostile = "a<b> & \"c\" 'd'\n\tline\r\u{1D518}"
        var tree = try fixtures.tree(classes: ["no", hostile])
        tree.featureNames[1] = hostile
        tree.leftLevels[2] = [hostile]
        tree.featureLevels[1] = ["a\\b", hostile]
        let text = try Student.tree(tree).exported(as: .pmml)
        #expect(text.contains("a&lt;b&gt; &amp; &quot;c&quot; 'd'&#10;&#9;line&#13;\u{1D518}"))
        let document = try XMLDocument(xmlString: text)
        let split = try #require(try nodes(document, "//*[local-name()='Node'][@id='3']//*[@operator='equal']").first)
        #expect(attribute(split, "field") == hostile && attribute(split, "value") == hostile)
        let field = try nodes(document, "//*[local-name()='DataField']").compactMap { attribute($0, "name") }
        #expect(field == ["x", hostile, "teacher"])
    }

    @Test(arguments: ["x\u{1}y", "x\u{FFFF}"])
    func namesXMLCannotHoldAreRefusedByName(name: String) throws {
        var tree = try fixtures.tree()
        tree.featureNames[0] = name
        let error = #expect(throws: DataError.self) { try Student.tree(tree).exported(as: .pmml) }
        #expect(error?.description.contains("XML 1.0 cannot carry") == true)
        #expect(error?.description.contains("x\\u{") == true, "the name is shown with the character escaped")
    }

    @Test func aFeatureNamedLikeAnOutputIsRefused() throws {
        var tree = try fixtures.tree()
        tree.featureNames[0] = "leaf"
        let error = #expect(throws: DataError.self) { try Student.tree(tree).exported(as: .pmml) }
        #expect(error?.description.contains("'leaf'") == true)
    }

    /// 1: x ≤ 4.5 (or missing) and colour ∉ {red}; 2: x > 0.1 and colour missing; 3: the default.
    func ruleList() -> RuleList {
        RuleList(featureNames: ["x", "colour"], featureLevels: [nil, ["blue", "red"]], task: .classification(classes: ["a", "b"]), rules: [
            .init(conditions: [RuleCondition(feature: 0, test: .atMost(4.5), missingMatches: true),
                               RuleCondition(feature: 1, test: .notInLevels(["red"]), missingMatches: false)],
                  value: [0.25, 0.75], realRows: 4, syntheticRows: 0),
            .init(conditions: [RuleCondition(feature: 0, test: .above(0.1), missingMatches: false),
                               RuleCondition(feature: 1, test: .missing, missingMatches: true)],
                  value: [1, 0], realRows: 2, syntheticRows: 1),
            .init(conditions: [], value: [0.5, 0.5], realRows: 3, syntheticRows: 0),
        ])
    }

    @Test func ruleListIsOneChildPerRuleInOrderTheFirstTrueOneAnswering() throws {
        let document = try parsed(.rules(ruleList()))
        let model = try #require(try nodes(document, "//*[local-name()='TreeModel']").first)
        #expect(attribute(model, "splitCharacteristic") == "multiSplit")
        let rules = try nodes(document, "//*[local-name()='Node'][@id='0']/*[local-name()='Node']")
        #expect(rules.map { attribute($0, "id") } == ["1", "2", "3"])
        #expect(rules.map { attribute($0, "score") } == ["b", "a", "a"], "the first most probable class; a tie goes to the first")
        func predicate(_ rule: XMLElement) -> XMLElement? { (rule.children ?? []).compactMap { $0 as? XMLElement }.first }
        #expect(predicate(rules[2])?.name == "True")
        let text = try Student.rules(ruleList()).exported(as: .pmml)
        #expect(text.contains("""
                    <CompoundPredicate booleanOperator="and">
                      <CompoundPredicate booleanOperator="or">
                        <SimplePredicate field="x" operator="isMissing"/>
                        <!-- threshold 4.5 as Float32 -->
                        <SimplePredicate field="x" operator="lessOrEqual" value="4.500000238418579"/>
                      </CompoundPredicate>
                      <CompoundPredicate booleanOperator="and">
                        <SimplePredicate field="colour" operator="isNotMissing"/>
                        <SimplePredicate field="colour" operator="notEqual" value="red"/>
                      </CompoundPredicate>
                    </CompoundPredicate>
            """), "rule 1")
        #expect(text.contains("""
                      <CompoundPredicate booleanOperator="and">
                        <SimplePredicate field="x" operator="isNotMissing"/>
                        <!-- threshold 0.1 as Float32 -->
                        <SimplePredicate field="x" operator="greaterOrEqual" value="0.10000000521540642"/>
                      </CompoundPredicate>
                      <SimplePredicate field="colour" operator="isMissing"/>
            """), "rule 2: Float32(x) > 0.1 is x ≥ m, m not rounding down to 0.1")
        let outputs = try nodes(document, "//*[local-name()='OutputField']").compactMap { attribute($0, "name") }
        #expect(outputs.last == "rule")
    }

    @Test func aTestWithNoLevelListedIsDecidedByMissingAlone() throws {
        let isMissing = PMMLPredicate.simple(field: "c", operator: "isMissing", value: nil, note: nil)
        let isNotMissing = PMMLPredicate.simple(field: "c", operator: "isNotMissing", value: nil, note: nil)
        func predicate(_ test: RuleCondition.Test, missingPasses: Bool) throws -> PMMLPredicate {
            let list = RuleList(featureNames: ["c"], featureLevels: [["a"]], task: .regression, rules: [
                .init(conditions: [RuleCondition(feature: 0, test: test, missingMatches: missingPasses)], value: [1], realRows: 1, syntheticRows: 0),
                .init(conditions: [], value: [0], realRows: 1, syntheticRows: 0),
            ])
            return try PMMLPredicate(ExportCondition(list: list, rule: 0, condition: 0), field: "c")
        }
        #expect(try predicate(.inLevels([]), missingPasses: true) == isMissing)
        #expect(try predicate(.inLevels([]), missingPasses: false) == .constant(false))
        #expect(try predicate(.notInLevels([]), missingPasses: false) == isNotMissing)
        #expect(try predicate(.notInLevels([]), missingPasses: true) == .constant(true))
    }

    /// In the data's units η = −3.5 + 2 x; colour's weight is 0 and is left out.
    @Test func binaryLinearIsALogitRegressionWithTheSecondClassFirst() throws {
        let document = try parsed(.linear(fixtures.linear()))
        let model = try #require(try nodes(document, "//*[local-name()='RegressionModel']").first)
        #expect(attribute(model, "normalizationMethod") == "logit" && attribute(model, "functionName") == "classification")
        let tables = try nodes(document, "//*[local-name()='RegressionTable']")
        #expect(tables.map { [attribute($0, "targetCategory"), attribute($0, "intercept")] } == [["b", "-3.5"], ["a", "0.0"]])
        let predictors = try nodes(document, "//*[local-name()='NumericPredictor' or local-name()='CategoricalPredictor']")
        #expect(predictors.map { [$0.name, attribute($0, "name"), attribute($0, "coefficient")] } == [["NumericPredictor", "x", "2.0"]])
        let fields = try nodes(document, "//*[local-name()='MiningField']").map { [attribute($0, "name"), attribute($0, "missingValueReplacement")] }
        #expect(fields == [["x", "2.0"], ["colour", "blue"], ["teacher", nil]], "a missing number is its mean, a missing level the reference")
    }

    @Test func levelsWeighAsCategoricalPredictorsAfterTheNumbers() throws {
        var model = fixtures.linear()
        model.fit.weights = [[0.5, -0.8660254037844386]]
        let text = try Student.linear(model).exported(as: .pmml)
        let numeric = try #require(text.range(of: "<NumericPredictor name=\"x\" coefficient=\"1.0\"/>"))
        let level = try #require(text.range(of: "<CategoricalPredictor name=\"colour\" value=\"red\" coefficient=\"-2.0\"/>"))
        #expect(numeric.lowerBound < level.lowerBound, "the schema wants numbers first, though the level weighs more")
    }
}
