import Testing

@testable import DistillCore

@Suite("Fidelity metrics, worked out by hand")
struct FidelityTests {
    let teacher = TeacherOutputs(task: .classification(classes: ["a", "b"]),
                                 values: [0.9, 0.1, 0.2, 0.8, 0.6, 0.4, 0.3, 0.7])
    let student: [Float] = [0.8, 0.2, 0.4, 0.6, 0.3, 0.7, 0.3, 0.7]

    @Test func classification() {
        let m = FidelityMetrics.measure(teacher: teacher, student: student)
        #expect(m.rows == 4)
        #expect(m.agreement == 0.75)
        #expect(m.confusion == [[1, 1], [0, 2]])
        #expect(abs(m.meanTotalVariation! - 0.15) < 1e-6)
        #expect(abs(m.klDivergence! - 0.080062) < 1e-4)
        #expect(m.perClass?[0] == .init(name: "a", teacherRows: 2, precision: 1, recall: 0.5))
        #expect(m.perClass?[1].precision.map { abs($0 - 2.0 / 3) < 1e-12 } == true)
        #expect(m.perClass?[1].recall == 1)
        #expect(m.teacherAccuracy == nil)
    }

    @Test func wilsonIntervalMatchesPublishedValues() {
        // 3 of 4: (0.3006, 0.9544); 0 of 10: (0, 0.2775); 95 of 100: (0.8882, 0.9785).
        let cases: [(Int, Int, Double, Double)] = [(3, 4, 0.3006, 0.9544), (0, 10, 0, 0.2775), (95, 100, 0.8882, 0.9785)]
        for (k, n, low, high) in cases {
            let bounds = WilsonInterval.bounds(successes: k, trials: n)
            #expect(abs(bounds.low - low) < 1e-4 && abs(bounds.high - high) < 1e-4, "\(k)/\(n): \(bounds)")
        }
        #expect(WilsonInterval.bounds(successes: 0, trials: 0) == (0, 1))
    }

    @Test func accuracyAgainstTheLabelIsApart() {
        let truth = Column(name: "y", values: .categorical(codes: [0, 0, 1, Column.missingCode], levels: ["a", "b"]))
        let m = FidelityMetrics.measure(teacher: teacher, student: student, truth: truth)
        // Rows 1–3 are labelled a, a, b: the teacher says a, b, a (1 right), the student a, b, b (2 right).
        #expect(m.labelledRows == 3)
        #expect(m.teacherAccuracy == 1.0 / 3)
        #expect(m.studentAccuracy == 2.0 / 3)
        #expect(m.agreement == 0.75)
    }

    @Test func aLabelNamingNoClassGivesNoAccuracy() {
        let truth = Column(name: "y", values: .categorical(codes: [0, 0, 1, Column.missingCode], levels: ["benign", "malignant"]))
        let m = FidelityMetrics.measure(teacher: teacher, student: student, truth: truth)
        #expect(m.labelledRows == 3)
        #expect(m.teacherAccuracy == nil && m.studentAccuracy == nil)
        // One row naming a class is enough for the others to count as wrong answers.
        let partly = Column(name: "y", values: .categorical(codes: [0, 1, 1, 1], levels: ["a", "other"]))
        #expect(FidelityMetrics.measure(teacher: teacher, student: student, truth: partly).teacherAccuracy == 0.25)
    }

    @Test func regression() {
        let teacher = TeacherOutputs(task: .regression, values: [1, 2, 3, 4])
        let truth = Column(name: "y", values: .numeric([1, 2, 3, .nan]))
        let m = FidelityMetrics.measure(teacher: teacher, student: [1, 2, 3, 5], truth: truth)
        #expect(m.r2 == 0.8)
        #expect(m.rmse == 0.5)
        #expect(m.mae == 0.25)
        #expect(m.agreement == nil)
        #expect(m.labelledRows == 3)
        #expect(m.teacherR2Truth == 1)
        #expect(m.studentR2Truth == 1)
    }

    @Test func constantTeacherHasNoR2() {
        let m = FidelityMetrics.measure(teacher: TeacherOutputs(task: .regression, values: [2, 2]), student: [2, 3])
        #expect(m.r2 == nil)
        #expect(m.mae == 0.5)
    }
}
