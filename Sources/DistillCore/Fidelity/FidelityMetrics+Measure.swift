import Foundation

extension FidelityMetrics {
    /// Compares a student's answers with the teacher's on the same rows.
    /// - Parameters:
    ///   - teacher: the teacher's answers.
    ///   - student: the student's answers, laid out as the teacher's (row-major, same width).
    ///   - truth: the ground-truth column, if any; rows where it is missing are left out of
    ///     the accuracy figures.
    /// - Complexity: O(rows × classes).
    public static func measure(teacher: TeacherOutputs, student: [Float], truth: Column? = nil) -> FidelityMetrics {
        precondition(student.count == teacher.values.count, "student and teacher answers differ in shape")
        switch teacher.task {
        case .classification(let classes):
            return classification(teacher, student, classes, truth)
        case .regression:
            return regression(teacher.values, student, truth)
        }
    }

    private static func classification(_ teacher: TeacherOutputs, _ student: [Float], _ classes: [String],
                                       _ truth: Column?) -> FidelityMetrics {
        let rows = teacher.rowCount
        let width = classes.count
        let studentOutputs = TeacherOutputs(task: teacher.task, values: student)
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: width), count: width)
        var totalVariation = 0.0
        var kl = 0.0
        for row in 0..<rows {
            confusion[teacher.predictedClass(row)][studentOutputs.predictedClass(row)] += 1
            let t = teacher.row(row)
            let s = studentOutputs.row(row)
            var distance = 0.0
            for (p, q) in zip(t, s) {
                distance += abs(Double(p) - Double(q))
                if p > 0 {
                    let smoothed = (Double(q) + smoothing) / (1 + Double(width) * smoothing)
                    kl += Double(p) * PortableMath.log(Double(p) / smoothed)
                }
            }
            totalVariation += distance / 2
        }
        let agreeing = (0..<width).reduce(0) { $0 + confusion[$1][$1] }
        var metrics = FidelityMetrics(rows: rows)
        metrics.agreement = rows > 0 ? Double(agreeing) / Double(rows) : nil
        let interval = WilsonInterval.bounds(successes: agreeing, trials: rows)
        metrics.agreementCI = [interval.low, interval.high]
        metrics.confusion = confusion
        metrics.perClass = classes.indices.map { c in
            let teacherRows = confusion[c].reduce(0, +)
            let studentRows = confusion.reduce(0) { $0 + $1[c] }
            return ClassFidelity(name: classes[c], teacherRows: teacherRows,
                                 precision: studentRows > 0 ? Double(confusion[c][c]) / Double(studentRows) : nil,
                                 recall: teacherRows > 0 ? Double(confusion[c][c]) / Double(teacherRows) : nil)
        }
        metrics.meanTotalVariation = rows > 0 ? totalVariation / Double(rows) : nil
        metrics.klDivergence = rows > 0 ? kl / Double(rows) : nil
        if let truth {
            // A label that names none of the teacher's classes on any row ("benign" against
            // classes 0 and 1) is another naming, not a wrong answer: no accuracy then.
            let classNames = Set(classes)
            var labelled = 0, named = 0, teacherRight = 0, studentRight = 0
            for row in 0..<rows where !truth.isMissing(row) {
                let answer = truth.text(at: row)
                labelled += 1
                if classNames.contains(answer) { named += 1 }
                if classes[teacher.predictedClass(row)] == answer { teacherRight += 1 }
                if classes[studentOutputs.predictedClass(row)] == answer { studentRight += 1 }
            }
            metrics.labelledRows = labelled
            if named > 0 {
                metrics.teacherAccuracy = Double(teacherRight) / Double(labelled)
                metrics.studentAccuracy = Double(studentRight) / Double(labelled)
            }
        }
        return metrics
    }

    private static func regression(_ teacher: [Float], _ student: [Float], _ truth: Column?) -> FidelityMetrics {
        var metrics = FidelityMetrics(rows: teacher.count)
        guard !teacher.isEmpty else { return metrics }
        let fit = RegressionFit(target: teacher.map(Double.init), prediction: student.map(Double.init))
        metrics.r2 = fit.r2
        metrics.rmse = fit.rmse
        metrics.mae = fit.mae
        if let truth, case .numeric(let values) = truth.values {
            let rows = values.indices.filter { !values[$0].isNaN }
            metrics.labelledRows = rows.count
            if !rows.isEmpty {
                let target = rows.map { Double(values[$0]) }
                metrics.teacherR2Truth = RegressionFit(target: target, prediction: rows.map { Double(teacher[$0]) }).r2
                metrics.studentR2Truth = RegressionFit(target: target, prediction: rows.map { Double(student[$0]) }).r2
            }
        }
        return metrics
    }
}

/// Error measures of predictions against a target.
struct RegressionFit {
    let r2: Double?
    let rmse: Double
    let mae: Double

    init(target: [Double], prediction: [Double]) {
        precondition(!target.isEmpty && target.count == prediction.count)
        let n = Double(target.count)
        let mean = target.reduce(0, +) / n
        var sse = 0.0, sst = 0.0, absolute = 0.0
        for (y, f) in zip(target, prediction) {
            sse += (y - f) * (y - f)
            sst += (y - mean) * (y - mean)
            absolute += abs(y - f)
        }
        // A constant target has no variance to explain: R² is undefined, not 1 or −∞.
        r2 = sst > 0 ? 1 - sse / sst : nil
        rmse = (sse / n).squareRoot()
        mae = absolute / n
    }
}
