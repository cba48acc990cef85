import DistillCore
import Foundation

/// The report of a tree student: summary, fidelity against size, the diagram and its
/// rules, where it disagrees with the teacher, feature importance, data and reproducibility.
public struct TreeReport {
    public let tree: DecisionTree
    public let fidelity: FidelityReport
    public let run: RunRecord
    /// The tree diagram as Graphviz rendered it to SVG.
    public let diagram: Data

    /// Leaves listed under "where the student disagrees".
    static let worstLeaves = 5

    public init(tree: DecisionTree, fidelity: FidelityReport, run: RunRecord, diagram: Data) {
        self.tree = tree
        self.fidelity = fidelity
        self.run = run
        self.diagram = diagram
    }

    public var page: ReportPage {
        let used = Set((0..<tree.nodeCount).filter { !tree.isLeaf($0) }.map { tree.featureNames[tree.feature[$0]] })
        return ReportPage(title: "Distill report: a decision tree of \(run.teacher.description)", sections: [
            CommonSections.summary(fidelity: fidelity, run: run,
                                   student: "decision tree: \(tree.leafCount) leaves, depth \(tree.depth), \(used.count) of \(tree.featureNames.count) features used"),
            curveSection,
            diagramSection,
            disagreementSection,
            importanceSection,
            CommonSections.data(run: run, used: used),
            CommonSections.reproducibility(run: run),
        ])
    }

    private var isClassification: Bool {
        if case .classification = tree.task { return true }
        return false
    }

    private var measureName: String { isClassification ? "held-out agreement" : "held-out R²" }

    private var curveSection: ReportSection {
        let measured = fidelity.curve.enumerated().compactMap { index, point -> (index: Int, point: LineChart.Point)? in
            guard let leaves = point.leaves, let value = point.fidelity else { return nil }
            return (index, LineChart.Point(x: Double(leaves), y: value, note: "\(leaves) leaves, \(ReportFormat.share(value))"))
        }
        let body: String
        if measured.isEmpty {
            body = ReportFormat.paragraph("No tree on the pruning path was measured on held-out rows.")
        } else {
            let chosen = measured.firstIndex { fidelity.curve[$0.index].chosen }
            let chart = LineChart(points: measured.map(\.point), chosen: chosen, xLabel: "leaves", yLabel: measureName)
            body = ReportFormat.paragraph("Each point is one tree on the cost-complexity pruning path of the grown tree, measured on the held-out rows; the ring marks the tree this report describes.")
                + "\n" + chart.svg
        }
        return ReportSection(id: "curve", heading: "Fidelity against size", body: body)
    }

    private var diagramSection: ReportSection {
        var body = "<div class=\"diagram\">\n" + GraphvizSVG.inline(diagram) + "\n</div>\n"
        body += "<h3>The same tree as rules</h3>\n" + ReportFormat.preformatted(tree.text(leafFidelity: fidelity.leaves))
        return ReportSection(id: "tree", heading: "The tree", body: body)
    }

    private var disagreementSection: ReportSection {
        var body = CommonSections.agreementTables(fidelity.eval, task: tree.task)
        body += "\n<h3>Least faithful leaves</h3>\n" + worstLeavesTable
        return ReportSection(id: "disagreement", heading: "Where the student disagrees", body: body)
    }

    /// The leaves that lose the most held-out rows (classification: rows where the teacher's
    /// class differs; regression: absolute error summed over the leaf's rows), with rules.
    private var worstLeavesTable: String {
        let loss = { (leaf: LeafFidelity) -> Double in
            Double(leaf.rows) * (leaf.agreement.map { 1 - $0 } ?? leaf.mae ?? 0)
        }
        let worst = fidelity.leaves.filter { loss($0) > 0 }
            .sorted { loss($0) > loss($1) || (loss($0) == loss($1) && $0.leaf < $1.leaf) }
            .prefix(TreeReport.worstLeaves)
        guard !worst.isEmpty else {
            return ReportFormat.paragraph("Every leaf agrees with the teacher on every held-out row it holds.")
        }
        let rules = Dictionary(tree.leafRules().map { ($0.leaf, $0.conditions) }, uniquingKeysWith: { first, _ in first })
        let rows = worst.map { leaf -> [String] in
            let conditions = rules[leaf.leaf] ?? []
            let rule = conditions.isEmpty ? "(every row)" : conditions.joined(separator: " AND ")
            let measure = leaf.agreement.map(ReportFormat.share) ?? ReportFormat.value(leaf.mae)
            return [String(leaf.leaf), rule, answer(leaf.leaf), ReportFormat.count(leaf.rows), measure]
        }
        return ReportFormat.table(header: ["leaf", "rule", "student says", "held-out rows", isClassification ? "agreement" : "MAE"],
                                  rows: rows, numeric: [0, 3, 4])
    }

    private func answer(_ node: Int) -> String {
        switch tree.task {
        case .classification(let classes):
            let best = tree.topClass(node)
            return String(format: "%@ (p=%.2f)", classes[best], tree.value[node][best])
        case .regression:
            return ReportFormat.value(Double(tree.value[node][0]))
        }
    }

    private var importanceSection: ReportSection {
        let importance = tree.featureImportance()
        let order = importance.indices.filter { importance[$0] > 0 }.sorted { (a: Int, b: Int) -> Bool in
            importance[a] > importance[b] || (importance[a] == importance[b] && a < b)
        }
        let bars = order.map { BarChart.Bar(label: tree.featureNames[$0], value: importance[$0]) }
        let body = bars.isEmpty
            ? ReportFormat.paragraph("The tree has no splits, so no feature matters to it.")
            : ReportFormat.paragraph("Each feature's share of the tree's total impurity decrease, weighted by the rows at each split.")
                + "\n" + BarChart(bars: bars, caption: "feature importance").svg
        return ReportSection(id: "importance", heading: "Feature importance", body: body)
    }
}
