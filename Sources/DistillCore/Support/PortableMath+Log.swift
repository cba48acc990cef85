extension PortableMath {
    /// The natural logarithm, within one ulp; −∞ at ±0, NaN below 0.
    public static func log(_ x: Double) -> Double {
        guard x > 0, x < .infinity else { return logSpecial(x) }
        let (k, m) = decompose(x)
        return logarithm(k: k, f: m - 1, correction: 0)
    }

    /// ln(1 + x), accurate for tiny `x` too; −∞ at −1, NaN below.
    public static func log1p(_ x: Double) -> Double {
        guard x > -1, x < .infinity else { return x == -1 ? -.infinity : logSpecial(x) }
        let u = 1 + x
        if u == 1 { return x }
        let (k, m) = decompose(u)
        if k == 0 { return logarithm(k: 0, f: x, correction: 0) }
        // ln(1 + x) = ln u + ln(1 + (x − (u − 1)) / u); u − 1 is exact below 2⁵³.
        let correction = k < 53 ? (x - (u - 1)) / u : 0
        return logarithm(k: k, f: m - 1, correction: correction)
    }

    /// log₂ x, within one ulp; exact at powers of two.
    public static func log2(_ x: Double) -> Double {
        scaledLogarithm(x, kHigh: 1, kLow: 0,
                        factorHigh: Double(bitPattern: 0x3FF7_1547_0000_0000), factorLow: Double(bitPattern: 0x3E99_4AE0_BF85_DDF4))
    }

    /// log₁₀ x, within one ulp; exactly n at 10ⁿ for 0 ≤ n ≤ 22 (tested), as chart axes
    /// need: `powerOfTen(Int(log10(x).rounded(.down)))` is the decade of `x`.
    public static func log10(_ x: Double) -> Double {
        // log₁₀ 2 with its low 11 bits zero, so that k times it is exact, and the rest.
        scaledLogarithm(x, kHigh: Double(bitPattern: 0x3FD3_4413_509F_7800), kLow: Double(bitPattern: 0x3D1F_EF31_1F12_B358),
                        factorHigh: Double(bitPattern: 0x3FDB_CB7B_0000_0000), factorLow: Double(bitPattern: 0x3E55_26E5_0E32_A6AB))
    }

    /// The logarithm of `x` rounded to Float, through the Double function.
    public static func log(_ x: Float) -> Float {
        Float(log(Double(x)))
    }

    /// ln(1 + x) rounded to Float, through the Double function.
    public static func log1p(_ x: Float) -> Float {
        Float(log1p(Double(x)))
    }

    /// What every logarithm gives outside (0, ∞): −∞ at ±0, +∞ at +∞, NaN otherwise.
    private static func logSpecial(_ x: Double) -> Double {
        if x == 0 { return -.infinity }
        if x == .infinity { return x }
        return .nan
    }

    /// k·ln 2 + ln(1 + f) + correction, for f in about [√½ − 1, √2 − 1] and a correction
    /// far below f.
    @inline(__always)
    static func logarithm(k: Double, f: Double, correction: Double) -> Double {
        let terms = logTerms(f)
        let tail = terms.halfSquare - terms.correction
        if k == 0 && correction == 0 { return f - tail }
        return k * ln2High - ((tail - (k * ln2Low + correction)) - f)
    }

    /// `k·a + ln(1 + f)·b` for x = 2^k·(1 + f), where a = kHigh + kLow with k·kHigh exact and
    /// b = factorHigh + factorLow with factorHigh of 21 bits: ln(1 + f) is split into a
    /// 21-bit head, f − f²/2 cut short (whose products are exact), and the rest, below 2⁻²⁰,
    /// so only small terms round before the last addition.
    @inline(__always)
    private static func scaledLogarithm(_ x: Double, kHigh: Double, kLow: Double,
                                        factorHigh: Double, factorLow: Double) -> Double {
        guard x > 0, x < .infinity else { return logSpecial(x) }
        let (k, m) = decompose(x)
        let f = m - 1
        let terms = logTerms(f)
        let head = Double(bitPattern: (f - terms.halfSquare).bitPattern & 0xFFFF_FFFF_0000_0000)
        // f − head and that less f²/2 are exact (Sterbenz): only the small terms round.
        let rest = ((f - head) - terms.halfSquare) + terms.correction
        let whole = k * kHigh
        let product = head * factorHigh
        let sum = whole + product
        // |whole| ≥ |product| unless k = 0, when the sum is exact: (whole − sum) + product is
        // the sum's rounding error.
        return sum + (rest * factorHigh + (head + rest) * factorLow + k * kLow + ((whole - sum) + product))
    }

    /// f²/2 and s(f²/2 + R) with ln(1 + f) = f − f²/2 + s(f²/2 + R), for f in about
    /// [√½ − 1, √2 − 1].
    ///
    /// With s = f / (2 + f), ln(1 + f) = 2 artanh s = 2s + s·R, R = Σ_{j≥1} 2s^{2j}/(2j+1)
    /// (|s| < 0.172: ten terms leave less than 2⁻⁵⁹); since f − 2s = s·f, that is the sum
    /// above, whose large term f is exact and is added last by the callers.
    @inline(__always)
    static func logTerms(_ f: Double) -> (halfSquare: Double, correction: Double) {
        let s = f / (2 + f)
        let u = s * s
        let u2 = u * u
        let u4 = u2 * u2
        let r = u * (((2 / 3.0 + u * (2 / 5.0)) + u2 * (2 / 7.0 + u * (2 / 9.0)))
            + u4 * (((2 / 11.0 + u * (2 / 13.0)) + u2 * (2 / 15.0 + u * (2 / 17.0))) + u4 * (2 / 19.0 + u * (2 / 21.0))))
        let halfSquare = 0.5 * f * f
        return (halfSquare, s * (halfSquare + r))
    }
}
