/// How the values of the chosen output become a teacher's answer per row.
enum ONNXOutputTransform: Sendable, Equatable {
    /// Used as they are: probabilities, or one regression value.
    case none
    /// One sigmoid probability p per row, answered as the two classes [1 − p, p].
    case sigmoidPair
    /// Log-probabilities (LogSoftmax), answered as probabilities exp(x).
    case exp
    /// Logits z per class, answered as softmax(z / temperature).
    case softmax(temperature: Float)
    /// One logit z per row, answered as [1 − σ(z / temperature), σ(z / temperature)].
    case logisticPair(temperature: Float)
}

/// The output a teacher answers from, and what its values mean.
struct ONNXOutputChoice: Sendable, Equatable {
    var name: String
    var kind: TeacherOutputKind
    /// Probabilities given as their logarithms (LogSoftmax).
    var logProbabilities = false
    /// The temperature logits are divided by; 1 for other kinds.
    var temperature: Float = 1
    /// Class names the model carries for the declared width (ZipMap labels, a label
    /// list); empty when unknown or for a value.
    var classes: [String] = []
    /// The number of values the output has per row, when the model declares it.
    var declaredWidth: Int?

    /// How the output's values become answers, given the values it has per row.
    func transform(width: Int) -> ONNXOutputTransform {
        switch kind {
        case .value: .none
        case .probabilities: width == 1 ? .sigmoidPair : (logProbabilities ? .exp : .none)
        case .logits: width == 1 ? .logisticPair(temperature: temperature) : .softmax(temperature: temperature)
        }
    }
}

extension ONNXModel {
    /// What an output's values are, as far as the nodes that produce them make certain.
    enum Meaning: Equatable { case probability, logProbability, value, other }

    /// Operators that carry probabilities through unchanged in meaning: reshaping,
    /// casting, the `1 − p` of a binary classifier and joining `[1 − p, p]`.
    private static let carriers: Set<String> = [
        "Identity", "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Cast", "Concat", "Sub",
        "Transpose", "Dropout",
    ]

    /// ai.onnx.ml operators whose only output is a regression value.
    private static let regressors: Set<String> = ["LinearRegressor", "TreeEnsembleRegressor", "SVMRegressor"]
    /// ai.onnx.ml classifiers: output 0 is the label, output 1 the scores.
    private static let classifiers: Set<String> = ["LinearClassifier", "TreeEnsembleClassifier", "SVMClassifier"]

    /// What the values named `name` are, judged by the nodes that compute them through
    /// carriers: Softmax, Sigmoid and ZipMap make probabilities, LogSoftmax
    /// log-probabilities, an ai.onnx.ml regressor a value.
    func meaning(of name: String, depth: Int = 0) -> Meaning {
        guard depth < 32, let p = producer[name] else { return .other }
        let node = nodes[p]
        switch node.opType {
        case "Softmax", "Sigmoid", "ZipMap": return .probability
        case "LogSoftmax": return .logProbability
        case _ where Self.regressors.contains(node.opType): return .value
        case _ where Self.classifiers.contains(node.opType):
            return node.outputs.count > 1 && node.outputs[1] == name && scoresAreProbabilities(node) ? .probability : .other
        default:
            guard Self.carriers.contains(node.opType) else { return .other }
            let data = node.opType == "Reshape" || node.opType == "Squeeze" || node.opType == "Unsqueeze"
                ? Array(node.inputs.prefix(1)) : node.inputs
            var found = Meaning.other
            for i in data where !i.isEmpty && initializers[i] == nil {
                let m = meaning(of: i, depth: depth + 1)
                if m == .logProbability { return m }
                if m == .probability || (m == .value && found == .other) { found = m }
            }
            return found
        }
    }

    /// Whether a classifier's scores are probabilities: normalised by its post_transform,
    /// averaged leaf probabilities (a forest), or Platt-scaled (an SVM with prob_a). A
    /// linear model's or SVM's raw scores are not.
    private func scoresAreProbabilities(_ node: Node) -> Bool {
        let a = ONNXAttributes(node.attributes)
        if (try? a.string("post_transform", default: "NONE")) != "NONE" { return true }
        if node.opType == "TreeEnsembleClassifier" { return true }
        return node.opType == "SVMClassifier" && !((try? a.floats("prob_a")) ?? nil ?? []).isEmpty
    }

