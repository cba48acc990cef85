/// What `distill report` may take for granted in a `fidelity.json`: counts that are counts,
/// shares in [0, 1], a square confusion matrix, sizes on the curve that are sizes, and, once
/// set against the student it measures, one confusion row per class and per-leaf figures
/// for leaves (or rules) the student has.
extension FidelityReport {
    /// Checks what the file holds on its own; `read` runs it.
    /// - Throws: `DataError` naming the file and the field, as `.eval.confusion[2][0]`.
    func check(path: String) throws {
        let checks = FieldChecks(path: path)
        guard task == "classification" || task == "regression" else {
            throw checks.fail(".task", "is '\(task)'; it must be \"classification\" or \"regression\"")
        }
        try checks.count(teacherQueries, at: ".teacher_queries")
        for (name, metrics) in [("train", train), ("eval", eval), ("synthetic", synthetic)] {
            try metrics.map { try $0.check(checks, at: "." + name) }
        }
        for (index, point) in curve.enumerated() {
            let at = ".curve[\(index)]"
            for (name, size) in [("leaves", point.leaves), ("depth", point.depth), ("nonzero_features", point.nonzeroFeatures), ("rules", point.rules)] {
                try size.map { try checks.count($0, at: "\(at).\(name)") }
            }
            for (name, penalty) in [("alpha", point.alpha), ("lambda", point.lambda)] where (penalty ?? 0) < 0 {
                throw checks.fail("\(at).\(name)", "is \(penalty ?? 0); a penalty is ≥ 0")
            }
            if let fidelity = point.fidelity, fidelity > 1 {
                throw checks.fail("\(at).fidelity", "is \(fidelity); agreement and R² are at most 1")
            }
        }
        var leafRows = 0
        for (index, leaf) in leaves.enumerated() {
            let at = ".leaves[\(index)]"
            try checks.count(leaf.leaf, at: at + ".leaf")
            try checks.count(leaf.rows, at: at + ".rows")
            try checks.share(leaf.agreement, at: at + ".agreement")
            if let mae = leaf.mae, mae < 0 { throw checks.fail(at + ".mae", "is \(mae); an error is ≥ 0") }
            leafRows += leaf.rows
            try checks.count(leafRows, at: ".leaves", what: "rows in all")
        }
    }

    /// Checks the file against the student it measures (read from `student.json` beside it).
    /// - Throws: `DataError` naming the file and the field.
    public func check(against student: Student, path: String) throws {
        let checks = FieldChecks(path: path)
        let kind = student.classes == nil ? "regression" : "classification"
        guard task == kind, self.student.kind == student.kind else {
            throw checks.fail(".task", "says a \(task) \(self.student.kind) student, but student.json holds a \(kind) \(student.kind) student")
        }
        if let classes = student.classes {
            for (name, metrics) in [("train", train), ("eval", eval), ("synthetic", synthetic)] {
                guard let metrics else { continue }
                if let confusion = metrics.confusion, confusion.count != classes.count {
                    throw checks.fail(".\(name).confusion", "has \(confusion.count) rows, but the student has \(classes.count) classes")
                }
                if let perClass = metrics.perClass, perClass.map(\.name) != classes {
                    throw checks.fail(".\(name).per_class", "names other classes than the student's: \(perClass.map(\.name)) against \(classes)")
                }
            }
        }
        for (index, leaf) in leaves.enumerated() {
            let valid = switch student {
            case .tree(let tree): leaf.leaf < tree.nodeCount && tree.isLeaf(leaf.leaf)
            case .rules(let list): leaf.leaf < list.rules.count
            case .linear: false
            }
            guard valid else {
                throw checks.fail(".leaves[\(index)].leaf", "is \(leaf.leaf), which is not a \(student.kind == "rules" ? "rule" : "leaf") of the student")
            }
        }
    }
}

extension FidelityMetrics {
    /// Checks one set of metrics, found at `at` (".eval").
    func check(_ checks: FieldChecks, at: String) throws {
        try checks.count(rows, at: at + ".rows")
        try labelledRows.map { try checks.count($0, at: at + ".labelled_rows") }
        for (name, value) in [("agreement", agreement), ("mean_tv", meanTotalVariation), ("teacher_accuracy", teacherAccuracy),
                              ("student_accuracy", studentAccuracy)] {
            try checks.share(value, at: "\(at).\(name)")
        }
        if let interval = agreementCI {
            guard interval.count == 2 else { throw checks.fail(at + ".agreement_ci", "must hold two numbers, its low and high end") }
            for (index, end) in interval.enumerated() { try checks.share(end, at: "\(at).agreement_ci[\(index)]") }
        }
        for (name, value) in [("kl", klDivergence), ("rmse", rmse), ("mae", mae)] where (value ?? 0) < 0 {
            throw checks.fail("\(at).\(name)", "is \(value ?? 0); it is ≥ 0")
        }
        for (name, value) in [("r2", r2), ("teacher_r2_truth", teacherR2Truth), ("student_r2_truth", studentR2Truth)] where (value ?? 0) > 1 {
            throw checks.fail("\(at).\(name)", "is \(value ?? 0); R² is at most 1")
        }
        for (index, entry) in (perClass ?? []).enumerated() {
            try checks.count(entry.teacherRows, at: "\(at).per_class[\(index)].teacherRows")
            try checks.share(entry.precision, at: "\(at).per_class[\(index)].precision")
            try checks.share(entry.recall, at: "\(at).per_class[\(index)].recall")
        }
        if let confusion {
            if let perClass, perClass.count != confusion.count {
                throw checks.fail(at + ".confusion", "has \(confusion.count) rows for \(perClass.count) classes in \"per_class\"")
            }
            for (t, row) in confusion.enumerated() {
                guard row.count == confusion.count else {
                    throw checks.fail("\(at).confusion[\(t)]", "has \(row.count) entries; the matrix is \(confusion.count) × \(confusion.count)")
                }
                for (s, cell) in row.enumerated() { try checks.count(cell, at: "\(at).confusion[\(t)][\(s)]") }
            }
        }
    }
}
