/// A PMML predicate, made from one of Distill's tests and written into a document.
///
/// Each test says outright what a missing value does (`isMissing` / `isNotMissing`), rather
/// than leaving it to the model's missing-value strategy: PMML calls a comparison with a
/// missing value UNKNOWN, and evaluators differ in what UNKNOWN does to a node or rule.
indirect enum PMMLPredicate: Equatable {
    case constant(Bool)
    /// `note` is written as a comment before it, for a reader.
    case simple(field: String, operator: String, value: String?, note: String?)
    /// `and` or `or` of at least two parts.
    case compound(String, [PMMLPredicate])

    /// True when every part is: `True` for none, the part itself for one.
    static func all(_ parts: [PMMLPredicate]) -> PMMLPredicate {
        parts.count == 1 ? parts[0] : parts.isEmpty ? .constant(true) : .compound("and", parts)
    }

    /// True when some part is: `False` for none, the part itself for one.
    static func any(_ parts: [PMMLPredicate]) -> PMMLPredicate {
        parts.count == 1 ? parts[0] : parts.isEmpty ? .constant(false) : .compound("or", parts)
    }

    /// Distill's test of `field`: `present` for a value that is there, `missingPasses` for
    /// one that is not.
    static func test(_ field: String, present: PMMLPredicate, missingPasses: Bool) -> PMMLPredicate {
        let missing = PMMLPredicate.simple(field: field, operator: missingPasses ? "isMissing" : "isNotMissing", value: nil, note: nil)
        switch (present, missingPasses) {
        case (.constant(let all), _) where all == missingPasses: return .constant(all)
        case (.constant, _): return missing
        case (_, true): return .compound("or", [missing, present])
        case (_, false): return .compound("and", [missing, present])
        }
    }

    /// An export condition on `field`.
    init(_ condition: ExportCondition, field: String) throws {
        let present: PMMLPredicate
        switch condition.present {
        case .number(let split, let above):
            // Float32(x) ≤ t or its negation, for the double x an evaluator holds.
            let comparison = above ? (split.inclusive ? "greaterThan" : "greaterOrEqual") : (split.inclusive ? "lessOrEqual" : "lessThan")
            present = .simple(field: field, operator: comparison, value: try CodeText.number(split.midpoint), note: split.comment)
        case .levels(let split):
            // Written as `equal` tests rather than one `SimpleSetPredicate`: the string `Array`
            // that predicate needs escapes a quote with a backslash but says nothing of a
            // backslash itself, so a level such as `a\"` has no one reading there.
            let tests = split.listed.map { PMMLPredicate.simple(field: field, operator: split.negated ? "notEqual" : "equal", value: $0, note: nil) }
            present = split.negated ? .all(tests) : .any(tests)
        case .always(let all):
            present = .constant(all)
        }
        self = .test(field, present: present, missingPasses: condition.missingPasses)
    }

    func write(into xml: inout XMLWriter) throws {
        switch self {
        case .constant(let value):
            try xml.empty(value ? "True" : "False")
        case .simple(let field, let comparison, let value, let note):
            if let note { xml.comment(note) }
            try xml.empty("SimplePredicate", [("field", field), ("operator", comparison)] + (value.map { [("value", $0)] } ?? []))
        case .compound(let operation, let parts):
            try xml.start("CompoundPredicate", [("booleanOperator", operation)])
            for part in parts { try part.write(into: &xml) }
            xml.end()
        }
    }
}
