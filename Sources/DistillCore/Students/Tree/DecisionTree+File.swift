/// One node of a tree student as `student.json` holds it.
public struct TreeNodeRecord: Codable, Sendable, Equatable {
    public var id: Int
    /// The split feature's name; absent on leaves.
    public var feature: String?
    public var threshold: Float?
    public var leftLevels: [String]?
    public var rightLevels: [String]?
    /// "left" or "right": where a missing value goes.
    public var missing: String?
    /// "left" or "right": where a level the node never saw goes.
    public var unseen: String?
    public var left: Int?
    public var right: Int?
    public var value: [Float]
    public var rows: Int
    public var syntheticRows: Int
    public var impurity: Double

    enum CodingKeys: String, CodingKey {
        case id, feature, threshold, leftLevels = "left_levels", rightLevels = "right_levels"
        case missing, unseen, left, right, value, rows, syntheticRows = "synthetic_rows", impurity
    }
}

extension DecisionTree {
    /// The student file of this tree.
    public func file(parameters: [String: JSONScalar]) -> StudentFile {
        let features = StudentFile.Feature.list(names: featureNames, levels: featureLevels)
        let nodes = (0..<nodeCount).map { node -> TreeNodeRecord in
            var record = TreeNodeRecord(id: node, value: value[node], rows: realRows[node],
                                        syntheticRows: syntheticRows[node], impurity: impurity[node])
            guard !isLeaf(node) else { return record }
            record.feature = featureNames[feature[node]]
            if featureLevels[feature[node]] == nil {
                record.threshold = threshold[node]
            } else {
                record.leftLevels = leftLevels[node]
                record.rightLevels = rightLevels[node]
                record.unseen = unseenGoesLeft[node] ? "left" : "right"
            }
            record.missing = missingGoesLeft[node] ? "left" : "right"
            record.left = left[node]
            record.right = right[node]
            return record
        }
        let classes: [String]? = if case .classification(let names) = task { names } else { nil }
        return StudentFile(format: StudentFile.format, kind: "tree",
                           task: classes == nil ? "regression" : "classification", classes: classes,
                           features: features, parameters: parameters, nodes: nodes)
    }

    /// The tree a student file holds, checked so that every command can walk it: nodes
    /// listed by id, every answer and count valid (`StudentFile.checkAnswer`, `checkRows`),
    /// every split on a feature the file lists, numeric splits with a finite threshold,
    /// level splits with levels of their feature, each on one side only, where missing
    /// values (and unseen levels) go said as "left" or "right", children listed after their
    /// parent (pruning and the diagram's fidelity sweep rely on it), and every node but the
    /// root the child of exactly one split.
    /// - Throws: `DataError` naming the file and the node when it is not a well-formed tree.
    /// - Complexity: O(nodes + levels), without recursion, so a chain of 100,000 splits reads.
    public init(file: StudentFile, path: String) throws {
        func fail(_ message: String) -> DataError { DataError("\(path): \(message)") }
        guard file.kind == "tree" else {
            throw fail("holds a \(file.kind) student, not a tree")
        }
        let task = try file.declaredTask(path: path)
        let featureIndex = try file.featureIndex(path: path)
        guard let nodes = file.nodes, !nodes.isEmpty else { throw fail("a tree student needs \"nodes\"") }
        self.init(featureNames: file.features.map(\.name), featureLevels: file.featureLevels, task: task)
        for (index, record) in nodes.enumerated() {
            let at = "node \(index)"
            guard record.id == index else { throw fail("\(at) has id \(record.id); nodes must be listed in id order") }
            try StudentFile.checkAnswer(record.value, task: task, of: at, path: path)
            try StudentFile.checkRows(record.rows, synthetic: record.syntheticRows, of: at, path: path)
            guard record.impurity.isFinite, record.impurity >= 0 else {
                throw fail("\(at) has the impurity \(record.impurity); an impurity is a finite number ≥ 0")
            }
            _ = addNode(value: record.value, realRows: record.rows, syntheticRows: record.syntheticRows, impurity: record.impurity)
            guard let name = record.feature else { continue }
            guard let featureNumber = featureIndex[name] else { throw fail("\(at) splits on '\(name)', which is not among \"features\"") }
            guard let left = record.left, let right = record.right else {
                throw fail("\(at) splits on '\(name)' but does not name both children, \"left\" and \"right\"")
            }
            for child in [left, right] where !(index + 1..<nodes.count).contains(child) {
                throw fail("\(at) names node \(child) as a child; a child is a node listed after its parent, from \(index + 1) to \(nodes.count - 1)")
            }
            guard let missingGoesLeft = Self.side(record.missing) else {
                throw fail("\(at) must say where missing values go: \"missing\" is \"left\" or \"right\"")
            }
            feature[index] = featureNumber
            self.left[index] = left
            self.right[index] = right
            self.missingGoesLeft[index] = missingGoesLeft
            if let levels = featureLevels[featureNumber] {
                (leftLevels[index], rightLevels[index], unseenGoesLeft[index]) = try Self.levelSplit(record, of: name, levels: levels, fail: { fail("\(at) \($0)") })
            } else {
                guard let value = record.threshold, value.isFinite else { throw fail("\(at) splits on numeric '\(name)' without a finite \"threshold\"") }
                threshold[index] = value
            }
        }
        try checkEveryNodeHasOneParent(fail: fail)
    }

    /// true for "left", false for "right", nil for anything else.
    private static func side(_ text: String?) -> Bool? {
        switch text {
        case "left": true
        case "right": false
        default: nil
        }
    }

    /// The level lists and unseen side of a split on a categorical feature with `levels`.
    /// - Throws: the error `fail` makes, when a list is absent, names a level the feature
    ///   does not have, or names a level twice (on one side or both).
    private static func levelSplit(_ record: TreeNodeRecord, of name: String, levels: [String],
                                   fail: (String) -> DataError) throws -> ([String], [String], Bool) {
        guard let leftSet = record.leftLevels, let rightSet = record.rightLevels else {
            throw fail("splits on categorical '\(name)' without \"left_levels\" and \"right_levels\"")
        }
        guard let unseenGoesLeft = side(record.unseen) else {
            throw fail("must say where levels it never saw go: \"unseen\" is \"left\" or \"right\"")
        }
        let known = Set(levels)
        if let stranger = (leftSet + rightSet).first(where: { !known.contains($0) }) {
            throw fail("sends the level '\(stranger)', which '\(name)' does not have among its \"levels\"")
        }
        if let repeated = StudentFile.firstRepeated(leftSet + rightSet) {
            throw fail("names the level '\(repeated)' twice; each level goes one way")
        }
        return (leftSet, rightSet, unseenGoesLeft)
    }

    /// Every node but the root is the child of exactly one split. With children listed
    /// after their parents, that makes the nodes one tree: no cycle, no orphan.
    private func checkEveryNodeHasOneParent(fail: (String) -> DataError) throws {
        var parent = [Int](repeating: DecisionTree.leaf, count: nodeCount)
        for node in 0..<nodeCount where !isLeaf(node) {
            if left[node] == right[node] { throw fail("node \(node) names node \(left[node]) as both children") }
            for child in [left[node], right[node]] {
                guard parent[child] == DecisionTree.leaf else {
                    throw fail("node \(child) is a child of both node \(parent[child]) and node \(node); every node but the root has one parent")
                }
                parent[child] = node
            }
        }
        if let orphan = parent.indices.dropFirst().first(where: { parent[$0] == DecisionTree.leaf }) {
            throw fail("node \(orphan) is not reached from the root: no split names it as a child")
        }
    }
}
