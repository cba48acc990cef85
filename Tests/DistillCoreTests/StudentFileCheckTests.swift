import Foundation
import Testing

@testable import DistillCore

/// Forged student files, made by editing the small fixtures: each breaks one thing the
/// commands rely on, and is refused when read, naming the file and the node, rule or feature.
@Suite("Student files: every invariant checked when read")
struct StudentFileCheckTests {
    let scratch = TemporaryDirectory()

    /// The fixture `name` with `original` replaced by `forged` (each found exactly once),
    /// read as a student; the error, with the scratch folder left out, or "read".
    func outcome(_ name: String, _ original: String, _ forged: String) throws -> String {
        let fixture = try #require(Bundle.module.path(forResource: "Fixtures/students/\(name)", ofType: "json"))
        let text = try String(contentsOfFile: fixture, encoding: .utf8)
        #expect(text.components(separatedBy: original).count == 2, "\(name) holds \(original) once")
        let path = scratch.write("student.json", text.replacingOccurrences(of: original, with: forged))
        do {
            _ = try Student.read(path)
            return "read"
        } catch {
            return "\(error)".replacingOccurrences(of: scratch.path + "/", with: "")
        }
    }

    @Test(arguments: [
        // The shape of the tree.
        (#""left": 1, "right": 2"#, #""left": 1, "right": 7"#,
         "node 0 names node 7 as a child; a child is a node listed after its parent, from 1 to 4"),
        (#""left": 3, "right": 4"#, #""left": 0, "right": 4"#,
         "node 2 names node 0 as a child; a child is a node listed after its parent, from 3 to 4"),
        (#""left": 3, "right": 4"#, #""left": 2, "right": 4"#,
         "node 2 names node 2 as a child; a child is a node listed after its parent, from 3 to 4"),
        (#""left": 1, "right": 2"#, #""left": 1, "right": 3"#,
         "node 3 is a child of both node 0 and node 2; every node but the root has one parent"),
        (#""left": 3, "right": 4"#, #""left": 3, "right": 3"#, "node 2 names node 3 as both children"),
        (#""feature": "colour", "left_levels": ["red"], "right_levels": ["blue"], "unseen": "right", "missing": "left", "left": 3, "right": 4, "#, "",
         "node 3 is not reached from the root: no split names it as a child"),
        (#"{"id": 3,"#, #"{"id": 5,"#, "node 3 has id 5; nodes must be listed in id order"),
        (#""left": 1, "right": 2"#, #""left": 1"#, "node 0 splits on 'x' but does not name both children, \"left\" and \"right\""),
        // Splits.
        (#""feature": "x""#, #""feature": "y""#, "node 0 splits on 'y', which is not among \"features\""),
        (#""threshold": 4.5, "#, "", "node 0 splits on numeric 'x' without a finite \"threshold\""),
        (#""missing": "right""#, #""missing": "rigth""#, "node 0 must say where missing values go: \"missing\" is \"left\" or \"right\""),
        (#""left_levels": ["red"]"#, #""left_levels": ["purple"]"#,
         "node 2 sends the level 'purple', which 'colour' does not have among its \"levels\""),
        (#""right_levels": ["blue"]"#, #""right_levels": ["blue", "red"]"#, "node 2 names the level 'red' twice; each level goes one way"),
        (#""right_levels": ["blue"], "#, "", "node 2 splits on categorical 'colour' without \"left_levels\" and \"right_levels\""),
        (#""unseen": "right", "#, "", "node 2 must say where levels it never saw go: \"unseen\" is \"left\" or \"right\""),
        // Answers and counts.
        (#"{"id": 1, "value": [1, 0]"#, #"{"id": 1, "value": [1]"#, "node 1 must have 2 finite value(s), one per class; it has 1"),
        (#"{"id": 1, "value": [1, 0]"#, #"{"id": 1, "value": [1.5, -0.5]"#, "node 1 has the probability 1.5, outside [0, 1]"),
        (#"{"id": 1, "value": [1, 0]"#, #"{"id": 1, "value": [0.5, 0.625]"#, "node 1's class probabilities sum to 1.125, not 1"),
        (#"{"id": 1, "value": [1, 0], "rows": 4"#, #"{"id": 1, "value": [1, 0], "rows": -4"#,
         "node 1 has \"rows\": -4; a count of rows is from 0 to 2^53"),
        (#""rows": 2, "synthetic_rows": 0, "impurity": 0}"#, #""rows": 2, "synthetic_rows": 100000000000000000, "impurity": 0}"#,
         "node 3 has \"synthetic_rows\": 100000000000000000; a count of rows is from 0 to 2^53"),
        (#""impurity": 0.375"#, #""impurity": -1"#, "node 2 has the impurity -1.0; an impurity is a finite number ≥ 0"),
        (#""task": "classification", "classes": ["a", "b"]"#, #""task": "regression""#,
         "node 0 must have 1 finite value(s), one per output; it has 2"),
        // Classes and features.
        (#""classes": ["a", "b"]"#, #""classes": ["a", "a"]"#, "the class 'a' is listed twice in \"classes\"; class names must be distinct"),
        (#"{"name": "colour", "kind""#, #"{"name": "x", "kind""#, "feature 1 ('x') has the name of feature 0; feature names must be distinct"),
        (#"{"name": "x", "kind": "numeric"}"#, #"{"name": "", "kind": "numeric"}"#, "feature 0 has an empty name"),
        (#"{"name": "x", "kind": "numeric"}"#, #"{"name": "x", "kind": "number"}"#,
         "feature 0 ('x') has the kind 'number'; it must be \"numeric\" or \"categorical\""),
        (#"{"name": "x", "kind": "numeric"}"#, #"{"name": "x", "kind": "numeric", "levels": ["1"]}"#, "feature 0 ('x') is numeric but lists \"levels\""),
        (#", "levels": ["blue", "green", "red"]"#, "", "feature 1 ('colour') is categorical but lists no \"levels\""),
        (#"["blue", "green", "red"]"#, #"["blue", "red", "red"]"#, "feature 1 ('colour') lists the level 'red' twice"),
    ])
    func aForgedTreeIsRefusedNamingTheNode(original: String, forged: String, message: String) throws {
        #expect(try outcome("small-tree", original, forged) == "student.json: " + message)
    }

    @Test(arguments: [
        (#""test": "missing", "or_missing": true"#, #""test": "missing", "or_missing": false"#,
         "rule 2, condition 1 on categorical 'colour' must be \"in\" or \"not in\" with \"levels\", or \"missing\" with \"or_missing\": true"),
        (#""levels": ["red"]"#, #""levels": ["red", "red"]"#, "rule 3, condition 1 names the level 'red' twice"),
        (#""threshold": 4.5, "#, "",
         "rule 1, condition 1 on numeric 'x' must be \"<=\" or \">\" with a finite \"threshold\", or \"missing\" with \"or_missing\": true"),
        (#""feature": "x", "test""#, #""feature": "z", "test""#, "rule 1, condition 1 tests 'z', which is not among \"features\""),
        (#""value": [0.5, 0.5], "rows": 2"#, #""value": [0.75, 0.75], "rows": 2"#, "rule 4's class probabilities sum to 1.5, not 1"),
        (#""value": [1, 0], "rows": 4"#, #""value": [1, 0], "rows": -1"#, "rule 1 has \"rows\": -1; a count of rows is from 0 to 2^53"),
        (#""classes": ["a", "b"]"#, #""classes": ["b", "b"]"#, "the class 'b' is listed twice in \"classes\"; class names must be distinct"),
        (#"{"name": "x", "kind": "numeric"}"#, #"{"name": "x", "kind": "categorical", "levels": ["a", "a"]}"#,
         "feature 0 ('x') lists the level 'a' twice"),
    ])
    func aForgedRuleListIsRefusedNamingTheRule(original: String, forged: String, message: String) throws {
        #expect(try outcome("small-rules", original, forged) == "student.json: " + message)
    }

    /// A rule may name a level its feature never had: it tests what training never saw.
    @Test func aRuleMayNameALevelTrainingNeverSaw() throws {
        #expect(try outcome("small-rules", #""levels": ["red"]"#, #""levels": ["red", "purple"]"#) == "read")
    }

    /// Reading checks the tree without recursion, in linear time: a chain of 100,000 splits
    /// (each with a leaf beside it) reads, and a row walks all the way down it.
    @Test func aChainOfAHundredThousandSplitsReads() throws {
        let splits = 100_000
        var nodes: [String] = []
        nodes.reserveCapacity(2 * splits + 1)
        for depth in 0..<splits {
            // Split 2d sends x ≤ d to its leaf 2d + 1, the rest on down to 2d + 2.
            nodes.append(#"{"id":\#(2 * depth),"feature":"x","threshold":\#(depth),"missing":"left","left":\#(2 * depth + 1),"right":\#(2 * depth + 2),"value":[0.5],"rows":1,"synthetic_rows":0,"impurity":0}"#)
            nodes.append(#"{"id":\#(2 * depth + 1),"value":[\#(depth)],"rows":1,"synthetic_rows":0,"impurity":0}"#)
        }
        nodes.append(#"{"id":\#(2 * splits),"value":[-1],"rows":1,"synthetic_rows":0,"impurity":0}"#)
        let text = #"{"format":"distill.student/v1","kind":"tree","task":"regression","features":[{"name":"x","kind":"numeric"}],"parameters":{},"nodes":["#
            + nodes.joined(separator: ",") + "]}"
        let path = scratch.write("chain.json", text)
        guard case .tree(let tree) = try Student.read(path) else {
            Issue.record("a tree student expected")
            return
        }
        #expect(tree.nodeCount == 2 * splits + 1)
        let data = Dataset(features: [Column(name: "x", values: .numeric([0.5, 99_998.5, 1e9]))], rowCount: 3)
        #expect(try tree.predict(data) == [1, 99_999, -1])
    }
}
