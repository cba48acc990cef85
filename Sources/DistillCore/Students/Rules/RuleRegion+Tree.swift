extension RuleRegion {
    /// Each leaf of `tree`, left to right, with the region of the values that reach it and
    /// the features in the order its path first tests them: the leaves as exact rules,
    /// which `RuleList(tree:)` simplifies and the SQL export writes side by side.
    /// - Complexity: O(nodes × features tested on a path), without recursion.
    static func leaves(of tree: DecisionTree) -> [(leaf: Int, region: RuleRegion, order: [Int])] {
        var leaves: [(leaf: Int, region: RuleRegion, order: [Int])] = []
        tree.forEachLeaf(from: (region: RuleRegion(), order: [Int]())) { path, node, left in
            let feature = tree.feature[node]
            var next = path
            if next.region.domains[feature] == nil { next.order.append(feature) }
            let (leftDomain, rightDomain) = branchDomains(tree, node)
            next.region.restrict(feature, to: left ? leftDomain : rightDomain)
            return next
        } _: { leaf, path in
            leaves.append((leaf, path.region, path.order))
        }
        return leaves
    }

    /// The values each branch of a split lets through.
    private static func branchDomains(_ tree: DecisionTree, _ node: Int) -> (Domain, Domain) {
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

    /// The region's conditions, feature by feature in `order`: an interval as one or two
    /// threshold tests, a level set as one level test.
    /// - Parameter levels: the student's levels per feature, nil for a numeric one.
    func conditions(order: [Int], levels: [[String]?]) -> [RuleCondition] {
        order.flatMap { feature -> [RuleCondition] in
            switch domains[feature] {
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
