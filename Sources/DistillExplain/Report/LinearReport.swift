import DistillCore
import Foundation

/// The report of a linear student: summary, fidelity against the number of features, the
/// weights and the formula, the coefficient paths, where it disagrees, data and
/// reproducibility.
public struct LinearReport {
    public let model: LinearModel
    public let fidelity: FidelityReport
    public let run: RunRecord
    /// The penalty path the model was chosen from (`student.json`'s `linear.path`).
    public let path: [LinearRecord.PathPoint]

    /// Terms drawn in a coefficient-path chart: those with the largest weights anywhere.
    static let pathSeries = 10

    public init(model: LinearModel, fidelity: FidelityReport, run: RunRecord, path: [LinearRecord.PathPoint]) {
        self.model = model
        self.fidelity = fidelity
        self.run = run
        self.path = path
    }

    public var page: ReportPage {
        let used = Set(model.nonzeroFeatures)
        let kind = switch model.link {
        case .identity: "least squares"
        case .logit: "logistic regression"
        case .softmax: "multinomial logistic regression"
        }
        let student = "sparse linear model (\(kind)): \(used.count) of \(model.featureNames.count) features used, "
            + String(format: "λ = %.4g, l1 ratio %.3g", model.fit.lambda, model.l1Ratio)
            + (model.fit.converged ? "" : " (the solver did not converge)")
        return ReportPage(title: "Distill report: a sparse linear model of \(run.teacher.description)", sections: [
            CommonSections.summary(fidelity: fidelity, run: run, student: student),
            curveSection,
            weightsSection,
            pathSection,
            ReportSection(id: "disagreement", heading: "Where the student disagrees",
                          body: CommonSections.agreementTables(fidelity.eval, task: model.task)),
            CommonSections.data(run: run, used: used),
            CommonSections.reproducibility(run: run),
        ])
    }

    private var curveSection: ReportSection {
        let measured = fidelity.curve.enumerated().compactMap { index, point -> (index: Int, point: LineChart.Point)? in
            guard let features = point.nonzeroFeatures, let value = point.fidelity else { return nil }
            let lambda = point.lambda.map { String(format: ", λ = %.3g", $0) } ?? ""
            return (index, LineChart.Point(x: Double(features), y: value, note: "\(features) features\(lambda), \(ReportFormat.share(value))"))
        }
        let isClassification = if case .classification = model.task { true } else { false }
        let body: String
        if measured.isEmpty {
            body = ReportFormat.paragraph("No model on the penalty path was measured on held-out rows.")
        } else {
            let chosen = measured.firstIndex { fidelity.curve[$0.index].chosen }
            let chart = LineChart(points: measured.map(\.point), chosen: chosen, xLabel: "features with a nonzero weight",
                                  yLabel: isClassification ? "held-out agreement" : "held-out R²")
            body = ReportFormat.paragraph("Each point is one model on the penalty path, measured on the held-out rows; the ring marks the model this report describes.")
                + "\n" + chart.svg
        }
        return ReportSection(id: "curve", heading: "Fidelity against the number of features", body: body)
    }

    private var weightsSection: ReportSection {
        var body = ReportFormat.paragraph("Standardised weights: the change in the linear predictor for one standard deviation of a numeric feature (for a level, of its indicator). Positive weights push towards the output named, negative ones away.")
        for (k, name) in model.outputNames.enumerated() {
            let bars = model.termsByWeight(output: k).map { BarChart.Bar(label: model.terms.terms[$0].name, value: model.fit.weights[k][$0]) }
            if model.outputNames.count > 1 || model.link == .logit { body += "\n<h3>\(HTMLText.escape(name))</h3>" }
            body += "\n" + (bars.isEmpty ? ReportFormat.paragraph("No weight is nonzero: the model answers its intercept for every row.")
                                         : BarChart(bars: bars, caption: "standardised weights for \(name)").svg)
        }
        body += "\n<h3>The formula, in the data's units</h3>\n" + ReportFormat.preformatted(model.equation)
        return ReportSection(id: "weights", heading: "The weights", body: body)
    }

    private var pathSection: ReportSection {
        guard !path.isEmpty else {
            return ReportSection(id: "path", heading: "Coefficient paths", body: ReportFormat.paragraph("The student file holds no penalty path."))
        }
        var body = ReportFormat.paragraph("Each line is one term's standardised weight as the penalty falls from the one that zeroes every weight; terms enter where their line leaves zero. The dashed line is the chosen penalty.")
        let lambdas = path.map(\.lambda)
        for (k, name) in model.outputNames.enumerated() {
            let peak: [Double] = model.terms.terms.indices.map { j in path.map { abs($0.standardizedWeights[k][j]) }.max() ?? 0 }
            let drawn = peak.indices.filter { peak[$0] > 0 }
                .sorted { (a: Int, b: Int) -> Bool in peak[a] > peak[b] || (peak[a] == peak[b] && a < b) }
                .prefix(LinearReport.pathSeries)
            let series = drawn.map { j in PathChart.Series(name: model.terms.terms[j].name, values: path.map { $0.standardizedWeights[k][j] }) }
            if model.outputNames.count > 1 { body += "\n<h3>\(HTMLText.escape(name))</h3>" }
            body += "\n" + PathChart(lambdas: lambdas, series: series, chosen: model.fit.lambda, caption: "coefficient paths for \(name)").svg
        }
        return ReportSection(id: "path", heading: "Coefficient paths", body: body)
    }
}
