import DistillCore
import Foundation

/// How a split's feature is distributed among the training rows that reach the node, counted
/// by the teacher's class, as dtreeviz draws beside each split.
///
/// A numeric feature is cut into bins of one width laid so that the threshold is a bin edge:
/// the bars before it hold exactly the values going yes. A categorical feature has one bar per
/// level, the levels going yes first. Missing values are counted apart.
public struct SplitHistogram: Sendable, Equatable {
    /// What one bar counts.
    public enum Bin: Sendable, Equatable {
        /// Values in (lower, upper]; the first bin also holds its lower edge.
        case interval(lower: Double, upper: Double)
        /// Rows with these levels: one level, or a side's smaller levels grouped into one bar.
        case levels([String])
    }

    public struct Bar: Sendable, Equatable {
        public var bin: Bin
        /// Rows per teacher class.
        public var counts: [Int]

        public var total: Int { counts.reduce(0, +) }
    }

    /// The bars of the values going yes (left), then those going no (right).
    public var yes: [Bar]
    public var no: [Bar]
    /// Rows per class whose value is missing; nil when there are none.
    public var missing: [Int]?

    /// The most bars a histogram gets, so that a large tree stays quick to lay out.
    public static let defaultMaxBars = 16

    /// The histogram of split `node`'s feature over the given rows.
    /// - Parameters:
    ///   - column: the split feature's column of the data the rows index.
    ///   - rows: the rows reaching the node.
    ///   - classes: the teacher's class of every row of the data (all 0 for a regression).
    ///   - classCount: the number of classes (1 for a regression).
    ///   - maxBars: the most bars, at least 2; missing values add one more.
    public init(tree: DecisionTree, node: Int, column: Column, rows: [Int], classes: [Int], classCount: Int,
                maxBars: Int = SplitHistogram.defaultMaxBars) {
        precondition(!tree.isLeaf(node) && maxBars >= 2, "a histogram needs a split node and room for two bars")
        var missing = [Int](repeating: 0, count: classCount)
        switch column.values {
        case .numeric(let values):
            var present: [(value: Float, class: Int)] = []
            for row in rows {
                if values[row].isNaN { missing[classes[row]] += 1 } else { present.append((values[row], classes[row])) }
            }
            (yes, no) = Self.numericBars(present, threshold: tree.threshold[node], classCount: classCount, maxBars: maxBars)
        case .categorical(let codes, let levels):
            var counts = [[Int]](repeating: [Int](repeating: 0, count: classCount), count: levels.count)
            for row in rows {
                if codes[row] == Column.missingCode { missing[classes[row]] += 1 } else { counts[Int(codes[row])][classes[row]] += 1 }
            }
            (yes, no) = Self.levelBars(levels: levels, counts: counts, tree: tree, node: node, maxBars: maxBars)
        }
        self.missing = missing.contains { $0 > 0 } ? missing : nil
    }

    /// A histogram for every split node of the tree (nil for leaves), over the rows of `data`
    /// coloured by the teacher's most probable class in `outputs`.
    /// - Throws: `DataError` when the data lacks a feature the tree uses or has it as another kind.
    public static func forSplits(of tree: DecisionTree, data: Dataset, outputs: TeacherOutputs,
                                 maxBars: Int = SplitHistogram.defaultMaxBars) throws -> [SplitHistogram?] {
        precondition(outputs.rowCount == data.rowCount, "one teacher answer per row")
        let nodeRows = try tree.nodeRows(for: data)
        let classes: [Int]
        switch outputs.task {
        case .classification: classes = (0..<data.rowCount).map(outputs.predictedClass)
        case .regression: classes = [Int](repeating: 0, count: data.rowCount)
        }
        return (0..<tree.nodeCount).map { node in
            guard !tree.isLeaf(node), let column = data.feature(named: tree.featureNames[tree.feature[node]]) else { return nil }
            return SplitHistogram(tree: tree, node: node, column: column, rows: nodeRows[node], classes: classes,
                                  classCount: outputs.task.outputWidth, maxBars: maxBars)
        }
    }

