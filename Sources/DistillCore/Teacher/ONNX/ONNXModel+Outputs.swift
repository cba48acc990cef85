/// How the values of the chosen output become a teacher's answer per row.
enum ONNXOutputTransform: Sendable, Equatable {
    /// Used as they are: probabilities, or one regression value.
    case none
    /// One sigmoid probability p per row, answered as the two classes [1 − p, p].
    case sigmoidPair
    /// Log-probabilities (LogSoftmax), answered as probabilities exp(x).
    case exp
}

/// The output a teacher answers from, and what its values mean.
struct ONNXOutputChoice: Sendable, Equatable {
    var name: String
    var task: TeacherTask
    var transform: ONNXOutputTransform
    /// The number of values the output has per row, when the model declares it.
    var declaredWidth: Int?
}

extension ONNXModel {
    /// What an output's values are, judged by the nodes that produce them.
    enum Meaning: Equatable { case probability, logProbability, other }

    /// Operators that carry probabilities through unchanged in meaning: reshaping,
    /// casting, the `1 − p` of a binary classifier and joining `[1 − p, p]`.
    private static let carriers: Set<String> = [
        "Identity", "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Cast", "Concat", "Sub",
        "Transpose", "Dropout",
    ]

    /// Whether `name` is computed by Softmax/Sigmoid (or LogSoftmax) through carriers.
    func meaning(of name: String, depth: Int = 0) -> Meaning {
        guard depth < 32, let p = producer[name] else { return .other }
        let node = nodes[p]
        switch node.opType {
        case "Softmax", "Sigmoid": return .probability
        case "LogSoftmax": return .logProbability
        default:
            guard Self.carriers.contains(node.opType) else { return .other }
            let data = node.opType == "Reshape" || node.opType == "Squeeze" || node.opType == "Unsqueeze"
                ? Array(node.inputs.prefix(1)) : node.inputs
            var found = Meaning.other
            for i in data where !i.isEmpty && initializers[i] == nil {
                let m = meaning(of: i, depth: depth + 1)
                if m == .logProbability { return m }
                if m == .probability { found = m }
            }
            return found
        }
    }

    /// The most classes a classifier may have (a bound for malformed models, far above any
    /// model a tree or rule list can imitate).
    static let maxClasses = 65_536

    /// Whether an output's name says it holds probabilities, as exporters name them.
    static func namedLikeProbabilities(_ name: String) -> Bool {
        let n = name.lowercased()
        return n.contains("probabilit") || n == "probs" || n == "proba" || n.hasSuffix("_proba") || n.hasSuffix("_probs")
    }

    /// Chooses the output a teacher answers from.
    ///
    /// With `requested` set, that output must exist and be usable. Otherwise: a float
    /// output holding probabilities (computed by Softmax/Sigmoid, or named like
    /// "probabilities") makes a classifier; failing that, a float output of one value per
    /// row makes a regressor. A ZipMap output (a sequence of maps) is never evaluated.
    /// - Throws: `ONNXError` of kind `.outputSelection` saying what the outputs are and
    ///   what to do.
    func chooseOutput(requested: String?) throws -> ONNXOutputChoice {
        let available = outputs.map { "\($0.name) (\(ONNXDeclaredType($0.type).text))" }.joined(separator: ", ")
        if let requested {
            guard let info = outputs.first(where: { $0.name == requested }) else {
                throw ONNXError(.outputSelection, file: file,
                                "the model has no output named '\(requested)'; available outputs: \(available)")
            }
            let type = ONNXDeclaredType(info.type)
            if type.kind != .tensor {
                throw ONNXError(.outputSelection, file: file, zipMapAdvice(info.name, type))
            }
            guard type.elementType == .float || type.elementType == .double else {
                throw ONNXError(.outputSelection, file: file,
                                "output '\(requested)' holds \(type.text) values (e.g. predicted labels); choose an output of class probabilities or a regression value; available outputs: \(available)")
            }
            if let choice = try classification(info, type, nameCounts: true) { return choice }
            if type.rowWidth == 1 || type.rowWidth == nil {
                return ONNXOutputChoice(name: info.name, task: .regression, transform: .none, declaredWidth: type.rowWidth)
            }
            throw ONNXError(.outputSelection, file: file,
                            "output '\(requested)' has \(type.rowWidth ?? 0) values per row but is not computed by Softmax or Sigmoid, so they are not probabilities; add a Softmax at the end of the exported model")
        }

        let floats = outputs.filter {
            let t = ONNXDeclaredType($0.type)
            return t.elementType == .float || t.elementType == .double
        }
        // Probabilities by structure first, then by name.
        for nameCounts in [false, true] {
            for info in floats {
                if let choice = try classification(info, ONNXDeclaredType(info.type), nameCounts: nameCounts) { return choice }
            }
        }
        if let zip = outputs.first(where: { ONNXDeclaredType($0.type).kind != .tensor }) {
            throw ONNXError(.outputSelection, file: file, zipMapAdvice(zip.name, ONNXDeclaredType(zip.type)))
        }
        for info in floats {
            let w = ONNXDeclaredType(info.type).rowWidth
            if w == 1 || w == nil {
                return ONNXOutputChoice(name: info.name, task: .regression, transform: .none, declaredWidth: w)
            }
        }
        throw ONNXError(.outputSelection, file: file,
                        "no output holds class probabilities (computed by Softmax or Sigmoid) or one regression value per row; outputs: \(available). Add a Softmax at the end of a classifier before exporting, or pick an output with --teacher-output")
    }

    private func zipMapAdvice(_ name: String, _ type: ONNXDeclaredType) -> String {
        "output '\(name)' is a \(type.text) (a ZipMap of class probabilities), which Distill does not evaluate; export with zipmap off (skl2onnx: options={id(model): {'zipmap': False}}) so the probabilities are a float tensor"
    }

    /// A classification choice for `info` when it holds probabilities, else `nil`.
    private func classification(_ info: Onnx_ValueInfoProto, _ type: ONNXDeclaredType,
                                nameCounts: Bool) throws -> ONNXOutputChoice? {
        guard type.kind == .tensor else { return nil }
        var m = meaning(of: info.name)
        if m == .other && nameCounts && Self.namedLikeProbabilities(info.name) { m = .probability }
        guard m != .other else { return nil }
        let width = type.rowWidth
        if width == 1 {
            guard m == .probability else { return nil }
            return ONNXOutputChoice(name: info.name, task: .classification(classes: ["0", "1"]),
                                    transform: .sigmoidPair, declaredWidth: 1)
        }
        let classes = try classNames(count: width, probabilities: info.name)
        return ONNXOutputChoice(name: info.name, task: .classification(classes: classes),
                                transform: m == .logProbability ? .exp : .none, declaredWidth: width)
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
            let a = ONNXAttributes(node.attributes)
            if let s = try? a.strings("classlabels_strings"), !s.isEmpty { candidates.append(s) }
            if let i = try? a.int64s("classlabels_int64s"), !i.isEmpty { candidates.append(i.map { String($0) }) }
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
