import Foundation

/// A teacher that is any program speaking Distill's line protocol on stdin/stdout.
///
/// The protocol, one JSON object per line each way:
/// 1. Distill sends `{"distill": 1}`; the program answers `{"classes": ["a", "b", …]}` for
///    a classifier or `{"regression": true}`.
/// 2. For each batch Distill sends `{"columns": [names…], "rows": [[v, …], …]}`, numbers as
///    numbers, text as strings and missing values as null; the program answers
///    `{"outputs": [[p_a, p_b, …], …]}` (one probability list per row, in class order) or,
///    for regression, `{"outputs": [y, …]}`.
/// The program's stderr passes through to Distill's.
public final class ProgramTeacher: Teacher {
    public let inputs = TeacherInputs.anyColumns
    public let task: TeacherTask
    public let summary: String
    public var kind: String { "program" }
    private let child: ChildProcess
    private let timeout: TimeInterval

    /// Starts the program and asks what it predicts.
    /// - Parameters:
    ///   - command: run through `/bin/sh -c`.
    ///   - timeout: seconds allowed for each exchange (greeting or batch).
    public init(command: String, timeout: TimeInterval = 60) throws {
        precondition(timeout > 0)
        child = try ChildProcess(command: command)
        self.timeout = timeout
        summary = "program '\(command)'"
        let deadline = Date().addingTimeInterval(timeout)
        do {
            try child.send(#"{"distill": 1}"#, deadline: deadline)
            task = try ProgramTeacher.parseGreeting(try child.receive(deadline: deadline))
        } catch {
            throw TeacherError("teacher program '\(command)', at the greeting: \(error)")
        }
    }

    public func predict(_ batch: TeacherBatch) throws -> [Float] {
        let deadline = Date().addingTimeInterval(timeout)
        try child.send(ProgramTeacher.encode(batch), deadline: deadline)
        let line = try child.receive(deadline: deadline)
        return try ProgramTeacher.parseOutputs(line, rows: batch.rowCount, task: task)
    }

    static func parseGreeting(_ line: String) throws -> TeacherTask {
        let object = try jsonObject(line)
        if let classes = object["classes"] as? [Any] {
            let names = try classes.map { value -> String in
                if let text = value as? String { return text }
                if let number = value as? NSNumber { return number.stringValue }
                throw TeacherError("a class name must be text or a number, not \(value)")
            }
            guard names.count >= 2 else { throw TeacherError("\"classes\" must name at least 2 classes, got \(names.count)") }
            guard Set(names).count == names.count else { throw TeacherError("\"classes\" names a class twice: \(names)") }
            return .classification(classes: names)
        }
        if object["regression"] as? Bool == true { return .regression }
        throw TeacherError("the greeting must be {\"classes\": [...]} or {\"regression\": true}, not \(cutShort(line))")
    }

    static func parseOutputs(_ line: String, rows: Int, task: TeacherTask) throws -> [Float] {
        let object = try jsonObject(line)
        guard let outputs = object["outputs"] as? [Any] else {
            throw TeacherError("the answer has no \"outputs\" list: \(cutShort(line))")
        }
        guard outputs.count == rows else {
            throw TeacherError("the answer has \(outputs.count) outputs for \(rows) rows")
        }
        let width = task.outputWidth
        var values: [Float] = []
        values.reserveCapacity(rows * width)
        for (row, output) in outputs.enumerated() {
            let numbers: [Any] = (output as? [Any]) ?? [output]
            guard numbers.count == width else {
                throw TeacherError("output \(row + 1) has \(numbers.count) values; expected \(width)")
            }
            for number in numbers {
                // JSON true/false also arrive as NSNumber, with the C type "c".
                guard let boxed = number as? NSNumber, String(cString: boxed.objCType) != "c" else {
                    throw TeacherError("output \(row + 1) holds \(number), not a number")
                }
                values.append(Float(boxed.doubleValue))
            }
        }
        return values
    }

    private static func jsonObject(_ line: String) throws -> [String: Any] {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(line.utf8))
        } catch {
            if line.contains("NaN") || line.contains("Infinity") {
                throw TeacherError("the answer holds NaN or Infinity, which are not numbers a teacher may give: \(cutShort(line))")
            }
            throw TeacherError("the answer is not a JSON object on one line: \(cutShort(line))")
        }
        guard let dictionary = object as? [String: Any] else {
            throw TeacherError("the answer is not a JSON object on one line: \(cutShort(line))")
        }
        return dictionary
    }

    private static func cutShort(_ line: String) -> String {
        line.isEmpty ? "(an empty line)" : "\"\(DataError.cutShort(line, limit: 80))\""
    }

    /// `{"columns": [...], "rows": [[...], ...]}`, written by hand: this runs for every batch
    /// and JSONSerialization would box every value.
    static func encode(_ batch: TeacherBatch) -> String {
        var text = #"{"columns": ["#
        text += batch.inputs.map { JSONText.string($0.name) }.joined(separator: ", ")
        text += #"], "rows": ["#
        for row in 0..<batch.rowCount {
            if row > 0 { text += ", " }
            text += "["
            for (position, input) in batch.inputs.enumerated() {
                if position > 0 { text += ", " }
                switch input.values {
                case .float(let values):
                    let value = values[row]
                    text += value.isNaN ? "null" : "\(value)"
                case .double(let values):
                    let value = values[row]
                    text += value.isNaN ? "null" : "\(value)"
                case .int64(let values):
                    text += "\(values[row])"
                case .string(let values):
                    text += values[row].isEmpty ? "null" : JSONText.string(values[row])
                }
            }
            text += "]"
        }
        text += "]}"
        return text
    }
}

/// JSON text for values written by hand.
enum JSONText {
    static func string(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += String(format: "\\u%04x", scalar.value)
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
