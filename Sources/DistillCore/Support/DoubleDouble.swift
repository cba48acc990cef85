/// An unevaluated sum `hi + lo` with |lo| ≤ ulp(hi) / 2: about 106 significant bits, for the
/// steps of `PortableMath.pow` where the rounding of one double would be multiplied by the
/// exponent.
///
/// The error-free transformations are Knuth's two-sum and the fused multiply-add product
/// (Muller et al., *Handbook of Floating-Point Arithmetic*, 2nd ed., §4.3 and §4.4); each
/// fused multiply-add is correctly rounded by IEEE 754, in hardware or in the C library's
/// software fallback, so the bits do not depend on the CPU.
struct DoubleDouble {
    var hi: Double
    var lo: Double

    init(_ hi: Double, _ lo: Double = 0) {
        self.hi = hi
        self.lo = lo
    }

    /// `a + b` exactly, as a normalised pair (Knuth's two-sum; no ordering needed).
    static func sum(_ a: Double, _ b: Double) -> DoubleDouble {
        let s = a + b
        let bb = s - a
        return DoubleDouble(s, (a - (s - bb)) + (b - bb))
    }

    /// `a · b` exactly, as a normalised pair.
    static func product(_ a: Double, _ b: Double) -> DoubleDouble {
        let p = a * b
        return DoubleDouble(p, (-p).addingProduct(a, b))
    }

    /// `hi + lo` renormalised, for |hi| ≥ |lo| (Dekker's fast two-sum).
    static func normalized(_ hi: Double, _ lo: Double) -> DoubleDouble {
        let s = hi + lo
        return DoubleDouble(s, lo - (s - hi))
    }

    static func + (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble {
        let s = sum(a.hi, b.hi)
        return normalized(s.hi, s.lo + (a.lo + b.lo))
    }

    static func + (a: DoubleDouble, b: Double) -> DoubleDouble {
        let s = sum(a.hi, b)
        return normalized(s.hi, s.lo + a.lo)
    }

    static func * (a: DoubleDouble, b: DoubleDouble) -> DoubleDouble {
        let p = product(a.hi, b.hi)
        return normalized(p.hi, p.lo + (a.hi * b.lo + a.lo * b.hi))
    }

    static func * (a: DoubleDouble, b: Double) -> DoubleDouble {
        let p = product(a.hi, b)
        return normalized(p.hi, p.lo + a.lo * b)
    }
}

extension DoubleDouble {
    /// a / b for exact doubles `a` and `b`: the remainder a − q·b of the rounded quotient q
    /// is exact with a fused multiply-add.
    static func quotient(_ a: Double, _ b: Double) -> DoubleDouble {
        let q = a / b
        return DoubleDouble(q, a.addingProduct(-q, b) / b)
    }

    /// a / b for an exact double `a`, to about 104 bits.
    static func / (a: Double, b: DoubleDouble) -> DoubleDouble {
        let q = a / b.hi
        let remainder = a.addingProduct(-q, b.hi) - q * b.lo
        return normalized(q, remainder / b.hi)
    }
}
