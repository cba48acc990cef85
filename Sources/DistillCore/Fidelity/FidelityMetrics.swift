import Foundation

/// How closely a student reproduces its teacher on one set of rows.
///
/// Fidelity compares the student with the teacher, never with the ground truth; accuracy
/// against a label, when one is given, is reported in fields of its own. Fields that do not
/// apply to the task are absent from the JSON form.
public struct FidelityMetrics: Sendable, Equatable, Codable {
    public var rows: Int

    // Classification.
    /// Share of rows where the student's top class is the teacher's.
    public var agreement: Double?
    /// 95% Wilson interval of `agreement`.
    public var agreementCI: [Double]?
    public var perClass: [ClassFidelity]?
    /// Row counts: `confusion[t][s]` rows where the teacher says class t and the student s.
    public var confusion: [[Int]]?
    /// Mean total-variation distance between the probability vectors (0 = identical).
    public var meanTotalVariation: Double?
    /// Mean KL(teacher ‖ student) in nats, the student's probabilities smoothed by
    /// `FidelityMetrics.smoothing` so a zero it gives where the teacher does not stays finite.
    public var klDivergence: Double?

    // Regression.
    /// 1 − SSE / SST of the student against the teacher's value, SST around the teacher's mean.
    public var r2: Double?
    public var rmse: Double?
    public var mae: Double?

    // Against the ground truth (`--label`).
    public var labelledRows: Int?
    public var teacherAccuracy: Double?
    public var studentAccuracy: Double?
    public var teacherR2Truth: Double?
    public var studentR2Truth: Double?

    public struct ClassFidelity: Sendable, Equatable, Codable {
        public var name: String
        /// Rows the teacher puts in this class.
        public var teacherRows: Int
        /// Of the rows the student puts in this class, the share the teacher does too.
        public var precision: Double?
        /// Of the rows the teacher puts in this class, the share the student does too.
        public var recall: Double?
    }

    enum CodingKeys: String, CodingKey {
        case rows, agreement, agreementCI = "agreement_ci", perClass = "per_class", confusion
        case meanTotalVariation = "mean_tv", klDivergence = "kl"
        case r2, rmse, mae
        case labelledRows = "labelled_rows", teacherAccuracy = "teacher_accuracy", studentAccuracy = "student_accuracy"
        case teacherR2Truth = "teacher_r2_truth", studentR2Truth = "student_r2_truth"
    }

    public static let smoothing = 1e-6

    init(rows: Int) {
        self.rows = rows
    }
}
