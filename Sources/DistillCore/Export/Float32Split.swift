/// A numeric test, Float32(x) ≤ t (a tree split's or a rule's), rewritten for a program that
/// holds x as a double: `x <= midpoint` or `x < midpoint`.
///
/// Rounding to Float32 is monotone, so every x below t passes and every x above the
/// midpoint m of t and the next Float32 up fails; but an x in (t, m) rounds down to t
/// and passes too, where a plain `x <= t` would fail it. At m itself the tie goes
/// to the one of the two whose last significand bit is 0, hence `<=` when that is t. m
/// needs 25 significant bits, so a Double holds it exactly and its shortest round-trip
/// digits read back as exactly m.
struct Float32Split {
    let threshold: Float
    let midpoint: Double
    /// Whether x equal to the midpoint passes (`<=`) or fails (`<`).
    let inclusive: Bool

    /// - Parameter place: where the threshold is, for the error ("node 3", "rule 2, condition 1").
    /// - Throws: `DataError` when the threshold is not finite.
    init(threshold t: Float, at place: String) throws {
        guard t.isFinite else { throw DataError("\(place) has the threshold \(t), which an export cannot compare with") }
        threshold = t
        let up = t.nextUp.isFinite ? Double(t.nextUp) : Double(t) + Double(t.ulp)
        midpoint = (Double(t) + up) / 2
        inclusive = t.significandBitPattern & 1 == 0
    }

    /// The operator, between x and the midpoint, that is Float32(x) ≤ t, or with `above`
    /// Float32(x) > t (its negation for a present x). SQL, Python, C and Swift spell them alike.
    func comparison(above: Bool) -> String {
        switch (above, inclusive) {
        case (false, true): "<="
        case (false, false): "<"
        case (true, true): ">"
        case (true, false): ">="
        }
    }

    /// A comment for beside the midpoint, which is not the number the student holds.
    var comment: String { "threshold \(Column.format(threshold)) as Float32" }
}
