import DistillCore
import Foundation

/// The DOT text of a tree student, for Graphviz's `dot` layout.
///
/// Split nodes show the condition in words, where missing values go, rows (real and
/// synthetic), the teacher's class distribution as a proportional bar, and held-out
/// fidelity. Leaves show the answer, its probability, rows and fidelity, filled with the
/// class colour (lighter when less pure); leaves less faithful than the whole tree get a
/// thick vermilion border so the eye finds them. A legend names the colours. On request,
/// split nodes also show a histogram of their feature (`SplitHistogram`), and one row's path
/// is drawn with thick dark borders and thick blue edges.
public struct TreeDiagram {
    public let tree: DecisionTree
    /// Held-out agreement (or MAE for regression) per leaf, from `fidelity.json`.
    public let leafFidelity: [LeafFidelity]
    /// The tree's held-out agreement; leaves below it are marked.
    public let overallAgreement: Double?
    /// Split nodes at this depth are drawn folded, as one summary of their subtree, so
    /// that a large tree stays readable; nil folds only a tree of more than
    /// `drawnNodeLimit` nodes, at the depth that keeps the drawing within it.
    public let maxDisplayDepth: Int?
    /// One histogram per node (nil for leaves), or none at all.
    public let histograms: [SplitHistogram?]
    /// The nodes of one row's path, root first, to highlight; empty for none.
    public let highlightedPath: [Int]

    /// Colour-blind-safe colours (Okabe & Ito, 2008), by class index.
    static let palette = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999"]
    static let warning = "#D55E00"
    static let barWidth = 120
    static let pathBorder = "#000000"
    static let pathEdge = "#0072B2"
    /// The most nodes drawn when no display depth is given. Graphviz's layout grows much
    /// faster than the nodes: a balanced tree of 1,001 nodes took 1.4 s here, of 5,001 nodes
    /// 41 s and of 10,001 nodes 7 minutes; a chain of 2,001 nodes 16 s. Nor can anyone read
    /// a drawing of thousands of boxes; the text and `student.json` hold every node.
    public static let drawnNodeLimit = 500

    public init(tree: DecisionTree, leafFidelity: [LeafFidelity], overallAgreement: Double?, maxDisplayDepth: Int? = nil,
                histograms: [SplitHistogram?] = [], highlightedPath: [Int] = []) {
        precondition(histograms.isEmpty || histograms.count == tree.nodeCount, "one histogram entry per node")
        self.tree = tree
        self.leafFidelity = leafFidelity
        self.overallAgreement = overallAgreement
        self.maxDisplayDepth = maxDisplayDepth
        self.histograms = histograms
        self.highlightedPath = highlightedPath
    }

    /// The depth from which splits are drawn folded: `maxDisplayDepth` when given, else the
    /// deepest at which the nodes drawn (every node down to that depth) stay within
    /// `drawnNodeLimit`, or none when the whole tree does.
    public var foldDepth: Int? {
        if let maxDisplayDepth { return maxDisplayDepth }
        guard tree.nodeCount > TreeDiagram.drawnNodeLimit else { return nil }
        // Parents come before their children, so one pass gives every node's depth.
        var depth = [Int](repeating: 0, count: tree.nodeCount)
        var atDepth = [1]
        for node in 0..<tree.nodeCount where !tree.isLeaf(node) {
            for child in [tree.left[node], tree.right[node]] {
                depth[child] = depth[node] + 1
                if depth[child] == atDepth.count { atDepth.append(0) }
                atDepth[depth[child]] += 1
            }
        }
        var drawn = 0
        for (level, count) in atDepth.enumerated() {
            drawn += count
            if drawn > TreeDiagram.drawnNodeLimit { return max(level - 1, 1) }
        }
        return nil
    }

