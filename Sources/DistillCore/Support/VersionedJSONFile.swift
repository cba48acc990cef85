import Foundation

/// Reading the versioned JSON files Distill writes (`student.json`, `fidelity.json`,
/// `run.json`). Each carries `"format": "distill.<name>/v<N>"`; a file of a newer version is
/// refused rather than misread, and every failure names the file and the place in it: the
/// line and column of what is not JSON, the field (`.nodes[3].threshold`) and its line and
/// column for a value of the wrong type or out of its type's range.
public enum VersionedJSONFile {
    /// - Parameters:
    ///   - format: the newest format this Distill reads, e.g. `distill.student/v1`.
    ///   - what: the file's kind in messages, e.g. "student file".
    /// - Throws: `DataError` naming the file.
    public static func read<Value: Decodable>(_ type: Value.Type, from path: String, format: String, what: String) throws -> Value {
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw DataError("\(path): cannot read the \(what): \((error as NSError).localizedDescription)")
        }
        let prefix = String(format.prefix { $0 != "/" }) + "/v"
        guard let newest = Int(format.dropFirst(prefix.count)) else {
            preconditionFailure("format names end in /v<number>: \(format)")
        }
        let document: JSONValue
        do {
            document = try JSONValue.parse(bytes)
        } catch let error as JSONSyntaxError {
            throw DataError("\(path): not valid JSON at \(JSONPlace(offset: error.offset, in: bytes)): \(error.message)")
        }
        guard case .object(let members) = document.kind else {
            throw DataError("\(path): not a Distill \(what) (the file holds \(document.kindName), not a JSON object)")
        }
        guard let found = members.first(where: { $0.key == "format" }).flatMap({ member -> String? in
                  if case .string(let text) = member.value.kind { text } else { nil }
              }),
              found.hasPrefix(prefix), let version = Int(found.dropFirst(prefix.count)) else {
            throw DataError("\(path): not a Distill \(what) (no \"format\": \"\(format)\")")
        }
        guard version <= newest else {
            throw DataError("\(path): written as \(found) by a newer Distill; this one reads up to \(format)")
        }
        do {
            return try JSONValueDecoder.decode(Value.self, from: document, document: bytes)
        } catch let DecodingError.keyNotFound(key, context) {
            throw DataError("\(path): the \(what) lacks \"\(key.stringValue)\" at \(place(context.codingPath)) (\(context.debugDescription))")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
                let DecodingError.dataCorrupted(context) {
            throw DataError("\(path): the \(what) has a wrong value at \(place(context.codingPath)): \(context.debugDescription)")
        }
    }

    private static func place(_ path: [CodingKey]) -> String {
        path.isEmpty ? "the top" : path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }
}
