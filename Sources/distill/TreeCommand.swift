import ArgumentParser
import DistillCore
import DistillExplain
import Foundation


/// What the tree diagram shows of each split besides its condition (`--detail`).
enum DiagramDetail: String, ExpressibleByArgument, CaseIterable {
    case none
    /// The split feature's histogram among the node's training rows, by teacher class.
    case histograms
}

struct TreeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tree",
        abstract: "Distil the teacher into a decision tree and measure its fidelity.",
        discussion: """
        Writes student.json, fidelity.json, rules.txt, the tree diagram (tree.dot, tree.svg), its leaves as a \
        rule list (rules.dot, rules.svg), run.json (the command, seed, version and inputs with their SHA-256) \
        and the explanation report report.html into --out.
        """
    )

    @OptionGroup var teacherOptions: TeacherOptions
    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var evaluation: EvaluationOptions

    @Option(parsing: .unconditional, help: "The deepest a leaf may be.")
    var maxDepth: Int?
    @Option(parsing: .unconditional, help: "Grow best-first to at most this many leaves (default \(TreeConfiguration.defaultMaxLeaves) when --max-depth is not given either).")
    var maxLeaves: Int?
    @Option(parsing: .unconditional, help: "Rows a leaf must hold at least.")
    var minSamplesLeaf: Int = 1
    @Option(parsing: .unconditional, help: "Smallest weighted impurity decrease worth a split.")
    var minImpurityDecrease: Double = 0
    @Option(parsing: .unconditional, help: "Cost-complexity pruning strength.")
    var ccpAlpha: Double = 0
    @Option(parsing: .unconditional, help: "Keep the smallest tree on the pruning path whose validation fidelity reaches this (0 < F ≤ 1).")
    var targetFidelity: Double?
    @Flag(help: "Fit the teacher's most probable class instead of its probabilities.")
    var hard = false
    @Option(help: "gini or entropy (classification, entropy with --hard), squared_error (regression).")
    var criterion: String?
    @Flag(help: "Keep the splits as grown, without revisiting them to agree with the teacher better.")
    var noRefine = false
    @Option(help: "Threshold search: auto, exact, or a number of histogram bins (2–65534).")
    var bins: String = "auto"
    @Option(parsing: .unconditional, help: "Levels with fewer rows in a node are grouped for its split.")
    var minLevelRows: Int = 5
    @OptionGroup var augmentation: AugmentOptions

    @OptionGroup var diagramFormats: DiagramFormatOptions
    @Option(parsing: .unconditional, help: "Draw split nodes at this depth folded into one summary node.")
    var maxDisplayDepth: Int?
    @Option(help: "What split nodes show besides their condition: none, or histograms of the split feature by teacher class.")
    var detail: DiagramDetail = .none

    @Flag(help: "Do not write report.html.")
    var noReport = false

    @Option(help: "The directory to write into (created if missing).")
    var out: String

    func validate() throws {
        if let maxDisplayDepth, maxDisplayDepth < 0 {
            throw ValidationError("--max-display-depth must be 0 or more, not \(maxDisplayDepth)")
        }
        do {
            try distillation(try treeConfiguration()).validate()
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
    }

    private func distillation(_ configuration: TreeConfiguration) -> TreeDistillation {
        var distillation = TreeDistillation(configuration: configuration, targetFidelity: targetFidelity, seed: evaluation.seed)
        distillation.augmentation = augmentation.configuration
        return distillation
    }

    /// The options as a tree configuration; the criterion, when not given, is the task's own
    /// (see `configured(for:)`).
    func treeConfiguration() throws -> TreeConfiguration {
        var configuration = TreeConfiguration()
        configuration.maxDepth = maxDepth
        configuration.maxLeaves = maxLeaves
        configuration.minSamplesLeaf = minSamplesLeaf
        configuration.minImpurityDecrease = minImpurityDecrease
        configuration.ccpAlpha = ccpAlpha
        configuration.hard = hard
        configuration.refine = !noRefine
        configuration.minLevelRows = minLevelRows
        if let criterion {
            guard let chosen = TreeConfiguration.Criterion(rawValue: criterion) else {
                throw ValidationError("--criterion must be gini, entropy or squared_error, not '\(criterion)'")
            }
            configuration.criterion = chosen
        }
        configuration.binning = try Self.binning(bins)
        return configuration
    }

    /// The configuration for a teacher of `task`, checked against it.
    func configured(for task: TeacherTask) throws -> TreeConfiguration {
        var configuration = try treeConfiguration()
        if criterion == nil, case .regression = task { configuration.criterion = .squaredError }
        try configuration.validate(task: task)
        return configuration
    }

    /// The threshold search `--bins` names.
    static func binning(_ bins: String) throws -> TreeConfiguration.Binning {
        switch bins {
        case "auto": return .automatic
        case "exact": return .exact
        default:
            guard let count = Int(bins) else { throw ValidationError("--bins must be auto, exact or a number, not '\(bins)'") }
            return .bins(count)
        }
    }

    func run() throws {
        let output = try OutputDirectory(out)
        try augmentation.checkOutput(out: out)
        var configuration = try treeConfiguration()
        let rows = try LearningRows.load(teacherOptions: teacherOptions, dataOptions: dataOptions, evaluation: evaluation,
                                         transfer: augmentation.transfer) { task, train in
            configuration = try configured(for: task)
            try augmentation.configuration.validate(featureCount: train.features.count)
        }
        let set = rows.set

        var result = try distillation(configuration).run(train: set.train, trainOutputs: set.trainOutputs, eval: set.eval,
                                          evalOutputs: set.evalOutputs, synthetic: set.synthetic, label: rows.label)
        if let note = rows.unaskedNote(augment: augmentation.augment) { result.notes.append(note) }
        let report = FidelityReport(tree: result.tree, result: result, teacherQueries: rows.queries + result.syntheticQueries)
        let student = result.tree.file(parameters: parameters(teacher: rows.teacherSummary, configuration: configuration))
        let histograms = detail == .histograms
            ? try SplitHistogram.forSplits(of: result.tree, data: set.train, outputs: set.trainOutputs) : []
        let diagram = TreeDiagram(tree: result.tree, leafFidelity: result.leaves, overallAgreement: result.eval.agreement,
                                  maxDisplayDepth: maxDisplayDepth, histograms: histograms).dot
        let ruleList = RuleListDiagram(tree: result.tree, leafFidelity: result.leaves).dot
        var files: [(name: String, contents: Data)] = [
            ("student.json", try student.encoded()),
            ("fidelity.json", try report.encoded()),
            ("rules.txt", Data(result.tree.text(leafFidelity: result.leaves).utf8)),
        ]
        files += try diagramFormats.files("tree", dot: diagram)
        files += try diagramFormats.files("rules", dot: ruleList)
        if !noReport {
            let run = try rows.runRecord(teacherOptions: teacherOptions, dataOptions: dataOptions, evaluation: evaluation)
            files.append(("run.json", try run.encoded()))
            // The SVG written beside the report, when --format asked for one, is the same drawing.
            let svg = try files.first { $0.name == "tree.svg" }?.contents ?? Graphviz.render(dot: diagram, format: "svg")
            files.append((RunReport.fileName, RunReport.html(tree: result.tree, fidelity: report, run: run, diagram: svg)))
        }
        let written = try rows.write(files, to: output, synthetic: result.syntheticRows, saveTransfer: augmentation.saveTransfer)
        print(FidelitySummary.lines(report, evalSource: rows.evalSource)
            .joined(separator: "\n"))
        for note in result.notes { print("note: \(note)") }
        print(written)
    }

    private func parameters(teacher: String, configuration: TreeConfiguration) -> [String: JSONScalar] {
        var parameters: [String: JSONScalar] = [
            "min_samples_leaf": .number(Double(minSamplesLeaf)),
            "min_impurity_decrease": .number(minImpurityDecrease),
            "ccp_alpha": .number(ccpAlpha),
            "hard": .flag(hard),
            "refine": .flag(!noRefine),
            "bins": .text(bins),
            "min_level_rows": .number(Double(minLevelRows)),
            "seed": .number(Double(evaluation.seed)),
            "teacher": .text(teacher),
        ]
        augmentation.parameters(&parameters)
        parameters["max_depth"] = maxDepth.map { .number(Double($0)) } ?? .null
        parameters["max_leaves"] = configuration.leafLimit.map { .number(Double($0)) } ?? .null
        parameters["target_fidelity"] = targetFidelity.map { .number($0) } ?? .null
        parameters["criterion"] = criterion.map { .text($0) } ?? .null
        return parameters
    }
}
