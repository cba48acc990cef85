import Foundation
import Testing

@testable import DistillCore
@testable import DistillExplain

/// Diagrams, explanations and reports of students far larger than anyone draws: they must
/// come out in seconds (folded where Graphviz would take minutes) and say the right things.
@Suite("Deep and long students in diagrams, explanations and reports", .serialized)
struct DeepStudentExplainTests {
    /// Split i (node 2i) sends x ≤ splits − i and missing values left, to the next split,
    /// the rest right, to leaf 2i + 1; the chain ends in leaf 2 × splits.
    static func chain(_ splits: Int) -> DecisionTree {
        var tree = DecisionTree(featureNames: ["x"], featureLevels: [nil], task: .classification(classes: ["a", "b"]))
        for i in 0..<splits {
            let split = tree.addNode(value: [0.5, 0.5], realRows: 10, syntheticRows: 0, impurity: 0.5)
            let p = Float(i % 97) / 97
            _ = tree.addNode(value: [p, 1 - p], realRows: 1 + i % 13, syntheticRows: 0, impurity: 0.1)
            tree.feature[split] = 0
            tree.threshold[split] = Float(splits - i)
            (tree.left[split], tree.right[split]) = (split + 2, split + 1)
        }
        _ = tree.addNode(value: [1, 0], realRows: 5, syntheticRows: 0, impurity: 0)
        return tree
    }

    /// A complete binary tree of `nodes` nodes, numbered breadth first (node i's children are
    /// 2i + 1 and 2i + 2).
    static func balanced(_ nodes: Int) -> DecisionTree {
        var tree = DecisionTree(featureNames: ["x"], featureLevels: [nil], task: .classification(classes: ["a", "b"]))
        for node in 0..<nodes {
            _ = tree.addNode(value: [Float(node % 5) / 4, 1 - Float(node % 5) / 4], realRows: 3, syntheticRows: 0, impurity: 0.2)
            guard 2 * node + 2 < nodes else { continue }
            tree.feature[node] = 0
            tree.threshold[node] = Float(node)
            (tree.left[node], tree.right[node]) = (2 * node + 1, 2 * node + 2)
        }
        return tree
    }

    /// Rule i (from 0) answers x > rules − i; the default answers the rest.
    static func ruleList(_ rules: Int) -> RuleList {
        RuleList(featureNames: ["x"], featureLevels: [nil], task: .classification(classes: ["a", "b"]),
                 rules: (0..<rules).map { i in
                     RuleList.Rule(conditions: [RuleCondition(feature: 0, test: .above(Float(rules - i)), missingMatches: false)],
                                   value: [Float(i % 97) / 97, 1 - Float(i % 97) / 97], realRows: 3, syntheticRows: 0)
                 } + [RuleList.Rule(conditions: [], value: [1, 0], realRows: 5, syntheticRows: 0)])
    }

    static func row(_ x: Float) -> Dataset {
        Dataset(features: [Column(name: "x", values: .numeric([x]))], rowCount: 1)
    }

    /// The node statements of a DOT text (not edges, not the graph's defaults or legend).
    static func nodeLines(_ dot: String, prefix: String) -> [Substring] {
        dot.split(separator: "\n").filter { $0.hasPrefix("  " + prefix) && !$0.contains(" -> ") && $0.dropFirst(3).first?.isNumber == true }
    }

    @Test func aTreeOfThousandsOfNodesIsDrawnFoldedWithinTheNodeLimit() throws {
        let limit = TreeDiagram.drawnNodeLimit
        let chain = TreeDiagram(tree: Self.chain(100_000), leafFidelity: [], overallAgreement: nil)
        // Two nodes a level: down to depth 249 fits in 500, and the split at 249 is folded.
        #expect(chain.foldDepth == (limit - 1) / 2)
        let dot = chain.dot
        #expect(Self.nodeLines(dot, prefix: "n").count == limit - 1)
        #expect(dot.contains("subtree of \(100_000 - (limit - 1) / 2 + 1) leaves, folded"))
        #expect(try Graphviz.render(dot: dot, format: "svg").count > 0)

        let balanced = TreeDiagram(tree: Self.balanced(10_001), leafFidelity: [], overallAgreement: nil)
        // Depths 0–7 hold 255 nodes, 0–8 would hold 511.
        #expect(balanced.foldDepth == 7)
        #expect(Self.nodeLines(balanced.dot, prefix: "n").count == 255)
        let chosen = TreeDiagram(tree: Self.balanced(10_001), leafFidelity: [], overallAgreement: nil, maxDisplayDepth: 3)
        #expect(chosen.foldDepth == 3, "a depth given is kept")
        #expect(TreeDiagram(tree: Self.balanced(limit - 1), leafFidelity: [], overallAgreement: nil).foldDepth == nil)
    }

