import ArgumentParser
import DistillCore
import DistillExplain
import Foundation

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Distil the teacher into an ordered rule list, or rewrite a tree student as one.",
        discussion: """
        --from-tree S rewrites the tree student S as an ordered rule list with exactly the tree's answers, \
        simplified, and writes student.json, rules.txt and the chain diagram (rules.dot, rules.svg) into --out.
        """
    )

    @Option(help: "A tree student.json to rewrite as a rule list.")
    var fromTree: String?

    @OptionGroup var diagramFormats: DiagramFormatOptions

    @Option(help: "The directory to write into (created if missing).")
    var out: String

    func validate() throws {
        guard fromTree != nil else { throw ValidationError("give --from-tree S") }
    }

    func run() throws {
        guard let fromTree else { return }
        let output = try OutputDirectory(out)
        let tree = try StudentOptions.tree(at: fromTree)
        let list = RuleList(tree: tree)
        let parameters: [String: JSONScalar] = ["from_tree": .text(fromTree)]
        var files: [(name: String, contents: Data)] = [
            ("student.json", try list.file(parameters: parameters).encoded()),
            ("rules.txt", Data(list.text().utf8)),
        ]
        files += try diagramFormats.files("rules", dot: RuleListDiagram(list: list, ruleFidelity: []).dot)
        try output.write(files)
        print("rules: \(tree.leafCount) leaves became \(list.ruleCount) rules and a default, with \(list.conditionCount) conditions")
        print("wrote \(output.path)/" + files.map(\.name).joined(separator: ", "))
    }
}
