import ArgumentParser
import DistillExplain
import Foundation

/// `--format`: the files a diagram is written as besides its DOT text.
struct DiagramFormatOptions: ParsableArguments {
    @Option(help: "Diagram formats besides the .dot file, comma separated: svg, png, pdf.")
    var format: String = "svg"

    static let known = ["dot", "svg", "png", "pdf"]

    var formats: [String] {
        format.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    func validate() throws {
        let formats = self.formats
        guard !formats.isEmpty else { throw ValidationError("--format needs at least one of svg, png, pdf, dot") }
        if let unknown = formats.first(where: { !Self.known.contains($0) }) {
            throw ValidationError("--format: unknown diagram format '\(unknown)'; use svg, png, pdf or dot")
        }
    }

    /// The diagram as `name.dot` and as `name.<format>` for each other format asked for.
    func files(_ name: String, dot: String) throws -> [(name: String, contents: Data)] {
        var files = [(name: "\(name).dot", contents: Data(dot.utf8))]
        for format in Set(formats).subtracting(["dot"]).sorted() {
            files.append(("\(name).\(format)", try Graphviz.render(dot: dot, format: format)))
        }
        return files
    }
}
