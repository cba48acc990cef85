import Foundation

/// Parses decimal numbers from raw bytes without building a String per field.
///
/// The common case (at most 19 significant digits, a decimal exponent within ±22) is
/// computed exactly in Double as Clinger's fast path does, then rounded to Float32;
/// anything else falls back to `strtod`. Rounding through Double matches what
/// `pandas.read_csv(dtype=float32)` produces.
enum NumberParser {
    enum Result: Equatable {
        case value(Double)
        case missing
        case notANumber
    }

    /// Powers of ten that Double holds exactly. A switch compiles to a constant table, where
    /// a global array would cost a lazy-initialisation check in the per-field loop.
    private static func exactPower(_ e: Int) -> Double {
        switch e {
        case 0: 1e0
        case 1: 1e1
        case 2: 1e2
        case 3: 1e3
        case 4: 1e4
        case 5: 1e5
        case 6: 1e6
        case 7: 1e7
        case 8: 1e8
        case 9: 1e9
        case 10: 1e10
        case 11: 1e11
        case 12: 1e12
        case 13: 1e13
        case 14: 1e14
        case 15: 1e15
        case 16: 1e16
        case 17: 1e17
        case 18: 1e18
        case 19: 1e19
        case 20: 1e20
        case 21: 1e21
        case 22: 1e22
        default: .nan
        }
    }

    /// What a field read as text holds, to tell a numeric column that infinity turned to
    /// text from a column of real text.
    enum TextKind: Equatable {
        /// A number (in Float32's range or not) or a missing value.
        case numeric
        /// `inf` or `infinity` in any letter case, with or without a sign.
        case infinity
        case text
    }

    /// - Parameter bytes: one field, unquoted, without its separators.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result {
        let (start, end) = trimmed(bytes)
        if start == end { return .missing }
        if let fast = fastPath(bytes, start, end) { return .value(fast) }
        if isMissingToken(bytes, start, end) { return .missing }
        return slowPath(bytes, start, end)
    }

    /// The field without the spaces and tabs around it, as start and end indices.
    private static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> (start: Int, end: Int) {
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        return (start, end)
    }

    static func kind(of text: String) -> TextKind {
        Array(text.utf8).withUnsafeBufferPointer { bytes in
            if isInfinity(bytes) { return .infinity }
            if case .notANumber = parse(bytes) { return .text }
            return .numeric
        }
    }

    private static let infinityTokens: [[UInt8]] = ["inf", "infinity"].map { Array($0.utf8) }

    /// "inf" or "infinity" in any letter case, with or without a sign, as `strtod` and
    /// pandas read them.
    private static func isInfinity(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var (start, end) = trimmed(b)
        if start < end, b[start] == 0x2D || b[start] == 0x2B { start += 1 }
        return isOneOf(infinityTokens, b, start, end)
    }

    private static func fastPath(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Double? {
        guard let (value, next) = scanNumber(b, start, end), next == end else { return nil }
        return value
    }

    /// Reads a number starting at `start` and stops at the first byte that cannot continue
    /// it; returns the value and where it stopped, or nil when there is no number there or it
    /// needs the slow path (over 19 significant digits, an exponent beyond ±22).
    static func scanNumber(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (Double, Int)? {
        guard start < end else { return nil }
        var i = start
        var negative = false
        if b[i] == 0x2D || b[i] == 0x2B {
            negative = b[i] == 0x2D
            i += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        var sawDigit = false
        while i < end, b[i] &- 0x30 < 10 {
            if digits < 19 {
                mantissa = mantissa &* 10 &+ UInt64(b[i] &- 0x30)
                if mantissa != 0 { digits += 1 }
            } else {
                return nil
            }
            sawDigit = true
            i += 1
        }
        if i < end, b[i] == 0x2E {
            i += 1
            while i < end, b[i] &- 0x30 < 10 {
                if digits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(b[i] &- 0x30)
                    if mantissa != 0 { digits += 1 }
                    exponent -= 1
                } else {
                    return nil
                }
                sawDigit = true
                i += 1
            }
        }
        guard sawDigit else { return nil }
        if i < end, b[i] | 0x20 == 0x65 {
            i += 1
            var expNegative = false
            if i < end, b[i] == 0x2D || b[i] == 0x2B {
                expNegative = b[i] == 0x2D
                i += 1
            }
            var e = 0
            var expDigits = 0
            while i < end, b[i] &- 0x30 < 10 {
                e = e * 10 + Int(b[i] &- 0x30)
                expDigits += 1
                if e > 10_000 { return nil }
                i += 1
            }
            guard expDigits > 0 else { return nil }
            exponent += expNegative ? -e : e
        }
        guard mantissa < (1 << 53) else { return nil }
        var value = Double(mantissa)
        if exponent < 0 {
            guard exponent >= -22 else { return nil }
            value /= exactPower(-exponent)
        } else if exponent > 0 {
            guard exponent <= 22 else { return nil }
            value *= exactPower(exponent)
        }
        return (negative ? -value : value, i)
    }

    private static let missingTokens: [[UInt8]] = ["na", "nan", "null"].map { Array($0.utf8) }

    /// "NA", "NaN" and "null" in any letter case.
    static func isMissingToken(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        isOneOf(missingTokens, b, start, end)
    }

    /// Whether `b[start..<end]` is one of `tokens` (written in lower case) in any letter case.
    private static func isOneOf(_ tokens: [[UInt8]], _ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        tokens.contains { token in
            token.count == end - start && token.indices.allSatisfy { b[start + $0] | 0x20 == token[$0] }
        }
    }

    /// Whether a field read as text means missing: empty, or NA, NaN or null in any letter case.
    static func isMissingText(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        return trimmed.isEmpty || trimmed == "na" || trimmed == "nan" || trimmed == "null"
    }

    /// Long mantissas and large exponents; rejects hex floats, "inf" and trailing text.
    private static func slowPath(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Result {
        for i in start..<end {
            let c = b[i]
            let allowed = (c &- 0x30 < 10) || c == 0x2E || c == 0x2D || c == 0x2B || c | 0x20 == 0x65
            if !allowed { return .notANumber }
        }
        var text = Array(b[start..<end])
        text.append(0)
        return text.withUnsafeBufferPointer { buffer -> Result in
            let base = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            var stop: UnsafeMutablePointer<CChar>?
            let value = strtod(base, &stop)
            guard let stop, stop - UnsafeMutablePointer(mutating: base) == end - start else { return .notANumber }
            return .value(value)
        }
    }
}
