import Foundation
import Testing

@testable import DistillCore

/// PortableMath against the C library: the special cases IEEE 754 and C define exactly,
/// and the accuracy on many values, measured against glibc's `long double` functions
/// (64-bit significand, so their error is far below a Double's ulp).
@Suite("portable math")
struct PortableMathTests {
    /// Doubles at the edges: zeros, infinities, NaN, subnormals, the normal range's ends,
    /// exp's overflow and underflow thresholds, and values near 1.
    static let doubleSpecials: [Double] = [
        0, -0, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
        .leastNormalMagnitude, .leastNormalMagnitude.nextDown, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
        1, -1, 1.0.nextUp, 1.0.nextDown, 0.5, 2, -0.5, 3, -3, 2.5, -2.5, 1e-300, 1e300, -1e-20, 1e-20,
        709.782712893384, 709.782712893384.nextUp, 709.78, -708.39, -745.1332191019411, -745.1332191019412, -745.2, -746, 710, -1e10, 1e10,
    ]

    /// Both NaN, or the same bits.
    static func same(_ a: Double, _ b: Double) -> Bool { (a.isNaN && b.isNaN) || a.bitPattern == b.bitPattern }

    /// Results the definitions make exact: 0, ±∞, NaN, and small integers (log2 of 8, 2³).
    static func isExact(_ v: Double) -> Bool {
        v.isNaN || v.isInfinite || v == 0 || (v == v.rounded() && abs(v) < 0x1p53)
    }

    @Test("exp, log, log1p, log2 and log10 give the C library's special values", arguments: doubleSpecials)
    func specialValues(x: Double) {
        let pairs: [(String, Double, Double)] = [
            ("exp", PortableMath.exp(x), Foundation.exp(x)), ("log", PortableMath.log(x), Foundation.log(x)),
            ("log1p", PortableMath.log1p(x), Foundation.log1p(x)), ("log2", PortableMath.log2(x), Foundation.log2(x)),
            ("log10", PortableMath.log10(x), Foundation.log10(x)),
        ]
        for (name, mine, libm) in pairs {
            // Exact results must match bit for bit; the rest within an ulp.
            #expect(Self.isExact(libm) ? Self.same(mine, libm) : abs(mine - libm) <= libm.ulp, "\(name)(\(x)) = \(mine), C library \(libm)")
        }
    }

    @Test("pow follows C's special cases: zeros, infinities, NaN, negative bases, odd exponents")
    func powSpecialValues() {
        let values: [Double] = [0, -0, 1, -1, 0.5, -0.5, 2, -2, 3, -3, 2.5, -2.5, .infinity, -.infinity, .nan,
                                .leastNonzeroMagnitude, 1e300, -1e300, 0x1p53 + 1, -(0x1p53 + 2)]
        for x in values {
            for y in values {
                let mine = PortableMath.pow(x, y), libm = Foundation.pow(x, y)
                #expect(Self.isExact(libm) ? Self.same(mine, libm) : abs(mine - libm) <= libm.ulp, "pow(\(x), \(y)) = \(mine), C library \(libm)")
            }
        }
    }

