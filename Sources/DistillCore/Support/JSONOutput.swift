import Foundation

/// The one JSON layout of every file Distill writes: indented, keys sorted, so that the
/// same content always gives the same bytes, ending with a newline.
public enum JSONOutput {
    public static func encode<Value: Encodable>(_ value: Value) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(value)
        data.append(0x0A)
        return data
    }
}
