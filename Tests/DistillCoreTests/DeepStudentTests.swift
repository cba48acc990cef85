import Foundation
import Testing

@testable import DistillCore

/// Students as deep as a file can make them: a chain of splits, each sending x ≤ its
/// threshold (and missing values) down to the next split and the rest to a leaf. Every walk
/// over them must finish without overflowing the stack, and every export either writes
/// them so that rows get the chain's answers or refuses them for its consumer's limit.
@Suite("Deep students: chains of 5,000 and 100,000 splits through every walk and export")
struct DeepStudentTests {
    /// Split i (node 2i) tests x ≤ splits − i: x and missing values go left, to node 2i + 2
    /// (the next split, or after the last the final leaf 2 × splits); the rest go right, to
    /// leaf 2i + 1, whose probability of class b is 1 − (i mod 97) / 97.
    static func chain(_ splits: Int) -> DecisionTree {
        var tree = DecisionTree(featureNames: ["x", "colour"], featureLevels: [nil, ["blue", "green", "red"]],
                                task: .classification(classes: ["a", "b"]))
        for i in 0..<splits {
            let split = tree.addNode(value: [0.5, 0.5], realRows: 10, syntheticRows: 0, impurity: 0.5)
            let p = Float(i % 97) / 97
            _ = tree.addNode(value: [p, 1 - p], realRows: 1 + i % 13, syntheticRows: 0, impurity: 0.1)
            tree.feature[split] = 0
            tree.threshold[split] = Float(splits - i)
            tree.left[split] = split + 2
            tree.right[split] = split + 1
        }
        _ = tree.addNode(value: [1, 0], realRows: 5, syntheticRows: 0, impurity: 0)
        return tree
    }

    /// The leaf of the chain that x = k + 0.5 reaches: it passes every threshold above k and
    /// leaves at the split whose threshold is k; below 1, and when missing, it reaches the end.
    static func expectedLeaf(_ k: Int?, splits: Int) -> Int {
        guard let k, k >= 1 else { return 2 * splits }
        return 2 * (splits - min(k, splits)) + 1
    }

    /// Rows along the whole chain, beyond both ends, and a missing x.
    static func rows(splits: Int) -> (data: Dataset, ks: [Int?]) {
        let ks: [Int?] = stride(from: 0, through: splits + 2, by: max(1, splits / 150)).map { $0 } + [splits - 1, splits, nil]
        let x = ks.map { $0.map { Float($0) + 0.5 } ?? .nan }
        let colour = Column(name: "colour", values: .categorical(codes: [Int32](repeating: 0, count: ks.count), levels: ["red"]))
        return (Dataset(features: [Column(name: "x", values: .numeric(x)), colour], rowCount: ks.count), ks)
    }

    @Test func theWalkMeetsEachStepInTheOrderARecursiveWriterWould() {
        let tree = Self.chain(2)
        var steps: [TreeWalkStep] = []
        var depths: [Int] = []
        tree.walk { step, depth in
            steps.append(step)
            depths.append(depth)
        }
        #expect(steps == [.split(0), .split(2), .leaf(4), .otherwise(2), .leaf(3), .end(2), .otherwise(0), .leaf(1), .end(0)])
        #expect(depths == [0, 1, 2, 1, 2, 1, 0, 1, 0])
        var folded: [TreeWalkStep] = []
        tree.walk(foldedFrom: 1) { step, _ in folded.append(step) }
        #expect(folded == [.split(0), .folded(2), .otherwise(0), .leaf(1), .end(0)])
    }

    @Test(arguments: [5_000, 100_000])
    func everyRowReachesItsLeafOfTheChain(splits: Int) throws {
        let tree = Self.chain(splits)
        #expect(tree.depth == splits && tree.heights[0] == splits && tree.leavesBelow[0] == splits + 1)
        var leaves = 0, deepest = 0
        tree.walk { step, depth in
            if case .leaf = step { leaves += 1 }
            deepest = max(deepest, depth)
        }
        #expect(leaves == splits + 1 && deepest == splits)
        let (data, ks) = Self.rows(splits: splits)
        #expect(try tree.leaves(for: data) == ks.map { Self.expectedLeaf($0, splits: splits) })
        #expect(try tree.path(of: 0, in: data).count == splits + 1, "x = 0.5 passes every split")
        #expect(tree.featureImportance() == [1, 0])
    }

