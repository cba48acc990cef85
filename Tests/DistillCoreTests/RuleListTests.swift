import Foundation
import Testing

@testable import DistillCore

@Suite("Rule-list students: routing, files, rewriting trees, learning and pruning")
struct RuleListTests {
    static let colours = ["red", "green", "blue"]

    /// Rows of x (numeric, some missing) and colour (categorical, some missing), drawn from a seed.
    static func rows(_ count: Int, seed: UInt64) -> Dataset {
        var generator = SeededGenerator(seed: seed)
        var x: [Float] = []
        var codes: [Int32] = []
        for _ in 0..<count {
            x.append(generator.index(below: 20) == 0 ? .nan : Float(generator.index(below: 1000)) / 100)
            codes.append(generator.index(below: 20) == 0 ? Column.missingCode : Int32(generator.index(below: 3)))
        }
        return Dataset(features: [Column(name: "x", values: .numeric(x)),
                                  Column(name: "colour", values: .categorical(codes: codes, levels: colours))], rowCount: count)
    }

    /// A three-class teacher: "c" for missing x, "a" for small x unless blue, "b" otherwise.
    static func teacher(_ data: Dataset) -> TeacherOutputs {
        guard case .numeric(let x) = data.features[0].values, case .categorical(let codes, let levels) = data.features[1].values else {
            preconditionFailure("x then colour")
        }
        let values = (0..<data.rowCount).flatMap { row -> [Float] in
            if x[row].isNaN { return [0.1, 0.1, 0.8] }
            let blue = codes[row] != Column.missingCode && levels[Int(codes[row])] == "blue"
            return x[row] <= 4 && !blue ? [0.9, 0.05, 0.05] : [0.2, 0.7, 0.1]
        }
        return TeacherOutputs(task: .classification(classes: ["a", "b", "c"]), values: values)
    }

    static func list(_ rules: [RuleList.Rule]) -> RuleList {
        RuleList(featureNames: ["x", "colour"], featureLevels: [nil, colours], task: .classification(classes: ["a", "b"]), rules: rules)
    }

    static func rule(_ conditions: [RuleCondition], _ p: Float) -> RuleList.Rule {
        RuleList.Rule(conditions: conditions, value: [p, 1 - p], realRows: 1, syntheticRows: 0)
    }

    @Test func aRowGetsTheFirstRuleWhoseConditionsAllHold() throws {
        let list = Self.list([
            Self.rule([RuleCondition(feature: 0, test: .atMost(2), missingMatches: false),
                       RuleCondition(feature: 1, test: .inLevels(["red"]), missingMatches: true)], 0.9),
            Self.rule([RuleCondition(feature: 1, test: .notInLevels(["red", "green"]), missingMatches: false)], 0.8),
            Self.rule([RuleCondition(feature: 0, test: .missing, missingMatches: true)], 0.7),
            Self.rule([], 0.1),
        ])
        let data = Dataset(features: [
            Column(name: "x", values: .numeric([1, 1, 3, 1, .nan, 2, .nan])),
            Column(name: "colour", values: .categorical(codes: [0, -1, 2, 3, 0, 1, 1], levels: ["red", "green", "blue", "purple"])),
        ], rowCount: 7)
        // red ≤ 2; missing colour passes rule 1; blue; an unseen level passes "not in"; missing x
        // fails rule 1 and passes rule 3; green ≤ 2 matches nothing; missing x green → rule 3.
        #expect(try list.firedRules(for: data) == [0, 0, 1, 1, 2, 3, 2])
        #expect(try Array(list.predict(data)[0..<2]) == list.rules[0].value)
        #expect(try list.conditionResults(rules: 0..<2, row: 5, in: data)[0] == [true, false])
    }

    @Test func aFileReadsBackAsTheSameList() throws {
        let list = Self.list([
            Self.rule([RuleCondition(feature: 0, test: .above(1.5), missingMatches: true)], 0.25),
            Self.rule([RuleCondition(feature: 1, test: .missing, missingMatches: true)], 0.5),
            Self.rule([], 0.75),
        ])
        let file = list.file(parameters: ["seed": .number(3)])
        let decoded = try JSONDecoder().decode(StudentFile.self, from: file.encoded())
        #expect(try RuleList(file: decoded, path: "s.json") == list)
    }

