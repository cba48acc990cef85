import DistillCore
import Foundation

/// The report sections every student kind shares: the summary, the data, and how to
/// repeat the run.
enum CommonSections {
    /// - Parameter student: the student in words ("decision tree: 8 leaves, depth 4").
    static func summary(fidelity: FidelityReport, run: RunRecord, student: String) -> ReportSection {
        let eval = fidelity.eval
        var headline: [String] = []
        if let agreement = eval.agreement {
            var caption = "held-out fidelity: agreement with the teacher's class on \(ReportFormat.count(eval.rows)) rows"
            if let interval = eval.agreementCI, interval.count == 2 {
                caption += ", 95% interval \(ReportFormat.share(interval[0]))–\(ReportFormat.share(interval[1]))"
            }
            headline.append(figure(ReportFormat.share(agreement), caption))
        } else if let r2 = eval.r2 {
            headline.append(figure(ReportFormat.share(r2),
                                   "held-out fidelity: R² of the student against the teacher's value on \(ReportFormat.count(eval.rows)) rows"))
        }
        if let studentAccuracy = eval.studentAccuracy, let labelled = eval.labelledRows {
            headline.append(figure(ReportFormat.share(studentAccuracy),
                                   "accuracy against the label on \(ReportFormat.count(labelled)) rows (the teacher's: \(ReportFormat.share(eval.teacherAccuracy)))"))
        } else if let studentR2 = eval.studentR2Truth, let labelled = eval.labelledRows {
            headline.append(figure(ReportFormat.share(studentR2),
                                   "R² against the label on \(ReportFormat.count(labelled)) rows (the teacher's: \(ReportFormat.share(eval.teacherR2Truth)))"))
        }
        var facts = [("Teacher", teacherLine(run))]
        facts.append(("Task", run.teacher.classes.map { "classification into \($0.count) classes: " + $0.joined(separator: ", ") } ?? "regression"))
        facts.append(("Data", "\(ReportFormat.count(run.trainRows)) training rows, \(ReportFormat.count(run.evalRows)) \(run.evalSource), \(run.features.count) features"))
        facts.append(("Student", student))
        facts.append(("Teacher queries", ReportFormat.count(fidelity.teacherQueries)))
        if let synthetic = fidelity.synthetic {
            let measure = synthetic.agreement.map { "agreement \(ReportFormat.share($0))" } ?? "R² \(ReportFormat.share(synthetic.r2))"
            facts.append(("Synthetic rows", "\(ReportFormat.count(synthetic.rows)) rows made up and labelled by the teacher; \(measure) on them"))
        }
        var body = "<div class=\"headline\">" + headline.joined() + "</div>\n" + ReportFormat.facts(facts)
        for note in fidelity.notes { body += "\n" + ReportFormat.paragraph("Note: " + note, class: "note") }
        return ReportSection(id: "summary", heading: "Summary", body: body)
    }

    private static func figure(_ value: String, _ caption: String) -> String {
        "<div><div class=\"figure\">\(HTMLText.escape(value))</div><div class=\"figure-caption\">\(HTMLText.escape(caption))</div></div>"
    }

    private static func teacherLine(_ run: RunRecord) -> String {
        var parts = [run.teacher.description]
        if let file = run.inputs.first(where: { $0.role == "teacher" }) { parts.append(ReportFormat.bytes(file.bytes)) }
        if let parameters = run.teacher.parameters { parts.append("\(ReportFormat.count(parameters)) parameters") }
        if let operators = run.teacher.operators { parts.append("\(ReportFormat.count(operators)) operator nodes") }
        return parts.joined(separator: ", ")
    }

    /// Per feature of the training rows: kind, range or levels, missing share, and whether
    /// the student uses it.
    static func data(run: RunRecord, used: Set<String>) -> ReportSection {
        let rows = run.features.map { feature -> [String] in
            let values: String
            if feature.kind == "numeric" {
                values = feature.minimum.map { "\(ReportFormat.value($0)) to \(ReportFormat.value(feature.maximum)), mean \(ReportFormat.value(feature.mean))" } ?? "all missing"
            } else {
                let shown = (feature.topLevels ?? []).map { "\($0.level) (\(ReportFormat.count($0.rows)))" }
                let more = (feature.levels ?? 0) - shown.count
                values = "\(feature.levels ?? 0) levels: " + shown.joined(separator: ", ") + (more > 0 ? ", and \(more) more" : "")
            }
            let missing = feature.rows > 0 ? Double(feature.missing) / Double(feature.rows) : 0
            return [feature.name, feature.kind, values, String(format: "%.1f%%", missing * 100), used.contains(feature.name) ? "yes" : ""]
        }
        let body = ReportFormat.paragraph("The \(ReportFormat.count(run.trainRows)) training rows, as read.")
            + "\n" + ReportFormat.table(header: ["feature", "kind", "values", "missing", "used by the student"], rows: rows, numeric: [3])
        return ReportSection(id: "data", heading: "Data", body: body)
    }

    /// Classification: per-class precision and recall and the teacher × student confusion
    /// matrix on the held-out rows; regression: R², RMSE and MAE.
    static func agreementTables(_ eval: FidelityMetrics, task: TeacherTask) -> String {
        guard case .classification(let classes) = task else {
            return ReportFormat.facts([("R²", ReportFormat.share(eval.r2)), ("RMSE", ReportFormat.value(eval.rmse)), ("MAE", ReportFormat.value(eval.mae))])
        }
        var body = ""
        if let perClass = eval.perClass {
            body += "<h3>Per class</h3>\n" + ReportFormat.table(
                header: ["teacher's class", "held-out rows", "precision", "recall"],
                rows: perClass.map { [$0.name, ReportFormat.count($0.teacherRows), ReportFormat.share($0.precision), ReportFormat.share($0.recall)] },
                numeric: [1, 2, 3])
            body += "\n" + ReportFormat.paragraph("Precision: of the rows the student puts in the class, the share the teacher does too. Recall: of the rows the teacher puts in the class, the share the student does too.")
        }
        if let confusion = eval.confusion {
            body += "\n<h3>Teacher against student</h3>\n" + ReportFormat.table(
                header: ["teacher ↓ / student →"] + classes,
                rows: confusion.enumerated().map { index, row in [classes[index]] + row.map(ReportFormat.count) },
                numeric: Set(1...classes.count)) { row, column in row == column - 1 ? "agree" : nil }
        }
        return body
    }

    static func reproducibility(run: RunRecord) -> ReportSection {
        let inputs = run.inputs.map { [$0.role, $0.path, ReportFormat.count($0.bytes), $0.sha256] }
        let body = ReportFormat.paragraph("The command that made this student, run from the directory it was run in:")
            + "\n<pre class=\"command\">" + HTMLText.escape(ShellWords.join(run.command)) + "</pre>"
            + "\n" + ReportFormat.facts([("Seed", String(run.seed)), ("Distill version", run.distillVersion), ("Teacher", run.teacher.description)])
            + "\n<h3>Input files</h3>\n"
            + ReportFormat.table(header: ["role", "path", "bytes", "SHA-256"], rows: inputs, numeric: [2]) { _, column in column == 3 ? "hash" : nil }
        return ReportSection(id: "reproducibility", heading: "Reproducibility", body: body)
    }
}