    /// The most classes a classifier may have (a bound for malformed models, far above any
    /// model a tree or rule list can imitate).
    static let maxClasses = 65_536

    /// Whether an output's name says it holds probabilities, as exporters name them.
    static func namedLikeProbabilities(_ name: String) -> Bool {
        let n = name.lowercased()
        return n.contains("probabilit") || n == "probs" || n == "proba" || n.hasSuffix("_proba") || n.hasSuffix("_probs")
    }

    /// Chooses the output a teacher answers from and what its values are.
    ///
    /// With `requested` set, that output must exist and be usable. Otherwise, without
    /// `kind`: an output holding probabilities (computed by Softmax/Sigmoid, a ZipMap, a
    /// classifier's normalised scores, or named like "probabilities") makes a classifier;
    /// failing that, a regressor's output or a float output of one value per row makes a
    /// regressor. With `kind`, the output the graph makes certain is of that kind, else the
    /// only one that may be. A kind the graph contradicts (logits declared for a Softmax
    /// output) is refused, and so is a temperature for anything but logits.
    /// - Throws: `ONNXError` of kind `.outputSelection` saying what the outputs are and
    ///   which option to use.
    func chooseOutput(requested: String?, kind: TeacherOutputKind? = nil, temperature: Float? = nil) throws -> ONNXOutputChoice {
        if let temperature, !(temperature > 0 && temperature.isFinite) {
            throw ONNXError(.outputSelection, file: file, "--teacher-temperature must be a positive number, not \(temperature)")
        }
        let info: Onnx_ValueInfoProto
        if let requested {
            guard let named = outputs.first(where: { $0.name == requested }) else {
                throw ONNXError(.outputSelection, file: file,
                                "the model has no output named '\(requested)'; available outputs: \(availableOutputs)")
            }
            info = named
        } else {
            info = try automaticOutput(kind)
        }
        let choice = try choose(info, kind: kind, nameCounts: true)
        if let temperature, choice.kind != .logits {
            throw ONNXError(.outputSelection, file: file,
                            "--teacher-temperature applies to logits only, and output '\(choice.name)' holds \(choice.kind == .value ? "a regression value" : "probabilities"); leave --teacher-temperature out, or declare logits with --teacher-output-kind logits for an output that holds them")
        }
        return ONNXOutputChoice(name: choice.name, kind: choice.kind, logProbabilities: choice.logProbabilities,
                                temperature: choice.kind == .logits ? temperature ?? 1 : 1,
                                classes: choice.classes, declaredWidth: choice.declaredWidth)
    }

    private var availableOutputs: String {
        outputs.map { "\($0.name) (\(ONNXDeclaredType($0.type).text))" }.joined(separator: ", ")
    }

    /// Outputs a teacher can answer from: float tensors and ZipMap results.
    private var usableOutputs: [Onnx_ValueInfoProto] {
        outputs.filter {
            let t = ONNXDeclaredType($0.type)
            return t.elementType == .float || t.elementType == .double || zipMapNode(producing: $0.name) != nil
        }
    }

    /// The output to answer from when none is named: see `chooseOutput`.
    private func automaticOutput(_ kind: TeacherOutputKind?) throws -> Onnx_ValueInfoProto {
        let usable = usableOutputs
        // A ZipMap with bad labels is an error, not an output to pass over.
        for zip in usable where zipMapNode(producing: zip.name) != nil { _ = try choose(zip, kind: nil, nameCounts: false) }
        guard let kind else {
            // Probabilities by structure first, then by name; then a value.
            for nameCounts in [false, true] {
                if let found = usable.first(where: { (try? choose($0, kind: nil, nameCounts: nameCounts))?.kind == .probabilities }) {
                    return found
                }
            }
            if let found = usable.first(where: { (try? choose($0, kind: nil, nameCounts: false))?.kind == .value }) {
                return found
            }
            // One usable output: why it is not either, in its own words.
            if usable.count == 1 { _ = try choose(usable[0], kind: nil, nameCounts: false) }
            if let other = outputs.first(where: { ONNXDeclaredType($0.type).kind != .tensor }) {
                let type = ONNXDeclaredType(other.type)
                throw ONNXError(.outputSelection, file: file,
                                "output '\(other.name)' is a \(type.text) not made by a ZipMap, which Distill does not evaluate, and no other output holds class probabilities or one regression value per row; outputs: \(availableOutputs)")
            }
            throw ONNXError(.outputSelection, file: file,
                            "no output is certainly class probabilities (computed by Softmax, Sigmoid or a ZipMap) or one regression value per row; outputs: \(availableOutputs). Say what an output holds with --teacher-output-kind probabilities|logits|value (a classifier ending in a Linear layer outputs logits), and pick it with --teacher-output if there are several")
        }
        // Outputs the graph makes certain are of `kind` first, then those it leaves open.
        let certain = usable.filter { expected(kind, meaning(of: $0.name), $0.name) }
        if let first = certain.first { return first }
        let open = usable.filter { (try? choose($0, kind: kind, nameCounts: false)) != nil }
        // One usable output: why it does not fit `kind`, in its own words.
        if open.isEmpty, usable.count == 1 { return usable[0] }
        guard open.count == 1, let only = open.first else {
            let which = open.isEmpty ? "none of the outputs can hold \(kind.rawValue)" : "several outputs may hold \(kind.rawValue): \(open.map(\.name).joined(separator: ", "))"
            throw ONNXError(.outputSelection, file: file,
                            "--teacher-output-kind \(kind.rawValue): \(which); outputs: \(availableOutputs). Pick one with --teacher-output")
        }
        return only
    }

