import CGraphviz
import Foundation

/// A failure reported by Graphviz, with its own message.
public struct GraphvizError: Error, CustomStringConvertible, Equatable {
    public let description: String
}

/// The one owner of every call into libgvc/libcgraph.
///
/// Graphviz keeps global state (its error buffer, plugin registry), so every call goes
/// through one lock. Each graph and layout is freed on every path, in reverse order of
/// creation.
public enum Graphviz {
    private static let lock = NSLock()
    /// Graphviz's error messages for the call in progress; only touched under `lock`.
    nonisolated(unsafe) private static var messages: [String] = []
    nonisolated(unsafe) private static var context: OpaquePointer?

    /// Lays out DOT text with the `dot` engine and renders it.
    /// - Parameter format: a Graphviz output format such as "svg", "png", "pdf" or "dot".
    /// - Throws: `GraphvizError` with Graphviz's message when the DOT does not parse or the
    ///   format is unknown.
    public static func render(dot: String, format: String) throws -> Data {
        lock.lock()
        defer { lock.unlock() }
        messages = []
        _ = agseterrf { message in
            if let message { Graphviz.messages.append(String(cString: message)) }
            return 0
        }
        if context == nil {
            context = gvContext()
        }
        guard let context else { throw GraphvizError(description: "Graphviz could not create its context") }
        guard let graph = agmemread(dot) else {
            throw GraphvizError(description: "Graphviz could not parse the DOT text: \(collectedMessages())")
        }
        defer { agclose(graph) }
        guard gvLayout(context, graph, "dot") == 0 else {
            throw GraphvizError(description: "Graphviz layout failed: \(collectedMessages())")
        }
        defer { gvFreeLayout(context, graph) }
        var result: UnsafeMutablePointer<CChar>?
        var length: UInt32 = 0
        guard gvRenderData(context, graph, format, &result, &length) == 0, let result else {
            throw GraphvizError(description: "Graphviz could not render format '\(format)': \(collectedMessages())")
        }
        defer { gvFreeRenderData(result) }
        return Data(bytes: result, count: Int(length))
    }

    private static func collectedMessages() -> String {
        let text = messages.joined(separator: " ").trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "no message from Graphviz" : text
    }
}
