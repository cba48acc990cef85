import DistillCore
import Foundation

/// The few lines a person reads after a run.
enum FidelitySummary {
    static func lines(_ report: FidelityReport, evalSource: String) -> [String] {
        var lines: [String] = []
        if let leaves = report.student.leaves, let depth = report.student.depth {
            lines.append("\(report.student.kind): \(leaves) leaves, depth \(depth)")
        }
        lines.append("held-out fidelity: " + describe(report.eval) + " on \(report.eval.rows) \(evalSource)")
        lines.append("training fidelity: " + describe(report.train) + " on \(report.train.rows) rows")
        if let synthetic = report.synthetic {
            lines.append("synthetic-row fidelity: " + describe(synthetic) + " on \(synthetic.rows) rows")
        }
        if let teacher = report.eval.teacherAccuracy, let student = report.eval.studentAccuracy {
            lines.append(String(format: "accuracy against the label (held out): teacher %.4f, student %.4f", teacher, student))
        }
        if let teacher = report.eval.teacherR2Truth, let student = report.eval.studentR2Truth {
            lines.append(String(format: "R² against the label (held out): teacher %.4f, student %.4f", teacher, student))
        }
        lines.append("teacher queries: \(report.teacherQueries)")
        return lines
    }

    static func describe(_ metrics: FidelityMetrics) -> String {
        if let agreement = metrics.agreement, let interval = metrics.agreementCI, interval.count == 2 {
            return String(format: "%.4f agreement (95%% CI %.4f–%.4f)", agreement, interval[0], interval[1])
        }
        if let r2 = metrics.r2 {
            return String(format: "R² %.4f (RMSE %.4g, MAE %.4g)", r2, metrics.rmse ?? .nan, metrics.mae ?? .nan)
        }
        if let rmse = metrics.rmse {
            return String(format: "R² undefined (constant teacher), RMSE %.4g", rmse)
        }
        return "no rows"
    }
}
