import Foundation

/// An SVG chart of horizontal bars, one per named value, in the order given. With any
/// negative value the bars grow both ways from a zero line, negative ones in vermilion.
public struct BarChart {
    public struct Bar: Sendable {
        public var label: String
        public var value: Double

        public init(label: String, value: Double) {
            self.label = label
            self.value = value
        }
    }

    public var bars: [Bar]
    /// printf format of the value written beside each bar.
    public var valueFormat: String
    public var caption: String

    static let width = 640.0, rowHeight = 22.0, labelWidth = 220.0, valueWidth = 60.0
    /// Labels longer than this are cut, with the whole name in the bar's tooltip.
    static let labelLimit = 32

    public init(bars: [Bar], valueFormat: String = "%.3f", caption: String) {
        self.bars = bars
        self.valueFormat = valueFormat
        self.caption = caption
    }

    public var svg: String {
        let height = Double(bars.count) * BarChart.rowHeight + 8
        let largest = max(bars.map { abs($0.value) }.max() ?? 0, 1e-12)
        let signed = bars.contains { $0.value < 0 }
        let room = BarChart.width - BarChart.labelWidth - (signed ? 2 : 1) * BarChart.valueWidth
        let span = signed ? room / 2 : room
        let zero = BarChart.labelWidth + (signed ? BarChart.valueWidth + span : 0)
        var parts = [SVGText.open(width: BarChart.width, height: height, label: caption)]
        if signed { parts.append(SVGText.line(zero, 0, zero, height, class: "axis")) }
        for (index, bar) in bars.enumerated() {
            let top = 4 + Double(index) * BarChart.rowHeight
            let length = abs(bar.value) / largest * span
            let negative = bar.value < 0
            let label = bar.label.count > BarChart.labelLimit ? bar.label.prefix(BarChart.labelLimit - 1) + "…" : bar.label
            let value = String(format: valueFormat, bar.value)
            parts.append("<g><title>\(HTMLText.escape(bar.label)): \(value)</title>")
            parts.append(SVGText.text(String(label), BarChart.labelWidth - 8, top + 15, anchor: "end"))
            parts.append(String(format: "<rect class=\"bar%@\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>",
                                negative ? " negative" : "", negative ? zero - length : zero, top + 3, length, BarChart.rowHeight - 6))
            parts.append(SVGText.text(value, negative ? zero - length - 6 : zero + length + 6, top + 15, anchor: negative ? "end" : "start"))
            parts.append("</g>")
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }
}
