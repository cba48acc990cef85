import Foundation

/// A number, text, flag or nothing: the values of a student's recorded parameters.
public enum JSONScalar: Codable, Sendable, Equatable {
    case number(Double)
    case text(String)
    case flag(Bool)
    case null

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .flag(flag)
        } else if let text = try? container.decode(String.self) {
            self = .text(text)
        } else {
            // Last, so that a number out of range is reported as that.
            self = .number(try container.decode(Double.self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let value): try container.encode(value)
        case .text(let value): try container.encode(value)
        case .flag(let value): try container.encode(value)
        case .null: try container.encodeNil()
        }
    }
}

/// The versioned JSON form of every student (`student.json`), read by every command that
/// takes `--student`.
///
/// `format` is `distill.student/v1`; a file from a newer Distill (v2 and up) is refused
/// rather than misread. `kind` says which student it is ("tree", …).
public struct StudentFile: Codable, Sendable, Equatable {
    public static let format = "distill.student/v1"

    public struct Feature: Codable, Sendable, Equatable {
        public var name: String
        public var kind: String
        public var levels: [String]?

        /// The features of a student, from its names and its levels (nil for a number).
        static func list(names: [String], levels: [[String]?]) -> [Feature] {
            zip(names, levels).map { Feature(name: $0, kind: $1 == nil ? "numeric" : "categorical", levels: $1) }
        }
    }

    public var format: String
    public var kind: String
    public var task: String
    public var classes: [String]?
    public var features: [Feature]
    /// How the student was made: hyperparameters, seed, teacher queries.
    public var parameters: [String: JSONScalar]
    /// A tree student's nodes, in index order (node 0 is the root).
    public var nodes: [TreeNodeRecord]?
    /// A linear student's terms, weights, convergence and penalty path.
    public var linear: LinearRecord?
    /// A rule-list student's rules, in order, the default last.
    public var rules: [RuleRecord]?

    /// Each feature's levels, nil for a numeric one.
    var featureLevels: [[String]?] {
        features.map { $0.kind == "categorical" ? ($0.levels ?? []) : nil }
    }

    /// Reads and checks a student file.
    /// - Throws: `DataError` naming the file when it is not a student, of a newer format
    ///   version, or malformed.
    public static func read(_ path: String) throws -> StudentFile {
        try VersionedJSONFile.read(StudentFile.self, from: path, format: format, what: "student file")
    }

    /// Sorted keys and a fixed layout, so the same student always gives the same bytes.
    public func encoded() throws -> Data {
        try JSONOutput.encode(self)
    }
}
