/// What every PMML export shares: the PMML 4.4 document around one model element, with the
/// features and the teacher's answer in the data dictionary, the mining schema, and the
/// outputs named as `distill predict` names its columns (`student_class`, `student_p_<class>`
/// or `student_value`, and `leaf` or `rule`).
struct PMMLDocument {
    static let namespace = "http://www.dmg.org/PMML-4_4"

    let featureNames: [String]
    /// Each categorical feature's training levels, nil for a numeric one.
    let featureLevels: [[String]?]
    /// The teacher's classes, nil for a regression.
    let classes: [String]?
    /// Per feature, the value that stands for a missing one before the model sees it.
    var missingReplacements: [String: String] = [:]
    /// The output that names the node that answered (`leaf`, `rule`): PMML's entityId.
    var entityOutput: String?

    /// The whole document: `<element functionName … attributes>` holding the mining schema,
    /// the outputs, then what `body` writes.
    /// - Throws: `DataError` when a name holds a character XML cannot carry, a feature has
    ///   the name of an output, or `body` throws.
    func text(model element: String, _ attributes: [(String, String)], description: String,
              body: (inout XMLWriter) throws -> Void) throws -> String {
        let outputs = try outputFields()
        let taken = Set(featureNames + outputs.map(\.name))
        // The teacher's answer, which the student imitates; a field of the document only.
        var target = "teacher", n = 2
        while taken.contains(target) { (target, n) = ("teacher_\(n)", n + 1) }

        var xml = XMLWriter()
        try xml.start("PMML", [("xmlns", Self.namespace), ("version", "4.4")])
        try xml.start("Header", [("description", description)])
        try xml.empty("Application", [("name", "Distill")])
        xml.end()
        try xml.start("DataDictionary")
        for (name, levels) in zip(featureNames, featureLevels) {
            try dataField(name, levels: levels, into: &xml)
        }
        try dataField(target, levels: classes, into: &xml)
        xml.end()
        try xml.start(element, [("functionName", classes == nil ? "regression" : "classification")] + attributes)
        try xml.start("MiningSchema")
        for (name, levels) in zip(featureNames, featureLevels) {
            // A level not seen in training is outside the field's values; "asIs" hands it to
            // the predicates as it is, where Distill's tests send it, instead of refusing the
            // row. A number field keeps refusing text.
            var field = [("name", name)] + (levels == nil ? [] : [("invalidValueTreatment", "asIs")])
            if let replacement = missingReplacements[name] { field.append(("missingValueReplacement", replacement)) }
            try xml.empty("MiningField", field)
        }
        try xml.empty("MiningField", [("name", target), ("usageType", "target")])
        xml.end()
        try xml.start("Output")
        for output in outputs {
            try xml.empty("OutputField", [("name", output.name), ("optype", output.categorical ? "categorical" : "continuous"),
                                          ("dataType", output.categorical ? "string" : "double"), ("feature", output.feature)]
                          + (output.value.map { [("value", $0)] } ?? []))
        }
        xml.end()
        try body(&xml)
        xml.end()
        xml.end()
        return xml.text
    }

    /// A leaf of a tree or a rule of a list: `<Node id score recordCount>`, its predicate,
    /// and for a class the probabilities as ScoreDistributions (`recordCount` the share of
    /// the rows, as PMML requires one).
    /// - Parameter top: the class the leaf answers (the first most probable).
    func leaf(id: Int, predicate: PMMLPredicate, value: [Float], rows: Int, top: Int, into xml: inout XMLWriter) throws {
        let score = try classes.map { $0[top] } ?? Self.number(value[0])
        try xml.start("Node", [("id", "\(id)"), ("score", score), ("recordCount", "\(rows)")])
        try predicate.write(into: &xml)
        for (name, p) in zip(classes ?? [], value) {
            try xml.empty("ScoreDistribution", [("value", name), ("recordCount", try CodeText.number(Double(rows) * Double(p))),
                                                ("probability", try Self.number(p))])
        }
        xml.end()
    }

    /// A Float in its shortest digits that read back as the same Float.
    static func number(_ value: Float) throws -> String {
        guard value.isFinite else { throw DataError("the student holds the number \(value), which PMML cannot write") }
        return "\(value)"
    }

    private func dataField(_ name: String, levels: [String]?, into xml: inout XMLWriter) throws {
        guard let levels else {
            return try xml.empty("DataField", [("name", name), ("optype", "continuous"), ("dataType", "double")])
        }
        try xml.start("DataField", [("name", name), ("optype", "categorical"), ("dataType", "string")])
        for level in levels { try xml.empty("Value", [("value", level)]) }
        xml.end()
    }

    private func outputFields() throws -> [(name: String, feature: String, value: String?, categorical: Bool)] {
        var outputs: [(name: String, feature: String, value: String?, categorical: Bool)]
        if let classes = classes {
            outputs = [("student_class", "predictedValue", nil, true)]
                + classes.map { ("student_p_\($0)", "probability", $0, false) }
        } else {
            outputs = [("student_value", "predictedValue", nil, false)]
        }
        if let entityOutput { outputs.append((entityOutput, "entityId", nil, true)) }
        if let clash = outputs.first(where: { featureNames.contains($0.name) }) {
            throw DataError("the feature '\(clash.name)' has the name of an output the PMML declares; rename it")
        }
        return outputs
    }
}
