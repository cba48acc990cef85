/// A tree split's numeric test rewritten for a program that holds x as a double: Distill
/// sends x left when Float32(x) ≤ t, which is `x <= midpoint` or `x < midpoint`.
///
/// Rounding to Float32 is monotone, so every x below t goes left and every x above the
/// midpoint m of t and the next Float32 up goes right; but an x in (t, m) rounds down to t
/// and goes left too, where a plain `x <= t` would send it right. At m itself the tie goes
/// to the one of the two whose last significand bit is 0, hence `<=` when that is t. m
/// needs 25 significant bits, so a Double holds it exactly and its shortest round-trip
/// digits read back as exactly m.
struct Float32Split {
    let midpoint: Double
    /// Whether x equal to the midpoint goes left (`<=`) or right (`<`).
    let inclusive: Bool

    /// - Throws: `DataError` when the threshold is not finite; `node` names it.
    init(threshold t: Float, node: Int) throws {
        try self.init(threshold: t, at: "node \(node)")
    }

    /// - Throws: `DataError` when the threshold is not finite; `place` ("rule 3") says where it is.
    init(threshold t: Float, at place: String) throws {
        guard t.isFinite else { throw DataError("\(place) has the threshold \(t), which an export cannot compare with") }
        let up = t.nextUp.isFinite ? Double(t.nextUp) : Double(t) + Double(t.ulp)
        midpoint = (Double(t) + up) / 2
        inclusive = t.significandBitPattern & 1 == 0
    }

    var comparison: String { inclusive ? "<=" : "<" }
}
