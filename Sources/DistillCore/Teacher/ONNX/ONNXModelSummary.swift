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

    /// How many nodes of one operator the model holds.
    public struct OperatorCount: Sendable, Equatable {
        /// The operator type, prefixed by its domain unless it is the default one
        /// (`Gemm`, `ai.onnx.ml.Scaler`).
        public var op: String
        public var count: Int
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
        lines.append("operators: " + operatorCounts.map { "\($0.op) × \($0.count)" }.joined(separator: ", "))
        lines.append("parameters: \(parameterCount)")
        return lines.joined(separator: "\n")
    }
}

extension ONNXModel {
    /// The summary of this model with the given choice of output and inputs.
    func summary(choice: ONNXOutputChoice, task: TeacherTask, inputs: [TeacherInput]) -> ONNXModelSummary {
        var counts: [String: Int] = [:]
        for n in nodes {
            let domain = ONNXOperatorSet.canonicalDomain(n.domain)
            counts[domain == ONNXOperatorSet.standardDomain ? n.opType : "\(domain).\(n.opType)", default: 0] += 1
        }
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
            operatorCounts: counts.map { ONNXModelSummary.OperatorCount(op: $0.key, count: $0.value) }
                .sorted { $0.count != $1.count ? $0.count > $1.count : $0.op < $1.op },
            parameterCount: parameters)
    }
}
