import Foundation

/// How the report writes numbers and builds its tables and fact lists; every text from the
/// data or the model is escaped here.
enum ReportFormat {
    static func share(_ value: Double?) -> String {
        value.map { String(format: "%.3f", $0) } ?? "–"
    }

    static func value(_ value: Double?) -> String {
        value.map { String(format: "%.4g", $0) } ?? "–"
    }

    /// 1234567 → "1,234,567".
    static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }

    static func bytes(_ value: Int) -> String {
        if value < 1024 { return "\(value) bytes" }
        let units = ["KiB", "MiB", "GiB"]
        var size = Double(value) / 1024
        var unit = 0
        while size >= 1024, unit < units.count - 1 {
            size /= 1024
            unit += 1
        }
        return String(format: "%.1f %@", size, units[unit])
    }

    /// A table; `numeric` columns are right-aligned, `cellClass` may mark single cells.
    static func table(header: [String], rows: [[String]], numeric: Set<Int> = [],
                      cellClass: (_ row: Int, _ column: Int) -> String? = { _, _ in nil }) -> String {
        var html = "<table>\n<thead><tr>"
        for (column, title) in header.enumerated() {
            html += "<th\(numeric.contains(column) ? " class=\"number\"" : "")>\(HTMLText.escape(title))</th>"
        }
        html += "</tr></thead>\n<tbody>\n"
        for (rowIndex, row) in rows.enumerated() {
            html += "<tr>"
            for (column, cell) in row.enumerated() {
                let classes = [numeric.contains(column) ? "number" : nil, cellClass(rowIndex, column)].compactMap { $0 }
                html += "<td\(classes.isEmpty ? "" : " class=\"\(classes.joined(separator: " "))\"")>\(HTMLText.escape(cell))</td>"
            }
            html += "</tr>\n"
        }
        return html + "</tbody>\n</table>"
    }

    static func facts(_ pairs: [(String, String)]) -> String {
        "<dl class=\"facts\">\n" + pairs.map { "<dt>\(HTMLText.escape($0.0))</dt><dd>\(HTMLText.escape($0.1))</dd>" }
            .joined(separator: "\n") + "\n</dl>"
    }

    static func paragraph(_ text: String, class name: String? = nil) -> String {
        "<p\(name.map { " class=\"\($0)\"" } ?? "")>\(HTMLText.escape(text))</p>"
    }

    static func preformatted(_ text: String) -> String {
        "<pre>\(HTMLText.escape(text))</pre>"
    }
}
