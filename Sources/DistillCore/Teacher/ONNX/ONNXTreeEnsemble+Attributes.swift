extension ONNXTreeEnsemble {
    /// Reads TreeEnsembleClassifier or TreeEnsembleRegressor (ai.onnx.ml opsets 1–3): nodes
    /// named by (tree id, node id), weights attached to leaves by the same pair.
    /// - Throws: `ONNXKernelError` saying which attribute, tree or node is wrong.
    static func legacy(_ a: ONNXAttributes, classifier: Bool) throws -> ONNXTreeEnsemble {
        let treeIds = try required(a, "nodes_treeids")
        let n = treeIds.count
        let nodeIds = try required(a, "nodes_nodeids", count: n)
        let featureIds = try required(a, "nodes_featureids", count: n)
        let trueIds = try required(a, "nodes_truenodeids", count: n)
        let falseIds = try required(a, "nodes_falsenodeids", count: n)
        let modes = try a.strings("nodes_modes") ?? []
        let values = try floats(a, "nodes_values") ?? []
        let missing = try a.int64s("nodes_missing_value_tracks_true") ?? []
        for (name, count) in [("nodes_modes", modes.count), ("nodes_values", values.count)] where count != n {
            throw ONNXKernelError("\(name) has \(count) entries but nodes_treeids has \(n)", kind: .malformedModel)
        }
        guard missing.isEmpty || missing.count == n else {
            throw ONNXKernelError("nodes_missing_value_tracks_true has \(missing.count) entries but nodes_treeids has \(n)", kind: .malformedModel)
        }

        struct Key: Hashable { var tree: Int64, node: Int64 }
        var position: [Key: Int] = [:]
        var slot: [Child] = []
        var branchCount = 0, leafCount = 0
        var treeOrder: [Int64] = []
        var treeSeen = Set<Int64>()
        for p in 0..<n {
            let key = Key(tree: treeIds[p], node: nodeIds[p])
            guard position.updateValue(p, forKey: key) == nil else {
                throw ONNXKernelError("tree \(key.tree) has two nodes with id \(key.node)", kind: .malformedModel)
            }
            if treeSeen.insert(key.tree).inserted { treeOrder.append(key.tree) }
            if modes[p] == "LEAF" {
                slot.append(.leaf(leafCount)); leafCount += 1
            } else {
                slot.append(.branch(branchCount)); branchCount += 1
            }
        }
        func name(_ p: Int) -> String { "tree \(treeIds[p]) node \(nodeIds[p])" }

        var branches: [Branch] = []
        var isChild = Set<Int>()
        for p in 0..<n {
            guard case .branch = slot[p] else { continue }
            let comparison = try legacyComparison(modes[p], node: name(p))
            guard featureIds[p] >= 0, featureIds[p] < Int64(Int32.max) else {
                throw ONNXKernelError("\(name(p)) reads feature \(featureIds[p])", kind: .malformedModel)
            }
            func child(_ id: Int64, _ side: String) throws -> Child {
                guard let c = position[Key(tree: treeIds[p], node: id)] else {
                    throw ONNXKernelError("\(name(p)) has \(side) node \(id), which is not a node of tree \(treeIds[p])",
                                          kind: .malformedModel)
                }
                isChild.insert(c)
                return slot[c]
            }
            branches.append(Branch(feature: Int(featureIds[p]), threshold: values[p], comparison: comparison,
                                   nanGoesTrue: !missing.isEmpty && missing[p] != 0, members: [],
                                   ifTrue: try child(trueIds[p], "true"), ifFalse: try child(falseIds[p], "false"), name: name(p)))
        }

        // Weights on leaves.
        let prefix = classifier ? "class" : "target"
        let weightTrees = try required(a, "\(prefix)_treeids")
        let weightNodes = try required(a, "\(prefix)_nodeids", count: weightTrees.count)
        let weightIds = try required(a, "\(prefix)_ids", count: weightTrees.count)
        let weights = try floats(a, "\(prefix)_weights") ?? []
        guard weights.count == weightTrees.count else {
            throw ONNXKernelError("\(prefix)_weights has \(weights.count) entries but \(prefix)_treeids has \(weightTrees.count)",
                                  kind: .malformedModel)
        }
        let labels: ONNXTensorData?
        let targets: Int
        if classifier {
            labels = try a.classLabels(ints: "classlabels_int64s", op: "TreeEnsembleClassifier")
            targets = labels?.count ?? 0
            guard targets >= 2 else {
                throw ONNXKernelError("TreeEnsembleClassifier has \(targets) class label; it needs at least two", kind: .malformedModel)
            }
        } else {
            labels = nil
            targets = try a.int("n_targets", default: 1)
            guard targets >= 1, targets <= ONNXModel.maxClasses else {
                throw ONNXKernelError("n_targets is \(targets); it must be between 1 and \(ONNXModel.maxClasses)", kind: .malformedModel)
            }
        }
        var leaves = [[(target: Int, weight: Float)]](repeating: [], count: leafCount)
        for k in weightTrees.indices {
            let where_ = "\(prefix) weight \(k) (tree \(weightTrees[k]) node \(weightNodes[k]))"
            guard let p = position[Key(tree: weightTrees[k], node: weightNodes[k])] else {
                throw ONNXKernelError("\(where_) is for a node the ensemble does not have", kind: .malformedModel)
            }
            guard case .leaf(let l) = slot[p] else {
                throw ONNXKernelError("\(where_) is for a branch node, not a LEAF", kind: .malformedModel)
            }
            guard weightIds[k] >= 0, weightIds[k] < Int64(targets) else {
                let what = classifier ? "class id" : "target id"
                throw ONNXKernelError("\(where_) has \(what) \(weightIds[k]), outside 0..<\(targets)", kind: .malformedModel)
            }
            leaves[l].append((Int(weightIds[k]), weights[k]))
        }

        // A tree's root is its one node no other node points to.
        var tops: [Int64: [Int]] = [:]
        for p in 0..<n where !isChild.contains(p) { tops[treeIds[p], default: []].append(p) }
        var roots: [(child: Child, tree: String)] = []
        for tree in treeOrder {
            let tops = tops[tree] ?? []
            guard tops.count == 1 else {
                let why = tops.isEmpty ? "every node is some node's child, so the tree has a cycle"
                    : "\(tops.count) nodes (ids \(tops.prefix(5).map { nodeIds[$0] })) are no node's child; a tree has one root"
                throw ONNXKernelError("tree \(tree) has no single root: \(why)", kind: .malformedModel)
            }
            roots.append((slot[tops[0]], "tree \(tree)"))
        }

        let transform = try ONNXScoreTransform(attribute: try a.string("post_transform", default: "NONE"))
        let base = try floats(a, "base_values") ?? []
        let aggregate: Aggregate
        var classes: Classes?
        if let labels {
            aggregate = .sum
            let columns = Set(weightIds)
            classes = Classes(labels: labels, singleColumn: targets == 2 && columns.count == 1,
                              weightsAllPositive: weights.allSatisfy { $0 >= 0 }, classOneHasWeights: columns.contains(1))
            if targets == 2 && !columns.contains(1) && transform == .probit && base.count != 2 {
                throw ONNXKernelError("a two-class ensemble with weights for one class and post_transform PROBIT has no defined second score (onnxruntime leaves it unset); re-export with another post_transform",
                                      kind: .unsupportedOperator)
            }
            guard base.isEmpty || base.count == targets || (targets == 2 && base.count == 1) else {
                throw ONNXKernelError("base_values has \(base.count) values for \(targets) classes", kind: .malformedModel)
            }
        } else {
            let name = try a.string("aggregate_function", default: "SUM")
            guard let agg = Aggregate(rawValue: name) else {
                throw ONNXKernelError("aggregate_function '\(name)' is unknown; the ONNX-ML specification defines SUM, AVERAGE, MIN and MAX",
                                      kind: .malformedModel)
            }
            aggregate = agg
            guard base.isEmpty || base.count == targets else {
                throw ONNXKernelError("base_values has \(base.count) values for \(targets) targets", kind: .malformedModel)
            }
        }
        return try layout(roots: roots, branches: branches, leaves: leaves, targets: targets, aggregate: aggregate,
                          transform: transform, baseValues: base, classes: classes)
    }

    /// Reads TreeEnsemble (ai.onnx.ml opset 5): nodes and leaves by index, thresholds and
    /// weights as tensors, set membership for `BRANCH_MEMBER` nodes.
    static func opset5(_ a: ONNXAttributes) throws -> ONNXTreeEnsemble {
        let featureIds = try required(a, "nodes_featureids")
        let n = featureIds.count
        let splits = try floats(a, "nodes_splits") ?? []
        let modes = try a.tensor("nodes_modes")?.integers("nodes_modes") ?? []
        let trueIds = try required(a, "nodes_truenodeids", count: n)
        let trueLeafs = try required(a, "nodes_trueleafs", count: n)
        let falseIds = try required(a, "nodes_falsenodeids", count: n)
        let falseLeafs = try required(a, "nodes_falseleafs", count: n)
        let missing = try a.int64s("nodes_missing_value_tracks_true") ?? []
        let leafTargets = try required(a, "leaf_targetids")
        let leafWeights = try floats(a, "leaf_weights") ?? []
        let treeRoots = try required(a, "tree_roots")
        var memberValues = (try floats(a, "membership_values") ?? [])[...]
        for (name, count) in [("nodes_splits", splits.count), ("nodes_modes", modes.count)] where count != n {
            throw ONNXKernelError("\(name) has \(count) entries but nodes_featureids has \(n)", kind: .malformedModel)
        }
        guard missing.isEmpty || missing.count == n else {
            throw ONNXKernelError("nodes_missing_value_tracks_true has \(missing.count) entries but nodes_featureids has \(n)", kind: .malformedModel)
        }
        guard leafWeights.count == leafTargets.count else {
            throw ONNXKernelError("leaf_weights has \(leafWeights.count) entries but leaf_targetids has \(leafTargets.count)", kind: .malformedModel)
        }
        let targets = try a.int("n_targets", default: 1)
        guard targets >= 1, targets <= ONNXModel.maxClasses else {
            throw ONNXKernelError("n_targets is \(targets); it must be between 1 and \(ONNXModel.maxClasses)", kind: .malformedModel)
        }
        var leaves: [[(target: Int, weight: Float)]] = []
        for j in leafTargets.indices {
            guard leafTargets[j] >= 0, leafTargets[j] < Int64(targets) else {
                throw ONNXKernelError("leaf \(j) has target id \(leafTargets[j]), outside 0..<\(targets)", kind: .malformedModel)
            }
            leaves.append([(Int(leafTargets[j]), leafWeights[j])])
        }
        let comparisons: [Comparison] = [.lessOrEqual, .less, .greaterOrEqual, .greater, .equal, .notEqual, .member]
        func child(_ id: Int64, leaf: Int64) -> Child { leaf != 0 ? .leaf(Int(id)) : .branch(Int(id)) }
        var branches: [Branch] = []
        for i in 0..<n {
            guard comparisons.indices.contains(modes[i]) else {
                throw ONNXKernelError("node \(i) has mode \(modes[i]); TreeEnsemble defines 0 (BRANCH_LEQ) to 6 (BRANCH_MEMBER)",
                                      kind: .malformedModel)
            }
            guard featureIds[i] >= 0, featureIds[i] < Int64(Int32.max) else {
                throw ONNXKernelError("node \(i) reads feature \(featureIds[i])", kind: .malformedModel)
            }
            var members: [Float] = []
            if comparisons[modes[i]] == .member {
                while let v = memberValues.popFirst(), !v.isNaN { members.append(v) }
            }
            branches.append(Branch(feature: Int(featureIds[i]), threshold: splits[i], comparison: comparisons[modes[i]],
                                   nanGoesTrue: !missing.isEmpty && missing[i] != 0, members: members,
                                   ifTrue: child(trueIds[i], leaf: trueLeafs[i]), ifFalse: child(falseIds[i], leaf: falseLeafs[i]),
                                   name: "node \(i)"))
        }
        var roots: [(child: Child, tree: String)] = []
        for (k, r) in treeRoots.enumerated() {
            let i = Int(r)
            guard r >= 0, i < n || (n == 0 && i < leaves.count) else {
                throw ONNXKernelError("tree \(k) has root \(r), outside the ensemble's \(n) nodes", kind: .malformedModel)
            }
            // A tree that is one leaf: its root's two children are the same leaf.
            if i < n, trueLeafs[i] != 0, falseLeafs[i] != 0, trueIds[i] == falseIds[i] {
                roots.append((.leaf(Int(trueIds[i])), "tree \(k)"))
            } else {
                roots.append((n == 0 ? .leaf(i) : .branch(i), "tree \(k)"))
            }
        }
        let aggregateCodes: [Aggregate] = [.average, .sum, .min, .max]
        let code = try a.int("aggregate_function", default: 1)
        guard aggregateCodes.indices.contains(code) else {
            throw ONNXKernelError("aggregate_function \(code) is unknown; TreeEnsemble defines 0 (AVERAGE) to 3 (MAX)", kind: .malformedModel)
        }
        return try layout(roots: roots, branches: branches, leaves: leaves, targets: targets, aggregate: aggregateCodes[code],
                          transform: try ONNXScoreTransform(code: try a.int("post_transform", default: 0)),
                          baseValues: [], classes: nil)
    }

    private static func legacyComparison(_ mode: String, node: String) throws -> Comparison {
        switch mode {
        case "BRANCH_LEQ": return .lessOrEqual
        case "BRANCH_LT": return .less
        case "BRANCH_GTE": return .greaterOrEqual
        case "BRANCH_GT": return .greater
        case "BRANCH_EQ": return .equal
        case "BRANCH_NEQ": return .notEqual
        default:
            throw ONNXKernelError("\(node) has mode '\(mode)'; the ONNX-ML specification defines BRANCH_LEQ, BRANCH_LT, BRANCH_GTE, BRANCH_GT, BRANCH_EQ, BRANCH_NEQ and LEAF",
                                  kind: .malformedModel)
        }
    }

    /// An integer list attribute that must be present (and have `count` entries).
    static func required(_ a: ONNXAttributes, _ name: String, count: Int? = nil) throws -> [Int64] {
        guard let v = try a.int64s(name) else {
            throw ONNXKernelError("attribute '\(name)' is missing", kind: .malformedModel)
        }
        if let count, v.count != count {
            throw ONNXKernelError("\(name) has \(v.count) entries but should have \(count)", kind: .malformedModel)
        }
        return v
    }

    /// A float list given as `name` or, from ai.onnx.ml opset 3, as the tensor `name_as_tensor`
    /// (opset 5 names the tensor `name` itself).
    static func floats(_ a: ONNXAttributes, _ name: String) throws -> [Float]? {
        for candidate in [name + "_as_tensor", name] where a.has(candidate) {
            if let t = try? a.tensor(candidate) {
                switch t.data {
                case .float(let v): return v
                case .double(let v): return v.map { Float($0) }
                default: throw ONNXKernelError("attribute '\(candidate)' should hold floats", kind: .malformedModel)
                }
            }
            if let v = try a.floats(candidate) { return v }
        }
        return nil
    }
}
