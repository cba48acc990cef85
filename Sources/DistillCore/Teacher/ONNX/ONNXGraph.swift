/// A model compiled for evaluation: only the nodes the chosen output needs, in order,
/// with values numbered, constants decoded and folded, and operators resolved.
///
/// Immutable and `Sendable`, so the threads of one `predict` call share it.
struct ONNXGraph: Sendable {
    /// One operator application, with inputs and outputs as value numbers.
    struct Node: Sendable {
        var label: String
        var opType: String
        /// The opset of the node's domain the model imports, for messages.
        var opset: Int
        var operation: ONNXOperation
        /// Value numbers; −1 marks an omitted optional input or output.
        var inputs: [Int]
        var outputs: [Int]
        /// Per input: whether this node is its last reader, so the evaluator may hand the
        /// tensor over (and the kernel may overwrite it) instead of sharing it.
        var consumes: [Bool]
        /// Values no later node reads, dropped after this node to free memory early.
        var releases: [Int]
    }

    /// A tensor the caller provides per batch.
    struct Input: Sendable {
        var name: String
        var value: Int
        var elementType: ONNXElementType
        /// Declared dimensions; the first is the batch dimension.
        var dims: [Int?]
    }

    let file: String
    let valueNames: [String]
    /// Decoded constants (initializers, Constant nodes, folded subgraphs) by value number.
    let constants: [ONNXTensor?]
    let inputs: [Input]
    let nodes: [Node]
    /// The value number of the chosen output.
    let output: Int

