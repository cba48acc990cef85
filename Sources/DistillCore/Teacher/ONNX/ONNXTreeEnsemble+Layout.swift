extension ONNXTreeEnsemble {
    /// A child reference while the ensemble is read: a branch node or a leaf, by index.
    enum Child: Equatable {
        case branch(Int)
        case leaf(Int)
    }

    /// A branch node as the attributes give it, before layout.
    struct Branch {
        var feature: Int
        var threshold: Float
        var comparison: Comparison
        var nanGoesTrue: Bool
        var members: [Float]
        var ifTrue: Child
        var ifFalse: Child
        /// How messages name the node, e.g. "tree 3 node 17".
        var name: String
    }

    /// Lays out the trees reachable from `roots` in depth-first order, so a row's path
    /// through a tree touches nearby memory.
    /// - Throws: `ONNXKernelError` naming the tree and node when a tree has a cycle or a
    ///   node with two parents, or a child index is outside the tree.
    static func layout(roots: [(child: Child, tree: String)], branches: [Branch], leaves: [[(target: Int, weight: Float)]],
                       targets: Int, aggregate: Aggregate, transform: ONNXScoreTransform, baseValues: [Float],
                       classes: Classes?) throws -> ONNXTreeEnsemble {
        var e = ONNXTreeEnsemble(feature: [], threshold: [], comparison: [], nanGoesTrue: [], trueChild: [], falseChild: [],
                                 members: [], sharedComparison: nil, roots: [], leafStart: [0], weightTarget: [],
                                 weightValue: [], targets: targets, aggregate: aggregate, transform: transform,
                                 baseValues: baseValues, classes: classes, requiredWidth: 0)
        var visited = [Bool](repeating: false, count: branches.count)
        var leafSeen = [Bool](repeating: false, count: leaves.count)
        let anyMember = branches.contains { $0.comparison == .member }

        func place(_ child: Child, tree: String, parent: String) throws -> Int32 {
            switch child {
            case .leaf(let l):
                guard leaves.indices.contains(l) else {
                    throw ONNXKernelError("\(parent) of \(tree) points to leaf \(l), outside the ensemble's \(leaves.count) leaves",
                                          kind: .malformedModel)
                }
                if leafSeen[l] {
                    throw ONNXKernelError("\(parent) of \(tree) points to leaf \(l), which another node already points to; a tree's nodes have one parent",
                                          kind: .malformedModel)
                }
                leafSeen[l] = true
                let index = e.leafStart.count - 1
                for w in leaves[l] {
                    e.weightTarget.append(Int32(w.target))
                    e.weightValue.append(w.weight)
                }
                e.leafStart.append(Int32(e.weightTarget.count))
                return ~Int32(index)
            case .branch(let b):
                guard branches.indices.contains(b) else {
                    throw ONNXKernelError("\(parent) of \(tree) points to node \(b), outside the ensemble's \(branches.count) nodes",
                                          kind: .malformedModel)
                }
                return try placeBranch(b, tree: tree)
            }
        }

        // Iterative: a tree of LightGBM depth can be deep, and input must not exhaust the stack.
        func placeBranch(_ first: Int, tree: String) throws -> Int32 {
            var pending: [(branch: Int, parent: Int, isTrue: Bool)] = [(first, -1, false)]
            var placedFirst: Int32 = 0
            while let (b, parent, isTrue) = pending.popLast() {
                guard !visited[b] else {
                    throw ONNXKernelError("\(branches[b].name) of \(tree) is reached twice: the tree has a cycle or a node with two parents",
                                          kind: .malformedModel)
                }
                visited[b] = true
                let node = branches[b]
                let index = Int32(e.feature.count)
                e.feature.append(Int32(node.feature))
                e.threshold.append(node.threshold)
                e.comparison.append(node.comparison)
                e.nanGoesTrue.append(node.nanGoesTrue)
                if anyMember { e.members.append(node.members) }
                e.trueChild.append(0)
                e.falseChild.append(0)
                e.requiredWidth = max(e.requiredWidth, node.feature + 1)
                if parent < 0 { placedFirst = index } else if isTrue { e.trueChild[parent] = index } else { e.falseChild[parent] = index }
                // Leaves are placed now; branches are pushed false first so the true side is laid out next.
                for (child, side) in [(node.ifFalse, false), (node.ifTrue, true)] {
                    if case .branch(let c) = child, branches.indices.contains(c) {
                        pending.append((c, Int(index), side))
                    } else {
                        let placed = try place(child, tree: tree, parent: node.name)
                        if side { e.trueChild[Int(index)] = placed } else { e.falseChild[Int(index)] = placed }
                    }
                }
            }
            return placedFirst
        }

        for (root, tree) in roots {
            e.roots.append(try place(root, tree: tree, parent: "the root"))
        }
        guard !e.roots.isEmpty else { throw ONNXKernelError("the tree ensemble has no trees", kind: .malformedModel) }
        if let b = visited.firstIndex(of: false) {
            throw ONNXKernelError("\(branches[b].name) is not reachable from its tree's root: the tree has a cycle or the node belongs to no tree",
                                  kind: .malformedModel)
        }
        let kinds = Set(e.comparison)
        if kinds.count == 1, let only = kinds.first, only.rawValue <= Comparison.greater.rawValue {
            e.sharedComparison = only
        }
        return e
    }
}
