extension PortableMath {
    /// e^x, within one ulp; +∞ beyond 709.79, 0 below −745.2, NaN for NaN.
    public static func exp(_ x: Double) -> Double {
        guard x > -745.2 else { return x.isNaN ? x : 0 }
        guard x < 709.79 else { return x.isNaN ? x : .infinity }
        let (k, t) = reducedExp(x, 0)
        return scale(1 + t, by: k)
    }

    /// e^x rounded to Float, through the Double function.
    public static func exp(_ x: Float) -> Float {
        Float(exp(Double(x)))
    }

    /// e^x − 1, relatively accurate near 0 (where `exp(x) - 1` would cancel), to a few ulps.
    static func expMinusOne(_ x: Double) -> Double {
        guard x > -40 else { return x.isNaN ? x : -1 }
        guard x < 709.79 else { return .infinity }
        let (k, t) = reducedExp(x, 0)
        return k == 0 ? t : scale(1 + t, by: k) - 1
    }

    /// e^(hi + lo) = 2^k · (1 + t), for |lo| ≤ ulp(hi) and hi within exp's finite range.
    ///
    /// k = round(hi / ln 2) and r = hi − k·ln 2 = rh + rl with rh exact (Cody and Waite's
    /// split of ln 2) and |rl| < 2⁻³³, so |r| ≤ ln 2 / 2 and e^r = e^rh · (1 + rl) to 2⁻⁶⁶.
    /// e^rh − 1 − rh is the Taylor series to degree 13 (truncation below 2⁻⁵⁷), evaluated
    /// by Estrin's scheme; adding rh last keeps t's error near half an ulp.
    @inline(__always)
    static func reducedExp(_ hi: Double, _ lo: Double) -> (k: Double, t: Double) {
        // Round to nearest by the 1.5·2⁵² trick: the sum's last bit is the units place.
        let shifter = Double(bitPattern: 0x4338_0000_0000_0000)
        let k = (hi * inverseLn2 + shifter) - shifter
        let rh = hi - k * ln2High
        let rl = lo - k * ln2Low
        let r2 = rh * rh
        let r4 = r2 * r2
        let low = (1 / 2.0 + rh * (1 / 6.0)) + r2 * (1 / 24.0 + rh * (1 / 120.0))
        let middle = (1 / 720.0 + rh * (1 / 5_040.0)) + r2 * (1 / 40_320.0 + rh * (1 / 362_880.0))
        let high = (1 / 3_628_800.0 + rh * (1 / 39_916_800.0)) + r2 * (1 / 479_001_600.0 + rh * (1 / 6_227_020_800.0))
        let q = r2 * (low + r4 * (middle + r4 * high))
        return (k, rh + (q + (rl + rl * (rh + q))))
    }
}