    /// Compiles the part of `model` that computes `outputName`.
    ///
    /// Every kept node's operator is checked against the model's opset here, so an
    /// unsupported operator fails the load, never a prediction. Nodes whose inputs are
    /// all constant are evaluated once now (shape tensors, Constant chains).
    /// - Throws: `ONNXError` naming the file and node.
    init(model: ONNXModel, outputName: String) throws {
        file = model.file
        // Keep the nodes the output depends on.
        var needed = Set<Int>()
        var stack = [outputName]
        var neededNames = Set<String>()
        while let name = stack.popLast() {
            guard neededNames.insert(name).inserted else { continue }
            if let p = model.producer[name], needed.insert(p).inserted {
                stack.append(contentsOf: model.nodes[p].inputs.filter { !$0.isEmpty })
            }
        }
        let kept = model.nodes.indices.filter { needed.contains($0) }

        var ids: [String: Int] = [:]
        var names: [String] = []
        func id(_ name: String) -> Int {
            if let i = ids[name] { return i }
            ids[name] = names.count
            names.append(name)
            return names.count - 1
        }
        var constants: [Int: ONNXTensor] = [:]
        var inputs: [Input] = []
        for info in model.inputs where neededNames.contains(info.name) {
            let type = ONNXDeclaredType(info.type)
            guard type.kind == .tensor, let element = type.elementType else {
                throw ONNXError(.unsupportedType, file: model.file,
                                "input '\(info.name)' has type \(type.text); Distill feeds float, double, int64, string or bool tensors")
            }
            guard let dims = type.dims, !dims.isEmpty else {
                throw ONNXError(.unsupportedType, file: model.file,
                                "input '\(info.name)' declares no shape; Distill needs [batch] or [batch, width]")
            }
            if dims.count > 2, dims.dropFirst().contains(where: { $0 == nil }) {
                throw ONNXError(.unsupportedType, file: model.file,
                                "input '\(info.name)' has shape \(type.text) with a symbolic inner dimension; Distill needs fixed dimensions after the batch one")
            }
            let inner = dims.dropFirst().map { $0 ?? 1 }
            guard let w = ONNXLimits.elementCount(inner), w <= ONNXLimits.maxElements else {
                throw ONNXError(.unsupportedType, file: model.file,
                                "input '\(info.name)' declares shape \(type.text), too many values per row")
            }
            inputs.append(Input(name: info.name, value: id(info.name), elementType: element, dims: dims))
        }
        for name in neededNames where model.initializers[name] != nil {
            if let t = try model.constant(name) { constants[id(name)] = t }
        }

        var nodes: [Node] = []
        var unsupported = ONNXUnsupportedOperators()
        for p in kept {
            let raw = model.nodes[p]
            if raw.opType == "Constant" && ONNXOperatorSet.canonicalDomain(raw.domain) == ONNXOperatorSet.standardDomain {
                _ = try model.opset(for: raw)
                if let out = raw.outputs.first, !out.isEmpty { constants[id(out)] = try model.constantNodeValue(raw) }
                continue
            }
            let opset = try model.opset(for: raw)
            let operation: ONNXOperation
            do {
                operation = try ONNXOperatorSet.resolve(opType: raw.opType, domain: raw.domain, opset: opset,
                                                        attributes: ONNXAttributes(raw.attributes), outputs: raw.outputs.count)
            } catch let e as ONNXKernelError where e.kind == .unsupportedOperator {
                unsupported.record(raw, opset: opset, e.message)
                continue
            } catch let e as ONNXKernelError {
                throw ONNXError(e.kind, file: model.file, node: raw.label, e.message)
            }
            nodes.append(Node(label: raw.label, opType: raw.opType, opset: opset, operation: operation,
                              inputs: raw.inputs.map { $0.isEmpty ? -1 : id($0) },
                              outputs: raw.outputs.map { $0.isEmpty ? -1 : id($0) },
                              consumes: [], releases: []))
        }
        if let error = unsupported.error(file: model.file) { throw error }
        let output = id(outputName)

        // Fold nodes whose inputs are all known now.
        var folded: [Node] = []
        for var node in nodes {
            let present = node.inputs.filter { $0 >= 0 }
            if !present.isEmpty, present.allSatisfy({ constants[$0] != nil }) {
                var args = node.inputs.map { $0 >= 0 ? constants[$0] : nil }
                let results = try ONNXEvaluator.execute(node, &args, file: model.file)
                for (k, o) in node.outputs.enumerated() where o >= 0 && k < results.count { constants[o] = results[k] }
                continue
            }
            // Clip with constant bounds becomes one fused elementwise pass.
            if case .clipInputs = node.operation {
                let lo = node.inputs.count > 1 && node.inputs[1] >= 0 ? constants[node.inputs[1]] : nil
                let hi = node.inputs.count > 2 && node.inputs[2] >= 0 ? constants[node.inputs[2]] : nil
                let loKnown = node.inputs.count <= 1 || node.inputs[1] < 0 || lo != nil
                let hiKnown = node.inputs.count <= 2 || node.inputs[2] < 0 || hi != nil
                if loKnown && hiKnown {
                    do {
                        let l = try lo?.scalarFloat("Clip min") ?? -Float.greatestFiniteMagnitude
                        let h = try hi?.scalarFloat("Clip max") ?? Float.greatestFiniteMagnitude
                        node.operation = .unary(.clip(min: l, max: h))
                        node.inputs = [node.inputs[0]]
                    } catch let e as ONNXKernelError {
                        throw ONNXError(e.kind, file: model.file, node: node.label, e.message)
                    }
                }
            }
            folded.append(node)
        }

        // Last reader of each value, for handing tensors over and freeing them.
        var lastUse = [Int](repeating: -1, count: names.count)
        for (n, node) in folded.enumerated() {
            for i in node.inputs where i >= 0 { lastUse[i] = n }
        }
        for n in folded.indices {
            let node = folded[n]
            var consumes: [Bool] = []
            for i in node.inputs {
                let once = node.inputs.filter { $0 == i }.count == 1
                consumes.append(i >= 0 && lastUse[i] == n && constants[i] == nil && i != output && once)
            }
            folded[n].consumes = consumes
            var releases = Set<Int>()
            for i in node.inputs where i >= 0 && lastUse[i] == n && constants[i] == nil && i != output { releases.insert(i) }
            for o in node.outputs where o >= 0 && lastUse[o] == -1 && o != output { releases.insert(o) }
            folded[n].releases = releases.sorted()
        }

        var table = [ONNXTensor?](repeating: nil, count: names.count)
        for (k, v) in constants { table[k] = v }
        self.valueNames = names
        self.constants = table
        self.inputs = inputs
        self.nodes = folded
        self.output = output
    }
}