    public var dot: String {
        let fidelity = nodeFidelity()
        let onPath = Set(highlightedPath)
        let foldDepth = foldDepth ?? Int.max
        let leavesBelow = tree.leavesBelow
        var lines = [
            "digraph tree {",
            "  graph [rankdir=TB, ordering=out, nodesep=0.3, ranksep=0.45, fontname=\"Helvetica\"];",
            "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#FFFFFF\", color=\"#555555\", fontname=\"Helvetica\", fontsize=10, margin=\"0.08,0.04\"];",
            "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#555555\"];",
        ]
        var stack = [(node: 0, depth: 0)]
        var edges: [String] = []
        while let (node, depth) = stack.popLast() {
            let folded = !tree.isLeaf(node) && depth >= foldDepth
            lines.append("  n\(node) [" + attributes(node, fidelity[node], folded: folded ? leavesBelow[node] : nil, onPath: onPath.contains(node))
                .joined(separator: ", ") + "];")
            guard !tree.isLeaf(node), !folded else { continue }
            for (child, answer) in [(tree.left[node], "yes"), (tree.right[node], "no")] {
                let highlight = onPath.contains(node) && onPath.contains(child) ? ", color=\"\(TreeDiagram.pathEdge)\", penwidth=3" : ""
                edges.append("  n\(node) -> n\(child) [label=\"\(answer)\"\(highlight)];")
            }
            stack.append((tree.right[node], depth + 1))
            stack.append((tree.left[node], depth + 1))
        }
        lines += edges
        if let legend { lines.append(legend) }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// - Parameter folded: the leaves of the node's subtree when it is drawn folded, else nil.
    private func attributes(_ node: Int, _ fidelity: (share: Double, rows: Int)?, folded: Int?, onPath: Bool) -> [String] {
        var rows: [String] = []
        if let folded {
            rows.append("<B>" + DOTText.html("subtree of \(folded) leaves, folded") + "</B>")
        } else if tree.isLeaf(node) {
            rows.append("<B>" + DOTText.html(answer(node)) + "</B>")
        } else {
            let (condition, missing) = splitText(node)
            rows.append("<B>" + DOTText.html(condition) + "</B>")
            rows.append("<FONT POINT-SIZE=\"8\">" + DOTText.html(missing) + "</FONT>")
            if let histogram = histograms.isEmpty ? nil : histograms[node] {
                rows.append(histogram.label(width: TreeDiagram.barWidth, color: color))
            }
        }
        var count = "rows \(tree.realRows[node])"
        if tree.syntheticRows[node] > 0 { count += " (+\(tree.syntheticRows[node]) synthetic)" }
        rows.append(count)
        if case .classification = tree.task { rows.append(bar(node)) }
        if let fidelity {
            let measure = if case .classification = tree.task { "fidelity %.3f on %d" } else { "MAE %.4g on %d" }
            rows.append(String(format: measure, fidelity.share, fidelity.rows))
        }
        let label = "<<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"1\" CELLPADDING=\"0\">"
            + rows.map { "<TR><TD>\($0)</TD></TR>" }.joined() + "</TABLE>>"
        var attributes = ["label=" + label]
        if folded != nil { attributes.append("style=\"rounded,filled,dashed\"") }
        if tree.isLeaf(node) {
            attributes.append("fillcolor=\"\(fill(node))\"")
        }
        if onPath {
            attributes += ["color=\"\(TreeDiagram.pathBorder)\"", "penwidth=3"]
        } else if tree.isLeaf(node), let fidelity, let overallAgreement, case .classification = tree.task,
                  fidelity.share < overallAgreement {
            attributes += ["color=\"\(TreeDiagram.warning)\"", "penwidth=3"]
        }
        return attributes
    }

    /// The split in words, and a line saying where missing values (and unseen levels) go.
    private func splitText(_ node: Int) -> (String, String) {
        let name = tree.featureNames[tree.feature[node]]
        let side = { (left: Bool) in left ? "yes" : "no" }
        if tree.featureLevels[tree.feature[node]] == nil {
            return ("\(name) ≤ \(Column.format(tree.threshold[node]))", "missing → \(side(tree.missingGoesLeft[node]))")
        }
        return ("\(name) ∈ {\(tree.leftLevels[node].joined(separator: ", "))}",
                "missing → \(side(tree.missingGoesLeft[node])), other levels → \(side(tree.unseenGoesLeft[node]))")
    }

    private func answer(_ node: Int) -> String {
        let value = tree.value[node]
        switch tree.task {
        case .classification(let classes):
            let best = tree.topClass(node)
            return String(format: "%@  p=%.2f", classes[best], value[best])
        case .regression:
            let spread = tree.impurity[node].squareRoot()
            return String(format: "value %.4g ± %.3g", value[0], spread)
        }
    }

    /// The node's class distribution as cells whose widths are proportional to it. Widths
    /// come from rounded running totals so they add up to the bar exactly, and the bar is of
    /// fixed size, or Graphviz would spread a wider node's extra room between the cells.
    private func bar(_ node: Int) -> String {
        var cells = ""
        var total = 0.0
        var drawn = 0
        for (index, share) in tree.value[node].enumerated() {
            total += Double(share)
            let end = Int((min(total, 1) * Double(TreeDiagram.barWidth)).rounded())
            let width = end - drawn
            drawn = end
            guard width > 0 else { continue }
            cells += "<TD WIDTH=\"\(width)\" HEIGHT=\"7\" FIXEDSIZE=\"TRUE\" BGCOLOR=\"\(color(index))\"></TD>"
        }
        return "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"0\" FIXEDSIZE=\"TRUE\" WIDTH=\"\(drawn)\" HEIGHT=\"7\"><TR>\(cells)</TR></TABLE>"
    }

    private func color(_ index: Int) -> String {
        TreeDiagram.palette[index % TreeDiagram.palette.count]
    }

    /// The leaf's class colour, blended towards white as the leaf gets less pure.
    private func fill(_ node: Int) -> String {
        let value = tree.value[node]
        guard case .classification(let classes) = tree.task else { return "#DDEEFF" }
        let best = tree.topClass(node)
        let floor = 1 / Double(classes.count)
        let purity = max(0, (Double(value[best]) - floor) / (1 - floor))
        let strength = 0.25 + 0.6 * purity
        let hex = color(best).dropFirst()
        let channels = stride(from: 0, to: 6, by: 2).map { offset -> Int in
            let start = hex.index(hex.startIndex, offsetBy: offset)
            let component = Double(Int(hex[start..<hex.index(start, offsetBy: 2)], radix: 16) ?? 255)
            return Int((255 - (255 - component) * strength).rounded())
        }
        return "#" + channels.map { String(format: "%02X", $0) }.joined()
    }

    private var legend: String? {
        var rows: [String] = []
        if case .classification(let classes) = tree.task {
            rows.append("<TR><TD COLSPAN=\"2\"><B>teacher's class</B></TD></TR>")
            rows += classes.enumerated().map { index, name in legendRow(color(index), DOTText.html(name)) }
            if overallAgreement != nil {
                rows.append(legendRow(TreeDiagram.warning, "border: leaf less faithful than the tree"))
            }
        }
        if !histograms.isEmpty {
            let stacking = if case .classification = tree.task { ", by teacher's class" } else { "" }
            rows.append(legendRow(SplitHistogram.markerColor,
                                  "histogram: the split feature among the node's training rows\(stacking);<BR ALIGN=\"LEFT\"/>"
                                  + "dark line: the split (yes left, no right);<BR ALIGN=\"LEFT\"/>"
                                  + "a bar set apart at the right on grey: missing values<BR ALIGN=\"LEFT\"/>"))
        }
        if !highlightedPath.isEmpty {
            rows.append(legendRow(TreeDiagram.pathEdge, "thick: the explained row's path"))
        }
        guard !rows.isEmpty else { return nil }
        return "  legend [shape=plaintext, style=\"\", label=<<TABLE BORDER=\"0\" CELLSPACING=\"2\">\(rows.joined())</TABLE>>];"
    }

    /// A legend line: a swatch of `color`, then `text` (already HTML).
    private func legendRow(_ color: String, _ text: String) -> String {
        "<TR><TD WIDTH=\"12\" HEIGHT=\"10\" FIXEDSIZE=\"TRUE\" BGCOLOR=\"\(color)\"></TD><TD ALIGN=\"LEFT\">\(text)</TD></TR>"
    }

    /// Held-out agreement (or MAE) and rows per node: a split node's is its leaves', weighted
    /// by rows, since every held-out row ends in exactly one leaf.
    private func nodeFidelity() -> [(share: Double, rows: Int)?] {
        var result = [(share: Double, rows: Int)?](repeating: nil, count: tree.nodeCount)
        var totals = [(score: Double, rows: Int)](repeating: (0, 0), count: tree.nodeCount)
        for leaf in leafFidelity where leaf.leaf < tree.nodeCount {
            totals[leaf.leaf] = ((leaf.agreement ?? leaf.mae ?? 0) * Double(leaf.rows), leaf.rows)
        }
        // Children come after their parents, so a reverse sweep adds each subtree up.
        for node in stride(from: tree.nodeCount - 1, through: 0, by: -1) where !tree.isLeaf(node) {
            let left = totals[tree.left[node]], right = totals[tree.right[node]]
            totals[node] = (left.score + right.score, left.rows + right.rows)
        }
        for node in 0..<tree.nodeCount where totals[node].rows > 0 {
            result[node] = (totals[node].score / Double(totals[node].rows), totals[node].rows)
        }
        return result
    }
}
