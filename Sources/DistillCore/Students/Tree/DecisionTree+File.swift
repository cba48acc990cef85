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

    /// The tree a student file holds.
    /// - Throws: `DataError` naming the file and the node when it is not a well-formed tree.
    public init(file: StudentFile, path: String) throws {
        func fail(_ message: String) -> DataError { DataError("\(path): \(message)") }
        guard file.kind == "tree" else {
            throw fail("holds a \(file.kind) student, not a tree")
        }
        let task = try file.declaredTask(path: path)
        guard let nodes = file.nodes, !nodes.isEmpty else { throw fail("a tree student needs \"nodes\"") }
        self.init(featureNames: file.features.map(\.name), featureLevels: file.featureLevels, task: task)
        let featureIndex = Dictionary(file.features.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        for (index, record) in nodes.enumerated() {
            guard record.id == index else { throw fail("node \(index) has id \(record.id); nodes must be listed in id order") }
            guard record.value.count == task.outputWidth, record.value.allSatisfy(\.isFinite) else {
                throw fail("node \(index) must have \(task.outputWidth) finite value(s)")
            }
            _ = addNode(value: record.value, realRows: record.rows, syntheticRows: record.syntheticRows, impurity: record.impurity)
            guard let name = record.feature else { continue }
            guard let featureNumber = featureIndex[name] else { throw fail("node \(index) splits on '\(name)', which is not among \"features\"") }
            guard let left = record.left, let right = record.right,
                  left > index, right > index, left < nodes.count, right < nodes.count, left != right else {
                throw fail("node \(index) must name two children listed after it")
            }
            feature[index] = featureNumber
            self.left[index] = left
            self.right[index] = right
            missingGoesLeft[index] = record.missing != "right"
            unseenGoesLeft[index] = record.unseen != "right"
            if featureLevels[featureNumber] == nil {
                guard let value = record.threshold, !value.isNaN else { throw fail("node \(index) splits on numeric '\(name)' without a \"threshold\"") }
                threshold[index] = value
            } else {
                guard let leftSet = record.leftLevels, let rightSet = record.rightLevels else {
                    throw fail("node \(index) splits on categorical '\(name)' without \"left_levels\" and \"right_levels\"")
                }
                leftLevels[index] = leftSet
                rightLevels[index] = rightSet
            }
        }
        // Every node but the root is reached exactly once.
        var parents = [Int](repeating: 0, count: nodes.count)
        for node in 0..<nodeCount where !isLeaf(node) {
            parents[left[node]] += 1
            parents[right[node]] += 1
        }
        if let orphan = parents.indices.dropFirst().first(where: { parents[$0] != 1 }) {
            throw fail("node \(orphan) is reached from \(parents[orphan]) parents; every node but the root needs exactly one")
        }
    }
}
