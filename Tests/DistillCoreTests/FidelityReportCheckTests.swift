import Foundation
import Testing

@testable import DistillCore

/// Forged `fidelity.json` and `run.json` files: each breaks one thing the report relies on
/// and is refused naming the file and the field.
@Suite("Fidelity and run files: every field checked when read")
struct FidelityReportCheckTests {
    let scratch = TemporaryDirectory()

    /// A fidelity report of the small tree fixture (leaves 1, 3 and 4; classes a and b).
    static let report = """
        {"format": "distill.fidelity/v1", "task": "classification", "student": {"kind": "tree", "leaves": 3, "depth": 2, "nodes": 5},
         "train": {"rows": 8, "agreement": 1},
         "eval": {"rows": 4, "agreement": 0.75, "agreement_ci": [0.3, 0.95], "confusion": [[1, 1], [0, 2]],
                  "per_class": [{"name": "a", "teacherRows": 2, "precision": 1, "recall": 0.5}, {"name": "b", "teacherRows": 2, "precision": 0.667, "recall": 1}]},
         "curve": [{"leaves": 3, "depth": 2, "alpha": 0, "fidelity": 0.75, "chosen": true}],
         "leaves": [{"leaf": 1, "rows": 2, "agreement": 1}, {"leaf": 3, "rows": 1, "agreement": 0}, {"leaf": 4, "rows": 1, "agreement": 1}],
         "teacher_queries": 8, "notes": []}
        """

    func student(_ name: String) throws -> Student {
        try Student.read(try #require(Bundle.module.path(forResource: "Fixtures/students/\(name)", ofType: "json")))
    }

    /// The report with `original` replaced by `forged`, read and set against `studentName`;
    /// the error with the scratch folder left out, or "read".
    func outcome(_ original: String, _ forged: String, against studentName: String = "small-tree") throws -> String {
        #expect(Self.report.components(separatedBy: original).count == 2, "the report holds \(original) once")
        let path = scratch.write("fidelity.json", Self.report.replacingOccurrences(of: original, with: forged))
        do {
            try FidelityReport.read(path).check(against: student(studentName), path: path)
            return "read"
        } catch let error as DataError {
            return error.description.replacingOccurrences(of: scratch.path + "/", with: "")
        }
    }

    @Test func aConsistentReportReads() throws {
        #expect(try outcome(#""teacher_queries": 8"#, #""teacher_queries": 8"#) == "read")
    }

    @Test(arguments: [
        (#""teacher_queries": 8"#, #""teacher_queries": -1"#, ".teacher_queries is -1; a count is from 0 to 2^53"),
        (#""agreement": 0.75, "#, #""agreement": 1.5, "#, ".eval.agreement is 1.5; a share is from 0 to 1"),
        (#"[0.3, 0.95]"#, #"[0.3]"#, ".eval.agreement_ci must hold two numbers, its low and high end"),
        (#"[[1, 1], [0, 2]]"#, #"[[1, 1], [0]]"#, ".eval.confusion[1] has 1 entries; the matrix is 2 × 2"),
        (#"[[1, 1], [0, 2]]"#, #"[[1, 1], [0, -2]]"#, ".eval.confusion[1][1] is -2; a count is from 0 to 2^53"),
        (#"[[1, 1], [0, 2]]"#, #"[[1, 1, 0], [0, 2, 0], [0, 0, 0]]"#, ".eval.confusion has 3 rows for 2 classes in \"per_class\""),
        (#""fidelity": 0.75"#, #""fidelity": 2"#, ".curve[0].fidelity is 2.0; agreement and R² are at most 1"),
        (#""alpha": 0"#, #""alpha": -0.5"#, ".curve[0].alpha is -0.5; a penalty is ≥ 0"),
        (#"{"leaf": 3, "rows": 1"#, #"{"leaf": -3, "rows": 1"#, ".leaves[1].leaf is -3; a count is from 0 to 2^53"),
        (#""task": "classification""#, #""task": "ranking""#, ".task is 'ranking'; it must be \"classification\" or \"regression\""),
    ])
    func aMalformedReportIsRefusedNamingTheField(original: String, forged: String, message: String) throws {
        #expect(try outcome(original, forged) == "fidelity.json: " + message)
    }

    @Test(arguments: [
        (#"{"leaf": 3, "rows": 1"#, #"{"leaf": 2, "rows": 1"#, ".leaves[1].leaf is 2, which is not a leaf of the student"),
        (#"{"leaf": 3, "rows": 1"#, #"{"leaf": 99, "rows": 1"#, ".leaves[1].leaf is 99, which is not a leaf of the student"),
        (#"{"name": "b", "teacherRows""#, #"{"name": "c", "teacherRows""#,
         #".eval.per_class names other classes than the student's: ["a", "c"] against ["a", "b"]"#),
        (#""kind": "tree", "leaves": 3"#, #""kind": "rules", "leaves": 3"#,
         ".task says a classification rules student, but student.json holds a classification tree student"),
    ])
    func aReportThatDoesNotFitItsStudentIsRefused(original: String, forged: String, message: String) throws {
        #expect(try outcome(original, forged) == "fidelity.json: " + message)
    }

    @Test func aRuleListsReportNamesRulesItHas() throws {
        // The list has four rules, 0 to 3 in the report: its leaves 1, 3 and 4 become rules 1, 3 and 2.
        let text = Self.report.replacingOccurrences(of: #""kind": "tree", "leaves": 3, "depth": 2, "nodes": 5"#, with: #""kind": "rules", "rules": 3, "conditions": 3"#)
            .replacingOccurrences(of: #"{"leaf": 4"#, with: #"{"leaf": 2"#)
        let path = scratch.write("fidelity.json", text)
        let report = try FidelityReport.read(path)
        #expect(throws: Never.self) { try report.check(against: student("small-rules"), path: path) }
        var beyond = report
        beyond.leaves[2].leaf = 4
        #expect(throws: DataError("\(path): .leaves[2].leaf is 4, which is not a rule of the student")) {
            try beyond.check(against: student("small-rules"), path: path)
        }
    }

    @Test func aRunRecordWithANegativeCountIsRefused() {
        let text = """
            {"format": "distill.run/v1", "distill_version": "0", "command": ["distill"], "seed": 1, "teacher": {"kind": "onnx", "description": "t"},
             "inputs": [{"role": "data", "path": "d.csv", "bytes": 10, "sha256": "0"}], "train_rows": 1, "eval_rows": 1, "eval_source": "split",
             "features": [{"name": "x", "kind": "text", "rows": 1, "missing": 0, "levels": -5, "top_levels": []}]}
            """
        let path = scratch.write("run.json", text)
        #expect(throws: DataError("\(path): .features[0].levels is -5; a count is from 0 to 2^53")) { try RunRecord.read(path) }
        let fine = scratch.write("fine.json", text.replacingOccurrences(of: "-5", with: "5"))
        #expect(throws: Never.self) { try RunRecord.read(fine) }
    }
}
