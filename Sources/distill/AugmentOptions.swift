import ArgumentParser
import DistillCore
import Foundation

extension AugmentMode: ExpressibleByArgument {}

/// Synthetic rows asked of the teacher while learning, and saved or reused answers.
struct AugmentOptions: ParsableArguments {
    @Option(help: "Synthetic rows labelled by the teacher: node (drawn inside each small node or rule), global (from the whole data), none.")
    var augment: AugmentMode = .node
    @Option(parsing: .unconditional, help: "A node or rule with fewer rows gets synthetic rows up to this many (1–\(AugmentConfiguration.maxMinNodeRows)).")
    var minNodeRows: Int = 100
    @Option(parsing: .unconditional, help: "The most synthetic rows to ask the teacher about.")
    var queryBudget: Int = AugmentConfiguration.defaultQueryBudget

    @Option(help: "Also save every row the teacher answered (training, held-out, synthetic) to this CSV.")
    var saveTransfer: String?
    @Option(help: "Learn from a transfer set saved with --save-transfer instead of --data and the teacher's answers.")
    var transfer: String?

    var configuration: AugmentConfiguration {
        AugmentConfiguration(mode: augment, minNodeRows: minNodeRows, queryBudget: queryBudget)
    }

    /// Checks before any work that `--save-transfer` can be written; a file inside `out`,
    /// which is made only at the end, is checked with it.
    func checkOutput(out: String) throws {
        guard let saveTransfer else { return }
        let directory = URL(fileURLWithPath: saveTransfer).deletingLastPathComponent().standardizedFileURL.path
        guard directory != URL(fileURLWithPath: out).standardizedFileURL.path else { return }
        try AtomicFile.checkWritable(saveTransfer, option: "--save-transfer")
    }

    /// The student file's record of these options.
    func parameters(_ parameters: inout [String: JSONScalar]) {
        parameters["augment"] = .text(augment.rawValue)
        parameters["min_node_rows"] = .number(Double(minNodeRows))
        parameters["query_budget"] = .number(Double(queryBudget))
    }
}
