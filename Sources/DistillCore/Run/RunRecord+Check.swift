/// What `distill report` may take for granted in a `run.json`: every count (rows, bytes,
/// parameters, levels) is a count, so that the report's sums and differences of them hold.
extension RunRecord {
    /// Checks the record; `read` runs it.
    /// - Throws: `DataError` naming the file and the field, as `.features[2].missing`.
    func check(path: String) throws {
        let checks = FieldChecks(path: path)
        try checks.count(trainRows, at: ".train_rows")
        try checks.count(evalRows, at: ".eval_rows")
        try teacher.parameters.map { try checks.count($0, at: ".teacher.parameters") }
        try teacher.operators.map { try checks.count($0, at: ".teacher.operators") }
        for (index, input) in inputs.enumerated() { try checks.count(input.bytes, at: ".inputs[\(index)].bytes") }
        for (index, feature) in features.enumerated() {
            let at = ".features[\(index)]"
            try checks.count(feature.rows, at: at + ".rows")
            try checks.count(feature.missing, at: at + ".missing")
            try feature.levels.map { try checks.count($0, at: at + ".levels") }
            for (rank, level) in (feature.topLevels ?? []).enumerated() { try checks.count(level.rows, at: "\(at).top_levels[\(rank)].rows") }
        }
    }
}
