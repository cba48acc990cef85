import Testing

@testable import DistillCore

@Suite("Decision tree learner on hand-made data")
struct TreeLearnerTests {
    func data(_ x: [Float], _ colour: [String]? = nil) -> Dataset {
        var features = [Column(name: "x", values: .numeric(x))]
        if let colour {
            let levels = Array(Set(colour)).sorted()
            features.append(Column(name: "colour", values: .categorical(
                codes: colour.map { Int32(levels.firstIndex(of: $0)!) }, levels: levels)))
        }
        return Dataset(features: features, rowCount: x.count)
    }

    func classifier(_ pYes: [Float]) -> TeacherOutputs {
        TeacherOutputs(task: .classification(classes: ["no", "yes"]), values: pYes.flatMap { [1 - $0, $0] })
    }

    @Test func splitsHalfWayBetweenTheClasses() throws {
        let tree = try TreeLearner.fit(data([1, 2, 3, 4, 5, 6]), outputs: classifier([0, 0, 0, 1, 1, 1]),
                                       configuration: TreeConfiguration())
        #expect(tree.nodeCount == 3)
        #expect(tree.feature[0] == 0)
        #expect(tree.threshold[0] == 3.5)
        #expect(tree.impurity[0] == 0.5)
        #expect(tree.value[tree.left[0]] == [1, 0])
        #expect(tree.value[tree.right[0]] == [0, 1])
        #expect(tree.leafCount == 2 && tree.depth == 1)
    }

    @Test func softTargetsChooseTheCutThatBestSeparatesProbabilities() throws {
        // The teacher's argmax flips between rows 3 and 4, but the soft targets decide by
        // the gini of the mean probabilities on each side, worked out below.
        let p: [Float] = [0.1, 0.2, 0.5, 0.6, 0.7, 0.8]
        // As grown: refinement would move the cut to where the argmax flips.
        let tree = try TreeLearner.fit(data([1, 2, 3, 4, 5, 6]), outputs: classifier(p),
                                       configuration: { var c = TreeConfiguration(); c.maxDepth = 1; c.refine = false; return c }())
        // Work the costs out: left k rows, right 6 − k rows; cost = Σ n·(1 − p̄² − (1 − p̄)²).
        func cost(_ k: Int) -> Double {
            func part(_ values: ArraySlice<Float>) -> Double {
                let n = Double(values.count)
                let mean = values.reduce(0.0) { $0 + Double($1) } / n
                return n * (1 - mean * mean - (1 - mean) * (1 - mean))
            }
            return part(p[..<k]) + part(p[k...])
        }
        let bestK = (1...5).min { cost($0) < cost($1) }!
        #expect(tree.threshold[0] == Float(bestK) + 0.5)
        #expect(abs(tree.value[tree.left[0]][1] - p[..<bestK].reduce(0, +) / Float(bestK)) < 1e-6)
    }

    @Test func missingValuesLearnTheirSide() throws {
        // Missing rows behave like the high ones, so they go right.
        let tree = try TreeLearner.fit(data([1, 2, 3, .nan, .nan, 10, 11]), outputs: classifier([0, 0, 0, 1, 1, 1, 1]),
                                       configuration: TreeConfiguration())
        #expect(tree.nodeCount == 3)
        #expect(tree.threshold[0] == 6.5)
        #expect(tree.missingGoesLeft[0] == false)
        let leaves = try tree.leaves(for: data([.nan, 0, 20]))
        #expect(leaves == [tree.right[0], tree.left[0], tree.right[0]])
    }

    @Test func categoricalSubsetSplit() throws {
        // red and blue say yes, green and white no: one split, {green, white} | {blue, red}.
        let colours = ["red", "green", "blue", "white", "red", "green", "blue", "white"]
        let p: [Float] = [0.9, 0.1, 0.8, 0.2, 0.9, 0.1, 0.8, 0.2]
        var configuration = TreeConfiguration()
        configuration.maxDepth = 1
        configuration.minLevelRows = 1
        let tree = try TreeLearner.fit(data([0, 0, 0, 0, 0, 0, 0, 0], colours), outputs: classifier(p),
                                       configuration: configuration)
        #expect(tree.feature[0] == 1)
        #expect(tree.leftLevels[0] == ["green", "white"])
        #expect(tree.rightLevels[0] == ["blue", "red"])
        // A level never seen in training goes to the larger child (here equal: left).
        let unseen = Dataset(features: [Column(name: "x", values: .numeric([0, 0])),
                                        Column(name: "colour", values: .categorical(codes: [0, 1], levels: ["purple", "red"]))],
                             rowCount: 2)
        #expect(try tree.leaves(for: unseen) == [tree.left[0], tree.right[0]])
    }

    @Test func regressionUsesSquaredError() throws {
        let outputs = TeacherOutputs(task: .regression, values: [1, 1, 1, 5, 5, 9])
        var configuration = TreeConfiguration()
        configuration.criterion = .squaredError
        configuration.maxDepth = 1
        let tree = try TreeLearner.fit(data([1, 2, 3, 4, 5, 6]), outputs: outputs, configuration: configuration)
        // Cut after 3 rows: SSE 0 + 10.67 = 10.67; after 5: 19.2 + 0. The first wins.
        #expect(tree.threshold[0] == 3.5)
        #expect(tree.value[tree.right[0]] == [19.0 / 3])
        // Variance of 1, 1, 1, 5, 5, 9: 134/6 − (22/6)² = 80/9.
        #expect(abs(tree.impurity[0] - 80.0 / 9) < 1e-9)
    }

    @Test func minSamplesLeafAndMaxLeaves() throws {
        let x: [Float] = (0..<20).map(Float.init)
        let p: [Float] = (0..<20).map { $0 % 2 == 0 ? 0 : 1 }
        var configuration = TreeConfiguration()
        configuration.minSamplesLeaf = 5
        let tree = try TreeLearner.fit(data(x), outputs: classifier(p), configuration: configuration)
        #expect((0..<tree.nodeCount).filter(tree.isLeaf).allSatisfy { tree.rows($0) >= 5 })
        configuration = TreeConfiguration()
        configuration.maxLeaves = 4
        let small = try TreeLearner.fit(data(x), outputs: classifier(p), configuration: configuration)
        #expect(small.leafCount == 4)
    }

    @Test(arguments: [
        ({ var c = TreeConfiguration(); c.maxDepth = 0; return c }(), "--max-depth must be at least 1, not 0"),
        ({ var c = TreeConfiguration(); c.criterion = .entropy; return c }(), "--criterion entropy needs --hard: soft targets are fitted with gini"),
        ({ var c = TreeConfiguration(); c.binning = .bins(1); return c }(), "--bins must be between 2 and 65534 (or 'exact' or 'auto'), not 1"),
    ])
    func badConfiguration(configuration: TreeConfiguration, message: String) {
        #expect(throws: ConfigurationError(message)) {
            try TreeLearner.fit(data([1, 2]), outputs: classifier([0, 1]), configuration: configuration)
        }
    }
}
