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
    public func leafRules(showing show: (String) -> String = { $0 }) -> [LeafRule] {
        var rules: [LeafRule] = []
        func walk(_ node: Int, _ path: [(node: Int, left: Bool)]) {
            guard !isLeaf(node) else {
                rules.append(LeafRule(leaf: node, conditions: mergedConditions(path, show)))
                return
            }
            walk(left[node], path + [(node, true)])
            walk(right[node], path + [(node, false)])
        }
        walk(0, [])
        return rules.sorted { realRows[$0.leaf] > realRows[$1.leaf] || (realRows[$0.leaf] == realRows[$1.leaf] && $0.leaf < $1.leaf) }
    }

    private func mergedConditions(_ path: [(node: Int, left: Bool)], _ show: (String) -> String) -> [String] {
        var order: [Int] = []
        var byFeature: [Int: [(node: Int, left: Bool)]] = [:]
        for step in path {
            let feature = self.feature[step.node]
            if byFeature[feature] == nil { order.append(feature) }
            byFeature[feature, default: []].append(step)
        }
        return order.map { feature in
            let steps = byFeature[feature]!
            let missing = steps.allSatisfy { missingGoesLeft[$0.node] == $0.left }
            let name = show(featureNames[feature])
            var text: String
            if featureLevels[feature] == nil {
                let low = steps.filter { !$0.left }.map { threshold[$0.node] }.max()
                let high = steps.filter(\.left).map { threshold[$0.node] }.min()
                switch (low, high) {
                case let (low?, high?): text = "\(Column.format(low)) < \(name) ≤ \(Column.format(high))"
                case let (low?, nil): text = "\(name) > \(Column.format(low))"
                case let (nil, high?): text = "\(name) ≤ \(Column.format(high))"
                case (nil, nil): text = name
                }
            } else {
                var allowed = Set(steps[0].left ? leftLevels[steps[0].node] : rightLevels[steps[0].node])
                for step in steps.dropFirst() {
                    allowed.formIntersection(step.left ? leftLevels[step.node] : rightLevels[step.node])
                }
                let levels = (featureLevels[feature] ?? []).filter(allowed.contains)
                text = "\(name) ∈ {\(levels.map(show).joined(separator: ", "))}"
                if steps.allSatisfy({ unseenGoesLeft[$0.node] == $0.left }) { text += " or other" }
            }
            return missing ? text + " or missing" : text
        }
    }
}
