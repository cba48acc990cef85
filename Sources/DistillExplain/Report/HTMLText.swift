/// Escaping for text from the data or the model placed in HTML or SVG, so that no name can
/// close an element, open a tag or an attribute, or start a script.
public enum HTMLText {
    /// `&`, `<`, `>` and both quotes become entities, so the result is safe both as element
    /// text and inside a quoted attribute; control characters (not allowed in XML) become
    /// U+FFFD; a line break becomes `lineBreak`.
    public static func escape(_ text: String, lineBreak: String = "\n") -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\n": out += lineBreak
            case "\r": continue
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
