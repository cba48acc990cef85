extension RuleList {
    /// The leaves of a tree as an ordered rule list that answers every row exactly as the
    /// tree does (the same class probabilities or value).
    ///
    /// Each leaf becomes a rule; the leaf with the most training rows becomes the default and
    /// the others follow by rows, the largest first. Then the list is simplified:
    /// - a path's tests of one feature merge into one interval or one level set;
    /// - a condition is dropped when every row it stops, among those the rule's other
    ///   conditions let through, belongs to a later leaf with the same answer (or to none);
    /// - a rule is dropped when it answers as the default and every later rule it overlaps
    ///   answers the same.
    /// Leaves do not overlap, so a row a rule newly takes comes from a later leaf, which
    /// answers it the same way; a row of an earlier leaf has already been answered.
    /// Each rule keeps the training rows of the leaf it came from.
    public init(tree: DecisionTree) {
        var leaves: [(leaf: Int, region: RuleRegion, order: [Int])] = []
        func walk(_ node: Int, _ region: RuleRegion, _ order: [Int]) {
            guard !tree.isLeaf(node) else {
                leaves.append((node, region, order))
                return
            }
            let feature = tree.feature[node]
            let order = order.contains(feature) ? order : order + [feature]
            let (left, right) = Self.branchDomains(tree, node)
            var leftRegion = region, rightRegion = region
            leftRegion.restrict(feature, to: left)
            rightRegion.restrict(feature, to: right)
            walk(tree.left[node], leftRegion, order)
            walk(tree.right[node], rightRegion, order)
        }
        walk(0, RuleRegion(), [])
        let byRows = leaves.indices.sorted { tree.realRows[leaves[$0].leaf] > tree.realRows[leaves[$1].leaf] }
        leaves = (byRows.dropFirst() + byRows.prefix(1)).map { leaves[$0] }

        var rules = leaves.map { leaf in
            Rule(conditions: Self.conditions(leaf.region, order: leaf.order, levels: tree.featureLevels),
                 value: tree.value[leaf.leaf], realRows: tree.realRows[leaf.leaf], syntheticRows: tree.syntheticRows[leaf.leaf])
        }
        rules[rules.count - 1].conditions = []
        for index in rules.indices.dropLast() {
            var kept = rules[index].conditions
            for condition in rules[index].conditions.reversed() {
                let others = kept.filter { $0 != condition }
                var freed = RuleRegion(others, levels: tree.featureLevels)
                freed.restrict(condition.feature,
                               to: RuleRegion.complement(condition, numeric: tree.featureLevels[condition.feature] == nil))
                let harmless = leaves.indices.dropFirst(index + 1).allSatisfy { later in
                    rules[later].value == rules[index].value || !leaves[later].region.intersects(freed)
                }
                if harmless { kept = others }
            }
            rules[index].conditions = kept
        }
        self.init(featureNames: tree.featureNames, featureLevels: tree.featureLevels, task: tree.task, rules: rules)
        dropRulesAnsweringAsDefault()
    }

    /// Drops, from the last but one backwards, every rule that answers as the default and
    /// overlaps no later rule that answers otherwise: its rows then get the same answer
    /// further down.
    private mutating func dropRulesAnsweringAsDefault() {
        for index in rules.indices.dropLast().reversed() where rules[index].value == defaultRule.value {
            let region = RuleRegion(rules[index].conditions, levels: featureLevels)
            let harmless = rules.indices.dropFirst(index + 1).allSatisfy { later in
                rules[later].value == rules[index].value
                    || !RuleRegion(rules[later].conditions, levels: featureLevels).intersects(region)
            }
            if harmless { rules.remove(at: index) }
        }
    }

    /// The values each branch of a split lets through.
    private static func branchDomains(_ tree: DecisionTree, _ node: Int) -> (RuleRegion.Domain, RuleRegion.Domain) {
        let missingLeft = tree.missingGoesLeft[node]
        if tree.featureLevels[tree.feature[node]] == nil {
            let t = tree.threshold[node]
            return (.numbers(lower: -.infinity, upper: t, missing: missingLeft),
                    .numbers(lower: t, upper: .infinity, missing: !missingLeft))
        }
        // As `TreeRouter` routes: a level in neither list goes where unseen levels go.
        let left = Set(tree.leftLevels[node]), right = Set(tree.rightLevels[node])
        if tree.unseenGoesLeft[node] {
            return (.levels(right, excluded: true, missing: missingLeft), .levels(right, excluded: false, missing: !missingLeft))
        }
        return (.levels(left, excluded: false, missing: missingLeft), .levels(left, excluded: true, missing: !missingLeft))
    }

    /// A region's conditions, feature by feature in `order`: an interval as one or two
    /// threshold tests, a level set as one level test.
    private static func conditions(_ region: RuleRegion, order: [Int], levels: [[String]?]) -> [RuleCondition] {
        order.flatMap { feature -> [RuleCondition] in
            switch region.domains[feature] {
            case let .numbers(lower, upper, missing)?:
                return (lower > -.infinity ? [RuleCondition(feature: feature, test: .above(lower), missingMatches: missing)] : [])
                    + (upper < .infinity ? [RuleCondition(feature: feature, test: .atMost(upper), missingMatches: missing)] : [])
            case let .levels(set, excluded, missing)?:
                let known = levels[feature] ?? []
                let listed = known.filter(set.contains) + set.subtracting(known).sorted()
                return [RuleCondition(feature: feature, test: excluded ? .notInLevels(listed) : .inLevels(listed), missingMatches: missing)]
            case nil:
                return []
            }
        }
    }
}
