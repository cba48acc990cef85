/// One event of a depth-first walk over a tree, in the order a recursive writer would meet
/// it: a split, its left subtree, `otherwise`, its right subtree, `end`.
public enum TreeWalkStep: Sendable, Equatable {
    case leaf(Int)
    /// A split, before its left subtree.
    case split(Int)
    /// A split whose subtree the walk does not enter (it is at the walk's `foldedFrom` depth).
    case folded(Int)
    /// Between a split's subtrees: the left one is done, the right one comes next.
    case otherwise(Int)
    /// After a split's right subtree.
    case end(Int)
}

extension DecisionTree {
    /// Walks the tree depth first, left before right, telling `body` each step and the depth
    /// of its node (the root's is 0). The walk keeps its own stack, so a tree as deep as a
    /// chain of a hundred thousand splits walks as any other: deep students come from files,
    /// and recursion on their depth would overflow the thread's stack.
    /// - Parameters:
    ///   - root: the node whose subtree is walked (its depth counts as 0).
    ///   - foldedFrom: splits at this depth or deeper are reported as `folded`, and the nodes
    ///     below them are not visited.
    /// - Complexity: O(nodes visited).
    public func walk(from root: Int = 0, foldedFrom: Int = .max, _ body: (TreeWalkStep, _ depth: Int) throws -> Void) rethrows {
        // Stage 0: not yet entered; 1: left subtree done; 2: right subtree done.
        var stack: [(node: Int, depth: Int, stage: UInt8)] = [(root, 0, 0)]
        while let (node, depth, stage) = stack.popLast() {
            switch stage {
            case 0 where isLeaf(node):
                try body(.leaf(node), depth)
            case 0 where depth >= foldedFrom:
                try body(.folded(node), depth)
            case 0:
                try body(.split(node), depth)
                stack.append((node, depth, 1))
                stack.append((left[node], depth + 1, 0))
            case 1:
                try body(.otherwise(node), depth)
                stack.append((node, depth, 2))
                stack.append((right[node], depth + 1, 0))
            default:
                try body(.end(node), depth)
            }
        }
    }

    /// Visits every leaf, left before right, with what `step` made of the splits on its
    /// path: the state starts as `root` and each split turns its node's state into the one
    /// of the child the path takes (`left` says which). Without recursion, as `walk`; the
    /// states waiting on the stack are at most one per level of the current path.
    /// - Complexity: O(nodes) calls of `step`.
    public func forEachLeaf<State>(from root: State, _ step: (State, _ node: Int, _ left: Bool) throws -> State,
                                   _ leaf: (_ node: Int, State) throws -> Void) rethrows {
        var stack = [(node: 0, state: root)]
        while let (node, state) = stack.popLast() {
            guard !isLeaf(node) else {
                try leaf(node, state)
                continue
            }
            stack.append((right[node], try step(state, node, false)))
            stack.append((left[node], try step(state, node, true)))
        }
    }

    /// Per node, the edges on the longest path from it down to a leaf (0 for a leaf).
    /// Children come after their parents, so one reverse sweep finds them all.
    public var heights: [Int] {
        var heights = [Int](repeating: 0, count: nodeCount)
        for node in stride(from: nodeCount - 1, through: 0, by: -1) where !isLeaf(node) {
            heights[node] = 1 + max(heights[left[node]], heights[right[node]])
        }
        return heights
    }

    /// Per node, the leaves of its subtree (1 for a leaf), by the same reverse sweep.
    public var leavesBelow: [Int] {
        var counts = [Int](repeating: 1, count: nodeCount)
        for node in stride(from: nodeCount - 1, through: 0, by: -1) where !isLeaf(node) {
            counts[node] = counts[left[node]] + counts[right[node]]
        }
        return counts
    }
}
