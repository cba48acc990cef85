import ArgumentParser
import DistillCore
import Foundation

struct FidelityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fidelity",
        abstract: "Measure how faithfully a saved student reproduces the teacher on some rows."
    )

    @OptionGroup var studentOptions: StudentOptions
    @OptionGroup var teacherOptions: TeacherOptions
    @OptionGroup var dataOptions: DataOptions

    @Option(help: "Also write the metrics as JSON to this file.")
    var out: String?

    func run() throws {
        if let out { try AtomicFile.checkWritable(out, option: "--out") }
        let student = try studentOptions.load()
        let teacher = try teacherOptions.load()
        guard teacher.task == student.task else {
            throw DataError("the student answers \(Self.describe(student.task)) but the teacher \(Self.describe(teacher.task))")
        }
        let source = dataOptions.data ?? ""
        let data = try studentOptions.features(of: try dataOptions.load(for: teacher), source: source, for: student)
        let outputs = try teacherOptions.query(teacher)
            .answers(for: dataOptions.imputed(data), source: source)
        let predictions = try student.predict(data)
        let metrics = FidelityMetrics.measure(teacher: outputs, student: predictions, truth: data.label)
        // Leaves exist for trees only.
        var perLeaf: [LeafFidelity] = []
        if case .tree(let tree) = student {
            perLeaf = LeafFidelity.measure(leaves: try tree.leaves(for: data), teacher: outputs, student: predictions)
        }
        print("fidelity: " + FidelitySummary.describe(metrics) + " on \(metrics.rows) rows of \(source)")
        if let teacherAccuracy = metrics.teacherAccuracy, let studentAccuracy = metrics.studentAccuracy {
            print(String(format: "accuracy against the label: teacher %.4f, student %.4f", teacherAccuracy, studentAccuracy))
        }
        if let teacherR2 = metrics.teacherR2Truth, let studentR2 = metrics.studentR2Truth {
            print(String(format: "R² against the label: teacher %.4f, student %.4f", teacherR2, studentR2))
        }
        if let weakest = perLeaf.filter({ $0.agreement != nil }).min(by: { $0.agreement! < $1.agreement! }) {
            print(String(format: "least faithful leaf: node %d, %.4f agreement on %d rows", weakest.leaf, weakest.agreement!, weakest.rows))
        }
        if let out {
            struct Output: Encodable {
                var metrics: FidelityMetrics
                var leaves: [LeafFidelity]
            }
            try AtomicFile.write(try JSONOutput.encode(Output(metrics: metrics, leaves: perLeaf)), to: out)
        }
    }

    static func describe(_ task: TeacherTask) -> String {
        switch task {
        case .classification(let classes): "classes \(classes.joined(separator: ", "))"
        case .regression: "a value (regression)"
        }
    }
}
