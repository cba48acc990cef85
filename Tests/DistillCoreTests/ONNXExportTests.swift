import Foundation
import Testing

@testable import DistillCore

@Suite("distill export --format onnx: the graph each student becomes, read back with Distill's ONNX reader")
struct ONNXExportTests {
    /// The exported model, parsed and checked for dangling or doubly produced values.
    func model(_ student: Student) throws -> ONNXModel {
        try ONNXModel(serialized: try student.onnxModel(), file: "student.onnx")
    }

    func nodes(_ model: ONNXModel, _ op: String) -> [ONNXModel.Node] {
        model.nodes.filter { $0.opType == op }
    }

    func attributes(_ node: ONNXModel.Node) -> ONNXAttributes { ONNXAttributes(node.attributes) }

    func doubles(_ model: ONNXModel, _ name: String) throws -> [Double] {
        guard case .double(let values)? = try model.constant(name)?.data else { return [] }
        return values
    }

    /// x ≤ 0.1 and a level split (see `ExportTests.tree`); 0.1 is not a Float32, so a
    /// threshold written through a Double would differ from the stored one.
    @Test func treeIsOneEnsembleOnTheFloat32ThresholdsAndALevelColumn() throws {
        let tree = try ExportTests().tree(threshold: 0.1)
        let model = try model(.tree(tree))
        #expect(model.opsets == ["ai.onnx": 17, "ai.onnx.ml": 3])
        #expect(model.inputs.map(\.name) == ["x", "a|b \"c\""])
        #expect(model.inputs.map(\.type.tensorType.elemType) == [1, 8])
        #expect(model.inputs.allSatisfy { $0.type.tensorType.shape.dim.map(\.dimValue) == [0, 1] })
        #expect(model.outputs.map(\.name) == ["label", "probabilities", "leaf"])

        let ensemble = try #require(nodes(model, "TreeEnsembleRegressor").first)
        let a = attributes(ensemble)
        #expect(try a.floats("nodes_values") == [Float(0.1), 0, 0.5, 0, 0])
        #expect(try a.strings("nodes_modes") == ["BRANCH_LEQ", "LEAF", "BRANCH_LEQ", "LEAF", "LEAF"])
        #expect(try a.ints("nodes_truenodeids") == [1, 0, 3, 0, 0])
        #expect(try a.ints("nodes_falsenodeids") == [2, 0, 4, 0, 0])
        #expect(try a.ints("nodes_missing_value_tracks_true") == [0, 0, 1, 0, 0])
        #expect(try a.ints("nodes_featureids") == [0, 0, 1, 0, 0])
        #expect(try a.int("n_targets", default: 0) == 3)
        #expect(try a.string("post_transform", default: "") == "NONE")
        #expect(try a.ints("target_nodeids") == [1, 1, 1, 3, 3, 3, 4, 4, 4])
        #expect(try a.floats("target_weights") == [1, 0, 1, 0, 1, 3, 0.5, 0.5, 4])

        let encoder = try #require(nodes(model, "LabelEncoder").first)
        #expect(encoder.inputs == ["a|b \"c\""])
        #expect(try attributes(encoder).strings("keys_strings") == ["", "it's"])
        let values = try #require(try attributes(encoder).floats("values_floats"))
        #expect(values[0].isNaN && values[1] == 0, "missing is NaN, so the split's missing direction applies; it's goes left")
        #expect(try attributes(encoder).float("default_float", default: -1) == 1, "unseen levels go right")
        #expect(nodes(model, "Concat").first?.inputs == ["x", encoder.outputs[0]])
    }

    @Test func unseenLevelsGoingLeftListTheRightLevels() throws {
        var tree = try ExportTests().tree()
        tree.unseenGoesLeft[2] = true
        let encoder = try #require(nodes(try model(.tree(tree)), "LabelEncoder").first)
        #expect(try attributes(encoder).strings("keys_strings") == ["", "a\\b"])
        #expect(try attributes(encoder).floats("values_floats")?.last == 1)
        #expect(try attributes(encoder).float("default_float", default: -1) == 0)
    }

    @Test func linearIsTheStandardisedDesignTimesTheWeightsInDouble() throws {
        let logistic = try model(.linear(ExportTests().linear()))
        #expect(logistic.outputs.map(\.name) == ["label", "probabilities"])
        #expect(nodes(logistic, "LabelEncoder").isEmpty, "colour=red has weight 0, so it is left out")
        #expect(nodes(logistic, "Sigmoid").count == 1 && nodes(logistic, "Softmax").isEmpty)
        let where_ = try #require(nodes(logistic, "Where").first)
        #expect(try doubles(logistic, where_.inputs[1]) == [2], "a missing x counts as its mean")
        let matmul = try #require(nodes(logistic, "MatMul").first)
        #expect(try doubles(logistic, matmul.inputs[1]) == [1])
        let add = try #require(nodes(logistic, "Add").first { $0.inputs[0] == matmul.outputs[0] })
        #expect(try doubles(logistic, add.inputs[1]) == [0.5])

        var model = ExportTests().linear()
        model.fit.weights = [[1.0, -2.0]]
        let both = try self.model(.linear(model))
        let encoder = try #require(nodes(both, "LabelEncoder").first)
        #expect(encoder.inputs == ["colour"])
        #expect(try attributes(encoder).strings("keys_strings") == ["", "red"])
        #expect(try attributes(encoder).floats("values_floats") == [0, 1], "missing counts as the reference level")
        #expect(try attributes(encoder).float("default_float", default: -1) == 0, "so does an unseen level")
        let matmul2 = try #require(nodes(both, "MatMul").first)
        #expect(try doubles(both, matmul2.inputs[1]) == [1, -2])
    }

