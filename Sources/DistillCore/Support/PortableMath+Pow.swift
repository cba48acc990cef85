extension PortableMath {
    /// x^y, within one ulp, with C's special cases (IEEE 754 `pow`): x⁰ = 1 and 1^y = 1 even
    /// for NaN; a negative x takes integral exponents only (NaN otherwise), with the sign of
    /// an odd power; ±0 and ±∞ give 0 or ∞ by the sign of y.
    public static func pow(_ x: Double, _ y: Double) -> Double {
        if y == 0 || x == 1 { return 1 }
        if x.isNaN || y.isNaN { return .nan }
        let yIsInteger = y.rounded(.towardZero) == y
        // Odd only when integral and small enough for its last bit to be the units place.
        let yIsOdd = yIsInteger && abs(y) < 0x1p53 && Int64(y) & 1 == 1
        if y.isInfinite {
            if x == -1 { return 1 }
            return (abs(x) < 1) == (y < 0) ? .infinity : 0
        }
        if x == 0 || x.isInfinite {
            // 0^y and ∞^y: magnitude by the sign of y (and of log|x|), sign by an odd y.
            let large = (x == 0) == (y < 0)
            let magnitude: Double = large ? .infinity : 0
            return x.sign == .minus && yIsOdd ? -magnitude : magnitude
        }
        if x < 0 && !yIsInteger { return .nan }
        let magnitude = powerOfPositive(abs(x), y)
        return x < 0 && yIsOdd ? -magnitude : magnitude
    }

    /// 10ⁿ: exact for |n| ≤ 22 (10²² < 2⁵³ · 2²², and 10⁻ⁿ is one correctly rounded
    /// division), `pow(10, n)` beyond.
    public static func powerOfTen(_ n: Int) -> Double {
        guard n.magnitude <= 22 else { return pow(10, Double(n)) }
        var p = 1.0
        for _ in 0..<n.magnitude { p *= 10 }
        return n < 0 ? 1 / p : p
    }

    /// x^y = e^(y · ln x) for finite x > 0, finite nonzero y, with ln x to about 2⁻⁷⁰
    /// (relative) so that y · ln x, up to 745 in size, keeps its last bit.
    private static func powerOfPositive(_ x: Double, _ y: Double) -> Double {
        let l = extendedLog(x)
        let z = DoubleDouble.product(y, l.hi) + y * l.lo
        guard z.hi > -745.2 else { return 0 }
        guard z.hi < 709.79 else { return .infinity }
        let (k, t) = reducedExp(z.hi, z.lo)
        return scale(1 + t, by: k)
    }

    /// ln x as a double-double for finite x > 0.
    ///
    /// The same series as `logarithm` in 2 artanh s form, 2s + s·u·(2/3 + u·(2/5 + u·W)),
    /// u = s², with s, u and the first two coefficients in double-double and the rest, W,
    /// in double: W's share of the result is below 2⁻¹⁸, so its rounding stays below 2⁻⁷⁰.
    static func extendedLog(_ x: Double) -> DoubleDouble {
        let (k, m) = decompose(x)
        let f = m - 1
        let s = f / DoubleDouble.normalized(2, f)
        let u = s * s
        let v = u.hi
        let v2 = v * v
        let v4 = v2 * v2
        let w = ((2 / 7.0 + v * (2 / 9.0)) + v2 * (2 / 11.0 + v * (2 / 13.0)))
            + v4 * (((2 / 15.0 + v * (2 / 17.0)) + v2 * (2 / 19.0 + v * (2 / 21.0))) + v4 * (2 / 23.0 + v * (2 / 25.0) + v2 * (2 / 27.0)))
        let inner = DoubleDouble.quotient(2, 5) + v * w
        let series = DoubleDouble.quotient(2, 3) + u * inner
        let twoS = DoubleDouble(2 * s.hi, 2 * s.lo)
        return ln2 * k + (twoS + s * u * series)
    }
}