    @Test("exact where exactness is promised: log2 of 2ᵏ, log10 and powerOfTen of 10ⁿ, x¹ and x⁰")
    func exactResults() {
        for k in -1074...1023 {
            #expect(PortableMath.log2(Double(sign: .plus, exponent: k, significand: 1)) == Double(k))
        }
        for n in -22...22 {
            let decimal = Double("1e\(n)")!  // Swift parses decimal text correctly rounded
            #expect(PortableMath.powerOfTen(n) == decimal, "10^\(n)")
            if n >= 0 { #expect(PortableMath.log10(decimal) == Double(n), "log10(1e\(n))") }
        }
        #expect(PortableMath.powerOfTen(Int.min) == 0 && PortableMath.powerOfTen(400) == .infinity)
        var generator = SeededGenerator(seed: 11)
        for _ in 0..<1_000 {
            let x = Double.random(in: -1e6...1e6, using: &generator)
            #expect(PortableMath.pow(x, 1) == x && PortableMath.pow(x, 0) == 1)
        }
    }

    @Test("Float functions give C's special values", arguments: [Float(0), -0, .infinity, -.infinity, .nan, .leastNonzeroMagnitude,
                                                                  -.leastNonzeroMagnitude, .greatestFiniteMagnitude, 88.72284, 88.72285,
                                                                  -103.97, -104, 9.1, -9.1, 4, -4, 1, -1])
    func floatSpecialValues(x: Float) {
        let pairs: [(String, Float, Float)] = [
            ("exp", PortableMath.exp(x), Foundation.exp(x)), ("log", PortableMath.log(x), Foundation.log(x)),
            ("log1p", PortableMath.log1p(x), Foundation.log1p(x)), ("tanh", PortableMath.tanh(x), Foundation.tanh(x)),
            ("erf", PortableMath.erf(x), Foundation.erf(x)),
        ]
        for (name, mine, libm) in pairs {
            let exact = libm.isNaN || libm.isInfinite || libm == 0 || libm.magnitude == 1
            let same = (mine.isNaN && libm.isNaN) || mine.bitPattern == libm.bitPattern
            #expect(exact ? same : abs(mine - libm) <= libm.ulp, "\(name)(\(x)) = \(mine), C library \(libm)")
        }
    }

    #if arch(x86_64)
    /// The error of `value` in ulps of the exact result (the ulp of its rounding to Double).
    static func ulps(_ value: Double, _ exact: Float80) -> Float80 {
        if exact.isNaN { return value.isNaN ? 0 : .infinity }
        let rounded = Double(exact)
        if rounded.isInfinite || value.isInfinite { return value == rounded ? 0 : .infinity }
        return abs(Float80(value) - exact) / Float80(Swift.max(rounded.ulp, .leastNonzeroMagnitude))
    }

    static func ulps(_ value: Float, _ exact: Float80) -> Float80 {
        if exact.isNaN { return value.isNaN ? 0 : .infinity }
        let rounded = Float(exact)
        if rounded.isInfinite || value.isInfinite { return value == rounded ? 0 : .infinity }
        return abs(Float80(value) - exact) / Float80(Swift.max(rounded.ulp, .leastNonzeroMagnitude))
    }

    /// Ways to draw test inputs: uniform over a range, or uniform over bit patterns (every
    /// binade, subnormals included, equally often).
    enum Draw: Sendable, CustomStringConvertible {
        case uniform(ClosedRange<Double>)
        case bitPatterns(ClosedRange<UInt64>)

        static let positive = Draw.bitPatterns(1...Double.greatestFiniteMagnitude.bitPattern)

        func value(_ generator: inout SeededGenerator) -> Double {
            switch self {
            case .uniform(let range): return Double.random(in: range, using: &generator)
            case .bitPatterns(let range): return Double(bitPattern: UInt64.random(in: range, using: &generator))
            }
        }

        var description: String {
            switch self {
            case .uniform(let range): "\(range)"
            case .bitPatterns: "bit patterns"
            }
        }
    }

    static let unary: [(name: String, mine: @Sendable (Double) -> Double, exact: @Sendable (Float80) -> Float80, draws: [Draw])] = [
        ("exp", PortableMath.exp, Foundation.exp, [.uniform(-745.2...709.79), .uniform(-1...1), .uniform(-745.2 ... -708)]),
        ("log", PortableMath.log, Foundation.log, [.positive, .uniform(0.5...2)]),
        ("log1p", PortableMath.log1p, Foundation.log1p, [.uniform(-0.999...3), .uniform(-1e-5...1e-5), .bitPatterns(0x3FF0_0000_0000_0000...0x7FEF_FFFF_FFFF_FFFF)]),
        ("log2", PortableMath.log2, Foundation.log2, [.positive, .uniform(0.5...2)]),
        ("log10", PortableMath.log10, Foundation.log10, [.positive, .uniform(0.5...2)]),
    ]

    @Test("Double functions are within one ulp of the exact result on 300,000 values each",
          arguments: unary.indices)
    func doubleAccuracy(index: Int) {
        let f = Self.unary[index]
        var generator = SeededGenerator(seed: UInt64(index + 1))
        for draw in f.draws {
            var worst: (error: Float80, x: Double) = (0, 0)
            for _ in 0..<100_000 {
                let x = draw.value(&generator)
                let error = Self.ulps(f.mine(x), f.exact(Float80(x)))
                if error > worst.error { worst = (error, x) }
            }
            #expect(worst.error < 1, "\(f.name) on \(draw): \(worst.error) ulps at \(worst.x)")
        }
    }

    @Test("pow is within one ulp, up to results near the overflow and underflow thresholds")
    func powAccuracy() {
        var generator = SeededGenerator(seed: 42)
        let draws: [(Draw, Draw)] = [
            (.uniform(0...10), .uniform(-30...30)),
            (.uniform(0.5...2), .uniform(-1_000...1_000)),  // large exponents: y · ln x up to 700
            (.positive, .uniform(-1.5...1.5)),
        ]
        for (xs, ys) in draws {
            var worst: (error: Float80, x: Double, y: Double) = (0, 0, 0)
            for _ in 0..<100_000 {
                let x = xs.value(&generator), y = ys.value(&generator)
                let error = Self.ulps(PortableMath.pow(x, y), Foundation.pow(Float80(x), Float80(y)))
                if error > worst.error { worst = (error, x, y) }
            }
            #expect(worst.error < 1, "pow: \(worst.error) ulps at (\(worst.x), \(worst.y))")
        }
    }

    static let floatUnary: [(name: String, mine: @Sendable (Float) -> Float, exact: @Sendable (Float80) -> Float80, range: ClosedRange<Float>)] = [
        ("exp", PortableMath.exp, Foundation.exp, -104...89),
        ("log", PortableMath.log, Foundation.log, 0...Float.greatestFiniteMagnitude),
        ("log1p", PortableMath.log1p, Foundation.log1p, -1...1e10),
        ("tanh", PortableMath.tanh, Foundation.tanh, -10...10),
        ("erf", PortableMath.erf, Foundation.erf, -5...5),
    ]

    /// Every 1,009th Float of the range (about two million of each function's two billion;
    /// all of them were checked once, in about three minutes each).
    @Test("Float functions are within half an ulp, but for a hair, on a sweep of every binade",
          arguments: floatUnary.indices)
    func floatAccuracy(index: Int) {
        let f = Self.floatUnary[index]
        let (low, high) = (f.range.lowerBound, f.range.upperBound)
        var worst: (error: Float80, x: Float) = (0, 0)
        // Bit patterns of negative floats run the other way; walk each sign on its own.
        for (from, to) in [(low, Swift.min(high, -0)), (Swift.max(low, 0), high)] where from <= to {
            let start = Int64(from.sign == .minus ? -Int64(from.magnitude.bitPattern) : Int64(from.bitPattern))
            let end = Int64(to.sign == .minus ? -Int64(to.magnitude.bitPattern) : Int64(to.bitPattern))
            for code in stride(from: start, through: end, by: 1_009) {
                let x = code < 0 ? -Float(bitPattern: UInt32(-code)) : Float(bitPattern: UInt32(code))
                let error = Self.ulps(f.mine(x), f.exact(Float80(x)))
                if error > worst.error { worst = (error, x) }
            }
        }
        #expect(worst.error < 0.5001, "\(f.name): \(worst.error) ulps at \(worst.x)")
    }
    #endif
}
