import Foundation

/// What an ONNX teacher is, for `distill inspect`: inputs, outputs, classes, operators,
/// size and provenance.
public struct ONNXModelSummary: Sendable, Equatable, CustomStringConvertible {
    /// One graph output and its declared type.
    public struct Output: Sendable, Equatable {
        public var name: String
        /// Declared type, e.g. `float[N,3]` or `seq(map(int64,float))`.
        public var type: String
        /// Whether the teacher answers from this output.
        public var selected: Bool
    }

    /// One operator set the model imports.
    public struct Opset: Sendable, Equatable {
        public var domain: String
        public var version: Int
    }

    /// How many nodes of one operator the model holds, and whether Distill evaluates it.
    public struct OperatorCount: Sendable, Equatable {
        /// The operator type, prefixed by its domain unless it is the default one
        /// (`Gemm`, `ai.onnx.ml.Scaler`).
        public var op: String
        public var count: Int
        /// The opset the model imports for the operator's domain.
        public var opset: Int = 0
        /// Whether the evaluator implements the operator at that opset with these attributes.
        public var supported: Bool = true
    }

    /// The model file as given.
    public var file: String
    public var producerName: String
    public var producerVersion: String
    public var irVersion: Int
    public var opsets: [Opset]
    /// The inputs the teacher needs (graph inputs the chosen output depends on).
    public var inputs: [TeacherInput]
    public var outputs: [Output]
    public var task: TeacherTask
    /// Operator counts over the whole model, most frequent first.
    public var operatorCounts: [OperatorCount]
    /// Sum of the element counts of all initializers (weights, biases, constants).
    public var parameterCount: Int

    public var description: String {
        var lines: [String] = []
        let producer = [producerName, producerVersion].filter { !$0.isEmpty }.joined(separator: " ")
        lines.append("model: \(file)")
        lines.append("producer: \(producer.isEmpty ? "(not recorded)" : producer), IR version \(irVersion)")
        lines.append("opsets: " + opsets.map { "\($0.domain) \($0.version)" }.joined(separator: ", "))
        lines.append("inputs:")
        for i in inputs {
            let width = i.width.map(String.init) ?? "?"
            lines.append("  \(i.name): \(i.elementType.rawValue) × \(width)\(i.acceptsMissing ? " (missing values allowed)" : "")")
        }
        lines.append("outputs:")
        for o in outputs { lines.append("  \(o.name): \(o.type)\(o.selected ? " (used)" : "")") }
        switch task {
        case .classification(let classes):
            lines.append("task: classification, \(classes.count) classes: " + classes.joined(separator: ", "))
        case .regression:
            lines.append("task: regression")
        }
        lines.append(contentsOf: Self.operatorTable(operatorCounts))
        lines.append("parameters: \(parameterCount)")
        return lines.joined(separator: "\n")
    }

    /// The operator table `teacher inspect` prints: op, opset, count, supported.
    public static func operatorTable(_ counts: [OperatorCount]) -> [String] {
        let width = max(8, counts.map(\.op.count).max() ?? 0)
        func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
        var lines = ["operators:", "  " + pad("operator", width) + "  opset  count  supported"]
        for c in counts {
            lines.append("  " + pad(c.op, width) + "  " + pad(String(c.opset), 5) + "  " + pad(String(c.count), 5) + "  "
                         + (c.supported ? "yes" : "NO"))
        }
        let missing = counts.filter { !$0.supported }
        if !missing.isEmpty {
            lines.append("  unsupported: " + missing.map(\.op).joined(separator: ", "))
        }
        return lines
    }

    /// The operator table of the model in `url`, for a model that cannot be loaded as a
    /// teacher (so `teacher inspect` can still show what it holds and what is missing).
    /// - Throws: `ONNXError` when the file is not a well-formed ONNX model.
    public static func operators(ofModelAt url: URL) throws -> [OperatorCount] {
        try ONNXModel(contentsOf: url).operatorCounts()
    }
}

extension ONNXModel {
    /// The summary of this model with the given choice of output and inputs.
    /// Operator counts over the whole model, most frequent first, each marked supported
    /// or not at the model's opset.
    func operatorCounts() -> [ONNXModelSummary.OperatorCount] {
        var counts: [String: ONNXModelSummary.OperatorCount] = [:]
        for n in nodes {
            let domain = ONNXOperatorSet.canonicalDomain(n.domain)
            let key = domain == ONNXOperatorSet.standardDomain ? n.opType : "\(domain).\(n.opType)"
            let opset = opsets[domain] ?? 0
            var supported = (try? ONNXOperatorSet.checkSupported(opType: n.opType, domain: n.domain, opset: opset)) != nil
            if supported && n.opType != "Constant" {
                supported = (try? ONNXOperatorSet.resolve(opType: n.opType, domain: n.domain, opset: opset,
                                                          attributes: ONNXAttributes(n.attributes), outputs: n.outputs.count)) != nil
            }
            var entry = counts[key] ?? ONNXModelSummary.OperatorCount(op: key, count: 0, opset: opset, supported: true)
            entry.count += 1
            entry.supported = entry.supported && supported
            counts[key] = entry
        }
        return counts.values.sorted { $0.count != $1.count ? $0.count > $1.count : $0.op < $1.op }
    }

    func summary(choice: ONNXOutputChoice, task: TeacherTask, inputs: [TeacherInput]) -> ONNXModelSummary {
        let parameters = proto.graph.initializer.reduce(0) { sum, t in
            sum + t.dims.reduce(1) { $0 * Int(clamping: $1) }
        }
        return ONNXModelSummary(
            file: file,
            producerName: proto.producerName,
            producerVersion: proto.producerVersion,
            irVersion: Int(truncatingIfNeeded: proto.irVersion),
            opsets: opsets.map { ONNXModelSummary.Opset(domain: $0.key, version: $0.value) }.sorted { $0.domain < $1.domain },
            inputs: inputs,
            outputs: outputs.map {
                ONNXModelSummary.Output(name: $0.name, type: ONNXDeclaredType($0.type).text, selected: $0.name == choice.name)
            },
            task: task,
            operatorCounts: operatorCounts(),
            parameterCount: parameters)
    }
}
