import ArgumentParser
import DistillCore
import DistillExplain
import Foundation

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Distil the teacher into an ordered rule list, or rewrite a tree student as one.",
        discussion: """
        Learns IF … THEN … ELSE IF … rules by sequential covering on the teacher's answers and prunes them on a \
        validation fifth of the training rows. Writes student.json, fidelity.json, rules.txt, the chain diagram \
        (rules.dot, rules.svg), run.json and report.html into --out. \
        With --from-tree S, rewrites the tree student S as a rule list with exactly the tree's answers, simplified, \
        and writes student.json, rules.txt and the diagram (no teacher or data needed).
        """
    )

    @Option(help: "A tree student.json to rewrite as a rule list.")
    var fromTree: String?

    @OptionGroup var teacherOptions: TeacherOptions
    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var evaluation: EvaluationOptions

    @Option(parsing: .unconditional, help: "Rules before the default, at most.")
    var maxRules: Int = 8
    @Option(parsing: .unconditional, help: "Conditions per rule, at most.")
    var maxConditions: Int = 3
    @Option(parsing: .unconditional, help: "Training rows a rule must answer at least.")
    var minRuleRows: Int = 10
    @Flag(help: "Fit the teacher's most probable class instead of its probabilities.")
    var hard = false
    @Option(help: "Threshold search: auto, exact, or a number of histogram bins (2–65534).")
    var bins: String = "auto"
    @Flag(help: "Keep every condition and rule learned instead of pruning on validation rows.")
    var noPrune = false

    @OptionGroup var augmentation: AugmentOptions
    @OptionGroup var diagramFormats: DiagramFormatOptions

    @Flag(help: "Do not write report.html.")
    var noReport = false
    @Option(help: "The directory to write into (created if missing).")
    var out: String

    func validate() throws {
        if fromTree != nil {
            let learningOptions = [teacherOptions.isGiven ? "--teacher" : nil, dataOptions.data != nil ? "--data" : nil,
                                   augmentation.transfer != nil ? "--transfer" : nil].compactMap { $0 }
            if !learningOptions.isEmpty {
                throw ValidationError("--from-tree rewrites a saved tree and learns nothing, so \(learningOptions.joined(separator: ", ")) do not apply")
            }
        }
        do {
            try distillation(try ruleConfiguration()).validate()
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        if let fromTree { return try rewrite(fromTree) }
        let output = try OutputDirectory(out)
        try augmentation.checkOutput(out: out)
        let configuration = try ruleConfiguration()
        let rows = try LearningRows.load(teacherOptions: teacherOptions, dataOptions: dataOptions, evaluation: evaluation,
                                         transfer: augmentation.transfer) { task, train in
            try configuration.validate(task: task)
            try augmentation.configuration.validate(featureCount: train.features.count)
        }
        let set = rows.set
        var result = try distillation(configuration).run(train: set.train, trainOutputs: set.trainOutputs, eval: set.eval,
                                                         evalOutputs: set.evalOutputs, synthetic: set.synthetic, label: rows.label)
        if let note = rows.unaskedNote(augment: augmentation.augment) { result.notes.append(note) }
        let report = FidelityReport(rules: result, teacherQueries: rows.queries + result.syntheticQueries)
        let diagram = RuleListDiagram(list: result.list, ruleFidelity: result.rules).dot
        var files: [(name: String, contents: Data)] = [
            ("student.json", try result.list.file(parameters: parameters(teacher: rows.teacherSummary)).encoded()),
            ("fidelity.json", try report.encoded()),
            ("rules.txt", Data(result.list.text(ruleFidelity: result.rules).utf8)),
        ]
        files += try diagramFormats.files("rules", dot: diagram)
        if !noReport {
            let run = try rows.runRecord(teacherOptions: teacherOptions, dataOptions: dataOptions, evaluation: evaluation)
            files.append(("run.json", try run.encoded()))
            let svg = try files.first { $0.name == "rules.svg" }?.contents ?? Graphviz.render(dot: diagram, format: "svg")
            files.append((RunReport.fileName, RunReport.html(rules: result.list, fidelity: report, run: run, diagram: svg)))
        }
        let written = try rows.write(files, to: output, synthetic: result.syntheticRows, saveTransfer: augmentation.saveTransfer)
        print("rules: \(result.list.ruleCount) rules and a default, \(result.list.conditionCount) conditions")
        print(FidelitySummary.lines(report, evalSource: rows.evalSource).joined(separator: "\n"))
        for note in result.notes { print("note: \(note)") }
        print(written)
    }

    private func distillation(_ configuration: RuleConfiguration) -> RuleDistillation {
        var distillation = RuleDistillation(configuration: configuration, seed: evaluation.seed)
        distillation.augmentation = augmentation.configuration
        return distillation
    }

    private func ruleConfiguration() throws -> RuleConfiguration {
        var configuration = RuleConfiguration()
        configuration.maxRules = maxRules
        configuration.maxConditions = maxConditions
        configuration.minRuleRows = minRuleRows
        configuration.hard = hard
        configuration.prune = !noPrune
        configuration.binning = try TreeCommand.binning(bins)
        return configuration
    }

    private func parameters(teacher: String) -> [String: JSONScalar] {
        var parameters: [String: JSONScalar] = [
            "max_rules": .number(Double(maxRules)),
            "max_conditions": .number(Double(maxConditions)),
            "min_rule_rows": .number(Double(minRuleRows)),
            "hard": .flag(hard),
            "bins": .text(bins),
            "prune": .flag(!noPrune),
            "seed": .number(Double(evaluation.seed)),
            "teacher": .text(teacher),
        ]
        augmentation.parameters(&parameters)
        return parameters
    }

    /// `--from-tree`: the tree's leaves as a simplified rule list with the same answers.
    private func rewrite(_ path: String) throws {
        let output = try OutputDirectory(out)
        let tree = try StudentOptions.tree(at: path)
        let list = try RuleList(tree: tree)
        var files: [(name: String, contents: Data)] = [
            ("student.json", try list.file(parameters: ["from_tree": .text(path)]).encoded()),
            ("rules.txt", Data(list.text().utf8)),
        ]
        files += try diagramFormats.files("rules", dot: RuleListDiagram(list: list, ruleFidelity: []).dot)
        try output.write(files, replacing: RunFiles.names)
        print("rules: \(tree.leafCount) leaves became \(list.ruleCount) rules and a default, with \(list.conditionCount) conditions")
        print("wrote \(output.path)/" + files.map(\.name).joined(separator: ", "))
    }
}