    /// Whether the graph makes output `name`, of meaning `m`, certainly of `kind`.
    private func expected(_ kind: TeacherOutputKind, _ m: Meaning, _ name: String) -> Bool {
        switch kind {
        case .probabilities: m == .probability || m == .logProbability || (m == .other && Self.namedLikeProbabilities(name))
        case .value: m == .value
        case .logits: false
        }
    }

    /// What `info` holds: `kind` when given and the graph does not contradict it, else
    /// what the graph (or, with `nameCounts`, the name) makes certain.
    private func choose(_ info: Onnx_ValueInfoProto, kind: TeacherOutputKind?, nameCounts: Bool) throws -> ONNXOutputChoice {
        let type = ONNXDeclaredType(info.type)
        let name = info.name
        if let zipMap = zipMapNode(producing: name) {
            if let kind, kind != .probabilities {
                throw ONNXError(.outputSelection, file: file, node: zipMap.label,
                                "--teacher-output-kind \(kind.rawValue) does not fit output '\(name)': a ZipMap gives class probabilities; leave the option out or declare probabilities")
            }
            let labels: [String]
            do { labels = try ONNXOperatorSet.zipMapLabels(ONNXAttributes(zipMap.attributes)) } catch let e as ONNXKernelError {
                throw ONNXError(e.kind, file: file, node: zipMap.label, e.message)
            }
            return ONNXOutputChoice(name: name, kind: .probabilities, classes: labels, declaredWidth: labels.count)
        }
        guard type.kind == .tensor else {
            throw ONNXError(.outputSelection, file: file,
                            "output '\(name)' is a \(type.text) not made by a ZipMap, which Distill does not evaluate; choose an output of class probabilities, logits or a regression value; available outputs: \(availableOutputs)")
        }
        guard type.elementType == .float || type.elementType == .double else {
            throw ONNXError(.outputSelection, file: file,
                            "output '\(name)' holds \(type.text) values (e.g. predicted labels); choose an output of class probabilities, logits or a regression value; available outputs: \(availableOutputs)")
        }
        let width = type.rowWidth
        let m = meaning(of: name)
        let certainly: TeacherOutputKind?
        switch m {
        case .probability: certainly = .probabilities
        case .logProbability: certainly = width == 1 ? nil : .probabilities
        case .value: certainly = .value
        case .other: certainly = nil
        }
        let resolved: TeacherOutputKind
        if let kind {
            // Log-probabilities are logits too: softmax(log p) = p.
            if let certainly, certainly != kind, !(kind == .logits && m == .logProbability) {
                let what = m == .value ? "a regression value (computed by a regressor)" : "probabilities (computed by \(producerName(name)))"
                throw ONNXError(.outputSelection, file: file,
                                "--teacher-output-kind \(kind.rawValue) does not fit output '\(name)', which holds \(what); leave the option out or declare \(certainly.rawValue)")
            }
            resolved = kind
        } else if let certainly {
            resolved = certainly
        } else if nameCounts && Self.namedLikeProbabilities(name) {
            resolved = .probabilities
        } else if width == 1 || width == nil {
            resolved = .value
        } else {
            throw ONNXError(.outputSelection, file: file,
                            "output '\(name)' has \(width ?? 0) values per row and is not computed by Softmax, Sigmoid or a ZipMap, so Distill cannot tell whether they are probabilities or logits; say which with --teacher-output-kind logits (a classifier ending in a Linear layer) or --teacher-output-kind probabilities")
        }
        if let width, width > Self.maxClasses, resolved != .value {
            throw ONNXError(.outputSelection, file: file,
                            "output '\(name)' has \(width) values per row; Distill handles at most \(Self.maxClasses) classes")
        }
        let classes = resolved == .value ? [] : try classNames(count: width.map { $0 == 1 ? 2 : $0 }, probabilities: name)
        return ONNXOutputChoice(name: name, kind: resolved, logProbabilities: resolved == .probabilities && m == .logProbability,
                                classes: classes, declaredWidth: width)
    }

