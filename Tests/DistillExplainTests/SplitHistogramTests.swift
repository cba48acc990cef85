import DistillCore
import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

@testable import DistillExplain

@Suite("Split histograms and highlighted paths in tree diagrams", .serialized)
struct SplitHistogramTests {
    /// x ≤ 4.5 (missing → no), then colour ∈ {red} (other levels → no).
    func tree() throws -> DecisionTree {
        let json = #"""
        {"format": "distill.student/v1", "kind": "tree", "task": "classification", "classes": ["a", "b"],
         "features": [{"name": "x", "kind": "numeric"}, {"name": "colour", "kind": "categorical", "levels": ["blue", "green", "red"]}],
         "parameters": {},
         "nodes": [
          {"id": 0, "feature": "x", "threshold": 4.5, "missing": "right", "left": 1, "right": 2, "value": [0.5, 0.5], "rows": 10, "synthetic_rows": 0, "impurity": 0.5},
          {"id": 1, "value": [0.8, 0.2], "rows": 5, "synthetic_rows": 0, "impurity": 0.32},
          {"id": 2, "feature": "colour", "left_levels": ["red"], "right_levels": ["blue"], "unseen": "right", "missing": "left", "left": 3, "right": 4, "value": [0.2, 0.8], "rows": 5, "synthetic_rows": 0, "impurity": 0.32},
          {"id": 3, "value": [0, 1], "rows": 3, "synthetic_rows": 0, "impurity": 0},
          {"id": 4, "value": [0.5, 0.5], "rows": 2, "synthetic_rows": 0, "impurity": 0.5}]}
        """#
        return try DecisionTree(file: JSONDecoder().decode(StudentFile.self, from: Data(json.utf8)), path: "tree.json")
    }

    /// Ten rows and the teacher's class of each (a = 0, b = 1).
    let x: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, .nan, 2]
    let colour: [Int32] = [0, 0, 0, 0, 2, 0, 1, 2, Column.missingCode, 0]
    let classes = [0, 1, 0, 0, 1, 0, 1, 1, 1, 0]

    func data() -> Dataset {
        Dataset(features: [Column(name: "x", values: .numeric(x)),
                           Column(name: "colour", values: .categorical(codes: colour, levels: ["blue", "green", "red"]))],
                rowCount: x.count)
    }

    func outputs() -> TeacherOutputs {
        TeacherOutputs(task: .classification(classes: ["a", "b"]), values: classes.flatMap { $0 == 0 ? [0.9, 0.1] : [0.2, 0.8] })
    }

    @Test func numericBinsCountEachClassWithTheThresholdOnAnEdge() throws {
        let histograms = try SplitHistogram.forSplits(of: tree(), data: data(), outputs: outputs(), maxBars: 4)
        let root = try #require(histograms[0])
        // Values 1…8 and the threshold 4.5: four bins of width 1.75, two on each side.
        #expect(root.yes.map(\.bin) == [.interval(lower: 1, upper: 2.75), .interval(lower: 2.75, upper: 4.5)])
        #expect(root.no.map(\.bin) == [.interval(lower: 4.5, upper: 6.25), .interval(lower: 6.25, upper: 8)])
        // (1, 2, 2 | 3, 4 | 5, 6 | 7, 8) counted as [a, b].
        #expect(root.yes.map(\.counts) == [[2, 1], [2, 0]])
        #expect(root.no.map(\.counts) == [[1, 1], [0, 2]])
        #expect(root.missing == [0, 1])
        #expect(histograms[1] == nil && histograms[3] == nil)
    }

    @Test func thresholdIsAnEdgeWithManyBinsToo() throws {
        let root = try #require(try SplitHistogram.forSplits(of: tree(), data: data(), outputs: outputs())[0])
        #expect(root.yes.count + root.no.count <= SplitHistogram.defaultMaxBars)
        #expect(root.yes.last?.bin == .interval(lower: 4.5 - 3.5 / 8, upper: 4.5))
        #expect(root.no.first.map { if case .interval(let lower, _) = $0.bin { lower == 4.5 } else { false } } == true)
        #expect(root.yes.reduce(0) { $0 + $1.total } == 5)
        #expect(root.no.reduce(0) { $0 + $1.total } == 4)
    }

    @Test func levelBarsPutTheLevelsGoingYesFirst() throws {
        let node = try #require(try SplitHistogram.forSplits(of: tree(), data: data(), outputs: outputs())[2])
        // Rows 4–8 reach the colour split: red 5 and 8 go yes; blue 6 and the unseen green 7 go no.
        #expect(node.yes == [.init(bin: .levels(["red"]), counts: [0, 2])])
        #expect(node.no == [.init(bin: .levels(["blue"]), counts: [1, 0]), .init(bin: .levels(["green"]), counts: [0, 1])])
        #expect(node.missing == [0, 1])
    }

    @Test func manyLevelsAreGroupedToStayWithinTheBarLimit() throws {
        let levels = (0..<30).map { "L\($0)" }
        let json = """
        {"format": "distill.student/v1", "kind": "tree", "task": "regression",
         "features": [{"name": "c", "kind": "categorical", "levels": [\(levels.map { "\"\($0)\"" }.joined(separator: ","))]}],
         "parameters": {},
         "nodes": [
          {"id": 0, "feature": "c", "left_levels": [\(levels.prefix(20).map { "\"\($0)\"" }.joined(separator: ","))], "right_levels": [\(levels.dropFirst(20).map { "\"\($0)\"" }.joined(separator: ","))], "unseen": "left", "missing": "left", "left": 1, "right": 2, "value": [0], "rows": 30, "synthetic_rows": 0, "impurity": 1},
          {"id": 1, "value": [0], "rows": 20, "synthetic_rows": 0, "impurity": 0},
          {"id": 2, "value": [1], "rows": 10, "synthetic_rows": 0, "impurity": 0}]}
        """
        let tree = try DecisionTree(file: JSONDecoder().decode(StudentFile.self, from: Data(json.utf8)), path: "wide.json")
        // Level Lk has k + 1 rows, so the largest levels of each side are the last ones.
        let codes = (0..<30).flatMap { [Int32](repeating: Int32($0), count: $0 + 1) }
        let data = Dataset(features: [Column(name: "c", values: .categorical(codes: codes, levels: levels))], rowCount: codes.count)
        let histogram = try #require(try SplitHistogram.forSplits(
            of: tree, data: data, outputs: TeacherOutputs(task: .regression, values: [Float](repeating: 0, count: codes.count)))[0])
        #expect(histogram.yes.count == 8 && histogram.no.count == 8)
        #expect(histogram.yes.prefix(7).map(\.bin) == (13..<20).map { .levels(["L\($0)"]) })
        #expect(histogram.yes.last?.bin == .levels((0..<13).map { "L\($0)" }))
        #expect(histogram.yes.last?.counts == [(1...13).reduce(0, +)])
        #expect(histogram.no.last?.bin == .levels((20..<23).map { "L\($0)" }))
    }

    @Test func diagramWithHistogramsRendersToWellFormedSVG() throws {
        let tree = try tree()
        let histograms = try SplitHistogram.forSplits(of: tree, data: data(), outputs: outputs())
        let dot = TreeDiagram(tree: tree, leafFidelity: [], overallAgreement: nil, histograms: histograms).dot
        // One threshold marker per split node, and one in the legend.
        #expect(dot.components(separatedBy: "BGCOLOR=\"\(SplitHistogram.markerColor)\"").count - 1 == 3)
        let svg = try Graphviz.render(dot: dot, format: "svg")
        let document = try XMLDocument(data: svg)
        let markers = try document.nodes(forXPath: "//*[local-name()='polygon'][@fill='\(SplitHistogram.markerColor)']")
        #expect(markers.count == 3)
        let plain = TreeDiagram(tree: tree, leafFidelity: [], overallAgreement: nil).dot
        #expect(!plain.contains(SplitHistogram.markerColor))
    }

    @Test func highlightedPathMarksExactlyItsNodesAndEdges() throws {
        let tree = try tree()
        let dot = TreeDiagram(tree: tree, leafFidelity: [], overallAgreement: nil, highlightedPath: [0, 2, 4]).dot
        let lines = dot.split(separator: "\n")
        let marked = Set(lines.filter { $0.contains("color=\"\(TreeDiagram.pathBorder)\", penwidth=3") && !$0.contains("->") }
            .map { $0.trimmingCharacters(in: .whitespaces).prefix { $0 != " " } })
        #expect(marked == ["n0", "n2", "n4"])
        let thickEdges = lines.filter { $0.contains("->") && $0.contains("penwidth=3") }.map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(thickEdges.map { $0.prefix { $0 != "[" } } == ["n0 -> n2 ", "n2 -> n4 "])
    }
}
