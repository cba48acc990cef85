/// A small, fast random number generator whose sequence depends only on its seed
/// (SplitMix64, Steele, Lea & Flood 2014), so runs repeat exactly on every platform and
/// Swift version, which `SystemRandomNumberGenerator` does not promise.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in 0..<bound, by rejection so every value is equally likely.
    public mutating func index(below bound: Int) -> Int {
        precondition(bound > 0)
        let limit = UInt64(bound)
        let threshold = (0 &- limit) % limit
        while true {
            let value = next()
            let product = value.multipliedFullWidth(by: limit)
            if product.low >= threshold { return Int(product.high) }
        }
    }

    /// A uniform number in [0, 1) with 53 random bits.
    public mutating func unitInterval() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// Shuffles in place (Fisher–Yates) with this generator's own index choice, so the order
    /// does not depend on the standard library's shuffle algorithm.
    public mutating func shuffle<T>(_ values: inout [T]) {
        guard values.count > 1 else { return }
        for i in stride(from: values.count - 1, to: 0, by: -1) {
            values.swapAt(i, index(below: i + 1))
        }
    }
}
