import Testing

@testable import DistillCore

@Suite("Cost-complexity pruning")
struct PruningPathTests {
    /// x = 1…4 with labels 0, 0, 1, 0: the root splits at 2.5, its right child at 3.5.
    func tree() throws -> DecisionTree {
        let data = Dataset(features: [Column(name: "x", values: .numeric([1, 2, 3, 4]))], rowCount: 4)
        let outputs = TeacherOutputs(task: .classification(classes: ["a", "b"]), values: [1, 0, 1, 0, 0, 1, 1, 0])
        var configuration = TreeConfiguration()
        configuration.hard = true
        return try TreeLearner.fit(data, outputs: outputs, configuration: configuration)
    }

    @Test func pathWorkedOutByHand() throws {
        let full = try tree()
        #expect(full.leafCount == 3)
        #expect(full.threshold[0] == 2.5)
        // R(root) = 0.375, R(right child) = 2/4 × 0.5 = 0.25, leaves 0.
        // g(right) = 0.25 / 1, g(root) = 0.375 / 2 = 0.1875: the root is the weakest link,
        // so the path goes straight from 3 leaves to 1.
        let path = PruningPath(full)
        #expect(path.steps == [.init(alpha: 0, leaves: 3, impurity: 0), .init(alpha: 0.1875, leaves: 1, impurity: 0.375)])
        #expect(path.prune(full, alpha: 0.1).leafCount == 3)
        #expect(path.prune(full, alpha: 0.1875).leafCount == 1)
        #expect(path.prune(full, alpha: 0).nodeCount == full.nodeCount)
        let root = path.tree(full, step: 1)
        #expect(root.nodeCount == 1)
        #expect(root.value[0] == [0.75, 0.25])
    }

    @Test func prunedTreeKeepsPredictionsOfKeptNodes() throws {
        // Deeper data: a staircase the full tree fits exactly.
        let x: [Float] = (0..<32).map(Float.init)
        let p: [Float] = x.map { $0 < 8 ? 0.05 : $0 < 16 ? 0.4 : $0 < 24 ? 0.6 : 0.95 }
        let data = Dataset(features: [Column(name: "x", values: .numeric(x))], rowCount: 32)
        let outputs = TeacherOutputs(task: .classification(classes: ["a", "b"]), values: p.flatMap { [1 - $0, $0] })
        let full = try TreeLearner.fit(data, outputs: outputs, configuration: TreeConfiguration())
        #expect(full.leafCount == 4)
        let path = PruningPath(full)
        #expect(path.steps.map(\.leaves) == path.steps.map(\.leaves).sorted(by: >))
        #expect(path.steps.last?.leaves == 1)
        for step in path.steps.indices {
            let pruned = path.tree(full, step: step)
            #expect(pruned.leafCount == path.steps[step].leaves)
        }
        // Impurity of the pruned trees grows along the path.
        #expect(zip(path.steps, path.steps.dropFirst()).allSatisfy { $0.impurity <= $1.impurity + 1e-12 })
    }
}