    @Test func aLongRuleListIsDrawnWithRunsOfRulesFolded() throws {
        let limit = RuleListDiagram.drawnRuleLimit
        let list = Self.ruleList(10_001)
        let dot = RuleListDiagram(list: list, ruleFidelity: [], highlighted: 5_001).dot
        let boxes = Self.nodeLines(dot, prefix: "r")
        #expect(boxes.count == limit - 2 + 2, "the first rules, the marked one and the default")
        #expect(boxes.contains { $0.hasPrefix("  r5001 [") && $0.contains("penwidth=2.5") })
        #expect(boxes.last?.hasPrefix("  r10001 [") == true && boxes.last?.contains("<B>ELSE</B>") == true)
        #expect(dot.contains("rules \(limit - 1)–5001 (\(5_001 - limit + 2) rules), folded"))
        #expect(dot.contains("rules 5003–10001 (4999 rules), folded"))
        #expect(dot.components(separatedBy: "[label=\"else\"]").count - 1 == limit + 1, "one chain through every box")
        #expect(try Graphviz.render(dot: dot, format: "svg").count > 0)
        let short = RuleListDiagram(list: Self.ruleList(limit - 1), ruleFidelity: []).dot
        #expect(Self.nodeLines(short, prefix: "r").count == limit && !short.contains("folded"))
    }

    @Test func aRowIsExplainedThroughTenThousandRules() throws {
        let list = Self.ruleList(10_001)
        // x = 5000.5 fails x > t for t ≥ 5001 (rules 1–5001) and meets x > 5000, rule 5002.
        let middle = try RuleExplanation(list: list, row: Self.row(5000.5), source: "row", teacher: nil)
        #expect(middle.rule == 5_001)
        let lines = middle.text.split(separator: "\n")
        #expect(lines.filter { $0.contains(": no — x = 5000.5 fails x > ") }.count == 5_001)
        #expect(lines.contains("  rule 5001: no — x = 5000.5 fails x > 5001"))
        #expect(lines.contains("  rule 5002: yes — x = 5000.5 meets x > 5000"))
        let none = try RuleExplanation(list: list, row: Self.row(0.5), source: "row", teacher: nil)
        #expect(none.text.contains("  rule 10002: yes (the default)\n"))
    }

    @Test func aRowIsExplainedDownAHundredThousandSplits() throws {
        let tree = Self.chain(100_000)
        let explanation = try RowExplanation(tree: tree, row: Self.row(0.5), source: "row", teacher: nil)
        #expect(explanation.path.count == 100_001 && explanation.path.last == 200_000)
        let lines = explanation.text.split(separator: "\n")
        #expect(lines.filter { $0.hasSuffix("→ yes") }.count == 100_000)
        #expect(lines.contains("  x = 0.5 ≤ 1 → yes"))
    }

    @Test func theReportOfAHundredThousandSplitChainFoldsItsTextAndDiagram() throws {
        let data = Dataset(features: [Column(name: "x", values: .numeric([1, 2, 3, 4]))], rowCount: 4)
        let outputs = TeacherOutputs(task: .classification(classes: ["a", "b"]), values: [1, 0, 1, 0, 0, 1, 0, 1])
        var distillation = TreeDistillation(configuration: TreeConfiguration(), targetFidelity: nil, seed: 1)
        distillation.augmentation.mode = .none
        let result = try distillation.run(train: data, trainOutputs: outputs, eval: data, evalOutputs: outputs, synthetic: nil, label: nil)
        let tree = Self.chain(100_000)
        let fidelity = FidelityReport(tree: tree, result: result, teacherQueries: 8)
        let run = RunRecord(command: ["distill", "tree"], seed: 1, teacher: .init(kind: "program", description: "a program", task: outputs.task),
                            inputs: [], train: data, evalRows: 4, evalSource: "held-out rows")
        let diagram = try Graphviz.render(dot: TreeDiagram(tree: tree, leafFidelity: [], overallAgreement: nil).dot, format: "svg")
        let html = TreeReport(tree: tree, fidelity: fidelity, run: run, diagram: diagram).page.html
        #expect(html.contains("decision tree: 100001 leaves, depth 100000"))
        #expect(html.contains("truncated branch of depth \(100_000 - DecisionTree.textDepthLimit)"))
        #expect(html.contains("subtree of"))
        #expect(html.utf8.count < 20_000_000)
    }
}
