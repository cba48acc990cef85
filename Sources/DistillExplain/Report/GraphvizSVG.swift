import Foundation

/// Graphviz's SVG made fit to sit inside an HTML page.
enum GraphvizSVG {
    /// The `<svg>` element alone: the XML declaration, doctype and generator comments before
    /// it are dropped (HTML does not want them, and the generator comment names the
    /// Graphviz version, which would tie the report's bytes to one machine's library).
    static func inline(_ svg: Data) -> String {
        let text = String(decoding: svg, as: UTF8.self)
        guard let start = text.range(of: "<svg") else { return text }
        return String(text[start.lowerBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