    /// The operator that computes `name` through carriers, for messages.
    private func producerName(_ name: String) -> String {
        var current = name
        for _ in 0..<32 {
            guard let p = producer[current] else { break }
            let node = nodes[p]
            guard Self.carriers.contains(node.opType), let next = node.inputs.first(where: { !$0.isEmpty && initializers[$0] == nil }) else {
                return node.opType
            }
            current = next
        }
        return "its nodes"
    }

    /// The ZipMap node whose output is `name`, if any.
    func zipMapNode(producing name: String) -> Node? {
        guard let p = producer[name], nodes[p].opType == "ZipMap",
              ONNXOperatorSet.canonicalDomain(nodes[p].domain) == ONNXOperatorSet.mlDomain else { return nil }
        return nodes[p]
    }

    /// Class names the model carries for `count` classes, else "0", "1", ….
    ///
    /// scikit-learn exports keep them in two places: the `classlabels_*` attributes of a
    /// ZipMap, and the constant class list an ArrayFeatureExtractor indexes with the
    /// ArgMax of the probabilities to produce the label output. Integer labels become
    /// their decimal text. With `count` unknown, the teacher fills in names once the
    /// width is measured.
    func classNames(count: Int?, probabilities: String) throws -> [String] {
        if let count, count > Self.maxClasses {
            throw ONNXError(.outputSelection, file: file,
                            "output '\(probabilities)' has \(count) values per row; Distill handles at most \(Self.maxClasses) classes")
        }
        var candidates: [[String]] = []
        for node in nodes where node.opType == "ZipMap" {
            if let labels = try? ONNXOperatorSet.zipMapLabels(ONNXAttributes(node.attributes)) { candidates.append(labels) }
        }
        // ai.onnx.ml classifiers carry their labels; their scores output has one column each.
        for node in nodes where ["TreeEnsembleClassifier", "LinearClassifier", "SVMClassifier"].contains(node.opType) {
            let a = ONNXAttributes(node.attributes)
            if let s = try? a.strings("classlabels_strings"), !s.isEmpty { candidates.append(s) }
            for name in ["classlabels_int64s", "classlabels_ints"] {
                if let i = try? a.int64s(name), !i.isEmpty { candidates.append(i.map { String($0) }) }
            }
        }
        for node in nodes where node.opType == "ArrayFeatureExtractor" && node.inputs.count == 2 {
            guard let p = producer[node.inputs[1]], nodes[p].opType == "ArgMax" else { continue }
            guard let labels = try constant(node.inputs[0]), labels.rank <= 1 else { continue }
            let names: [String]
            switch labels.data {
            case .string(let s): names = s
            case .int64(let i): names = i.map { String($0) }
            case .float(let f): names = f.map { $0 == $0.rounded() && abs($0) < 1e15 ? String(Int64($0)) : "\($0)" }
            case .double(let d): names = d.map { $0 == $0.rounded() && abs($0) < 1e15 ? String(Int64($0)) : "\($0)" }
            case .bool(let b): names = b.map { $0 ? "true" : "false" }
            }
            // Prefer the list read by the ArgMax of this very output.
            if nodes[p].inputs.first == probabilities { candidates.insert(names, at: 0) } else { candidates.append(names) }
        }
        if let count {
            if let match = candidates.first(where: { $0.count == count }) { return match }
            return (0..<count).map { String($0) }
        }
        return candidates.first ?? []
    }
}
