import Foundation
import Testing

@testable import DistillCore

@Suite("Tree refinement (TAO) revisits grown splits")
struct TreeRefinerTests {
    /// Rows whose teacher depends on x and on a colour, with some x missing, and a teacher
    /// that is noisy enough that no small tree fits it exactly.
    func problem(rows: Int, classes: Int, seed: UInt64) -> (Dataset, TeacherOutputs) {
        var random = SeededGenerator(seed: seed)
        let colours = ["red", "green", "blue", "white"]
        var x: [Float] = [], y: [Float] = [], codes: [Int32] = [], values: [Float] = []
        for _ in 0..<rows {
            let a = Float.random(in: 0..<10, using: &random)
            let b = Float.random(in: 0..<10, using: &random)
            let colour = Int32.random(in: 0..<4, using: &random)
            x.append(Double.random(in: 0..<1, using: &random) < 0.05 ? .nan : a)
            y.append(b)
            codes.append(colour)
            let score = sin(a) * 3 + b * 0.4 + Float(colour) - Float.random(in: 0..<2, using: &random)
            if classes == 0 {
                values.append(score)
            } else {
                var p = (0..<classes).map { k in exp(-abs(score - Float(k) * 2)) }
                let total = p.reduce(0, +)
                p = p.map { $0 / total }
                values += p
            }
        }
        let data = Dataset(features: [Column(name: "x", values: .numeric(x)), Column(name: "y", values: .numeric(y)),
                                      Column(name: "colour", values: .categorical(codes: codes, levels: colours))],
                           rowCount: rows)
        let task: TeacherTask = classes == 0 ? .regression : .classification(classes: (0..<classes).map { "c\($0)" })
        return (data, TeacherOutputs(task: task, values: values))
    }

    func fit(_ data: Dataset, _ outputs: TeacherOutputs, depth: Int, hard: Bool, refine: Bool) throws -> DecisionTree {
        var configuration = TreeConfiguration()
        configuration.maxDepth = depth
        configuration.hard = hard
        configuration.refine = refine
        if case .regression = outputs.task { configuration.criterion = .squaredError }
        return try TreeLearner.fit(data, outputs: outputs, configuration: configuration)
    }

    func training(_ tree: DecisionTree, _ data: Dataset, _ outputs: TeacherOutputs) throws -> FidelityMetrics {
        FidelityMetrics.measure(teacher: outputs, student: try tree.predict(data))
    }

    @Test func theCutMovesToWhereTheTeachersClassChanges() throws {
        // Gini on these probabilities cuts after row 2 (TreeLearnerTests works it out); the
        // teacher's class is "no" up to row 3 (0.5 is a tie, won by the first class).
        let p: [Float] = [0.1, 0.2, 0.5, 0.6, 0.7, 0.8]
        let data = Dataset(features: [Column(name: "x", values: .numeric([1, 2, 3, 4, 5, 6]))], rowCount: 6)
        let outputs = TeacherOutputs(task: .classification(classes: ["no", "yes"]), values: p.flatMap { [1 - $0, $0] })
        let grown = try fit(data, outputs, depth: 1, hard: false, refine: false)
        let refined = try fit(data, outputs, depth: 1, hard: false, refine: true)
        #expect(grown.threshold[0] == 2.5)
        #expect(refined.threshold[0] == 3.5)
        #expect(try training(refined, data, outputs).agreement == 1)
        // Node values are the mean probabilities of the rows each side now holds.
        #expect(abs(refined.value[refined.left[0]][1] - (0.1 + 0.2 + 0.5) / 3) < 1e-6)
        #expect(refined.realRows == [6, 3, 3])
    }

    @Test(arguments: [2, 3, 4])
    func hardTargetsNeverLoseTrainingAgreement(classes: Int) throws {
        var improved = 0
        for seed in UInt64(1)...6 {
            let (data, outputs) = problem(rows: 600, classes: classes, seed: seed)
            for depth in [2, 3, 4] {
                let grown = try fit(data, outputs, depth: depth, hard: true, refine: false)
                let refined = try fit(data, outputs, depth: depth, hard: true, refine: true)
                let before = try training(grown, data, outputs).agreement!
                let after = try training(refined, data, outputs).agreement!
                #expect(after >= before, "seed \(seed), depth \(depth): \(before) → \(after)")
                if after > before { improved += 1 }
                #expect(refined.leafCount == grown.leafCount && refined.depth <= grown.depth)
                try expectConsistent(refined, data)
            }
        }
        // Greedy growth is not optimal for agreement on these rows: refinement finds better.
        #expect(improved > 0)
    }

    @Test func regressionSquaredErrorNeverRises() throws {
        var improved = 0
        for seed in UInt64(1)...6 {
            let (data, outputs) = problem(rows: 500, classes: 0, seed: seed)
            for depth in [2, 3, 5] {
                let grown = try fit(data, outputs, depth: depth, hard: false, refine: false)
                let refined = try fit(data, outputs, depth: depth, hard: false, refine: true)
                let before = try training(grown, data, outputs).r2!
                let after = try training(refined, data, outputs).r2!
                #expect(after >= before - 1e-9, "seed \(seed), depth \(depth): \(before) → \(after)")
                if after > before + 1e-6 { improved += 1 }
                try expectConsistent(refined, data)
            }
        }
        #expect(improved > 0)
    }

    @Test func theSameRowsGiveTheSameTree() throws {
        let (data, outputs) = problem(rows: 800, classes: 3, seed: 9)
        #expect(try fit(data, outputs, depth: 4, hard: false, refine: true) == fit(data, outputs, depth: 4, hard: false, refine: true))
    }

    /// Counts add up, every branch holds real rows, level sets do not overlap, and each
    /// leaf's row count is the number of rows prediction sends to it.
    func expectConsistent(_ tree: DecisionTree, _ data: Dataset) throws {
        let leaves = try tree.leaves(for: data)
        for node in 0..<tree.nodeCount {
            if tree.isLeaf(node) {
                #expect(tree.realRows[node] == leaves.filter { $0 == node }.count)
            } else {
                #expect(tree.realRows[node] == tree.realRows[tree.left[node]] + tree.realRows[tree.right[node]])
                #expect(tree.realRows[tree.left[node]] > 0 && tree.realRows[tree.right[node]] > 0)
                #expect(Set(tree.leftLevels[node]).isDisjoint(with: tree.rightLevels[node]))
            }
        }
        #expect(tree.realRows[0] == data.rowCount)
    }
}
