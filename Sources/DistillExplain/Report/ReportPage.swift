/// One section of a report: an anchor, a heading, and HTML made by the report's builders
/// (every text from the data or the model already escaped).
public struct ReportSection: Sendable {
    public var id: String
    public var heading: String
    public var body: String

    public init(id: String, heading: String, body: String) {
        self.id = id
        self.heading = heading
        self.body = body
    }
}

/// A self-contained HTML report: inline CSS and SVG, no script, no fetch, so it opens from
/// a file anywhere, prints, and can be archived with the model. A content security policy
/// forbids scripts and network use outright, so even a name that slipped through escaping
/// could not run or load anything.
public struct ReportPage: Sendable {
    public var title: String
    public var sections: [ReportSection]

    public init(title: String, sections: [ReportSection]) {
        self.title = title
        self.sections = sections
    }

    public var html: String {
        var lines = [
            "<!DOCTYPE html>",
            "<html lang=\"en\">",
            "<head>",
            "<meta charset=\"utf-8\">",
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
            "<title>\(HTMLText.escape(title))</title>",
            "<style>\n\(ReportStyle.css)</style>",
            "</head>",
            "<body>",
            "<header><h1>\(HTMLText.escape(title))</h1>",
            "<nav>" + sections.map { "<a href=\"#\($0.id)\">\(HTMLText.escape($0.heading))</a>" }.joined(separator: " · ") + "</nav></header>",
        ]
        for section in sections {
            lines.append("<section id=\"\(section.id)\">")
            lines.append("<h2>\(HTMLText.escape(section.heading))</h2>")
            lines.append(section.body)
            lines.append("</section>")
        }
        lines += ["</body>", "</html>"]
        return lines.joined(separator: "\n") + "\n"
    }
}
