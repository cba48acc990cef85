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
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else {
            self = .text(try container.decode(String.self))
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

    /// Reads and checks a student file.
    /// - Throws: `DataError` naming the file when it is not a student, of a newer format
    ///   version, or malformed.
    public static func read(_ path: String) throws -> StudentFile {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw DataError("\(path): cannot read the student file: \((error as NSError).localizedDescription)")
        }
        struct Header: Decodable { var format: String?; var kind: String? }
        guard let header = try? JSONDecoder().decode(Header.self, from: data) else {
            throw DataError("\(path): not a Distill student file (not a JSON object)")
        }
        guard let format = header.format, format.hasPrefix("distill.student/v"),
              let version = Int(format.dropFirst("distill.student/v".count)) else {
            throw DataError("\(path): not a Distill student file (no \"format\": \"\(StudentFile.format)\")")
        }
        guard version <= 1 else {
            throw DataError("\(path): written in student format v\(version) by a newer Distill; this one reads v1")
        }
        do {
            return try JSONDecoder().decode(StudentFile.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw DataError("\(path): the student file lacks \"\(key.stringValue)\" at \(StudentFile.place(context.codingPath))")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw DataError("\(path): the student file has a wrong value at \(StudentFile.place(context.codingPath)): \(context.debugDescription)")
        } catch {
            throw DataError("\(path): the student file is malformed: \(error)")
        }
    }

    /// Sorted keys and a fixed layout, so the same student always gives the same bytes.
    public func encoded() throws -> Data {
        try JSONOutput.encode(self)
    }

    private static func place(_ path: [CodingKey]) -> String {
        path.isEmpty ? "the top" : path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }
}
