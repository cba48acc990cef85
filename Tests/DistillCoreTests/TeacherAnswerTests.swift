import Foundation
import Testing

@testable import DistillCore

@Suite("A classifier's answers must be probabilities")
struct TeacherAnswerTests {
    let classifier = TeacherTask.classification(classes: ["a", "b", "c"])

    @Test func theFirstRowThatIsNotADistributionIsNamed() throws {
        let fine: [Float] = [0.2, 0.3, 0.5, 1, 0, 0]
        #expect(TeacherQuery.problem(in: fine, task: classifier) == nil)
        let problem = try #require(TeacherQuery.problem(in: fine + [0.5, 0.5, 0.5], task: classifier))
        #expect(problem.row == 2)
        #expect(problem.message.hasPrefix("the teacher's answer [0.5, 0.5, 0.5] is not a probability per class"))
        #expect(TeacherQuery.problem(in: [34, 0, 0], task: classifier)?.row == 0)
        #expect(TeacherQuery.problem(in: [-427, 214, 214], task: classifier)?.row == 0)
        #expect(TeacherQuery.problem(in: [.infinity, 0, 0], task: classifier)?.message.hasPrefix("the teacher answered inf") == true)
        // A regression value is any finite number.
        #expect(TeacherQuery.problem(in: [-427, 34], task: .regression) == nil)
        #expect(TeacherQuery.problem(in: [.nan], task: .regression) != nil)
    }

    /// An ONNX model whose two outputs come from a Sigmoid each (not a Softmax) loads as a
    /// classifier, and its answers, which do not sum to 1, are refused rather than learned.
    @Test func anONNXSigmoidPerClassIsRefusedWhenAsked() throws {
        let bytes = ONNXBuild.single("Sigmoid", inputShape: [nil, 2])
        let teacher = try ONNXTeacher(serialized: bytes, file: "two-sigmoids.onnx")
        let data = Dataset(features: [Column(name: "a", values: .numeric([-3, 0])), Column(name: "b", values: .numeric([-2, 0]))],
                           rowCount: 2)
        do {
            _ = try TeacherQuery(teacher: teacher).answers(for: data, source: "rows.csv")
            Issue.record("expected the answers to be refused")
        } catch {
            #expect("\(error)".hasPrefix("rows.csv: batch 1 (rows 1–2): row 1: the teacher's answer ["), "\(error)")
            #expect("\(error)".contains("is not a probability per class"))
        }
    }
}
