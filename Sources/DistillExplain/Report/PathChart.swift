import Foundation

/// An SVG chart of coefficient paths: each term's standardised weight over the penalty,
/// the largest penalty (no weights) on the left, with the chosen penalty marked.
public struct PathChart {
    public struct Series: Sendable {
        public var name: String
        /// One weight per penalty of the chart.
        public var values: [Double]

        public init(name: String, values: [Double]) {
            self.name = name
            self.values = values
        }
    }

    public var lambdas: [Double]
    public var series: [Series]
    public var chosen: Double
    public var caption: String

    static let width = 640.0, height = 300.0
    static let left = 60.0, right = 150.0, top = 16.0, bottom = 46.0, labelGap = 12.0
    static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]

    public init(lambdas: [Double], series: [Series], chosen: Double, caption: String) {
        self.lambdas = lambdas
        self.series = series
        self.chosen = chosen
        self.caption = caption
    }

    public var svg: String {
        let w = PathChart.width, h = PathChart.height
        let x = ChartAxis(values: lambdas.filter { $0 > 0 }, from: w - PathChart.right, to: PathChart.left, allowLog: true)
        let y = ChartAxis(values: series.flatMap(\.values) + [0], from: h - PathChart.bottom, to: PathChart.top, allowLog: false)
        let right = max(x.start, x.end)
        var parts = [SVGText.open(width: w, height: h, label: caption)]
        parts += ChartAxis.frame(x: x, y: y, xLabel: "penalty λ (log scale, decreasing →)", yLabel: "standardised weight", height: h)
        let chosenX = x.position(chosen)
        parts.append(String(format: "<line class=\"chosen-line\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", chosenX, y.start, chosenX, y.end))
        parts.append(SVGText.text(String(format: "chosen λ = %.3g", chosen), chosenX + 4, y.end + 10, anchor: "start", class: "chosen-label"))
        let color = { (index: Int) in PathChart.palette[index % PathChart.palette.count] }
        for (index, line) in series.enumerated() {
            let points = zip(lambdas, line.values).map { String(format: "%.1f,%.1f", x.position($0), y.position($1)) }
            parts.append("<polyline class=\"path-line\" stroke=\"\(color(index))\" points=\"\(points.joined(separator: " "))\"><title>\(HTMLText.escape(line.name))</title></polyline>")
        }
        // Names at the lines' right ends, pushed apart so that lines ending close together
        // stay readable.
        var labelY = 0.0 - PathChart.labelGap
        let endY: [Double] = series.map { y.position($0.values.last ?? 0) }
        let order = series.indices.sorted { (a: Int, b: Int) -> Bool in endY[a] < endY[b] || (endY[a] == endY[b] && a < b) }
        for index in order {
            labelY = max(endY[index] + 4, labelY + PathChart.labelGap)
            let name = HTMLText.escape(String(series[index].name.prefix(22)))
            parts.append(String(format: "<text class=\"label\" x=\"%.1f\" y=\"%.1f\" fill=\"%@\">", right + 6, labelY, color(index)) + name + "</text>")
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }
}
