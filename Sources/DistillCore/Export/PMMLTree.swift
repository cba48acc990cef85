/// A decision tree as a PMML TreeModel: one Node per node of the tree, numbered as in
/// student.json so that the evaluator's entityId is `distill predict`'s leaf. A split's
/// left child holds its test and the right child `True`, so a row goes right exactly when
/// it does not go left, as in `TreeRouter`.
struct PMMLTree {
    let tree: DecisionTree

    /// - Throws: `DataError` when a name cannot be written in XML, a feature has the name of
    ///   an output, or a split is malformed.
    func document() throws -> String {
        let document = PMMLDocument(featureNames: tree.featureNames, featureLevels: tree.featureLevels,
                                    classes: Student.tree(tree).classes, entityOutput: "leaf")
        return try document.text(
            model: "TreeModel",
            [("algorithmName", "Distill decision tree"), ("splitCharacteristic", "binarySplit"),
             ("missingValueStrategy", "none"), ("noTrueChildStrategy", "returnNullPrediction")],
            description: "A Distill decision tree: the leaf each row reaches (numbered as in student.json) and the answer there. "
                + "A missing value goes where each split sends it (isMissing tests). A number goes left when, read as Float32, "
                + "it is at most the split's threshold: a comparison with the midpoint between the threshold and the next Float32 up.") { xml in
            try nodes(document, into: &xml)
        }
    }

    /// Every node, nested as the tree is, in one walk without recursion.
    /// - Throws: `DataError` when the tree is deeper than JPMML can evaluate, or a split is malformed.
    private func nodes(_ document: PMMLDocument, into xml: inout XMLWriter) throws {
        try NestingLimit.pmml.check(tree)
        // A node's predicate is its parent's left test, or `True` for a right child and the root.
        var leftParent = [Int?](repeating: nil, count: tree.nodeCount)
        for node in 0..<tree.nodeCount where !tree.isLeaf(node) { leftParent[tree.left[node]] = node }
        let predicate = { (node: Int) throws -> PMMLPredicate in try leftParent[node].map(goesLeft) ?? .constant(true) }
        try tree.walk { step, _ in
            switch step {
            case .leaf(let node):
                try document.leaf(id: node, predicate: try predicate(node), value: tree.value[node], rows: tree.rows(node),
                                  top: tree.topClass(node), into: &xml)
            case .split(let node):
                try xml.start("Node", [("id", "\(node)"), ("recordCount", "\(tree.rows(node))")])
                try predicate(node).write(into: &xml)
            case .end:
                xml.end()
            case .otherwise, .folded:
                break
            }
        }
    }

    private func goesLeft(_ node: Int) throws -> PMMLPredicate {
        try PMMLPredicate(try ExportCondition(tree: tree, node: node), field: tree.featureNames[tree.feature[node]])
    }
}
