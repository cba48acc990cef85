import DistillCore
import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

@testable import DistillExplain

@Suite("Tree diagrams", .serialized)
struct TreeDiagramTests {
    /// A two-split tree on a numeric and a categorical feature, with these names.
    func tree(number: String = "x", text: String = "colour", classes: [String] = ["no", "yes"],
              levels: [String] = ["blue", "red"]) throws -> (DecisionTree, [LeafFidelity]) {
        let x: [Float] = [1, 2, 3, 4, 5, 6, 7, 8]
        let colour: [Int32] = [0, 1, 0, 1, 0, 1, 0, 1]
        let p: [Float] = [0, 0, 0, 0, 0.9, 0.2, 0.9, 0.2]
        let data = Dataset(features: [Column(name: number, values: .numeric(x)),
                                      Column(name: text, values: .categorical(codes: colour, levels: levels))],
                           rowCount: 8)
        var configuration = TreeConfiguration()
        configuration.minLevelRows = 1
        let outputs = TeacherOutputs(task: .classification(classes: classes), values: p.flatMap { [1 - $0, $0] })
        let fitted = try TreeLearner.fit(data, outputs: outputs, configuration: configuration)
        let leaves = try fitted.leaves(for: data)
        return (fitted, LeafFidelity.measure(leaves: leaves, teacher: outputs, student: try fitted.predict(data)))
    }

    /// Compares `dot` with `Golden/<name>`; `DISTILL_RECORD_GOLDEN=1 swift test …` writes
    /// the file anew after a deliberate change.
    func expectGolden(_ dot: String, _ name: String) throws {
        let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/\(name)")
        if ProcessInfo.processInfo.environment["DISTILL_RECORD_GOLDEN"] == "1" {
            try dot.write(to: golden, atomically: true, encoding: .utf8)
        }
        #expect(dot == (try String(contentsOf: golden, encoding: .utf8)), "differs from Golden/\(name)")
    }

    @Test func smallTreeMatchesItsGoldenDOT() throws {
        let (fitted, leaves) = try tree()
        #expect(fitted.leafCount == 3)
        try expectGolden(TreeDiagram(tree: fitted, leafFidelity: leaves, overallAgreement: 0.9).dot, "small-tree.dot")
    }

    @Test func smallRuleListMatchesItsGoldenDOT() throws {
        let (fitted, leaves) = try tree()
        let dot = RuleListDiagram(tree: fitted, leafFidelity: leaves).dot
        #expect(dot.components(separatedBy: " -> ").count - 1 == fitted.leafCount - 1, "one else edge between each pair of rules")
        try expectGolden(dot, "small-rules.dot")
    }

    @Test func hostileNamesStayTextInWellFormedSVG() throws {
        let names = (number: "<script>alert(1)</script>", text: "a\"b&c\\d{e}\nf",
                     classes: ["</TD>x", "ünï \u{1F427}"], levels: ["<b>", "x&y"])
        let (fitted, leaves) = try tree(number: names.number, text: names.text, classes: names.classes, levels: names.levels)
        let dot = TreeDiagram(tree: fitted, leafFidelity: leaves, overallAgreement: 0.9).dot
        let svg = try Graphviz.render(dot: dot, format: "svg")
        let document = try XMLDocument(data: svg)
        let texts = try document.nodes(forXPath: "//*[local-name()='text']").compactMap(\.stringValue)
        let shown = texts.joined(separator: "\n")
        #expect(shown.contains("<script>alert(1)</script> ≤ 4.5"))
        #expect(shown.contains("ünï \u{1F427}"))
        #expect(shown.contains("</TD>x"))
        #expect(try document.nodes(forXPath: "//*[local-name()='script']").isEmpty)
    }

    @Test func leafLessFaithfulThanTheTreeIsMarked() throws {
        let (fitted, _) = try tree()
        let leaf = (0..<fitted.nodeCount).first(where: fitted.isLeaf)!
        let weak = [LeafFidelity(leaf: leaf, rows: 4, agreement: 0.5, mae: nil)]
        let dot = TreeDiagram(tree: fitted, leafFidelity: weak, overallAgreement: 0.9).dot
        let line = try #require(dot.split(separator: "\n").first { $0.hasPrefix("  n\(leaf) [") })
        #expect(line.contains("penwidth=3"))
        #expect(line.contains("fidelity 0.500 on 4"))
    }

    @Test func deepSubtreesFoldIntoOneSummaryNode() throws {
        let (fitted, leaves) = try tree()
        let dot = TreeDiagram(tree: fitted, leafFidelity: leaves, overallAgreement: 0.9, maxDisplayDepth: 1).dot
        let nodes = dot.split(separator: "\n").filter { $0.hasPrefix("  n") && $0.dropFirst(3).first?.isNumber == true && !$0.contains("->") }
        // The root, its leaf and its folded right child; the two leaves below are not drawn.
        #expect(nodes.count == 3)
        #expect(dot.contains("subtree of 2 leaves, folded"))
        #expect(dot.components(separatedBy: " -> ").count - 1 == 2)
        #expect(try Graphviz.render(dot: dot, format: "svg").count > 0)
    }
}

@Suite("Rule lists from tree leaves")
struct RuleListTests {
    /// x = 1…8: the teacher says b only for 3 ≤ x ≤ 6, so two cuts on x bound the middle leaf.
    func tree() throws -> DecisionTree {
        let x: [Float] = [1, 2, 3, 4, 5, 6, 7, 8]
        let p: [Float] = [0, 0, 1, 1, 1, 1, 0, 0]
        let data = Dataset(features: [Column(name: "x", values: .numeric(x))], rowCount: 8)
        var configuration = TreeConfiguration()
        configuration.hard = true
        return try TreeLearner.fit(data, outputs: TeacherOutputs(task: .classification(classes: ["a", "b"]),
                                                                 values: p.flatMap { [1 - $0, $0] }),
                                   configuration: configuration)
    }

    @Test func pathsMergeIntoOneIntervalPerFeature() throws {
        let fitted = try tree()
        let conditions = fitted.leafRules().map(\.conditions)
        // Missing values follow the larger child at each cut, so they end in the middle leaf.
        #expect(conditions.first == ["2.5 < x ≤ 6.5 or missing"])
        #expect(Set(conditions) == [["2.5 < x ≤ 6.5 or missing"], ["x ≤ 2.5"], ["x > 6.5"]])
        // The largest leaf comes first.
        let rows = fitted.leafRules().map { fitted.realRows[$0.leaf] }
        #expect(rows == rows.sorted(by: >))
    }

    @Test func chainEndsWithTheDefaultRule() throws {
        let fitted = try tree()
        let dot = RuleListDiagram(tree: fitted, leafFidelity: []).dot
        let boxes = dot.split(separator: "\n").filter { $0.hasPrefix("  r") && !$0.contains("->") }
        #expect(boxes.count == fitted.leafCount)
        #expect(boxes.last?.contains("<B>ELSE</B>") == true)
        #expect(boxes.dropLast().allSatisfy { $0.contains("<B>IF</B>") && $0.contains("<B>THEN</B>") })
        #expect(dot.components(separatedBy: "[label=\"else\"]").count - 1 == fitted.leafCount - 1)
        let svg = String(decoding: try Graphviz.render(dot: dot, format: "svg"), as: UTF8.self)
        #expect(svg.contains("2.5 &lt; x ≤ 6.5") || svg.contains("2.5 < x ≤ 6.5"))
    }
}
