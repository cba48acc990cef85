/// Escaping for text from the data or the model (feature names, levels, class names)
/// placed in DOT, so that no name can end a label, open a tag or inject an attribute.
public enum DOTText {
    /// Text for the inside of a Graphviz HTML-like label: `&`, `<`, `>` and quotes become
    /// entities, line breaks become `<BR/>`. Braces and backslashes are literal there.
    public static func html(_ text: String) -> String {
        HTMLText.escape(text, lineBreak: "<BR/>")
    }

    /// A double-quoted DOT string (IDs, tooltips): quotes and backslashes escaped, line
    /// breaks as `\n`.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": continue
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
