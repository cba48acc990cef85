import ArgumentParser
import DistillCore

/// Synthetic rows asked of the teacher while learning, and saved or reused answers.
struct AugmentOptions: ParsableArguments {
    @Option(help: "Synthetic rows labelled by the teacher: node (drawn inside each small node or rule), global (from the whole data), none.")
    var augment: AugmentMode = .node
    @Option(help: "A node or rule with fewer rows gets synthetic rows up to this many.")
    var minNodeRows: Int = 100
    @Option(help: "The most synthetic rows to ask the teacher about.")
    var queryBudget: Int?

    @Option(help: "Also save every row the teacher answered (training, held-out, synthetic) to this CSV.")
    var saveTransfer: String?
    @Option(help: "Learn from a transfer set saved with --save-transfer instead of --data and the teacher's answers.")
    var transfer: String?

    /// The student file's record of these options.
    func parameters(_ parameters: inout [String: JSONScalar]) {
        parameters["augment"] = .text(augment.rawValue)
        parameters["min_node_rows"] = .number(Double(minNodeRows))
        parameters["query_budget"] = queryBudget.map { .number(Double($0)) } ?? .null
    }
}
