import Foundation

/// `run.json`: how a student was made, so that its report can say exactly what went in and
/// anyone can repeat the run: the command line, seed, Distill's version, every input file
/// with its SHA-256, the teacher, and a summary of the training data.
public struct RunRecord: Codable, Sendable, Equatable {
    public static let format = "distill.run/v1"

    /// One file the run read.
    public struct InputFile: Codable, Sendable, Equatable {
        /// What the file was: "teacher", "data", "eval data", "transfer set".
        public var role: String
        /// The path as given on the command line.
        public var path: String
        public var bytes: Int
        public var sha256: String

        public init(role: String, path: String) throws {
            self.role = role
            self.path = path
            (sha256, bytes) = try FileDigest.sha256(of: path)
        }
    }

    /// Which teacher answered.
    public struct TeacherRecord: Codable, Sendable, Equatable {
        /// "onnx", "program", "server" (`Teacher.kind`), or "transfer set" when the answers came from a saved transfer set.
        public var kind: String
        /// The one-line description (`Teacher.summary`).
        public var description: String
        public var classes: [String]?
        /// ONNX teachers: the number of weights and of operator nodes.
        public var parameters: Int?
        public var operators: Int?
        /// ONNX teachers: the output answered from, what it holds, and for logits the
        /// softmax temperature, so the run can be repeated with the same answers.
        public var output: String?
        public var outputKind: TeacherOutputKind?
        public var temperature: Float?

        enum CodingKeys: String, CodingKey {
            case kind, description, classes, parameters, operators, output
            case outputKind = "output_kind", temperature
        }

        public init(kind: String, description: String, task: TeacherTask, parameters: Int? = nil, operators: Int? = nil,
                    output: String? = nil, outputKind: TeacherOutputKind? = nil, temperature: Float? = nil) {
            self.kind = kind
            self.description = description
            if case .classification(let classes) = task { self.classes = classes }
            self.parameters = parameters
            self.operators = operators
            self.output = output
            self.outputKind = outputKind
            self.temperature = temperature
        }
    }

    public var format = RunRecord.format
    public var distillVersion = DistillVersion.current
    /// The command line, starting with `distill`.
    public var command: [String]
    public var seed: UInt64
    public var teacher: TeacherRecord
    public var inputs: [InputFile]
    public var trainRows: Int
    public var evalRows: Int
    /// Where the held-out rows came from, in words.
    public var evalSource: String
    /// The training rows' features, as read (before any imputation).
    public var features: [FeatureSummary]

    enum CodingKeys: String, CodingKey {
        case format, distillVersion = "distill_version", command, seed, teacher, inputs
        case trainRows = "train_rows", evalRows = "eval_rows", evalSource = "eval_source", features
    }

    public init(command: [String], seed: UInt64, teacher: TeacherRecord, inputs: [InputFile],
                train: Dataset, evalRows: Int, evalSource: String) {
        self.command = command
        self.seed = seed
        self.teacher = teacher
        self.inputs = inputs
        trainRows = train.rowCount
        self.evalRows = evalRows
        self.evalSource = evalSource
        features = train.features.map(FeatureSummary.init(column:))
    }

    /// Reads and checks a `run.json`.
    /// - Throws: `DataError` naming the file.
    public static func read(_ path: String) throws -> RunRecord {
        let record = try VersionedJSONFile.read(RunRecord.self, from: path, format: format, what: "run record")
        try record.check(path: path)
        return record
    }

    public func encoded() throws -> Data {
        try JSONOutput.encode(self)
    }
}
