import Foundation

extension LinearModel {
    /// `equation.txt`: each output's formula in the data's units, largest standardised
    /// weight first, with the link that turns it into the answer.
    public var equation: String {
        var lines: [String] = []
        for k in fit.weights.indices {
            let (intercept, weights) = rawWeights(output: k)
            switch (link, task) {
            case (.identity, _):
                lines.append("value = η")
            case (.logit, .classification(let classes)):
                lines.append("P(\(classes[1])) = 1 / (1 + exp(−η)), P(\(classes[0])) = 1 − P(\(classes[1]))")
            case (.softmax, .classification(let classes)):
                lines.append("P(\(classes[k])) = exp(η_\(classes[k])) / Σ over classes of exp(η_class)")
            default:
                break
            }
            let name = link == .softmax ? "η_\(outputNames[k])" : "η"
            lines.append("\(name) = \(LinearModel.number(intercept))")
            for j in termsByWeight(output: k) {
                let term = terms.terms[j]
                let variable = term.level.map { "[\(term.feature) = \($0)]" } ?? term.feature
                let sign = weights[j] < 0 ? "−" : "+"
                lines.append("    \(sign) \(LinearModel.number(abs(weights[j]))) × \(variable)    (standardised \(String(format: "%+.4f", fit.weights[k][j])))")
            }
            lines.append("")
        }
        lines.append("A missing number counts as its training mean; a missing or unseen level as the reference level"
                     + (terms.referenceLevels.isEmpty ? "." : " (" + terms.referenceLevels.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + ")."))
        lines.append(String(format: "λ = %.6g, l1 ratio %.3g; %d of %d features used.", fit.lambda, l1Ratio, nonzeroFeatures.count, featureNames.count))
        return lines.joined(separator: "\n") + "\n"
    }

    /// `coefficients.csv`: per output, the intercept and every term's weight in the data's
    /// units and standardised.
    public var coefficientsCSV: String {
        var writer = CSVWriter(header: ["output", "term", "feature", "level", "weight", "standardized_weight"])
        for k in fit.weights.indices {
            let (intercept, weights) = rawWeights(output: k)
            let output = outputNames[k]
            writer.appendRow([output, "(intercept)", "", "", "\(intercept)", "\(fit.intercepts[k])"])
            for (j, term) in terms.terms.enumerated() {
                writer.appendRow([output, term.name, term.feature, term.level ?? "", "\(weights[j])", "\(fit.weights[k][j])"])
            }
        }
        return writer.contents
    }

    static func number(_ value: Double) -> String {
        String(format: "%.6g", value)
    }
}