    @Test func textFoldsTheSplitsBelowItsDepthLimit() {
        let limit = DecisionTree.textDepthLimit
        #expect(!Self.chain(limit).text().contains("truncated"), "a chain as deep as the limit is written whole")
        let text = Self.chain(100_000).text()
        let lines = text.split(separator: "\n")
        // Two condition lines per split shown, one line per leaf shown, and the folded split.
        #expect(lines.count == 2 * limit + limit + 1)
        let folded = lines.filter { $0.contains("truncated") }
        #expect(folded == [Substring(String(repeating: "|   ", count: limit) + "|--- truncated branch of depth \(100_000 - limit), "
                                     + "\(100_000 - limit + 1) leaves (the text shows \(limit) levels)")])
    }

    @Test func leafRulesAndMarkdownListEveryLeafWithItsIntervalMerged() throws {
        let splits = 100_000
        let tree = Self.chain(splits)
        let rules = Dictionary(uniqueKeysWithValues: tree.leafRules().map { ($0.leaf, $0.conditions) })
        #expect(rules.count == splits + 1)
        #expect(rules[1] == ["x > \(splits)"])
        #expect(rules[2 * 7 + 1] == ["\(splits - 7) < x ≤ \(splits - 6)"])
        #expect(rules[2 * splits] == ["x ≤ 1 or missing"])
        let markdown = try Student.tree(Self.chain(5_000)).exported(as: .markdown)
        #expect(markdown.split(separator: "\n").filter { $0.hasPrefix("| ") }.count == 5_001 + 1, "a row per leaf and the header")
    }

    @Test(arguments: [5_000, 100_000])
    func sqlWritesAWhenPerLeafWhateverTheDepth(splits: Int) throws {
        let sql = try Student.tree(Self.chain(splits)).exported(as: .sql)
        #expect(sql.components(separatedBy: "\n      WHEN ").count - 1 == splits, "one WHEN per leaf but the last")
        // Left before right: the last leaf met is the root's right one.
        #expect(sql.contains("\n      ELSE 1\n    END AS \"distill_leaf\""))
        // Leaf 15, right of split 7 and left of split 6: its interval, as Float32 compares.
        let low = try Float32Split(threshold: Float(splits - 7), at: "test"), high = try Float32Split(threshold: Float(splits - 6), at: "test")
        #expect(sql.contains("      WHEN (\"x\" IS NOT NULL AND \"x\" \(low.comparison(above: true)) \(low.midpoint)) -- \(low.comment)\n"
                             + "       AND (\"x\" IS NOT NULL AND \"x\" \(high.comparison(above: false)) \(high.midpoint)) -- \(high.comment)\n"
                             + "      THEN 15\n"))
    }

    @Test func sqliteRefusesAWhenOfMoreConditionsThanItsExpressionDepth() throws {
        let limit = SQLText.sqliteConditionLimit
        let many = { (count: Int) -> RuleList in
            let conditions = (0..<count).map { RuleCondition(feature: 0, test: .above(Float($0)), missingMatches: false) }
            return RuleList(featureNames: ["x"], featureLevels: [nil], task: .regression,
                            rules: [.init(conditions: conditions, value: [1], realRows: 1, syntheticRows: 0),
                                    .init(conditions: [], value: [0], realRows: 1, syntheticRows: 0)])
        }
        #expect(try Student.rules(many(limit)).exported(as: .sql).contains("THEN 1\n"))
        let error = #expect(throws: DataError.self) { try Student.rules(many(limit + 1)).exported(as: .sql) }
        #expect(error?.description.contains("rule 1 has \(limit + 1) conditions") == true)
        #expect(try Student.rules(many(limit + 1)).exported(as: .sql, sql: SQLExportOptions(dialect: .postgres)).contains("THEN 1\n"))
    }

    /// Each nested format writes a chain as deep as its limit and refuses one split more,
    /// naming the depth and the limit, as it refuses the 100,000-split chain.
    @Test(arguments: [(ExportFormat.python, NestingLimit.python), (.c, .c), (.swift, .swift), (.pmml, .pmml)])
    func nestedFormatsWriteUpToTheirConsumersLimit(format: ExportFormat, limit: NestingLimit) throws {
        let written = try Student.tree(Self.chain(limit.depth)).exported(as: format)
        #expect(written.contains("\(2 * limit.depth)"), "the deepest leaf is written")
        for splits in [limit.depth + 1, 100_000] {
            let error = #expect(throws: DataError.self) { try Student.tree(Self.chain(splits)).exported(as: format) }
            #expect(error?.description.contains("the tree is \(splits) splits deep, and --format \(limit.format) writes trees up to \(limit.depth) deep") == true)
        }
    }

    /// swiftc's optimiser is quadratic in a function's size, so the Swift export puts every
    /// `levelsPerFunction` levels of a tree, and every `rulesPerFunction` rules, in a
    /// function of their own.
    @Test func swiftSplitsLargeStudentsIntoFunctions() throws {
        let levels = SwiftCode.levelsPerFunction
        let tree = try Student.tree(Self.chain(3 * levels + 2)).exported(as: .swift)
        // Splits 6, 12 and 18 (nodes 12, 24 and 36) start functions; none nests deeper than 6 ifs.
        let subtrees = (1...3).map { 2 * levels * $0 }
        #expect(tree.components(separatedBy: "    private static func subtree").count - 1 == subtrees.count)
        for node in subtrees {
            #expect(tree.contains("return subtree\(node)(input)\n"))
            #expect(tree.contains("    private static func subtree\(node)(_ input: Input) -> Output {\n"))
        }
        #expect(!tree.contains(String(repeating: "    ", count: levels + 3) + "if "))
        let rules = (0..<250).map { RuleList.Rule(conditions: [RuleCondition(feature: 0, test: .above(Float($0)), missingMatches: false)],
                                                  value: [1], realRows: 1, syntheticRows: 0) }
        let list = RuleList(featureNames: ["x"], featureLevels: [nil], task: .regression,
                            rules: rules + [.init(conditions: [], value: [0], realRows: 1, syntheticRows: 0)])
        let code = try Student.rules(list).exported(as: .swift)
        #expect(code.contains("        if let output = rules1(input) { return output }\n        if let output = rules101(input) { return output }\n"
                              + "        if let output = rules201(input) { return output }\n        return Output(rule: 251, value: 0.0)\n"))
        #expect(code.contains("    private static func rules201(_ input: Input) -> Output? {\n"))
        #expect(code.components(separatedBy: "return Output(rule: ").count - 1 == 251)
    }

    @Test func onnxWritesUpToOnnxruntimesLimit() throws {
        let limit = NestingLimit.onnx.depth
        #expect(try !Student.tree(Self.chain(limit)).onnxModel().isEmpty)
        for splits in [limit + 1, 100_000] {
            let error = #expect(throws: DataError.self) { try Student.tree(Self.chain(splits)).onnxModel() }
            #expect(error?.description.contains("\(splits) splits deep") == true)
        }
    }

    @Test func jsonHoldsEveryNodeOfTheDeepestChain() throws {
        let json = try Student.tree(Self.chain(100_000)).exported(as: .json)
        let decoded = try JSONDecoder().decode(ExportJSON.self, from: Data(json.utf8))
        #expect(decoded.nodes?.count == 200_001)
        #expect(decoded.nodes?.last?.class == "a" && decoded.nodes?[199_998].left == 200_000)
    }

    @Test func aChainRewrittenAsRulesAnswersEveryRowAsTheChain() throws {
        let splits = 5_000
        let tree = Self.chain(splits)
        let list = try RuleList(tree: tree)
        let (data, _) = Self.rows(splits: splits)
        #expect(try list.predict(data) == tree.predict(data))
        #expect(list.rules.count > splits / 2)
        let tooMany = Self.chain(RuleList.fromTreeLeafLimit)
        let error = #expect(throws: DataError.self) { try RuleList(tree: tooMany) }
        #expect(error?.description.contains("the tree has \(RuleList.fromTreeLeafLimit + 1) leaves") == true)
    }

    @Test func pruningCopiesAChainThatAnswersAsTheChain() throws {
        let splits = 2_000
        let tree = Self.chain(splits)
        let path = PruningPath(tree)
        let copy = path.tree(tree, step: 0)
        let (data, _) = Self.rows(splits: splits)
        #expect(copy.nodeCount == tree.nodeCount && copy.depth == splits)
        #expect(try copy.predict(data) == tree.predict(data))
        #expect(path.tree(tree, step: path.steps.count - 1).nodeCount == 1)
    }
}
