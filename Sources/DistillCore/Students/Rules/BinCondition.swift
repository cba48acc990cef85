/// A rule condition as the learner sees it: on a feature's bin codes (`FeatureBins`).
struct BinCondition: Sendable {
    enum Test: Sendable {
        /// Bins up to `lastBin`; `threshold` is the same cut on the feature's values.
        case atMost(lastBin: Int, threshold: Float)
        case above(lastBin: Int, threshold: Float)
        /// Level codes that pass.
        case levels([Int])
        case missing
    }

    var feature: Int
    var test: Test
    var missingMatches: Bool

    func passes(_ code: UInt16) -> Bool {
        if code == FeatureBins.missing { return missingMatches }
        switch test {
        case .atMost(let lastBin, _): return Int(code) <= lastBin
        case .above(let lastBin, _): return Int(code) > lastBin
        case .levels(let codes): return codes.contains(Int(code))
        case .missing: return false
        }
    }

    /// The same test as a step of a tree path, the form `TreeAugmenter` draws rows inside.
    var pathStep: PathStep {
        func split(_ rule: Split.Rule, missingLeft: Bool) -> Split {
            Split(feature: feature, rule: rule, missingLeft: missingLeft, cost: 0, leftCount: 0, rightCount: 0)
        }
        switch test {
        case let .atMost(lastBin, threshold):
            return PathStep(split: split(.threshold(lastLeftBin: lastBin, threshold: threshold), missingLeft: missingMatches), wentLeft: true)
        case let .above(lastBin, threshold):
            return PathStep(split: split(.threshold(lastLeftBin: lastBin, threshold: threshold), missingLeft: !missingMatches), wentLeft: false)
        case .levels(let codes):
            return PathStep(split: split(.levels(left: codes, right: []), missingLeft: missingMatches), wentLeft: true)
        case .missing:
            // No present value is at most bin -1.
            return PathStep(split: split(.threshold(lastLeftBin: -1, threshold: -.infinity), missingLeft: true), wentLeft: true)
        }
    }

    /// The condition on the feature's values.
    func ruleCondition(_ kind: FeatureBins.Kind) -> RuleCondition {
        let ruleTest: RuleCondition.Test
        switch (test, kind) {
        case let (.atMost(_, threshold), _): ruleTest = .atMost(threshold)
        case let (.above(_, threshold), _): ruleTest = .above(threshold)
        case let (.levels(codes), .categorical(levels)): ruleTest = .inLevels(codes.sorted().map { levels[$0] })
        case (.levels, .numeric): preconditionFailure("a level test on a numeric feature")
        case (.missing, _): ruleTest = .missing
        }
        return RuleCondition(feature: feature, test: ruleTest, missingMatches: missingMatches)
    }
}
