/// Exponentials, logarithms and powers that give the same bits on every machine.
///
/// The C library's `exp`, `log`, `pow`, `expf`… are not the same function everywhere: glibc
/// picks a variant by CPU (FMA or not, AVX2 or not) when the program starts, other C
/// libraries use other algorithms, and the last bit of a result decides a tree split or the
/// last digit a report prints. These functions use only IEEE 754 basic operations
/// (+ − × ÷ and, where written out, a fused multiply-add), each correctly rounded on every
/// conforming machine, in a fixed order; the Swift compiler does not contract `a * b + c`
/// into a fused operation, so the order written is the order computed.
///
/// Accuracy (checked by `PortableMathTests` against the C library's 64-bit-significand
/// `long double` functions): the Double functions stay within one unit in the last place
/// (ulp) of the exact result (0.91 the largest error seen); the Float functions are computed
/// in Double and rounded once, so they are within half an ulp but for results a hair from a
/// halfway point (5 of the 2³¹ Float inputs of `log`, 5 of `log1p`, none of `exp`, `tanh` or
/// `erf`, checked on every Float).
///
/// The algorithms are the textbook ones (Muller, *Elementary Functions*, 3rd ed., 2016):
/// argument reduction by multiples of ln 2, Taylor series with exact rational coefficients
/// on the reduced range, double-double arithmetic (Dekker, 1971) where `pow` needs more
/// than 53 bits.
public enum PortableMath {}

extension PortableMath {
    /// ln 2 split so that `k · ln2High` is exact for |k| < 2¹¹ (its low 11 bits are zero);
    /// `ln2High + ln2Low` is ln 2 to 95 bits.
    static let ln2High = Double(bitPattern: 0x3FE6_2E42_FEFA_3800)
    static let ln2Low = Double(bitPattern: 0x3D2E_F357_93C7_6730)
    /// ln 2 as a double-double, to 106 bits.
    static let ln2 = DoubleDouble(Double(bitPattern: 0x3FE6_2E42_FEFA_39EF), Double(bitPattern: 0x3C7A_BC9E_3B39_803F))
    /// 1 / ln 2, correctly rounded.
    static let inverseLn2 = Double(bitPattern: 0x3FF7_1547_652B_82FE)

    /// `value · 2^exponent` for `value` in [0.7, 1.42] (a reduced exponential) and an
    /// integral `exponent` in −1076…1024, with one rounding (only where the result is
    /// subnormal or overflows).
    @inline(__always)
    static func scale(_ value: Double, by exponent: Double) -> Double {
        let e = Int(exponent)
        // A normal result: adding e to the exponent field is exact.
        if e > -1020 && e < 1023 { return Double(bitPattern: value.bitPattern &+ (UInt64(bitPattern: Int64(e)) &<< 52)) }
        if e > 1023 { return value * 2 * Double(bitPattern: UInt64(1023 + 1023) << 52) }
        if e >= -1022 { return value * Double(bitPattern: UInt64(1023 + e) << 52) }
        // Two steps: the first is exact, the second rounds once into the subnormal range.
        return value * Double(bitPattern: UInt64(1023 + e + 54) << 52) * Double(bitPattern: UInt64(1023 - 54) << 52)
    }

    /// `x = 2^k · m` with `m` in [√½, √2), for finite `x` > 0 (subnormals included).
    static func decompose(_ x: Double) -> (k: Double, m: Double) {
        var bits = x.bitPattern
        var k = 0
        if bits < 0x0010_0000_0000_0000 {
            // Subnormal: scale into the normal range first (exact).
            bits = (x * Double(bitPattern: UInt64(1023 + 54) << 52)).bitPattern
            k = -54
        }
        k += Int(bits >> 52) - 1023
        var m = Double(bitPattern: (bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000)
        if m >= Double(bitPattern: 0x3FF6_A09E_667F_3BCD) {  // √2, rounded up
            m *= 0.5
            k += 1
        }
        return (Double(k), m)
    }
}
