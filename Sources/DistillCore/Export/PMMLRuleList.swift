/// A rule list as a PMML TreeModel of one level: the root's children are the rules in
/// order, each Node's predicate the `and` of its conditions (`True` for the default), and
/// PMML takes the first child whose predicate is true, which is the first rule that
/// matches. Nodes are numbered from 1 as `distill predict` numbers rules, so the
/// evaluator's entityId is the rule.
///
/// Not a RuleSetModel: JPMML accepts that only for classification, and gives its rules'
/// confidences there, not the class probabilities a rule holds.
struct PMMLRuleList {
    let list: RuleList

    /// - Throws: `DataError` when a name cannot be written in XML, a feature has the name of
    ///   an output, or a threshold is not finite.
    func document() throws -> String {
        let document = PMMLDocument(featureNames: list.featureNames, featureLevels: list.featureLevels,
                                    classes: Student.rules(list).classes, entityOutput: "rule")
        return try document.text(
            model: "TreeModel",
            [("algorithmName", "Distill rule list"), ("splitCharacteristic", "multiSplit"),
             ("missingValueStrategy", "none"), ("noTrueChildStrategy", "returnNullPrediction")],
            description: "A Distill rule list: the first rule (numbered from 1) whose conditions all hold answers the row; "
                + "the last rule holds for every row. A condition says whether a missing value passes (isMissing tests). "
                + "A number is read as Float32 and compared with the threshold: a comparison with the midpoint between "
                + "the threshold and the next Float32 up.") { xml in
            try xml.start("Node", [("id", "0"), ("recordCount", "\(list.rules.reduce(0) { $0 + $1.realRows + $1.syntheticRows })")])
            try PMMLPredicate.constant(true).write(into: &xml)
            for (index, conditions) in try ExportCondition.rules(of: list).enumerated() {
                let rule = list.rules[index]
                let predicates = try conditions.map { try PMMLPredicate($0, field: list.featureNames[$0.feature]) }
                try document.leaf(id: index + 1, predicate: .all(predicates), value: rule.value,
                                  rows: rule.realRows + rule.syntheticRows, top: rule.topClass, into: &xml)
            }
            xml.end()
        }
    }
}
