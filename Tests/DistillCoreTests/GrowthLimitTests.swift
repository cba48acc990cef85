import Foundation
import Testing

@testable import DistillCore

@Suite("Growth and synthetic rows have limits by default")
struct GrowthLimitTests {
    /// 400 rows on which a teacher's probability rises smoothly: soft targets never become
    /// pure, so growth without a limit would split down to single rows.
    func smoothTeacher() -> (Dataset, TeacherOutputs) {
        let x = (0..<400).map { Float($0) }
        let p = x.map { 1 / (1 + exp(-($0 - 200) / 40)) }
        return (Dataset(features: [Column(name: "x", values: .numeric(x))], rowCount: x.count),
                TeacherOutputs(task: .classification(classes: ["no", "yes"]), values: p.flatMap { [1 - $0, $0] }))
    }

    @Test func aTreeWithoutASizeGetsTheDefaultNumberOfLeaves() throws {
        let (data, outputs) = smoothTeacher()
        let unlimited = try TreeLearner.fit(data, outputs: outputs, configuration: TreeConfiguration())
        #expect(unlimited.leafCount == TreeConfiguration.defaultMaxLeaves)
        var deep = TreeConfiguration()
        deep.maxDepth = 6
        #expect(deep.leafLimit == nil)
        #expect(try TreeLearner.fit(data, outputs: outputs, configuration: deep).leafCount > TreeConfiguration.defaultMaxLeaves)
    }

    @Test func nodeAugmentationStopsAtTheBudget() throws {
        let (data, outputs) = smoothTeacher()
        var configuration = TreeConfiguration()
        configuration.maxDepth = 30
        var distillation = TreeDistillation(configuration: configuration)
        distillation.augmentation.queryBudget = 500
        nonisolated(unsafe) var asked = 0
        let result = try distillation.run(train: data, trainOutputs: outputs, eval: data, evalOutputs: outputs) { rows in
            asked += rows.rowCount
            let p = (0..<rows.rowCount).map { _ in Float(0.5) }
            return TeacherOutputs(task: outputs.task, values: p.flatMap { [1 - $0, $0] })
        }
        #expect(asked == 500 && result.syntheticQueries == 500)
        #expect(result.notes.contains("the query budget of 500 synthetic rows was used up while growing"))
    }

    /// Synthetic rows let a node keep splitting on rows no real case reaches; every split
    /// must divide real rows, so a deep tree stays within the data's size.
    @Test func augmentedLeavesAllHoldRealRows() throws {
        let x = (0..<200).map { Float($0) }
        let y = (0..<200).map { Float(($0 * 7) % 200) }
        let data = Dataset(features: [Column(name: "x", values: .numeric(x)), Column(name: "y", values: .numeric(y))], rowCount: 200)
        func teacher(_ rows: Dataset) -> TeacherOutputs {
            guard case .numeric(let a) = rows.features[0].values, case .numeric(let b) = rows.features[1].values else { return TeacherOutputs(task: .regression, values: []) }
            let p = zip(a, b).map { 1 / (1 + exp(-($0 - 100) / 20 - ($1 - 100) / 30)) }
            return TeacherOutputs(task: .classification(classes: ["no", "yes"]), values: p.flatMap { [1 - $0, $0] })
        }
        var configuration = TreeConfiguration()
        configuration.maxDepth = 30
        let result = try TreeDistillation(configuration: configuration)
            .run(train: data, trainOutputs: teacher(data), eval: data, evalOutputs: teacher(data), label: teacher)
        let tree = result.tree
        #expect(result.syntheticQueries > 0)
        #expect(tree.leafCount <= 200)
        #expect((0..<tree.nodeCount).filter(tree.isLeaf).allSatisfy { tree.realRows[$0] > 0 })
    }

    @Test(arguments: [
        (AugmentConfiguration(minNodeRows: 0), "--min-node-rows must be between 1 and 1000000, not 0"),
        (AugmentConfiguration(minNodeRows: 100_000_000), "--min-node-rows must be between 1 and 1000000, not 100000000"),
        (AugmentConfiguration(queryBudget: -1), "--query-budget must be 0 or more, not -1"),
        (AugmentConfiguration(queryBudget: 300_000_000), "--query-budget must be at most 200000000, not 300000000"),
    ])
    func augmentationOutOfRangeIsRefused(configuration: AugmentConfiguration, message: String) {
        #expect(throws: ConfigurationError(message)) { try configuration.validate() }
    }

    @Test func aBudgetTooLargeForTheDataIsRefused() throws {
        let configuration = AugmentConfiguration(queryBudget: 50_000_000)
        try configuration.validate(featureCount: 4)
        #expect(throws: ConfigurationError.self) { try configuration.validate(featureCount: 5) }
        try AugmentConfiguration(mode: .none, queryBudget: 50_000_000).validate(featureCount: 100)
    }
}
