import DistillCore
import Foundation

/// The report of a rule-list student: summary, fidelity against the number of rules, the
/// chain diagram and a table of the rules, where it disagrees with the teacher, data and
/// reproducibility.
public struct RuleReport {
    public let list: RuleList
    public let fidelity: FidelityReport
    public let run: RunRecord
    /// The chain diagram as Graphviz rendered it to SVG.
    public let diagram: Data

    public init(list: RuleList, fidelity: FidelityReport, run: RunRecord, diagram: Data) {
        self.list = list
        self.fidelity = fidelity
        self.run = run
        self.diagram = diagram
    }

    public var page: ReportPage {
        let used = Set(list.testedFeatures.map { list.featureNames[$0] })
        return ReportPage(title: "Distill report: a rule list of \(run.teacher.description)", sections: [
            CommonSections.summary(fidelity: fidelity, run: run,
                                   student: "rule list: \(list.ruleCount) rules and a default, \(list.conditionCount) conditions, \(used.count) of \(list.featureNames.count) features used"),
            curveSection,
            rulesSection,
            ReportSection(id: "disagreement", heading: "Where the student disagrees",
                          body: CommonSections.agreementTables(fidelity.eval, task: list.task)),
            CommonSections.data(run: run, used: used),
            CommonSections.reproducibility(run: run),
        ])
    }

    private var isClassification: Bool {
        if case .classification = list.task { return true }
        return false
    }

    private var curveSection: ReportSection {
        let measured = fidelity.curve.enumerated().compactMap { index, point -> (index: Int, point: LineChart.Point)? in
            guard let rules = point.rules, let value = point.fidelity else { return nil }
            return (index, LineChart.Point(x: Double(rules), y: value, note: "\(rules) rules, \(ReportFormat.share(value))"))
        }
        let body: String
        if measured.count < 2 {
            body = ReportFormat.paragraph("The list has no rule besides its default, so there is no curve to draw.")
        } else {
            let chosen = measured.firstIndex { fidelity.curve[$0.index].chosen }
            let chart = LineChart(points: measured.map(\.point), chosen: chosen, xLabel: "rules before the default",
                                  yLabel: isClassification ? "held-out agreement" : "held-out R²")
            body = ReportFormat.paragraph("Each point is the list cut after its first rules, the default answering the rest (refitted to the training rows they leave), measured on the held-out rows.")
                + "\n" + chart.svg
        }
        return ReportSection(id: "curve", heading: "Fidelity against the number of rules", body: body)
    }

    private var rulesSection: ReportSection {
        let measured = Dictionary(fidelity.leaves.map { ($0.leaf, $0) }, uniquingKeysWith: { first, _ in first })
        let rows = list.rules.indices.map { index -> [String] in
            let conditions = list.conditionTexts(index)
            let rule = index == list.rules.count - 1 ? "(otherwise)" : conditions.joined(separator: " AND ")
            var trained = ReportFormat.count(list.rules[index].realRows)
            if list.rules[index].syntheticRows > 0 { trained += " (+\(ReportFormat.count(list.rules[index].syntheticRows)) synthetic)" }
            let heldOut = measured[index]
            let measure = heldOut.map { $0.agreement.map(ReportFormat.share) ?? ReportFormat.value($0.mae) } ?? "–"
            return [String(index + 1), rule, list.answerText(index), trained, ReportFormat.count(heldOut?.rows ?? 0), measure]
        }
        let body = "<div class=\"diagram\">\n" + GraphvizSVG.inline(diagram) + "\n</div>\n<h3>The rules</h3>\n"
            + ReportFormat.paragraph("A row gets the answer of the first rule whose conditions all hold. Training rows are those each rule answers (no earlier rule took them); held-out rows likewise.")
            + "\n" + ReportFormat.table(header: ["rule", "if", "then", "training rows", "held-out rows", isClassification ? "agreement" : "MAE"],
                                        rows: rows, numeric: [0, 4, 5])
        return ReportSection(id: "rules", heading: "The rules", body: body)
    }
}
