import Foundation

/// An SVG chart of horizontal bars, one per named value (≥ 0), largest first as given.
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
        let largest = max(bars.map(\.value).max() ?? 0, 1e-12)
        let span = BarChart.width - BarChart.labelWidth - BarChart.valueWidth
        var parts = [SVGText.open(width: BarChart.width, height: height, label: caption)]
        for (index, bar) in bars.enumerated() {
            let top = 4 + Double(index) * BarChart.rowHeight
            let length = max(bar.value, 0) / largest * span
            let label = bar.label.count > BarChart.labelLimit ? bar.label.prefix(BarChart.labelLimit - 1) + "…" : bar.label
            parts.append("<g><title>\(HTMLText.escape(bar.label)): \(String(format: valueFormat, bar.value))</title>")
            parts.append(SVGText.text(String(label), BarChart.labelWidth - 8, top + 15, anchor: "end"))
            parts.append(String(format: "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>",
                                BarChart.labelWidth, top + 3, length, BarChart.rowHeight - 6))
            parts.append(SVGText.text(String(format: valueFormat, bar.value), BarChart.labelWidth + length + 6, top + 15, anchor: "start"))
            parts.append("</g>")
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }
}
