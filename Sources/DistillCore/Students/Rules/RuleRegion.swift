/// The values a set of conditions lets through, feature by feature: what simplifying a rule
/// list needs to tell whether two rules can answer the same row.
struct RuleRegion: Equatable {
    /// The values one feature may take.
    enum Domain: Equatable {
        /// lower < x ≤ upper for a present number.
        case numbers(lower: Float, upper: Float, missing: Bool)
        /// A present level in `levels` (or, when `excluded`, any level not in them).
        case levels(Set<String>, excluded: Bool, missing: Bool)

        var isEmpty: Bool {
            switch self {
            // Float32s are what the test compares, and one lies in (lower, upper] exactly when lower < upper.
            case let .numbers(lower, upper, missing): !missing && !(lower < upper)
            // Unseen levels are without number, so an exclusion always leaves some.
            case let .levels(levels, excluded, missing): !missing && !excluded && levels.isEmpty
            }
        }

        /// Whether `intersection(other)` is not empty, worked out without building it.
        func overlaps(_ other: Domain) -> Bool {
            switch (self, other) {
            case let (.numbers(l1, u1, m1), .numbers(l2, u2, m2)):
                return (m1 && m2) || max(l1, l2) < min(u1, u2)
            case let (.levels(s1, x1, m1), .levels(s2, x2, m2)):
                guard !(m1 && m2) else { return true }
                switch (x1, x2) {
                case (false, false): return !s1.isDisjoint(with: s2)
                case (false, true): return !s1.isSubset(of: s2)
                case (true, false): return !s2.isSubset(of: s1)
                case (true, true): return true
                }
            default:
                preconditionFailure("one feature is tested both as numbers and as levels")
            }
        }

        func intersection(_ other: Domain) -> Domain {
            switch (self, other) {
            case let (.numbers(l1, u1, m1), .numbers(l2, u2, m2)):
                return .numbers(lower: max(l1, l2), upper: min(u1, u2), missing: m1 && m2)
            case let (.levels(s1, x1, m1), .levels(s2, x2, m2)):
                switch (x1, x2) {
                case (false, false): return .levels(s1.intersection(s2), excluded: false, missing: m1 && m2)
                case (false, true): return .levels(s1.subtracting(s2), excluded: false, missing: m1 && m2)
                case (true, false): return .levels(s2.subtracting(s1), excluded: false, missing: m1 && m2)
                case (true, true): return .levels(s1.union(s2), excluded: true, missing: m1 && m2)
                }
            default:
                preconditionFailure("one feature is tested both as numbers and as levels")
            }
        }
    }

    private(set) var domains: [Int: Domain] = [:]

    init() {}

    /// - Parameter levels: the student's levels per feature, nil for a numeric one.
    init(_ conditions: [RuleCondition], levels: [[String]?]) {
        for condition in conditions {
            restrict(condition.feature, to: RuleRegion.domain(condition, numeric: levels[condition.feature] == nil))
        }
    }

    mutating func restrict(_ feature: Int, to domain: Domain) {
        domains[feature] = domains[feature].map { $0.intersection(domain) } ?? domain
    }

    /// Whether some row lies in both regions: the test `init(tree:)` makes for every pair of
    /// rules, so it compares domains in place instead of building their intersection.
    func intersects(_ other: RuleRegion) -> Bool {
        for (feature, domain) in domains where other.domains[feature] == nil && domain.isEmpty { return false }
        for (feature, domain) in other.domains {
            guard let mine = domains[feature] else {
                if domain.isEmpty { return false }
                continue
            }
            if !mine.overlaps(domain) { return false }
        }
        return true
    }

    /// The values `condition` lets through.
    static func domain(_ condition: RuleCondition, numeric: Bool) -> Domain {
        let missing = condition.missingMatches
        switch condition.test {
        case .atMost(let t): return .numbers(lower: -.infinity, upper: t, missing: missing)
        case .above(let t): return .numbers(lower: t, upper: .infinity, missing: missing)
        case .inLevels(let levels): return .levels(Set(levels), excluded: false, missing: missing)
        case .notInLevels(let levels): return .levels(Set(levels), excluded: true, missing: missing)
        case .missing: return numeric ? .numbers(lower: .infinity, upper: -.infinity, missing: true)
                                      : .levels([], excluded: false, missing: true)
        }
    }

    /// The values `condition` stops.
    static func complement(_ condition: RuleCondition, numeric: Bool) -> Domain {
        let missing = !condition.missingMatches
        switch condition.test {
        case .atMost(let t): return .numbers(lower: t, upper: .infinity, missing: missing)
        case .above(let t): return .numbers(lower: -.infinity, upper: t, missing: missing)
        case .inLevels(let levels): return .levels(Set(levels), excluded: true, missing: missing)
        case .notInLevels(let levels): return .levels(Set(levels), excluded: false, missing: missing)
        case .missing: return numeric ? .numbers(lower: -.infinity, upper: .infinity, missing: false)
                                      : .levels([], excluded: true, missing: false)
        }
    }
}
