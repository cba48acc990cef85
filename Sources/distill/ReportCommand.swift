import ArgumentParser
import DistillCore
import DistillExplain
import Foundation

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the explanation report (report.html) of a student's run directory.",
        discussion: """
        Reads student.json, fidelity.json and run.json from the directory that distill tree, linear or rules \
        wrote with --out (for a tree or a rule list, also its diagram tree.dot or rules.dot when it is there, \
        else it draws the default diagram); writes report.html beside them.
        """
    )

    @Option(name: .customLong("run"), help: "The --out directory of distill tree, linear or rules.")
    var directory: String

    func run() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DataError("--run: \(directory) is not a directory; give the --out directory of distill tree, linear or rules")
        }
        let path = { (name: String) in (directory as NSString).appendingPathComponent(name) }
        for name in ["student.json", "fidelity.json", "run.json"] where !FileManager.default.fileExists(atPath: path(name)) {
            throw DataError("--run: \(directory) holds no \(name); give the --out directory of distill tree, linear or rules")
        }
        let file = try StudentFile.read(path("student.json"))
        let student = try Student(file: file, path: path("student.json"))
        let fidelity = try FidelityReport.read(path("fidelity.json"))
        try fidelity.check(against: student, path: path("fidelity.json"))
        let record = try RunRecord.read(path("run.json"))
        let html: Data
        switch student {
        case .tree(let tree):
            html = try treeReport(tree, fidelity: fidelity, record: record, path: path)
        case .linear(let model):
            html = RunReport.html(linear: model, fidelity: fidelity, run: record, path: file.linear?.path ?? [])
        case .rules(let list):
            html = try rulesReport(list, fidelity: fidelity, record: record, path: path)
        }
        // Under the directory's lock, so a run writing into it at the same time comes first or after.
        try OutputDirectory(directory, option: "--run").write([(RunReport.fileName, html)])
        print("wrote \(path(RunReport.fileName))")
    }

    /// The chain diagram comes from rules.dot when the run has one, as a tree's from tree.dot.
    private func rulesReport(_ list: RuleList, fidelity: FidelityReport, record: RunRecord, path: (String) -> String) throws -> Data {
        let dot = try savedDiagram(path("rules.dot")) ?? RuleListDiagram(list: list, ruleFidelity: fidelity.leaves).dot
        return RunReport.html(rules: list, fidelity: fidelity, run: record, diagram: try render(dot, file: path("rules.dot")))
    }

    private func savedDiagram(_ file: String) throws -> String? {
        guard FileManager.default.fileExists(atPath: file) else { return nil }
        do {
            return try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw DataError("\(file): cannot read the diagram: \((error as NSError).localizedDescription)")
        }
    }

    private func render(_ dot: String, file: String) throws -> Data {
        do {
            return try Graphviz.render(dot: dot, format: "svg")
        } catch let error as GraphvizError {
            throw DataError("\(file): \(error.description)")
        }
    }

    /// The tree's diagram comes from tree.dot when the run has one, so the report keeps the
    /// options it was drawn with.
    private func treeReport(_ tree: DecisionTree, fidelity: FidelityReport, record: RunRecord, path: (String) -> String) throws -> Data {
        let dot = try savedDiagram(path("tree.dot"))
            ?? TreeDiagram(tree: tree, leafFidelity: fidelity.leaves, overallAgreement: fidelity.eval.agreement).dot
        return RunReport.html(tree: tree, fidelity: fidelity, run: record, diagram: try render(dot, file: path("tree.dot")))
    }
}