    /// Rule 1: x ≤ 1.5 or missing, and colour ∉ {blue}; rule 2: colour is missing; then the default.
    func rules() -> RuleList {
        RuleList(featureNames: ["x", "colour"], featureLevels: [nil, ["blue", "red"]], task: .classification(classes: ["a", "b"]),
                 rules: [.init(conditions: [RuleCondition(feature: 0, test: .atMost(1.5), missingMatches: true),
                                            RuleCondition(feature: 1, test: .notInLevels(["blue"]), missingMatches: false)],
                               value: [0.25, 0.75], realRows: 3, syntheticRows: 0),
                         .init(conditions: [RuleCondition(feature: 1, test: .missing, missingMatches: true)],
                               value: [0.5, 0.5], realRows: 2, syntheticRows: 0),
                         .init(conditions: [], value: [1, 0], realRows: 5, syntheticRows: 0)])
    }

    @Test func ruleListPicksTheFirstRuleThatFiresFromATable() throws {
        let model = try model(.rules(rules()))
        #expect(model.outputs.map(\.name) == ["label", "probabilities", "rule"])
        let atMost = try #require(nodes(model, "LessOrEqual").first)
        #expect(atMost.inputs[0] == "x")
        #expect(try model.constant(atMost.inputs[1])?.floats("threshold") == [1.5])
        let or = try #require(nodes(model, "Or").first)
        #expect(or.inputs[0] == atMost.outputs[0] && nodes(model, "IsNaN").map(\.outputs[0]).contains(or.inputs[1]))
        let encoders = nodes(model, "LabelEncoder").map(attributes)
        #expect(try encoders.map { try $0.strings("keys_strings") } == [["", "blue"], [""]])
        #expect(try encoders.map { try $0.floats("values_floats") } == [[0, 0], [1]])
        #expect(try encoders.map { try $0.float("default_float", default: -1) } == [1, 0], "an unseen level is not in {blue}")
        let concat = try #require(nodes(model, "Concat").first)
        #expect(concat.inputs.count == 3, "one column per rule, the default included")
        let gather = try #require(nodes(model, "Gather").first { $0.inputs[1] == nodes(model, "ArgMax").first?.outputs[0] })
        let table = try #require(try model.constant(gather.inputs[0]))
        #expect(table.shape == [3, 2])
        #expect(try table.floats("table") == [0.25, 0.75, 0.5, 0.5, 1, 0])
    }

    @Test func featureNamesNeverCollideWithTheGraphsOwnValues() throws {
        var tree = try ExportTests().tree()
        let stems = ["node", "constant", "LabelEncoder", "Concat", "TreeEnsembleRegressor", "Slice", "Gather", "Cast",
                     "ArgMax", "Identity", "Squeeze"]
        let decoys = stems.flatMap { stem in (1...40).map { "\(stem)_\($0)" } }
        tree.featureNames += decoys
        tree.featureLevels += decoys.map { _ in nil }
        let model = try model(.tree(tree))
        let names = model.inputs.map(\.name) + model.initializers.keys + model.nodes.flatMap(\.outputs)
        #expect(Set(names).count == names.count)
        #expect(model.inputs.count == 2 + decoys.count)
    }

    @Test func aFeatureNamedAsAnOutputIsRefused() throws {
        var tree = try ExportTests().tree()
        tree.featureNames[0] = "leaf"
        let error = #expect(throws: DataError.self) { try Student.tree(tree).onnxModel() }
        #expect(error?.description.contains("'leaf'") == true)
        var model = ExportTests().linear()
        model.featureNames[0] = "leaf"
        #expect(throws: Never.self, "a linear student has no leaf output") { try Student.linear(model).onnxModel() }
    }

    @Test func theEmptyLevelIsRefusedAsItMeansMissing() throws {
        var tree = try ExportTests().tree()
        tree.featureLevels[1] = ["a\\b", "it's", ""]
        let error = #expect(throws: DataError.self) { try Student.tree(tree).onnxModel() }
        #expect(error?.description.contains("empty level") == true)
        var listed = try ExportTests().tree()
        listed.leftLevels[2] = ["it's", ""]
        let split = #expect(throws: DataError.self) { try Student.tree(listed).onnxModel() }
        #expect(split?.description.contains("'a|b \"c\"'") == true)
    }

    @Test func onnxIsNotText() throws {
        #expect(throws: DataError.self) { try Student.tree(ExportTests().tree()).exported(as: .onnx) }
    }
}
