import DistillCore
import DistillExplain
import Foundation

/// `report.html` of a run, made the same way by `distill tree` and `distill report`, so that
/// regenerating a report gives the same bytes.
enum RunReport {
    static let fileName = "report.html"

    /// - Parameter diagram: the tree diagram as Graphviz renders it to SVG.
    static func html(tree: DecisionTree, fidelity: FidelityReport, run: RunRecord, diagram: Data) -> Data {
        Data(TreeReport(tree: tree, fidelity: fidelity, run: run, diagram: diagram).page.html.utf8)
    }

    /// - Parameter diagram: the rule list's chain diagram as Graphviz renders it to SVG.
    static func html(rules list: RuleList, fidelity: FidelityReport, run: RunRecord, diagram: Data) -> Data {
        Data(RuleReport(list: list, fidelity: fidelity, run: run, diagram: diagram).page.html.utf8)
    }

    static func html(linear model: LinearModel, fidelity: FidelityReport, run: RunRecord, path: [LinearRecord.PathPoint]) -> Data {
        Data(LinearReport(model: model, fidelity: fidelity, run: run, path: path).page.html.utf8)
    }
}
