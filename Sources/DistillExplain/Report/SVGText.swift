import Foundation

/// The few SVG elements the report's charts are made of, with every text escaped.
enum SVGText {
    static func open(width: Double, height: Double, label: String) -> String {
        String(format: "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\" role=\"img\" aria-label=\"%@\">",
               width, height, width, height, HTMLText.escape(label))
    }

    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, class name: String) -> String {
        String(format: "<line class=\"%@\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", name, x1, y1, x2, y2)
    }

    static func text(_ content: String, _ x: Double, _ y: Double, anchor: String, rotate: Bool = false, class name: String = "label") -> String {
        let transform = rotate ? String(format: " transform=\"rotate(-90 %.1f %.1f)\"", x, y) : ""
        return String(format: "<text class=\"%@\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%@\"%@>", name, x, y, anchor, transform)
            + HTMLText.escape(content) + "</text>"
    }
}
