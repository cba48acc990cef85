import Foundation

/// Reading the versioned JSON files Distill writes (`student.json`, `fidelity.json`,
/// `run.json`). Each carries `"format": "distill.<name>/v<N>"`; a file of a newer version is
/// refused rather than misread, and every failure names the file and the place in it.
public enum VersionedJSONFile {
    /// - Parameters:
    ///   - format: the newest format this Distill reads, e.g. `distill.student/v1`.
    ///   - what: the file's kind in messages, e.g. "student file".
    /// - Throws: `DataError` naming the file.
    public static func read<Value: Decodable>(_ type: Value.Type, from path: String, format: String, what: String) throws -> Value {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw DataError("\(path): cannot read the \(what): \((error as NSError).localizedDescription)")
        }
        let prefix = String(format.prefix { $0 != "/" }) + "/v"
        guard let newest = Int(format.dropFirst(prefix.count)) else {
            preconditionFailure("format names end in /v<number>: \(format)")
        }
        guard let header = try? JSONDecoder().decode(Header.self, from: data) else {
            throw DataError("\(path): not a Distill \(what) (not a JSON object)")
        }
        guard let found = header.format, found.hasPrefix(prefix), let version = Int(found.dropFirst(prefix.count)) else {
            throw DataError("\(path): not a Distill \(what) (no \"format\": \"\(format)\")")
        }
        guard version <= newest else {
            throw DataError("\(path): written as \(found) by a newer Distill; this one reads up to \(format)")
        }
        do {
            return try JSONDecoder().decode(Value.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw DataError("\(path): the \(what) lacks \"\(key.stringValue)\" at \(place(context.codingPath))")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw DataError("\(path): the \(what) has a wrong value at \(place(context.codingPath)): \(context.debugDescription)")
        } catch {
            throw DataError("\(path): the \(what) is malformed: \(error)")
        }
    }

    private struct Header: Decodable { var format: String? }

    private static func place(_ path: [CodingKey]) -> String {
        path.isEmpty ? "the top" : path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }
}
