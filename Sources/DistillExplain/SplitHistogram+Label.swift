import Foundation

extension SplitHistogram {
    static let height = 24
    static let markerWidth = 2
    static let missingGap = 4
    static let markerColor = "#222222"
    /// Behind the missing values' bar, so that it reads as apart from the value axis.
    static let missingBackground = "#E8E8E8"
    static let baselineColor = "#999999"

    /// The histogram as a Graphviz HTML-like table `width` points wide: one column of stacked
    /// class cells per bar on a thin baseline, a dark cell at the threshold between the yes and
    /// no bars, the missing values' bar on grey after a gap, and for numbers the range of the
    /// bins beneath.
    ///
    /// Every cell has a fixed size, and widths and heights come from rounded running totals
    /// so that they add up exactly; Graphviz would otherwise spread spare room between cells.
    func label(width: Int, color: (Int) -> String) -> String {
        let bars = (yes + no).map(\.counts) + (missing.map { [$0] } ?? [])
        let tallest = max(bars.map { $0.reduce(0, +) }.max() ?? 0, 1)
        let room = width - Self.markerWidth - (missing == nil ? 0 : Self.missingGap)
        var columns: [String] = []
        var drawn = 0
        for (index, counts) in bars.enumerated() {
            let isMissing = missing != nil && index == bars.count - 1
            if isMissing { columns.append(Self.cell(width: Self.missingGap, height: Self.height)) }
            let end = Int((Double(room) * Double(index + 1) / Double(bars.count)).rounded())
            columns.append(Self.column(counts, width: end - drawn, tallest: tallest,
                                       background: isMissing ? Self.missingBackground : nil, color: color))
            drawn = end
        }
        columns.insert(Self.cell(width: Self.markerWidth, height: Self.height, color: Self.markerColor), at: yes.count)
        var table = "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"0\"><TR>" + columns.joined() + "</TR>"
            + "<TR><TD COLSPAN=\"\(columns.count)\" HEIGHT=\"1\" BGCOLOR=\"\(Self.baselineColor)\"></TD></TR>"
        if let (low, high) = range {
            let half = columns.count / 2
            table += "<TR><TD COLSPAN=\"\(half)\" ALIGN=\"LEFT\"><FONT POINT-SIZE=\"7\">\(low)</FONT></TD>"
                + "<TD COLSPAN=\"\(columns.count - half)\" ALIGN=\"RIGHT\"><FONT POINT-SIZE=\"7\">\(high)</FONT></TD></TR>"
        }
        return table + "</TABLE>"
    }

    /// The lowest and highest edges of the numeric bins, to four significant digits.
    private var range: (String, String)? {
        let edges = (yes + no).compactMap { bar -> (Double, Double)? in
            if case .interval(let lower, let upper) = bar.bin { return (lower, upper) }
            return nil
        }
        guard let first = edges.first, let last = edges.last else { return nil }
        return (String(format: "%.4g", first.0), String(format: "%.4g", last.1))
    }

    /// One bar: a blank cell above, then its classes stacked, the first class at the bottom.
    private static func column(_ counts: [Int], width: Int, tallest: Int, background: String?,
                               color: (Int) -> String) -> String {
        let total = counts.reduce(0, +)
        // A bar with any rows shows at least a sliver, so that no count reads as zero.
        let barHeight = total == 0 ? 0 : max(1, Int((Double(height) * Double(total) / Double(tallest)).rounded()))
        var cells: [String] = []
        var running = 0
        var drawn = 0
        for (index, count) in counts.enumerated() {
            running += count
            let end = total == 0 ? 0 : Int((Double(barHeight) * Double(running) / Double(total)).rounded())
            if end > drawn { cells.append("<TR>" + cell(width: width, height: end - drawn, color: color(index)) + "</TR>") }
            drawn = end
        }
        if barHeight < height { cells.append("<TR>" + cell(width: width, height: height - barHeight, color: background) + "</TR>") }
        return "<TD WIDTH=\"\(width)\" HEIGHT=\"\(height)\" FIXEDSIZE=\"TRUE\" VALIGN=\"BOTTOM\">"
            + "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"0\">" + cells.reversed().joined() + "</TABLE></TD>"
    }

    private static func cell(width: Int, height: Int, color: String? = nil) -> String {
        "<TD WIDTH=\"\(width)\" HEIGHT=\"\(height)\" FIXEDSIZE=\"TRUE\"\(color.map { " BGCOLOR=\"\($0)\"" } ?? "")></TD>"
    }
}
