/// One leaf of a tree read as a rule: the conditions on the way to it, merged per feature.
public struct LeafRule: Sendable, Equatable {
    public var leaf: Int
    /// One condition per feature the path tests, in the order features are first tested.
    public var conditions: [String]
}

extension DecisionTree {
    /// Every leaf as a rule, the largest (by real rows) first.
    ///
    /// The conditions of a path are merged per feature: thresholds into one interval
    /// (`3.5 < x ≤ 7`), level sets into their intersection, and "or missing" / "or other"
    /// kept only when every test on the way lets such values through. Leaves of a tree do
    /// not overlap, so the rules hold in any order; listing the largest first puts the
    /// smallest last, where an ordered rule list keeps its default.
    /// - Parameter show: how a feature name or level is written into the conditions, for
    ///   formats that must escape them (Markdown); as it is by default.
    /// - Complexity: O(nodes × features tested on a path): each split updates its feature's
    ///   merged test instead of the path being kept and merged again at every leaf.
    public func leafRules(showing show: (String) -> String = { $0 }) -> [LeafRule] {
        var rules: [LeafRule] = []
        forEachLeaf(from: MergedPath()) { path, node, left in
            path.adding(self, node, left: left)
        } _: { leaf, path in
            rules.append(LeafRule(leaf: leaf, conditions: path.order.map { condition(path.tests[$0]!, of: $0, show) }))
        }
        return rules.sorted { realRows[$0.leaf] > realRows[$1.leaf] || (realRows[$0.leaf] == realRows[$1.leaf] && $0.leaf < $1.leaf) }
    }

    /// The merged tests of one feature on a path, in words.
    private func condition(_ test: MergedPath.Test, of feature: Int, _ show: (String) -> String) -> String {
        let name = show(featureNames[feature])
        var text: String
        if let allowed = test.allowed {
            let levels = (featureLevels[feature] ?? []).filter(allowed.contains)
            text = "\(name) ∈ {\(levels.map(show).joined(separator: ", "))}"
            if test.unseen { text += " or other" }
        } else {
            switch (test.low, test.high) {
            case let (low?, high?): text = "\(Column.format(low)) < \(name) ≤ \(Column.format(high))"
            case let (low?, nil): text = "\(name) > \(Column.format(low))"
            case let (nil, high?): text = "\(name) ≤ \(Column.format(high))"
            case (nil, nil): text = name
            }
        }
        return test.missing ? text + " or missing" : text
    }
}

/// The tests of a path to a node, merged per feature as the path goes: thresholds into
/// one interval, level sets into their intersection, "or missing" / "or other" kept while
/// every test lets such values through.
private struct MergedPath {
    struct Test {
        /// The largest threshold the path goes right of, the smallest it goes left of.
        var low: Float?
        var high: Float?
        /// The levels every level test lets through; nil for a numeric feature.
        var allowed: Set<String>?
        var missing = true
        var unseen = true
    }

    /// Features in the order the path first tests them.
    var order: [Int] = []
    var tests: [Int: Test] = [:]

    /// This path continued through split `node` of `tree` to its left or right child.
    func adding(_ tree: DecisionTree, _ node: Int, left: Bool) -> MergedPath {
        var path = self
        let feature = tree.feature[node]
        if tests[feature] == nil { path.order.append(feature) }
        var test = tests[feature] ?? Test()
        if tree.featureLevels[feature] == nil {
            let t = tree.threshold[node]
            if left { test.high = min(test.high ?? t, t) } else { test.low = max(test.low ?? t, t) }
        } else {
            let side = Set(left ? tree.leftLevels[node] : tree.rightLevels[node])
            test.allowed = test.allowed?.intersection(side) ?? side
            test.unseen = test.unseen && tree.unseenGoesLeft[node] == left
        }
        test.missing = test.missing && tree.missingGoesLeft[node] == left
        path.tests[feature] = test
        return path
    }
}
