import Foundation

/// A student as an ONNX model that onnxruntime runs, answering every row as `distill
/// predict` does.
///
/// Inputs: one per feature, named exactly as the feature, of shape [N, 1]: float for a
/// number (NaN when missing), string for a level ("" when missing). Outputs: `label`
/// (string [N], the first most probable class) and `probabilities` (float [N, classes]),
/// or `value` (float [N]); a tree adds `leaf` (int64 [N], its node id in student.json), a
/// rule list `rule` (int64 [N], counting from 1, the default last).
struct ONNXExport {
    let student: Student

    /// What a row holds for a missing level.
    static let missingLevel = ""

    /// What a student's graph computes, for the export to name as outputs.
    struct Answer {
        /// float [N, K]: the class probabilities, or the value as one column.
        var scores: String
        /// int64 [N]: the leaf or the rule each row reaches, with its output's name.
        var position: (output: String, value: String)?
    }

    private var outputNames: [String] {
        let answers = student.classes == nil ? ["value"] : ["label", "probabilities"]
        switch student {
        case .tree: return answers + ["leaf"]
        case .linear: return answers
        case .rules: return answers + ["rule"]
        }
    }

    /// The model file's bytes.
    /// - Throws: `DataError` when a feature is named as an output, a level is the missing
    ///   marker "", or the student file is malformed in a way the graph cannot carry.
    func model() throws -> Data {
        let outputs = outputNames
        if let clash = student.featureNames.first(where: outputs.contains) {
            throw DataError("the feature '\(clash)' has the name of an output of the ONNX model (\(outputs.joined(separator: ", "))), "
                            + "and a value can have one name only; rename the column")
        }
        for (name, levels) in zip(student.featureNames, student.featureLevels) where levels?.contains(Self.missingLevel) == true {
            throw DataError("the feature '\(name)' has the empty level \"\", which the ONNX export keeps for a missing value")
        }
        var builder = ONNXGraphBuilder(name: "distill_\(student.kind)", reserved: student.featureNames + outputs)
        for (name, levels) in zip(student.featureNames, student.featureLevels) {
            builder.input(name, levels == nil ? .float : .string, columns: 1)
        }
        let answer: Answer
        switch student {
        case .tree(let tree): answer = try ONNXTreeGraph(tree: tree).build(&builder)
        case .linear(let model): answer = try ONNXLinearGraph(model: model).build(&builder)
        case .rules(let list): answer = try ONNXRuleGraph(list: list).build(&builder)
        }
        if let classes = student.classes {
            // ArgMax takes the first largest, as Distill does on a tie.
            let top = builder.node("ArgMax", [answer.scores], [.int("axis", 1), .int("keepdims", 0)])
            let label = builder.node("Gather", [builder.constant(.strings(classes), shape: [classes.count]), top], [.int("axis", 0)])
            builder.output("label", from: label, .string, columns: nil)
            builder.output("probabilities", from: answer.scores, .float, columns: classes.count)
        } else {
            let value = builder.node("Squeeze", [answer.scores, builder.constant(.int64s([1]), shape: [1])])
            builder.output("value", from: value, .float, columns: nil)
        }
        if let position = answer.position {
            builder.output(position.output, from: position.value, .int64, columns: nil)
        }
        return try builder.model(documentation: documentation(outputs))
    }

    private func documentation(_ outputs: [String]) -> String {
        "A Distill \(student.kind) student. Inputs: one per feature, named as the feature, shape [N, 1]: "
            + "float for a number (NaN when missing), string for a level (\"\" when missing). "
            + "Outputs: \(outputs.joined(separator: ", ")). It answers every row as `distill predict` does."
    }
}

extension Student {
    /// The student as an ONNX model file (see `ONNXExport`).
    /// - Throws: `DataError` when the student cannot be written so.
    public func onnxModel() throws -> Data {
        try ONNXExport(student: self).model()
    }
}