    /// Bins of one width w with the threshold t on an edge: (t − k·w, t − (k−1)·w] … (t − w, t]
    /// for the values going yes and (t, t + w] … for the rest. The width is the range of the
    /// values and t divided into as many equal parts as fit `maxBars` bars once both sides are
    /// rounded up to whole bins.
    private static func numericBars(_ values: [(value: Float, class: Int)], threshold: Float, classCount: Int,
                                    maxBars: Int) -> (yes: [Bar], no: [Bar]) {
        guard !values.isEmpty else { return ([], []) }
        let t = Double(threshold)
        let low = min(Double(values.map(\.value).min()!), t)
        let high = max(Double(values.map(\.value).max()!), t)
        let anyYes = values.contains { $0.value <= threshold }
        var width = 0.0
        var yesBins = 1
        var noBins = 0
        if high > low {
            for parts in stride(from: maxBars, through: 1, by: -1) {
                width = (high - low) / Double(parts)
                yesBins = max(Int(((t - low) / width).rounded(.up)), anyYes ? 1 : 0)
                noBins = Int(((high - t) / width).rounded(.up))
                if yesBins + noBins <= maxBars { break }
            }
        }
        let empty = [Int](repeating: 0, count: classCount)
        var yes = (0..<yesBins).map { index in
            let stepsBelowThreshold = Double(yesBins - index)
            return Bar(bin: .interval(lower: t - stepsBelowThreshold * width, upper: t - (stepsBelowThreshold - 1) * width), counts: empty)
        }
        var no = (0..<noBins).map { index in
            Bar(bin: .interval(lower: t + Double(index) * width, upper: t + Double(index + 1) * width), counts: empty)
        }
        // The side comes from the same comparison the tree makes; arithmetic only picks the bin
        // within it, and is clamped so that rounding cannot carry a value across the threshold.
        for (value, rowClass) in values {
            let distance = width > 0 ? (Double(value) - t) / width : 0
            if value <= threshold {
                let fromThreshold = min(max(Int((-distance).rounded(.up)) - 1, 0), yesBins - 1)
                yes[yesBins - 1 - fromThreshold].counts[rowClass] += 1
            } else {
                no[min(max(Int(distance.rounded(.up)) - 1, 0), noBins - 1)].counts[rowClass] += 1
            }
        }
        return (yes, no)
    }

    /// One bar per level with rows: the split's levels in its order, then levels it never saw
    /// on the side they go to. With more than `maxBars`, each side keeps its largest levels and
    /// groups the rest into one bar.
    private static func levelBars(levels: [String], counts: [[Int]], tree: DecisionTree, node: Int,
                                  maxBars: Int) -> (yes: [Bar], no: [Bar]) {
        let index = Dictionary(levels.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let named = Set(tree.leftLevels[node] + tree.rightLevels[node])
        let unseen = levels.filter { !named.contains($0) }
        func bars(_ sideLevels: [String]) -> [Bar] {
            sideLevels.compactMap { level in
                guard let code = index[level], counts[code].contains(where: { $0 > 0 }) else { return nil }
                return Bar(bin: .levels([level]), counts: counts[code])
            }
        }
        let yes = bars(tree.leftLevels[node] + (tree.unseenGoesLeft[node] ? unseen : []))
        let no = bars(tree.rightLevels[node] + (tree.unseenGoesLeft[node] ? [] : unseen))
        let yesRoom = min(yes.count, max(maxBars - no.count, maxBars / 2))
        return (grouped(yes, room: yesRoom), grouped(no, room: maxBars - yesRoom))
    }

    /// The bars, or, when there are more than `room`, the largest `room − 1` in their order and
    /// one bar for all the others.
    private static func grouped(_ bars: [Bar], room: Int) -> [Bar] {
        guard bars.count > room else { return bars }
        let kept = Set(bars.indices.sorted { bars[$0].total > bars[$1].total || (bars[$0].total == bars[$1].total && $0 < $1) }
            .prefix(room - 1))
        var result = bars.indices.filter(kept.contains).map { bars[$0] }
        let rest = bars.indices.filter { !kept.contains($0) }.map { bars[$0] }
        let levels = rest.flatMap { bar -> [String] in
            if case .levels(let names) = bar.bin { return names }
            return []
        }
        let counts = rest.dropFirst().reduce(rest[0].counts) { sum, bar in zip(sum, bar.counts).map(+) }
        result.append(Bar(bin: .levels(levels), counts: counts))
        return result
    }
}
