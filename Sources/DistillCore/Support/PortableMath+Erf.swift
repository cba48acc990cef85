extension PortableMath {
    /// The error function rounded to Float, computed in Double (relative error below 2⁻⁴⁰,
    /// far inside a Float's half ulp).
    ///
    /// Below 2.5 the series erf a = (2/√π)·e^{−a²}·Σ_{n≥0} a(2a²)ⁿ / (1·3·…·(2n+1)), whose
    /// terms are all positive (no cancellation); above, erfc by its continued fraction
    /// e^{−a²}/√π · 1/(a + (1/2)/(a + 1/(a + (3/2)/(a + …)))), evaluated from a fixed depth;
    /// from 4 on, erf rounds to 1 (erfc 4 < 2⁻²⁵).
    /// (Abramowitz and Stegun, *Handbook of Mathematical Functions*, 7.1.6 and 7.1.14.)
    public static func erf(_ x: Float) -> Float {
        let a = Double(x.magnitude)
        guard a < 4 else { return x.isNaN ? x : Float(signOf: x, magnitudeOf: 1) }
        return Float(signOf: x, magnitudeOf: Float(erfMagnitude(a)))
    }

    /// The error function in Double, to the same relative error (2⁻⁴⁰, not Double's full
    /// precision); from 6 on erf rounds to 1 in Double (erfc 6 < 2⁻⁵³).
    public static func erf(_ x: Double) -> Double {
        let a = x.magnitude
        guard a < 6 else { return x.isNaN ? x : Double(signOf: x, magnitudeOf: 1) }
        return Double(signOf: x, magnitudeOf: erfMagnitude(a))
    }

    /// erf a for 0 ≤ a < 6 by the series or the continued fraction.
    private static func erfMagnitude(_ a: Double) -> Double {
        let twoOverRootPi = 1.128_379_167_095_512_6  // 2/√π, correctly rounded
        let value: Double
        if a < 2.5 {
            let ratio = 2 * a * a
            var term = a
            var sum = a
            var n = 0.0
            while term > sum * 0x1p-50 {
                n += 1
                term *= ratio / (2 * n + 1)
                sum += term
            }
            value = twoOverRootPi * exp(-a * a) * sum
        } else {
            var fraction = a
            for j in stride(from: 60.0, through: 1, by: -1) { fraction = a + (j / 2) / fraction }
            value = 1 - (twoOverRootPi / 2) * exp(-a * a) / fraction
        }
        return value
    }
}
