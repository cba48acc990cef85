import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

@testable import DistillExplain

@Suite("Graphviz rendering in-process", .serialized)
struct GraphvizTests {
    @Test func rendersDotToWellFormedSVG() throws {
        let svg = try Graphviz.render(dot: #"digraph g { a [label="petal ≤ 2.45"]; a -> b; a -> c; }"#, format: "svg")
        let text = String(decoding: svg, as: UTF8.self)
        #expect(text.contains("<svg"))
        #expect(text.contains("petal ≤ 2.45"))
        // Three nodes and two edges were laid out.
        #expect(text.components(separatedBy: "class=\"node\"").count == 4)
        #expect(text.components(separatedBy: "class=\"edge\"").count == 3)
        let document = try XMLDocument(data: svg)
        #expect(document.rootElement()?.name == "svg")
    }

    @Test func rendersPNGBytes() throws {
        let png = try Graphviz.render(dot: "digraph { x -> y }", format: "png")
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    }

    @Test func syntaxErrorBecomesASwiftError() {
        #expect(throws: GraphvizError.self) { try Graphviz.render(dot: "digraph { a -> }", format: "svg") }
        do {
            _ = try Graphviz.render(dot: "digraph { a -> }", format: "svg")
        } catch {
            #expect("\(error)".contains("syntax error"))
        }
    }

    @Test func unknownFormatIsAnError() {
        #expect(throws: GraphvizError.self) { try Graphviz.render(dot: "digraph { a }", format: "nonsense") }
    }
}
