/// One test of a rule on one feature.
///
/// A missing value never reaches the test itself: `missingMatches` says whether it passes.
/// Level tests work as a tree's splits do (`LevelSplit`): `notInLevels` also passes every
/// level the student never saw, `inLevels` passes none of them.
public struct RuleCondition: Sendable, Equatable {
    public enum Test: Sendable, Equatable {
        /// x ≤ t, with x read as a Float32.
        case atMost(Float)
        /// x > t, with x read as a Float32.
        case above(Float)
        case inLevels([String])
        case notInLevels([String])
        /// The value is missing (`missingMatches` is then true).
        case missing
    }

    public var feature: Int
    public var test: Test
    public var missingMatches: Bool

    public init(feature: Int, test: Test, missingMatches: Bool) {
        self.feature = feature
        self.test = test
        self.missingMatches = test == .missing ? true : missingMatches
    }

    /// Whether a present number passes (numeric tests only).
    func passes(_ x: Float) -> Bool {
        switch test {
        case .atMost(let t): x <= t
        case .above(let t): x > t
        case .inLevels, .notInLevels, .missing: false
        }
    }

    /// Whether a present level passes (level tests only).
    func passes(level: String) -> Bool {
        switch test {
        case .inLevels(let levels): levels.contains(level)
        case .notInLevels(let levels): !levels.contains(level)
        case .atMost, .above, .missing: false
        }
    }

    /// The condition in words, the feature's name and its levels written by `show`.
    public func text(featureName: String, showing show: (String) -> String = { $0 }) -> String {
        let name = show(featureName)
        var text: String
        switch test {
        case .atMost(let t): text = "\(name) ≤ \(Column.format(t))"
        case .above(let t): text = "\(name) > \(Column.format(t))"
        case .inLevels(let levels): text = "\(name) ∈ {\(levels.map(show).joined(separator: ", "))}"
        case .notInLevels(let levels): text = "\(name) ∉ {\(levels.map(show).joined(separator: ", "))}"
        case .missing: return "\(name) is missing"
        }
        // In parentheses, so that `AND` between conditions cannot be read as binding tighter.
        return missingMatches ? "(\(text) or missing)" : text
    }
}
