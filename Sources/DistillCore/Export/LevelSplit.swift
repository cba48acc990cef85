/// A level test as every export writes it: a present level passes when it is one of
/// `listed`, or, when `negated`, when it is not.
struct LevelSplit {
    let listed: [String]
    let negated: Bool

    init(listed: [String], negated: Bool) {
        self.listed = listed
        self.negated = negated
    }

    /// The test that sends a level to the split's left child. Listing the side that unseen
    /// levels do not go to sends a level in neither of the split's lists where `unseen` says.
    /// - Throws: `DataError` naming the node when a level is on both sides.
    init(tree: DecisionTree, node: Int) throws {
        let left = tree.leftLevels[node], right = tree.rightLevels[node]
        guard Set(left).isDisjoint(with: right) else {
            throw DataError("node \(node) sends some level both left and right; the student file is malformed")
        }
        negated = tree.unseenGoesLeft[node]
        listed = negated ? right : left
    }

    /// A rule's level test, nil for another test. It names its levels outright, so whether
    /// training saw a level plays no part: one it does not name fails `inLevels` and passes
    /// `notInLevels`, as `RuleRouter` has it.
    init?(_ condition: RuleCondition) {
        switch condition.test {
        case .inLevels(let levels): self.init(listed: levels, negated: false)
        case .notInLevels(let levels): self.init(listed: levels, negated: true)
        case .atMost, .above, .missing: return nil
        }
    }
}
