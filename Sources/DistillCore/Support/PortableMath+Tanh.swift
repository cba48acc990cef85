extension PortableMath {
    /// tanh x rounded to Float: (e^{2|x|} − 1) / (e^{2|x|} + 1) in Double, with e^{2|x|} − 1
    /// computed without cancellation near 0, and the sign of x (so tanh(−0) = −0).
    public static func tanh(_ x: Float) -> Float {
        let a = Double(x.magnitude)
        // Beyond 9.1, tanh rounds to 1 in Float (1 − tanh < 2⁻²⁵).
        guard a < 9.1 else { return x.isNaN ? x : Float(signOf: x, magnitudeOf: 1) }
        let e = expMinusOne(2 * a)
        return Float(signOf: x, magnitudeOf: Float(e / (e + 2)))
    }

    /// tanh x in Double, by the same formula; beyond 19.1, 1 − tanh x < 2⁻⁵⁴ rounds to 1.
    public static func tanh(_ x: Double) -> Double {
        let a = x.magnitude
        guard a < 19.1 else { return x.isNaN ? x : Double(signOf: x, magnitudeOf: 1) }
        let e = expMinusOne(2 * a)
        return Double(signOf: x, magnitudeOf: e / (e + 2))
    }
}
