/// A linear student as a PMML RegressionModel: per output, a RegressionTable of the
/// intercept and weights in the data's units (`LinearModel.rawWeights`), a level's weight
/// as a CategoricalPredictor (which adds nothing for another level, an unseen one
/// included). A missing number is replaced by its training mean and a missing level by
/// the reference level before the tables see them, as `LinearTerms.design` counts them.
struct PMMLRegression {
    let model: LinearModel

    /// - Throws: `DataError` when a name cannot be written in XML, a feature has the name of
    ///   an output, a weight is not finite, or the link does not fit the task.
    func document() throws -> String {
        var document = PMMLDocument(featureNames: model.featureNames, featureLevels: model.featureLevels,
                                    classes: Student.linear(model).classes)
        for term in model.terms.terms {
            document.missingReplacements[term.feature] = try term.level == nil ? CodeText.number(term.mean) : model.terms.referenceLevels[term.feature]
        }
        // Per table: the class it is for, and the output whose η it holds (nil: η = 0).
        let normalization: String, tables: [(category: String?, output: Int?)]
        switch (model.link, model.task) {
        case (.identity, .regression):
            (normalization, tables) = ("none", [(nil, 0)])
        case (.logit, .classification(let classes)):
            // PMML's binary logit gives the first table's class σ(η) and the second 1 − σ(η);
            // the second table is there only to name that class.
            (normalization, tables) = ("logit", [(classes[1], 0), (classes[0], nil)])
        case (.softmax, .classification(let classes)):
            (normalization, tables) = ("softmax", classes.indices.map { (classes[$0], $0) })
        default:
            throw DataError("a '\(model.link.rawValue)' link does not fit this student's task")
        }
        return try document.text(
            model: "RegressionModel", [("algorithmName", "Distill sparse linear model"), ("normalizationMethod", normalization)],
            description: "A Distill linear student: eta = intercept + sum of weight × value, in the data's units, and the answer from it. "
                + "A missing number counts as its training mean, a missing or unseen level as the reference level.") { xml in
            for table in tables {
                try self.table(output: table.output, category: table.category, into: &xml)
            }
        }
    }

    private func table(output k: Int?, category: String?, into xml: inout XMLWriter) throws {
        let category = category.map { [("targetCategory", $0)] } ?? []
        guard let k else { return try xml.empty("RegressionTable", [("intercept", "0.0")] + category) }
        let (intercept, weights) = model.rawWeights(output: k)
        try xml.start("RegressionTable", [("intercept", try CodeText.number(intercept))] + category)
        // The schema puts every NumericPredictor before the CategoricalPredictors; within
        // each, the largest standardised weight comes first.
        let byWeight = model.termsByWeight(output: k)
        let isNumber = { (j: Int) in model.terms.terms[j].level == nil }
        for j in byWeight.filter(isNumber) + byWeight.filter({ !isNumber($0) }) {
            let term = model.terms.terms[j], weight = try CodeText.number(weights[j])
            if let level = term.level {
                try xml.empty("CategoricalPredictor", [("name", term.feature), ("value", level), ("coefficient", weight)])
            } else {
                try xml.empty("NumericPredictor", [("name", term.feature), ("coefficient", weight)])
            }
        }
        xml.end()
    }
}
