import ArgumentParser
import DistillCore
import DistillExplain
import Foundation

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the explanation report (report.html) of a student's run directory.",
        discussion: """
        Reads student.json, fidelity.json and run.json from the directory that distill tree or distill linear \
        wrote with --out (for a tree, also the diagram tree.dot when it is there, else it draws the default \
        diagram); writes report.html beside them.
        """
    )

    @Option(name: .customLong("run"), help: "The --out directory of distill tree or distill linear.")
    var directory: String

    func run() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DataError("--run: \(directory) is not a directory; give the --out directory of distill tree or distill linear")
        }
        let path = { (name: String) in (directory as NSString).appendingPathComponent(name) }
        for name in ["student.json", "fidelity.json", "run.json"] where !FileManager.default.fileExists(atPath: path(name)) {
            throw DataError("--run: \(directory) holds no \(name); give the --out directory of distill tree or distill linear")
        }
        let file = try StudentFile.read(path("student.json"))
        let student = try Student(file: file, path: path("student.json"))
        let fidelity = try FidelityReport.read(path("fidelity.json"))
        let record = try RunRecord.read(path("run.json"))
        let html: Data
        switch student {
        case .tree(let tree):
            html = try treeReport(tree, fidelity: fidelity, record: record, path: path)
        case .linear(let model):
            html = RunReport.html(linear: model, fidelity: fidelity, run: record, path: file.linear?.path ?? [])
        case .rules:
            throw DataError("reports of rule lists are not written yet")
        }
        try AtomicFile.write(html, to: path(RunReport.fileName))
        print("wrote \(path(RunReport.fileName))")
    }

    /// The tree's diagram comes from tree.dot when the run has one, so the report keeps the
    /// options it was drawn with.
    private func treeReport(_ tree: DecisionTree, fidelity: FidelityReport, record: RunRecord, path: (String) -> String) throws -> Data {
        let diagramDOT: String
        if FileManager.default.fileExists(atPath: path("tree.dot")) {
            do {
                diagramDOT = try String(contentsOfFile: path("tree.dot"), encoding: .utf8)
            } catch {
                throw DataError("\(path("tree.dot")): cannot read the diagram: \((error as NSError).localizedDescription)")
            }
        } else {
            diagramDOT = TreeDiagram(tree: tree, leafFidelity: fidelity.leaves, overallAgreement: fidelity.eval.agreement).dot
        }
        do {
            return RunReport.html(tree: tree, fidelity: fidelity, run: record, diagram: try Graphviz.render(dot: diagramDOT, format: "svg"))
        } catch let error as GraphvizError {
            throw DataError("\(path("tree.dot")): \(error.description)")
        }
    }
}
