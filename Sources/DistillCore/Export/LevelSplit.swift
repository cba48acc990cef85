/// A tree split's level test as every export writes it: a present level goes left when it
/// is one of `listed`, or, when `negated`, when it is not. Listing the side that unseen
/// levels do not go to sends a level in neither of the split's lists where `unseen` says.
struct LevelSplit {
    let listed: [String]
    let negated: Bool

    /// - Throws: `DataError` naming the node when a level is on both sides.
    init(tree: DecisionTree, node: Int) throws {
        let left = tree.leftLevels[node], right = tree.rightLevels[node]
        guard Set(left).isDisjoint(with: right) else {
            throw DataError("node \(node) sends some level both left and right; the student file is malformed")
        }
        negated = tree.unseenGoesLeft[node]
        listed = negated ? right : left
    }
}
