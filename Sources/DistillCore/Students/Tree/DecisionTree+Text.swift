import Foundation

extension DecisionTree {
    /// The deepest level the text shows: a split below it is one line saying how many
    /// leaves and levels it holds, as scikit-learn's `export_text` truncates at its
    /// `max_depth`. Each level indents every line below it by four characters, so without a
    /// bound a tree 100,000 splits deep would be tens of gigabytes of text; and no reader
    /// follows indentation 100 levels deep. `student.json` (and the Markdown export, one
    /// table row per leaf) hold every leaf of any depth.
    public static let textDepthLimit = 100

    /// The tree as indented text, in the manner of scikit-learn's export_text: one line per
    /// branch condition, and per leaf its answer, rows (real and synthetic) and, when
    /// given, its fidelity on held-out rows. Splits deeper than `textDepthLimit` are folded.
    /// - Complexity: O(lines × depth shown), the size of the text.
    public func text(leafFidelity: [LeafFidelity] = [], digits: Int = 4) -> String {
        let fidelity = Dictionary(leafFidelity.map { ($0.leaf, $0) }, uniquingKeysWith: { a, _ in a })
        let heights = heights, leaves = leavesBelow
        var text = ""
        func line(_ depth: Int, _ content: String) {
            text += String(repeating: "|   ", count: depth) + "|--- " + content + "\n"
        }
        walk(foldedFrom: Self.textDepthLimit) { step, depth in
            switch step {
            case .leaf(let node):
                line(depth, leafLine(node, fidelity[node], digits: digits))
            case .folded(let node):
                line(depth, "truncated branch of depth \(heights[node]), \(leaves[node]) leaves (the text shows \(Self.textDepthLimit) levels)")
            case .split(let node):
                line(depth, conditions(node).left)
            case .otherwise(let node):
                line(depth, conditions(node).right)
            case .end:
                break
            }
        }
        return text
    }

    /// The conditions of a split's left and right branches, in words.
    public func conditions(_ node: Int) -> (left: String, right: String) {
        let name = featureNames[feature[node]]
        var leftText: String
        var rightText: String
        if featureLevels[feature[node]] == nil {
            // Exact (shortest round-trip) so that the text and the model cut at the same place.
            let shown = Column.format(threshold[node])
            leftText = "\(name) <= \(shown)"
            rightText = "\(name) >  \(shown)"
        } else {
            leftText = "\(name) in {\(leftLevels[node].joined(separator: ", "))}"
            rightText = "\(name) in {\(rightLevels[node].joined(separator: ", "))}"
            if unseenGoesLeft[node] { leftText += " or other" } else { rightText += " or other" }
        }
        if missingGoesLeft[node] { leftText += " or missing" } else { rightText += " or missing" }
        return (leftText, rightText)
    }

    private func leafLine(_ node: Int, _ fidelity: LeafFidelity?, digits: Int) -> String {
        var line: String
        switch task {
        case .classification(let classes):
            let probabilities = value[node]
            let best = topClass(node)
            line = "class: \(classes[best])  p=[\(probabilities.map { DecisionTree.format($0, digits: 3) }.joined(separator: ", "))]"
        case .regression:
            line = "value: \(DecisionTree.format(value[node][0], digits: digits))"
        }
        line += "  rows=\(realRows[node])"
        if syntheticRows[node] > 0 { line += " (+\(syntheticRows[node]) synthetic)" }
        if let fidelity {
            if let agreement = fidelity.agreement {
                line += "  fidelity=\(DecisionTree.format(Float(agreement), digits: 3)) on \(fidelity.rows) held-out rows"
            } else if let mae = fidelity.mae {
                line += "  mae=\(DecisionTree.format(Float(mae), digits: digits)) on \(fidelity.rows) held-out rows"
            }
        }
        return line
    }

    /// Rounded to `digits` decimals, without trailing zeros.
    public static func format(_ value: Float, digits: Int) -> String {
        var text = String(format: "%.\(digits)f", Double(value))
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }
}