    @Test(arguments: [
        (#"[{"conditions":[{"feature":"x","test":"<=","threshold":1,"or_missing":false}],"value":[0.5,0.5],"rows":1,"synthetic_rows":0}]"#,
         "the last rule is the default and must have no conditions"),
        (#"[{"conditions":[],"value":[0.5,0.5],"rows":1,"synthetic_rows":0},{"conditions":[],"value":[0.5,0.5],"rows":1,"synthetic_rows":0}]"#,
         "rule 1 has no conditions"),
        (#"[{"conditions":[{"feature":"y","test":"<=","threshold":1,"or_missing":false}],"value":[0.5,0.5],"rows":1,"synthetic_rows":0},{"conditions":[],"value":[0.5,0.5],"rows":1,"synthetic_rows":0}]"#,
         "rule 1, condition 1 tests 'y'"),
        (#"[{"conditions":[{"feature":"colour","test":"<=","threshold":1,"or_missing":false}],"value":[0.5,0.5],"rows":1,"synthetic_rows":0},{"conditions":[],"value":[0.5,0.5],"rows":1,"synthetic_rows":0}]"#,
         "rule 1, condition 1 on categorical 'colour' must be"),
        (#"[{"conditions":[],"value":[0.5],"rows":1,"synthetic_rows":0}]"#, "rule 1 must have 2 finite value(s)"),
    ])
    func aMalformedFileIsRefusedNamingTheRule(rules: String, message: String) throws {
        let text = #"{"format":"distill.student/v1","kind":"rules","task":"classification","classes":["a","b"],"features":[{"name":"x","kind":"numeric"},{"name":"colour","kind":"categorical","levels":["red"]}],"parameters":{},"rules":"#
            + rules + "}"
        let file = try JSONDecoder().decode(StudentFile.self, from: Data(text.utf8))
        #expect { try RuleList(file: file, path: "bad.json") } throws: { "\($0)".contains("bad.json: \(message)") }
    }

    @Test func aTreeRewrittenAsRulesAnswersEveryRowAlike() throws {
        let train = Self.rows(3000, seed: 1)
        var configuration = TreeConfiguration()
        configuration.maxLeaves = 24
        let tree = try TreeLearner.fit(train, outputs: Self.teacher(train), configuration: configuration)
        let list = try RuleList(tree: tree)
        let test = Self.rows(5000, seed: 2)
        // Unseen levels too: rows whose colour the tree never saw.
        var unseen = test
        let codes = (0..<test.rowCount).map { $0 % 7 == 0 ? Column.missingCode : Int32($0 % 4) }
        unseen.features[1] = Column(name: "colour", values: .categorical(codes: codes, levels: Self.colours + ["purple"]))
        for data in [train, test, unseen] {
            #expect(try list.predict(data) == tree.predict(data))
        }
        #expect(list.rules.count <= tree.leafCount)
        let pathConditions = tree.leafRules().reduce(0) { $0 + $1.conditions.count }
        #expect(list.conditionCount < pathConditions, "simplifying dropped no condition")
    }

    @Test func theLearnerFindsTheTeachersRules() throws {
        let train = Self.rows(4000, seed: 3)
        let eval = Self.rows(2000, seed: 4)
        var configuration = RuleConfiguration()
        configuration.maxRules = 4
        let result = try RuleDistillation(configuration: configuration, seed: 1)
            .run(train: train, trainOutputs: Self.teacher(train), eval: eval, evalOutputs: Self.teacher(eval))
        #expect(result.eval.agreement == 1, "\(result.list.text())")
        #expect(result.list.ruleCount <= 4)
        #expect(result.list.rules.flatMap(\.conditions).contains { $0.test == .missing }, "no rule for missing x")
        // Each rule answers with the mean of its training rows, so the counts add up.
        #expect(result.list.rules.reduce(0) { $0 + $1.realRows } == Int((Double(train.rowCount) * 0.8).rounded()))
        #expect(result.curve.count == result.list.ruleCount + 1 && result.curve.last?.chosen == true)
        #expect(result.curve.first?.fidelity ?? 1 < 1)
    }

    @Test func aRegressionTeacherGetsMeanValues() throws {
        let train = Self.rows(2000, seed: 5)
        guard case .numeric(let x) = train.features[0].values else { return }
        let outputs = TeacherOutputs(task: .regression, values: x.map { $0.isNaN ? 0 : ($0 <= 5 ? 10 : 20) })
        var configuration = RuleConfiguration()
        configuration.prune = false
        let result = try RuleDistillation(configuration: configuration)
            .run(train: train, trainOutputs: outputs, eval: train, evalOutputs: outputs)
        #expect(result.eval.r2 == 1, "\(result.list.text())")
    }

    @Test func theRuleLimitsHold() throws {
        let train = Self.rows(3000, seed: 6)
        var configuration = RuleConfiguration()
        configuration.maxRules = 2
        configuration.maxConditions = 1
        configuration.minRuleRows = 400
        configuration.prune = false
        let result = try RuleDistillation(configuration: configuration)
            .run(train: train, trainOutputs: Self.teacher(train), eval: train, evalOutputs: Self.teacher(train))
        #expect(result.list.ruleCount <= 2)
        #expect(result.list.rules.allSatisfy { $0.conditions.count <= 1 })
        #expect(result.list.rules.dropLast().allSatisfy { $0.realRows >= 400 })
    }

    @Test func badOptionsAreNamed() {
        var cases: [(RuleConfiguration, String)] = []
        var configuration = RuleConfiguration()
        configuration.maxRules = 0
        cases.append((configuration, "--max-rules must be at least 1"))
        configuration = RuleConfiguration()
        configuration.maxConditions = 0
        cases.append((configuration, "--max-conditions must be at least 1"))
        configuration = RuleConfiguration()
        configuration.minRuleRows = 0
        cases.append((configuration, "--min-rule-rows must be at least 1"))
        configuration = RuleConfiguration()
        configuration.binning = .bins(1)
        cases.append((configuration, "--bins must be between 2 and 65534"))
        configuration = RuleConfiguration()
        configuration.hard = true
        cases.append((configuration, "--hard applies to classification teachers only"))
        for (configuration, message) in cases {
            #expect { try configuration.validate(task: .regression) } throws: { "\($0)".contains(message) }
        }
    }

    @Test func regionsTellWhetherConditionsCanHoldTogether() {
        let levels: [[String]?] = [nil, Self.colours]
        let atMost2 = RuleCondition(feature: 0, test: .atMost(2), missingMatches: false)
        let above2 = RuleCondition(feature: 0, test: .above(2), missingMatches: false)
        let above2OrMissing = RuleCondition(feature: 0, test: .above(2), missingMatches: true)
        let red = RuleCondition(feature: 1, test: .inLevels(["red"]), missingMatches: false)
        let notRed = RuleCondition(feature: 1, test: .notInLevels(["red"]), missingMatches: false)
        let region = { (conditions: [RuleCondition]) in RuleRegion(conditions, levels: levels) }
        let everything = RuleRegion()
        #expect(!region([atMost2, above2]).intersects(everything))
        #expect(!region([atMost2]).intersects(region([above2OrMissing])) )
        #expect(!region([red, notRed]).intersects(everything))
        #expect(region([notRed]).intersects(everything), "an unseen level is not red")
        var missingX = RuleRegion()
        missingX.restrict(0, to: RuleRegion.domain(RuleCondition(feature: 0, test: .missing, missingMatches: true), numeric: true))
        #expect(missingX.intersects(region([above2OrMissing])))
        #expect(!missingX.intersects(region([above2])))
    }

    /// `overlaps` decides in place what building the intersection would: checked on every
    /// pair of a grid of numeric and level domains, with and without missing values.
    @Test func overlapsIsTheIntersectionBeingNonEmpty() {
        let numbers: [RuleRegion.Domain] = [(-Float.infinity, 2), (2, 5), (1, 3), (5, Float.infinity), (3, 3)].flatMap { bounds in
            [false, true].map { RuleRegion.Domain.numbers(lower: bounds.0, upper: bounds.1, missing: $0) }
        }
        let levels: [RuleRegion.Domain] = [Set<String>(), ["red"], ["red", "blue"], ["blue"]].flatMap { set in
            [(false, false), (false, true), (true, false), (true, true)].map { RuleRegion.Domain.levels(set, excluded: $0.0, missing: $0.1) }
        }
        var overlapping = 0
        for family in [numbers, levels] {
            for a in family {
                for b in family {
                    #expect(a.overlaps(b) == !a.intersection(b).isEmpty, "\(a) and \(b)")
                    overlapping += a.overlaps(b) ? 1 : 0
                }
            }
        }
        #expect(overlapping > 0 && overlapping < numbers.count * numbers.count + levels.count * levels.count)
    }
}
