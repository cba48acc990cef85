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
    /// - Throws: `DataError` when the tree has more than `fromTreeLeafLimit` leaves.
    /// - Complexity: O(leaves² × conditions per rule) region tests for the simplification,
    ///   each over the few features a rule tests; O(nodes) for the rest.
    public init(tree: DecisionTree) throws {
        let leafCount = tree.leafCount
        guard leafCount <= Self.fromTreeLeafLimit else {
            throw DataError("the tree has \(leafCount) leaves; rewriting a tree as a rule list compares each rule with every later one, "
                            + "which takes hours past \(Self.fromTreeLeafLimit) leaves (and no one reads such a list); "
                            + "list its leaves with distill export --format markdown, or fit a smaller tree with --max-leaves")
        }
        var leaves = RuleRegion.leaves(of: tree)
        let byRows = leaves.indices.sorted { tree.realRows[leaves[$0].leaf] > tree.realRows[leaves[$1].leaf] }
        leaves = (byRows.dropFirst() + byRows.prefix(1)).map { leaves[$0] }

        var rules = leaves.map { leaf in
            Rule(conditions: leaf.region.conditions(order: leaf.order, levels: tree.featureLevels),
                 value: tree.value[leaf.leaf], realRows: tree.realRows[leaf.leaf], syntheticRows: tree.syntheticRows[leaf.leaf])
        }
        rules[rules.count - 1].conditions = []
        let answer = Self.answerNumbers(rules)
        for index in rules.indices.dropLast() {
            var kept = rules[index].conditions
            for condition in rules[index].conditions.reversed() {
                let others = kept.filter { $0 != condition }
                var freed = RuleRegion(others, levels: tree.featureLevels)
                freed.restrict(condition.feature,
                               to: RuleRegion.complement(condition, numeric: tree.featureLevels[condition.feature] == nil))
                let harmless = leaves.indices.dropFirst(index + 1).allSatisfy { later in
                    answer[later] == answer[index] || !leaves[later].region.intersects(freed)
                }
                if harmless { kept = others }
            }
            rules[index].conditions = kept
        }
        self.init(featureNames: tree.featureNames, featureLevels: tree.featureLevels, task: tree.task, rules: rules)
        dropRulesAnsweringAsDefault()
    }

    /// The most leaves `init(tree:)` rewrites: its simplification is quadratic in the leaves,
    /// a few seconds at this size.
    public static let fromTreeLeafLimit = 10_000

    /// Per rule, a number that is the same exactly for rules with the same answer, so that
    /// the quadratic loops compare integers rather than arrays of probabilities.
    private static func answerNumbers(_ rules: [Rule]) -> [Int] {
        var numbers: [[Float]: Int] = [:]
        return rules.map { rule in
            if let known = numbers[rule.value] { return known }
            numbers[rule.value] = numbers.count
            return numbers.count - 1
        }
    }

    /// Drops, from the last but one backwards, every rule that answers as the default and
    /// overlaps no later rule (still in the list) that answers otherwise: its rows then get
    /// the same answer further down.
    private mutating func dropRulesAnsweringAsDefault() {
        let regions = rules.map { RuleRegion($0.conditions, levels: featureLevels) }
        let answer = Self.answerNumbers(rules)
        var kept = [Bool](repeating: true, count: rules.count)
        for index in rules.indices.dropLast().reversed() where answer[index] == answer[rules.count - 1] {
            kept[index] = !rules.indices.dropFirst(index + 1).allSatisfy { later in
                !kept[later] || answer[later] == answer[index] || !regions[later].intersects(regions[index])
            }
        }
        rules = rules.indices.filter { kept[$0] }.map { rules[$0] }
    }
}
