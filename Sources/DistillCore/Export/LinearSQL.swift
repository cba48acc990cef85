/// A linear student as one SQL query: an inner query computes each output's η in the
/// data's units (`LinearModel.rawWeights`), the outer one the class, value and
/// probabilities from it, as `LinearModel.predict` does.
struct LinearSQL {
    let model: LinearModel
    let options: SQLExportOptions

    /// exp(±700) is finite in a double; PostgreSQL's EXP raises an error on overflow and
    /// underflow rather than returning infinity or 0, so every exponent is held within it.
    /// Cut there, a probability moves by less than 1e-300.
    static let exponentBound = 700.0

    /// - Throws: `DataError` when a name holds NUL, `--id` clashes with an output column,
    ///   `--probabilities` is asked of a regression, or a weight is not finite.
    func statement() throws -> String {
        let sql = SQLText(options: options)
        let outputs = model.fit.weights.count
        let names = outputs == 1 ? ["distill_eta"] : (0..<outputs).map { "distill_eta_\($0)" }
        let working = try names.indices.map { k in (names[k], try self.eta(output: k, sql)) }
        let eta = names.map { "\"\($0)\"" }
        var answers: [(name: String, expression: String)] = []
        switch (model.link, model.task) {
        case (.identity, _):
            guard !options.probabilities else { throw DataError("--probabilities needs a classification student; this model is a regression") }
            answers.append(("student_value", eta[0]))
        case (.logit, .classification(let classes)):
            if options.probabilities {
                let bounded = sql.clamped(eta[0], to: Self.exponentBound)
                answers.append(("student_p_\(classes[0])", "1.0 / (1.0 + EXP(\(bounded)))"))
                answers.append(("student_p_\(classes[1])", "1.0 / (1.0 + EXP(-\(bounded)))"))
            }
            // σ(η) > 1/2 exactly when η > 0; at 0 the first class wins the tie.
            answers.append(("student_class", "CASE WHEN \(eta[0]) > 0.0 THEN \(try sql.literal(classes[1])) ELSE \(try sql.literal(classes[0])) END"))
        case (.softmax, .classification(let classes)):
            if options.probabilities {
                // softmax_k = 1 / Σ_j exp(η_j − η_k): no maximum to find first, and the j = k
                // term (1) keeps the sum at least 1.
                for k in classes.indices {
                    let sum = eta.indices.map { j in
                        j == k ? "1.0" : "EXP(\(sql.clamped("\(eta[j]) - \(eta[k])", to: Self.exponentBound)))"
                    }.joined(separator: " + ")
                    answers.append(("student_p_\(classes[k])", "1.0 / (\(sum))"))
                }
            }
            // The first class whose η is at least every later one's is the first largest:
            // softmax keeps the order, and an earlier largest would have been picked before.
            let cases = try classes.indices.dropLast().map { k in
                let test = eta[(k + 1)...].map { "\(eta[k]) >= \($0)" }.joined(separator: " AND ")
                return "WHEN \(test) THEN \(try sql.literal(classes[k]))"
            }
            answers.append(("student_class", "CASE \(cases.joined(separator: " ")) ELSE \(try sql.literal(classes[classes.count - 1])) END"))
        default:
            throw DataError("a '\(model.link.rawValue)' link does not fit this student's task")
        }
        return try sql.statement(
            comment: ["A Distill linear student: per row, η = intercept + Σ weight × value, in the data's units, and the answer from it.",
                      "Missing values are NULL: a missing number counts as its training mean, a missing or unseen level as the reference level."],
            working: working, answers: answers)
    }

    /// Output k's η: the intercept, then one line per term with a nonzero weight.
    private func eta(output k: Int, _ sql: SQLText) throws -> String {
        let (intercept, weights) = model.rawWeights(output: k)
        var text = try CodeText.number(intercept)
        for j in model.termsByWeight(output: k) {
            let term = model.terms.terms[j]
            let column = try sql.identifier(term.feature)
            // Written as `+ w` or `- |w|`: a minus sign never follows another, so no `--`
            // comment can form.
            text += "\n      \(weights[j] < 0 ? "-" : "+") \(try CodeText.number(abs(weights[j]))) * "
            if let level = term.level {
                text += "CASE WHEN \(column) = \(try sql.literal(level)) THEN 1.0 ELSE 0.0 END"
            } else {
                text += "COALESCE(\(column), \(try CodeText.number(term.mean)))"
            }
        }
        return text
    }
}
