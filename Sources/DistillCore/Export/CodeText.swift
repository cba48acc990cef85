/// The programming languages `distill export` writes a student's function in.
enum CodeLanguage: Sendable {
    case python, c, swift

    /// Words a generated identifier must not be: the language's keywords, and for C the
    /// macros of the headers the code includes (a field named `NAN` would be expanded).
    var reserved: Set<String> {
        switch self {
        case .python:
            ["False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
             "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
             "not", "or", "pass", "raise", "return", "try", "while", "with", "yield", "match", "case", "type"]
        case .c:
            // C's, and C++'s so the header can be included from C++ too.
            ["auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum", "extern",
             "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return", "short", "signed",
             "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void", "volatile", "while", "bool",
             "true", "false", "alignas", "alignof", "static_assert", "thread_local", "typeof", "nullptr", "constexpr",
             "class", "new", "delete", "this", "template", "typename", "namespace", "operator", "private", "public",
             "protected", "virtual", "friend", "try", "catch", "throw", "using", "explicit", "mutable", "export",
             "NULL", "NAN", "INFINITY", "HUGE_VAL", "HUGE_VALF", "HUGE_VALL", "EOF", "errno", "math_errhandling",
             "MATH_ERRNO", "MATH_ERREXCEPT", "FP_NAN", "FP_INFINITE", "FP_ZERO", "FP_SUBNORMAL", "FP_NORMAL",
             "FP_ILOGB0", "FP_ILOGBNAN", "M_E", "M_LOG2E", "M_LOG10E", "M_LN2", "M_LN10", "M_PI", "M_PI_2", "M_PI_4",
             "M_1_PI", "M_2_PI", "M_2_SQRTPI", "M_SQRT2", "M_SQRT1_2"]
        case .swift:
            ["associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
             "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public", "rethrows",
             "static", "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue", "default",
             "defer", "do", "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return", "throw", "switch",
             "where", "while", "Any", "as", "await", "false", "is", "nil", "self", "Self", "super", "throws", "true",
             "try", "Type", "Protocol", "some", "any", "consume", "copy", "borrowing", "consuming", "actor",
             // The types the generated code names, which a property or enum of that name would hide.
             "Double", "String", "Int", "Foundation", "Swift", "Input", "Output"]
        }
    }
}

/// Identifiers and text literals written into generated source code.
enum CodeText {
    /// One identifier per name, in order: its characters outside [A-Za-z0-9_] become `_`;
    /// one that is empty, starts with a digit or `_` (C reserves some such names) or is a
    /// reserved word gets the prefix `v_`; a repeat (of another or of `taken`, the names
    /// the generated code itself uses) gets `_2`, `_3`, ….
    static func identifiers(_ names: [String], in language: CodeLanguage, taken: Set<String> = []) -> [String] {
        var used = taken
        return names.map { name in
            var base = String(name.unicodeScalars.map { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") ? Character($0) : "_" })
            if base.isEmpty || base.first!.isNumber || base.first == "_" || language.reserved.contains(base) {
                base = "v_" + base
            }
            var candidate = base
            var n = 2
            while used.contains(candidate) {
                candidate = "\(base)_\(n)"
                n += 1
            }
            used.insert(candidate)
            return candidate
        }
    }

    /// `text` as a double-quoted string literal of `language`, in ASCII alone so that no
    /// editor, compiler or encoding setting can change it.
    /// - Throws: `DataError` for a NUL in C, where it would end the string.
    static func literal(_ text: String, in language: CodeLanguage) throws -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            // `??/` and friends are trigraphs in strict C modes.
            case "?" where language == .c: out += "\\?"
            case " "..."~": out.unicodeScalars.append(scalar)
            default:
                switch language {
                case .python:
                    out += scalar.value <= 0xFF ? "\\x" + hex(scalar.value, 2)
                        : scalar.value <= 0xFFFF ? "\\u" + hex(scalar.value, 4) : "\\U" + hex(scalar.value, 8)
                case .swift:
                    out += "\\u{" + hex(scalar.value, 1) + "}"
                case .c:
                    guard scalar != "\0" else {
                        throw DataError("the name '\(text.replacingOccurrences(of: "\0", with: "\\0"))' holds a NUL character, which a C string cannot carry; rename it")
                    }
                    // The UTF-8 bytes, in octal: a hex escape would swallow a following digit.
                    for byte in String(scalar).utf8 { out += "\\" + String(byte, radix: 8).leftPadded(to: 3) }
                }
            }
        }
        return out + "\""
    }

    /// A number the generated code reads back as exactly this Double: the shortest digits
    /// that round-trip, always with a point or exponent, so no language takes it for an integer.
    static func number(_ value: Double) throws -> String {
        guard value.isFinite else { throw DataError("the student holds the number \(value), which an export cannot write") }
        return "\(value)"
    }

    private static func hex(_ value: UInt32, _ digits: Int) -> String {
        String(value, radix: 16).leftPadded(to: digits)
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
