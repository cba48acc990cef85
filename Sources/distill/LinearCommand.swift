import ArgumentParser
import DistillCore
import DistillExplain
import Foundation

struct LinearCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "linear",
        abstract: "Distil the teacher into a sparse linear model (L1 or elastic net) and measure its fidelity.",
        discussion: """
        Fits the whole penalty path by coordinate descent and keeps one model: by --max-features \
        (default \(LinearConfiguration.defaultMaxFeatures)), --lambda or --target-fidelity. Writes student.json, \
        fidelity.json (its curve: held-out fidelity against nonzero features over the path), coefficients.csv, \
        equation.txt, run.json and report.html into --out.
        """
    )

    @OptionGroup var teacherOptions: TeacherOptions
    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var evaluation: EvaluationOptions

    @Option(parsing: .unconditional, help: "Keep the last model on the path with at most this many features.")
    var maxFeatures: Int?
    @Option(parsing: .unconditional, help: "Keep the model at this penalty.")
    var lambda: Double?
    @Option(parsing: .unconditional, help: "Keep the sparsest model whose fidelity on a validation fifth of the training rows reaches this (0 < F ≤ 1).")
    var targetFidelity: Double?
    @Option(parsing: .unconditional, help: "Share of the penalty that is L1: 1 the lasso, between 0 and 1 the elastic net.")
    var l1Ratio: Double = 1
    @Option(parsing: .unconditional, help: "Soften the teacher's probabilities, p^(1/T) renormalised, before fitting.")
    var temperature: Double = 1
    @Flag(help: "Fit the teacher's most probable class instead of its probabilities.")
    var hard = false
    @Flag(help: "Keep the lasso's shrunken weights for the features --max-features chose, instead of refitting them with a smaller penalty (the relaxed lasso).")
    var noRelax = false
    @Option(parsing: .unconditional, help: "Penalties on the path.")
    var pathLength: Int = 100
    @Option(parsing: .unconditional, help: "The smallest penalty on the path as a share of the largest.")
    var lambdaRatio: Double = 1e-3

    @Flag(help: "Do not write report.html.")
    var noReport = false
    @Option(help: "The directory to write into (created if missing).")
    var out: String

    func validate() throws {
        do {
            try configuration.validate()
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
    }

    private var configuration: LinearConfiguration {
        var configuration = LinearConfiguration()
        configuration.maxFeatures = maxFeatures
        configuration.lambda = lambda
        configuration.targetFidelity = targetFidelity
        configuration.l1Ratio = l1Ratio
        configuration.temperature = temperature
        configuration.hard = hard
        configuration.relaxed = !noRelax
        configuration.pathLength = pathLength
        configuration.lambdaRatio = lambdaRatio
        return configuration
    }

    func run() throws {
        let output = try OutputDirectory(out)
        let teacher = try teacherOptions.load()
        let query = try teacherOptions.query(teacher)
        let configuration = configuration
        let (set, _) = try evaluation.answered(dataOptions, query: query) { train in
            if case .regression = teacher.task, hard {
                throw ConfigurationError("--hard applies to classification teachers only")
            }
            // Fails, before the teacher is asked, when no feature can carry a weight.
            _ = try LinearTerms(learningFrom: train)
        }
        let result = try LinearDistillation(configuration: configuration, seed: evaluation.seed)
            .run(train: set.train, trainOutputs: set.trainOutputs, eval: set.eval, evalOutputs: set.evalOutputs)
        let queries = set.train.rowCount + set.eval.rowCount
        let report = FidelityReport(linear: result, teacherQueries: queries)
        let student = result.model.file(parameters: parameters(teacher: teacher), path: result.path)
        var files: [(name: String, contents: Data)] = [
            ("student.json", try student.encoded()),
            ("fidelity.json", try report.encoded()),
            ("coefficients.csv", Data(result.model.coefficientsCSV.utf8)),
            ("equation.txt", Data(result.model.equation.utf8)),
        ]
        if !noReport {
            let run = try RunDescription.record(teacher: teacher, task: set.trainOutputs.task, teacherOptions: teacherOptions,
                                                dataOptions: dataOptions, evaluation: evaluation, transfer: nil,
                                                train: set.train, evalRows: set.eval.rowCount, evalSource: evaluation.evalSource)
            files.append(("run.json", try run.encoded()))
            files.append((RunReport.fileName, RunReport.html(linear: result.model, fidelity: report, run: run, path: student.linear?.path ?? [])))
        }
        try output.write(files, replacing: RunFiles.names)
        print("linear: \(result.model.nonzeroFeatures.count) of \(set.train.featureNames.count) features, λ = \(String(format: "%.4g", result.model.fit.lambda))"
              + (result.model.fit.converged ? "" : " (not converged)"))
        print(FidelitySummary.lines(report, evalSource: evaluation.evalSource).joined(separator: "\n"))
        for note in result.notes { print("note: \(note)") }
        print("wrote \(output.path)/" + files.map(\.name).joined(separator: ", "))
    }

    private func parameters(teacher: any Teacher) -> [String: JSONScalar] {
        var parameters: [String: JSONScalar] = [
            "l1_ratio": .number(l1Ratio),
            "temperature": .number(temperature),
            "hard": .flag(hard),
            "relaxed": .flag(!noRelax),
            "path_length": .number(Double(pathLength)),
            "lambda_ratio": .number(lambdaRatio),
            "seed": .number(Double(evaluation.seed)),
            "teacher": .text(teacher.summary),
        ]
        parameters["max_features"] = maxFeatures.map { .number(Double($0)) } ?? .null
        parameters["lambda"] = lambda.map { .number($0) } ?? .null
        parameters["target_fidelity"] = targetFidelity.map { .number($0) } ?? .null
        return parameters
    }
}
