/// A linear student as the standardised design Distill builds, a MatMul and the link,
/// computed in double as Distill computes it (then cast to float, as Distill stores its
/// answers), so the probabilities agree far within 1e-6.
///
/// Each kept term is a column: a number as read (float, widened), a level as a 0/1
/// indicator that is 0 for a missing or unseen level (the reference level's row). A
/// missing number becomes the term's mean, so its standardised value is 0 exactly, as in
/// `LinearTerms.design`.
struct ONNXLinearGraph {
    let model: LinearModel

    func build(_ builder: inout ONNXGraphBuilder) throws -> ONNXExport.Answer {
        let weights = model.fit.weights
        let kept = model.terms.terms.indices.filter { j in weights.contains { $0[j] != 0 } }
        var columns = try kept.map { j in
            let term = model.terms.terms[j]
            return try term.level.map { try builder.levelMap(term.feature, [($0, 1)], missing: 0, otherwise: 0) } ?? term.feature
        }
        var means = kept.map { model.terms.terms[$0].mean }, scales = kept.map { model.terms.terms[$0].scale }
        var matrix = kept.flatMap { j in weights.map { $0[j] } }
        // With every weight zero, η is the intercepts; a zero column keeps the shapes.
        if kept.isEmpty {
            columns = [builder.column(of: 0, like: model.featureNames[0])]
            (means, scales, matrix) = ([0], [1], Array(repeating: 0, count: weights.count))
        }
        let raw = builder.cast(builder.columns(columns), to: .double)
        let mean = builder.constant(.doubles(means), shape: [means.count])
        let filled = builder.node("Where", [builder.node("IsNaN", [raw]), mean, raw])
        let z = builder.node("Div", [builder.node("Sub", [filled, mean]), builder.constant(.doubles(scales), shape: [scales.count])])
        let product = builder.node("MatMul", [z, builder.constant(.doubles(matrix), shape: [means.count, weights.count])])
        let eta = builder.node("Add", [product, builder.constant(.doubles(model.fit.intercepts), shape: [weights.count])])
        let answer: String
        switch (model.link, model.task) {
        case (.identity, .regression):
            answer = eta
        case (.logit, .classification(let classes)) where classes.count == 2:
            let p = builder.node("Sigmoid", [eta])
            let q = builder.node("Sub", [builder.constant(.doubles([1]), shape: []), p])
            answer = builder.node("Concat", [q, p], [.int("axis", 1)])
        case (.softmax, .classification):
            answer = builder.node("Softmax", [eta], [.int("axis", 1)])
        default:
            throw DataError("a '\(model.link.rawValue)' link does not fit this student's task")
        }
        return ONNXExport.Answer(scores: builder.cast(answer, to: .float), position: nil)
    }
}
