import Foundation

/// An SVG line chart of one series with one point marked as chosen: held-out fidelity
/// against model size.
public struct LineChart {
    public struct Point: Sendable {
        public var x: Double
        public var y: Double
        /// The point's tooltip.
        public var note: String

        public init(x: Double, y: Double, note: String) {
            self.x = x
            self.y = y
            self.note = note
        }
    }

    public var points: [Point]
    public var chosen: Int?
    public var xLabel: String
    public var yLabel: String

    static let width = 640.0, height = 280.0
    static let left = 60.0, right = 20.0, top = 20.0, bottom = 46.0

    public init(points: [Point], chosen: Int?, xLabel: String, yLabel: String) {
        let order = points.indices.sorted { points[$0].x < points[$1].x }
        self.points = order.map { points[$0] }
        self.chosen = chosen.flatMap { order.firstIndex(of: $0) }
        self.xLabel = xLabel
        self.yLabel = yLabel
    }

    public var svg: String {
        let w = LineChart.width, h = LineChart.height
        let x = ChartAxis(values: points.map(\.x), from: LineChart.left, to: w - LineChart.right, allowLog: true)
        let y = ChartAxis(values: points.map(\.y), from: h - LineChart.bottom, to: LineChart.top, allowLog: false)
        var parts = [SVGText.open(width: w, height: h, label: "\(yLabel) against \(xLabel)")]
        parts += ChartAxis.frame(x: x, y: y, xLabel: xLabel + (x.isLog ? " (log scale)" : ""), yLabel: yLabel, height: h)
        let path = points.map { String(format: "%.1f,%.1f", x.position($0.x), y.position($0.y)) }.joined(separator: " ")
        parts.append("<polyline class=\"series\" points=\"\(path)\"/>")
        for point in points {
            parts.append(String(format: "<circle class=\"point\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\"><title>%@</title></circle>",
                                x.position(point.x), y.position(point.y), HTMLText.escape(point.note)))
        }
        if let chosen, points.indices.contains(chosen) {
            let point = points[chosen]
            let px = x.position(point.x), py = y.position(point.y)
            parts.append(String(format: "<circle class=\"chosen\" cx=\"%.1f\" cy=\"%.1f\" r=\"7\"/>", px, py))
            // Above the point, where a rising curve leaves room, unless it is at the top.
            let anchor = px > (x.start + x.end) / 2 ? "end" : "start"
            let labelY = py - 14 > LineChart.top + 4 ? py - 14 : py + 22
            parts.append(SVGText.text("chosen: " + point.note, px + (anchor == "end" ? -10 : 10), labelY, anchor: anchor, class: "chosen-label"))
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }
}
