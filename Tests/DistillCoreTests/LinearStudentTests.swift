import Foundation
import Testing

@testable import DistillCore

@Suite("Linear student: terms, model, student file and distillation")
struct LinearStudentTests {
    typealias F = LinearFixtures
    let scratch = TemporaryDirectory()

    static func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-12) -> Bool {
        abs(a - b) <= tolerance * max(1, abs(b))
    }

    // MARK: Terms

    /// Six rows: a number with gaps, a constant, a text column whose two most frequent
    /// levels tie (x, y) and which has an unused level (w), a text column whose most
    /// frequent level is not its first (q), a one-level text column and an empty number.
    static let mixed = Dataset(features: [
        Column(name: "a", values: .numeric([1, 2, .nan, 5, 4, .nan])),
        Column(name: "c", values: .numeric([7, 7, 7, .nan, 7, 7])),
        Column(name: "t", values: .categorical(codes: [0, 1, 1, 0, 2, -1], levels: ["x", "y", "z", "w"])),
        Column(name: "u", values: .categorical(codes: [1, 1, 0, 1, 1, 1], levels: ["p", "q"])),
        Column(name: "o", values: .categorical(codes: [0, 0, 0, 0, 0, 0], levels: ["only"])),
        Column(name: "m", values: .numeric([.nan, .nan, .nan, .nan, .nan, .nan])),
    ], rowCount: 6)

    @Test func termsStandardiseAndLeaveOutWhatCannotCarryAWeight() throws {
        let terms = try LinearTerms(learningFrom: Self.mixed)
        // a: present values 1, 2, 5, 4: mean 3, population variance (4 + 1 + 4 + 1)/4.
        // Indicator shares count every row, the missing one included (it is the reference):
        // t=y 2/6, t=z 1/6, u=p 1/6; the sd of an indicator of share s is √(s(1 − s)).
        let expected: [(name: String, feature: String, level: String?, mean: Double, scale: Double)] = [
            ("a", "a", nil, 3, 2.5.squareRoot()),
            ("t=y", "t", "y", 2.0 / 6, (2.0 / 6 * 4 / 6).squareRoot()),
            ("t=z", "t", "z", 1.0 / 6, (5.0 / 36).squareRoot()),
            ("u=p", "u", "p", 1.0 / 6, (5.0 / 36).squareRoot()),
        ]
        #expect(terms.terms.count == expected.count)
        for (term, want) in zip(terms.terms, expected) {
            #expect(term.name == want.name && term.feature == want.feature && term.level == want.level)
            #expect(Self.close(term.mean, want.mean) && Self.close(term.scale, want.scale), "\(term)")
        }
        #expect(terms.groups == [[0], [1, 2], [3]])
        #expect(terms.groupFeatures == ["a", "t", "u"])
        #expect(terms.referenceLevels == ["t": "x", "u": "q"])
        #expect(terms.leftOut.map(\.feature) == ["c", "o", "m"])
        #expect(terms.leftOut.map(\.reason) == ["constant column", "text column with one level", "every value is missing"])

        // On the training rows every indicator column is standardised exactly, and the
        // number is on its present rows (a missing one sits at 0, the mean).
        let design = try terms.design(Self.mixed)
        for j in 1..<4 {
            let column = Array(design.column(j))
            let mean = column.reduce(0, +) / 6
            let variance = column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 6
            #expect(abs(mean) < 1e-12 && Self.close(variance, 1))
        }
        let a = Array(design.column(0))
        let present = [0, 1, 3, 4].map { a[$0] }
        #expect(abs(present.reduce(0, +)) < 1e-12 && Self.close(present.reduce(0) { $0 + $1 * $1 } / 4, 1))
    }

    @Test func designCodesMissingAndUnseenValuesAsTheReference() throws {
        let terms = try LinearTerms(learningFrom: Self.mixed)
        // Levels listed in another order than in training, and one ("new") never seen.
        let data = Dataset(features: [
            Column(name: "a", values: .numeric([.nan, 3, 5.5, 1])),
            Column(name: "t", values: .categorical(codes: [-1, 1, 0, 3], levels: ["z", "new", "x", "y"])),
            Column(name: "u", values: .categorical(codes: [1, -1, 0, 1], levels: ["q", "p"])),
        ], rowCount: 4)
        let design = try terms.design(data)
        let sdA = 2.5.squareRoot(), sdY = (2.0 / 9).squareRoot(), sdZ = (5.0 / 36).squareRoot()
        let offY = -(1.0 / 3) / sdY, onY = (2.0 / 3) / sdY
        let offZ = -(1.0 / 6) / sdZ, onZ = (5.0 / 6) / sdZ
        let expected: [[Double]] = [
            [0, 0, 2.5 / sdA, -2 / sdA],  // a: missing is the mean
            [offY, offY, offY, onY],  // t=y: missing and "new" are the reference x
            [offZ, offZ, onZ, offZ],  // t=z
            [onZ, offZ, offZ, onZ],  // u=p: the missing row is the reference q
        ]
        for j in 0..<4 {
            let column = Array(design.column(j))
            for row in 0..<4 { #expect(Self.close(column[row], expected[j][row]), "term \(j), row \(row)") }
        }
        #expect(throws: DataError.self) { try terms.design(data.rows([0]).dropping("u")) }
    }

    @Test func aDataSetWithNothingThatVariesIsRefused() {
        let data = Dataset(features: [
            Column(name: "c", values: .numeric([2, 2, .nan])),
            Column(name: "o", values: .categorical(codes: [0, -1, 0], levels: ["only", "never"])),
        ], rowCount: 3)
        #expect(throws: DataError("no feature varies over the training rows, so a linear model has nothing to weigh: c (constant column), o (text column with one level)")) {
            try LinearTerms(learningFrom: data)
        }
    }

    // MARK: Model

    static func model(link: LinearModel.Link, weights: [[Double]], intercepts: [Double]) throws -> LinearModel {
        let task: TeacherTask = switch link {
        case .identity: .regression
        case .logit: .classification(classes: ["no", "yes"])
        case .softmax: .classification(classes: ["ant", "bee", "cow"])
        }
        return LinearModel(featureNames: mixed.featureNames, featureLevels: mixed.featureLevels,
                           task: task, terms: try LinearTerms(learningFrom: mixed), link: link, l1Ratio: 0.5,
                           fit: LinearFit(lambda: 0.05, weights: weights, intercepts: intercepts, iterations: 7,
                                          maxChange: 1e-9, converged: true, objective: 0.4))
    }

    /// η from raw weights on raw values: a number as given (its training mean, 3, when
    /// missing), an indicator 1 on its level and 0 otherwise.
    static func rawEta(_ model: LinearModel, output k: Int) -> [Double] {
        let (intercept, weights) = model.rawWeights(output: k)
        let a: [Double] = [1, 2, 3, 5, 4, 3]
        let t = ["x", "y", "y", "x", "z", ""], u = ["q", "q", "p", "q", "q", "q"]
        return (0..<6).map { row in
            intercept + weights[0] * a[row] + weights[1] * (t[row] == "y" ? 1 : 0)
                + weights[2] * (t[row] == "z" ? 1 : 0) + weights[3] * (u[row] == "p" ? 1 : 0)
        }
    }

    @Test func rawWeightsGiveTheStandardisedModelsPredictor() throws {
        let model = try Self.model(link: .identity, weights: [[0.8, -1.1, 0.4, 2.0]], intercepts: [0.3])
        let design = try model.terms.design(Self.mixed)
        let standardised = F.eta(design, weights: model.fit.weights, intercepts: model.fit.intercepts)[0]
        let raw = Self.rawEta(model, output: 0)
        for row in 0..<6 { #expect(abs(raw[row] - standardised[row]) < 1e-9, "row \(row)") }
        let predicted = try model.predict(Self.mixed)
        for row in 0..<6 { #expect(abs(Double(predicted[row]) - raw[row]) < 1e-5, "row \(row)") }
    }

    @Test func predictionsAreProbabilitiesOfTheLink() throws {
        let logit = try Self.model(link: .logit, weights: [[0.8, -1.1, 0.4, 2.0]], intercepts: [-0.2])
        let eta = Self.rawEta(logit, output: 0)
        let two = try logit.predict(Self.mixed)
        #expect(two.count == 12)
        for row in 0..<6 {
            #expect(abs(Double(two[2 * row + 1]) - F.sigmoid(eta[row])) < 1e-6)
            #expect(abs(Double(two[2 * row] + two[2 * row + 1]) - 1) < 1e-6)
        }

        let weights = [[0.8, -1.1, 0.4, 2.0], [0, 0, 0, 0], [-0.5, 0.9, 1.7, -0.3]]
        let softmax = try Self.model(link: .softmax, weights: weights, intercepts: [0.1, 0, -0.4])
        let etas = (0..<3).map { Self.rawEta(softmax, output: $0) }
        let expected = F.softmaxRows(etas)
        let three = try softmax.predict(Self.mixed)
        #expect(three.count == 18)
        for row in 0..<6 {
            #expect(abs(Double(three[(3 * row)..<(3 * row + 3)].reduce(0, +)) - 1) < 1e-6)
            for k in 0..<3 { #expect(abs(Double(three[3 * row + k]) - expected[3 * row + k]) < 1e-6) }
        }
    }

    func roundTrip(_ file: StudentFile, name: String) throws -> (LinearModel, String) {
        let path = scratch.write(name, bytes: Array(try file.encoded()))
        return (try LinearModel(file: try StudentFile.read(path), path: path), path)
    }

    @Test func studentFileRoundTrips() throws {
        let weights = [[0.8, -1.1, 0.4, 0], [0, 0, 0, 0], [-0.5, 0.9, 1.7, -0.3]]
        let model = try Self.model(link: .softmax, weights: weights, intercepts: [0.1, 0, -0.4])
        let file = model.file(parameters: ["l1_ratio": .number(0.5)], path: [model.fit])
        let (loaded, _) = try roundTrip(file, name: "student.json")
        #expect(loaded == model)
        #expect(try loaded.predict(Self.mixed) == model.predict(Self.mixed))
        #expect(file.linear?.path.first?.nonzeroFeatures == 3)
    }

    @Test func malformedStudentFilesAreRefusedNamingTheFile() throws {
        let model = try Self.model(link: .softmax, weights: [[0.8, -1.1, 0.4, 2.0], [0, 0, 0, 0], [-0.5, 0.9, 1.7, -0.3]],
                                   intercepts: [0.1, 0, -0.4])
        let good = model.file(parameters: [:], path: [])

        var shortWeights = good
        shortWeights.linear?.outputs[2].standardizedWeights.removeLast()
        try expectRefused(shortWeights, "output 2 has 3 weights for 4 terms")

        var unknownFeature = good
        unknownFeature.linear?.terms[1].feature = "colour"
        try expectRefused(unknownFeature, "term 1 ('t=y') uses 'colour', which is not among the features")

        var logitForThree = good
        logitForThree.linear?.link = .logit
        try expectRefused(logitForThree, "link 'logit' with 3 outputs does not fit a classification task of 3 classes")

        var levelOfANumber = good
        let number = try #require(good.linear?.terms[0].feature)
        levelOfANumber.linear?.terms[1].feature = number
        try expectRefused(levelOfANumber, "term 1 ('t=y') is a level, but '\(number)' is numeric")

        var editedRawWeight = good
        editedRawWeight.linear?.outputs[0].weights[0] += 0.5
        try expectRefused(editedRawWeight, "output 0's weights in the data's units disagree with its standardised weights")

        var softmaxForRegression = good
        softmaxForRegression.task = "regression"
        softmaxForRegression.classes = nil
        try expectRefused(softmaxForRegression, "link 'softmax' with 3 outputs does not fit a regression task")
    }

    @Test func forgedLinearStudentsAreRefusedNamingTheTermOrOutput() throws {
        let model = try Self.model(link: .softmax, weights: [[0.8, -1.1, 0.4, 2.0], [0, 0, 0, 0], [-0.5, 0.9, 1.7, -0.3]],
                                   intercepts: [0.1, 0, -0.4])
        let good = model.file(parameters: [:], path: [model.fit])
        var forged: [(StudentFile, String)] = []
        func forge(_ message: String, _ change: (inout LinearRecord) -> Void) {
            var file = good
            if var record = file.linear { change(&record); file.linear = record }
            forged.append((file, message))
        }
        forge("output 1 names the class 'cow' where it must name the class 'bee'") { $0.outputs[1].class = "cow" }
        forge("term 1 ('t=y') stands for the level 'v', which 't' does not have") { $0.terms[1].level = "v" }
        forge("term 1 ('t=y') stands for 'x', the reference level of 't', which has no term of its own") { $0.terms[1].level = "x" }
        forge("term 2 ('t=z') repeats an earlier term of 't' for 'y'") { $0.terms[2].level = "y" }
        forge("term 1 ('a') repeats an earlier term of 'a'") { $0.terms[1] = $0.terms[0] }
        forge("term 2 ('t=z') is apart from the other terms of 't'; a feature's terms are listed together") { $0.terms.swapAt(0, 1) }
        forge("\"reference_levels\" must give 't' one of its levels, as it has level terms") { $0.referenceLevels["t"] = nil }
        forge("\"reference_levels\" must give 'u' one of its levels, as it has level terms") { $0.referenceLevels["u"] = "r" }
        forge("\"reference_levels\" gives 'o', which has no level terms") { $0.referenceLevels["o"] = "only" }
        forge("\"lambda\" is -1.0; a penalty is a finite number ≥ 0") { $0.lambda = -1 }
        forge("\"l1_ratio\" is 2.0; it is from 0 to 1") { $0.l1Ratio = 2 }
        forge("path point 0 must have a finite \"lambda\" ≥ 0, \"nonzero_features\" ≥ 0, and per output one finite weight per term") {
            $0.path[0].standardizedWeights[2].removeLast()
        }
        forge("\"convergence\" must have \"iterations\" ≥ 0, a finite \"max_change\" ≥ 0 and a finite \"objective\"") { $0.convergence.iterations = -1 }
        forge("output 0's weights in the data's units are not finite numbers: a term's scale is too small for its weight") { $0.terms[0].scale = 1e-320 }
        for (file, message) in forged { try expectRefused(file, message) }

        // NaN cannot be written in JSON (the reader says so); a student made in memory is checked too.
        var notANumber = good
        notANumber.linear?.outputs[0].standardizedWeights[0] = .nan
        #expect(throws: DataError("memory.json: output 0 has a weight or intercept that is not a finite number")) {
            try LinearModel(file: notANumber, path: "memory.json")
        }
        var regression = try Self.model(link: .identity, weights: [[0.8, -1.1, 0.4, 2.0]], intercepts: [0.3]).file(parameters: [:], path: [])
        regression.linear?.outputs[0].class = "value"
        try expectRefused(regression, "output 0 names the class 'value' where it must name none, as a regression's output has no class")
    }

    func expectRefused(_ file: StudentFile, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let path = scratch.write("bad-\(UUID().uuidString).json", bytes: Array(try file.encoded()))
        let read = try StudentFile.read(path)
        #expect(throws: DataError("\(path): \(message)"), sourceLocation: sourceLocation) {
            try LinearModel(file: read, path: path)
        }
    }

    // MARK: Distillation

    /// `rows` rows of six numbers (of falling importance to the teacher), a constant and a
    /// text column; the teacher's two-class probabilities are σ of a linear score.
    static func problem(rows: Int = 200) -> (Dataset, TeacherOutputs) {
        let columns = F.randomColumns(6, rows: rows, seed: 91)
        var generator = SeededGenerator(seed: 92)
        let codes = (0..<rows).map { _ in Int32(generator.index(below: 3)) }
        var features = columns.enumerated().map { Column(name: "x\($0.offset)", values: .numeric($0.element.map(Float.init))) }
        features.append(Column(name: "flat", values: .numeric([Float](repeating: 1, count: rows))))
        features.append(Column(name: "kind", values: .categorical(codes: codes, levels: ["k0", "k1", "k2"])))
        let slopes = [2.0, -1.5, 1.0, 0.6, -0.3, 0.1]
        let p = (0..<rows).map { row in
            F.sigmoid((0..<6).reduce(0.2) { $0 + slopes[$1] * columns[$1][row] } + (codes[row] == 2 ? 0.8 : 0))
        }
        return (Dataset(features: features, rowCount: rows),
                TeacherOutputs(task: .classification(classes: ["no", "yes"]), values: p.flatMap { [Float(1 - $0), Float($0)] }))
    }

    func run(_ configuration: LinearConfiguration, data: Dataset, outputs: TeacherOutputs) throws -> LinearDistillation.Result {
        try LinearDistillation(configuration: configuration).run(train: data, trainOutputs: outputs, eval: data, evalOutputs: outputs)
    }

    @Test(arguments: [
        ({ var c = LinearConfiguration(); c.maxFeatures = 0; return c }(),
         "--max-features must be at least 1, not 0"),
        ({ var c = LinearConfiguration(); c.maxFeatures = 2; c.lambda = 0.1; return c }(),
         "give at most one of --max-features, --lambda and --target-fidelity"),
        ({ var c = LinearConfiguration(); c.lambda = 0.1; c.targetFidelity = 0.9; return c }(),
         "give at most one of --max-features, --lambda and --target-fidelity"),
        ({ var c = LinearConfiguration(); c.hard = true; c.temperature = 2; return c }(),
         "--temperature softens probabilities; it has no meaning with --hard"),
    ])
    func badConfiguration(configuration: LinearConfiguration, message: String) {
        // Eight features, one of them constant: seven can carry a weight.
        let (data, outputs) = Self.problem(rows: 40)
        #expect(throws: ConfigurationError(message)) { try run(configuration, data: data, outputs: outputs) }
    }

    @Test("--max-features above the features that can carry a weight means all of them, with a note")
    func maxFeaturesIsAnUpperBound() throws {
        let (data, outputs) = Self.problem(rows: 40)
        var all = LinearConfiguration()
        all.maxFeatures = 7
        var above = all
        above.maxFeatures = 8
        let exact = try run(all, data: data, outputs: outputs)
        let bounded = try run(above, data: data, outputs: outputs)
        #expect(bounded.model == exact.model)
        #expect(bounded.notes.contains("--max-features 8: the data has 7 feature(s) that can carry a weight, so the model may use all of them"))
        #expect(!exact.notes.contains { $0.hasPrefix("--max-features") })
    }

    @Test("the relaxed lasso refits the chosen features with less shrinkage and agrees more; --no-relax keeps the lasso model")
    func relaxedLasso() throws {
        let (data, outputs) = Self.problem()
        var configuration = LinearConfiguration()
        configuration.maxFeatures = 2
        configuration.pathLength = 40
        let relaxed = try run(configuration, data: data, outputs: outputs)
        configuration.relaxed = false
        let lasso = try run(configuration, data: data, outputs: outputs)
        let chosen = try #require(lasso.path.last { $0.nonzeroGroups(lasso.model.terms.groups).count <= 2 })
        #expect(lasso.model.fit == chosen)
        let groups = lasso.model.terms.groups
        #expect(relaxed.model.fit.nonzeroGroups(groups) == chosen.nonzeroGroups(groups))
        #expect(relaxed.model.fit.lambda < chosen.lambda)
        let agreement = { (r: LinearDistillation.Result) in r.train.agreement ?? 0 }
        #expect(agreement(relaxed) > agreement(lasso) + 0.02, "relaxed \(agreement(relaxed)), lasso \(agreement(lasso))")
        #expect(relaxed.notes.contains { $0.hasPrefix("relaxed lasso: the 2 chosen features refitted at λ = ") })
        #expect(!lasso.notes.contains { $0.hasPrefix("relaxed lasso") })
    }

    @Test func maxFeaturesKeepsTheLastModelWithinTheLimit() throws {
        let (data, outputs) = Self.problem()
        var configuration = LinearConfiguration()
        configuration.maxFeatures = 2
        configuration.pathLength = 40
        configuration.relaxed = false
        let result = try run(configuration, data: data, outputs: outputs)
        let chosen = try #require(result.curve.firstIndex { $0.chosen })
        #expect(result.curve.filter(\.chosen).count == 1)
        let counts = result.curve.map { $0.nonzeroFeatures ?? -1 }
        #expect(counts.first == 0)
        #expect(counts[chosen] <= 2 && counts[chosen] >= 1)
        #expect(counts[(chosen + 1)...].allSatisfy { $0 > 2 } && chosen < counts.count - 1)
        #expect(result.model.fit == result.path[chosen])
        #expect(result.model.nonzeroFeatures.count == counts[chosen])
        // The teacher leans on x0 and x1 most.
        #expect(Set(result.model.nonzeroFeatures).isSubset(of: ["x0", "x1"]))
        #expect(result.notes == ["left out flat: constant column"])
    }

    /// x3 ≈ x1 + x2 enters the lasso path first; once x1 and x2 are in, its weight shrinks
    /// through zero and it leaves (three features, then two), before returning with the
    /// opposite sign. (Worked out with scikit-learn's `lasso_path` on the same numbers.)
    /// The rule keeps the last model with at most two, after the drop, not the one before
    /// three first appear.
    @Test func maxFeaturesLooksPastAFeatureThatLeaves() throws {
        let rows = 100
        let i = (0..<rows).map(Double.init)
        let x1 = i.map { Foundation.sin(1.3 * $0 + 0.5) }
        let x2 = i.map { Foundation.cos((0.7 * $0 * $0).truncatingRemainder(dividingBy: 17)) }
        let x3 = i.indices.map { x1[$0] + x2[$0] + 0.6 * Foundation.sin(2.9 * i[$0] * i[$0] + 1.1) }
        let y = i.indices.map { x1[$0] + x2[$0] - 0.2 * x3[$0] }
        let data = Dataset(features: [x1, x2, x3].enumerated().map {
            Column(name: "x\($0.offset + 1)", values: .numeric($0.element.map(Float.init)))
        }, rowCount: rows)
        let outputs = TeacherOutputs(task: .regression, values: y.map(Float.init))
        var configuration = LinearConfiguration()
        configuration.maxFeatures = 2
        let result = try run(configuration, data: data, outputs: outputs)
        let counts = result.curve.map { $0.nonzeroFeatures ?? -1 }
        let chosen = try #require(result.curve.firstIndex { $0.chosen })
        #expect(counts[chosen] == 2)
        #expect(counts[..<chosen].contains(3), "no feature left before the chosen model: \(counts)")
        #expect(counts[(chosen + 1)...].allSatisfy { $0 == 3 } && chosen < counts.count - 1, "\(counts)")
        #expect(result.model.nonzeroFeatures == ["x1", "x2"])
    }

    @Test func separableHardLabelsKeepFiniteWeightsAndSaySo() throws {
        let rows = 40
        let x: [Float] = (0..<rows).map { Float($0) }
        let noise = F.normals(rows, seed: 93).map(Float.init)
        let data = Dataset(features: [Column(name: "x", values: .numeric(x)), Column(name: "noise", values: .numeric(noise))],
                           rowCount: rows)
        // Soft answers whose most probable class flips at x = 19.5: separable by x alone.
        let outputs = TeacherOutputs(task: .classification(classes: ["low", "high"]),
                                     values: x.flatMap { $0 < 20 ? [0.6, 0.4] : [0.3, 0.7] })
        var configuration = LinearConfiguration()
        configuration.hard = true
        let result = try run(configuration, data: data, outputs: outputs)
        #expect(result.notes.contains("a linear model separates the teacher's classes perfectly on the training rows; only the penalty keeps the weights finite, and the smallest penalties on the path give the largest weights"))
        #expect(result.path.allSatisfy { $0.weights.joined().allSatisfy(\.isFinite) && $0.intercepts.allSatisfy(\.isFinite) })
        let sizes = result.path.map { abs($0.weights[0][0]) }
        #expect(sizes.last == sizes.max() && sizes.last! > 1)

        // The same soft answers fitted as probabilities are not labels to separate.
        configuration.hard = false
        let soft = try run(configuration, data: data, outputs: outputs)
        #expect(!soft.notes.contains { $0.contains("separates") })
    }

    @Test func overlappingHardLabelsGetNoSeparationNote() throws {
        // The teacher says "yes" away from 0 on both sides, which no line separates.
        let x = F.normals(120, seed: 94)
        let data = Dataset(features: [Column(name: "x", values: .numeric(x.map(Float.init)))], rowCount: 120)
        let outputs = TeacherOutputs(task: .classification(classes: ["no", "yes"]),
                                     values: x.flatMap { abs($0) > 0.7 ? [0.2, 0.8] : [0.8, 0.2] })
        var configuration = LinearConfiguration()
        configuration.hard = true
        let result = try run(configuration, data: data, outputs: outputs)
        #expect(!result.notes.contains { $0.contains("separates") })
    }
}

extension Dataset {
    /// The same rows without one feature.
    fileprivate func dropping(_ name: String) -> Dataset {
        Dataset(features: features.filter { $0.name != name }, label: label, rowCount: rowCount)
    }
}
