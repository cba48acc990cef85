/// The unsupported operators of a model, gathered over every node so that one load
/// error lists them all instead of stopping at the first.
struct ONNXUnsupportedOperators {
    /// One operator type at one opset, with how often and where it first occurs.
    struct Entry {
        var opType: String
        var domain: String
        var opset: Int
        var count: Int
        var firstNode: String
        /// Why the first node was refused.
        var reason: String
    }

    private(set) var entries: [Entry] = []

    mutating func record(_ node: ONNXModel.Node, opset: Int, _ reason: String) {
        let domain = ONNXOperatorSet.canonicalDomain(node.domain)
        if let i = entries.firstIndex(where: { $0.opType == node.opType && $0.domain == domain && $0.opset == opset }) {
            entries[i].count += 1
        } else {
            entries.append(Entry(opType: node.opType, domain: domain, opset: opset, count: 1, firstNode: node.label, reason: reason))
        }
    }

    /// The load error: a single refused node keeps its own message; several operators are
    /// listed one per line with their counts and first nodes.
    func error(file: String) -> ONNXError? {
        guard let first = entries.first else { return nil }
        if entries.count == 1 && first.count == 1 {
            return ONNXError(.unsupportedOperator, file: file, node: first.firstNode, first.reason)
        }
        let total = entries.reduce(0) { $0 + $1.count }
        var lines = ["\(total) nodes use \(entries.count) operator\(entries.count == 1 ? "" : "s") Distill's evaluator does not support:"]
        for e in entries {
            // An operator Distill knows was refused for its opset or an attribute: say which.
            let known = ONNXOperatorSet.oldestOpset[e.domain]?[e.opType] != nil
            lines.append("  \(e.opType) (domain \(e.domain), opset \(e.opset)) × \(e.count), first node \(e.firstNode)\(known ? ": \(e.reason)" : "")")
        }
        let domains = Set(entries.map(\.domain)).sorted()
        for d in domains where ONNXOperatorSet.oldestOpset[d] != nil {
            lines.append("supported \(d) operators: \(ONNXOperatorSet.supportedList(d))")
        }
        lines.append("`distill teacher inspect` lists every operator of the model")
        return ONNXError(.unsupportedOperator, file: file, lines.joined(separator: "\n"))
    }
}
