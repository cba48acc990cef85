import DistillKernels
import Testing

@testable import DistillCore

/// The matrix kernels against the definition they promise: each element is one chain of
/// fused multiply-adds over the inner dimension in order, then alpha times it plus beta
/// times C, bit for bit, on every path this CPU runs.
@Suite("matrix product: fixed fma chains on every path")
struct MatrixProductTests {
    static let sizes = [1, 3, 7, 17, 33, 65, 129]
    static let paths = [DistillKernelPortable, DistillKernelAVXFMA, DistillKernelAVX512].filter(ONNXMatrixProduct.supports)

    /// Values spread over 2⁻⁸…2⁸ with both signs, so any other order of additions rounds
    /// differently somewhere.
    static func values(_ count: Int, seed: UInt64) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in
            let magnitude = Float.random(in: 1..<2, using: &generator) * Float(sign: .plus, exponent: generator.index(below: 17) - 8, significand: 1)
            return generator.index(below: 2) == 0 ? magnitude : -magnitude
        }
    }

    /// The definition, in plain Swift: `addingProduct` is IEEE's fused multiply-add.
    static func reference(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float, a: [Float], b: [Float],
                          beta: Float, c: [Float], strides: (row: Int, column: Int)) -> [Float] {
        var y = [Float](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var sum: Float = 0
                for p in 0..<k {
                    sum = sum.addingProduct(transA ? a[p * m + i] : a[i * k + p], transB ? b[j * k + p] : b[p * n + j])
                }
                var value = alpha * sum
                if beta != 0 { value = value + beta * c[i * strides.row + j * strides.column] }
                y[i * n + j] = value
            }
        }
        return y
    }

    static func product(_ path: DistillKernelPath, transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                        a: [Float], b: [Float], beta: Float, c: [Float], strides: (row: Int, column: Int)) -> [Float] {
        var y = [Float](repeating: .nan, count: m * n)
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                c.withUnsafeBufferPointer { cp in
                    y.withUnsafeMutableBufferPointer { yp in
                        ONNXMatrixProduct.multiply(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                                                   a: ap.baseAddress!, b: bp.baseAddress!, beta: beta, c: cp.baseAddress,
                                                   cStrides: strides, y: yp.baseAddress!, path: path)
                    }
                }
            }
        }
        return y
    }

    @Test("every path equals the reference chain, for odd sizes and both transposes", arguments: sizes)
    func equalsReference(m: Int) {
        #expect(Self.paths.contains(DistillKernelPortable))
        for n in Self.sizes {
            for k in Self.sizes {
                let a = Self.values(m * k, seed: UInt64(m * 1_000_000 + n * 1_000 + k))
                let b = Self.values(k * n, seed: UInt64(k * 1_000_000 + n * 1_000 + m + 7))
                let bias = Self.values(n, seed: UInt64(n + 99))
                for (transA, transB) in [(false, false), (false, true), (true, false), (true, true)] {
                    let expected = Self.reference(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 1, a: a, b: b,
                                                  beta: 1, c: bias, strides: (0, 1))
                    for path in Self.paths {
                        let y = Self.product(path, transA: transA, transB: transB, m: m, n: n, k: k, alpha: 1, a: a, b: b,
                                             beta: 1, c: bias, strides: (0, 1))
                        #expect(y.map(\.bitPattern) == expected.map(\.bitPattern),
                                "path \(path.rawValue), m \(m) n \(n) k \(k) transA \(transA) transB \(transB)")
                    }
                }
            }
        }
    }

    @Test("alpha, beta and every broadcast of C round as the formula says, on every path")
    func alphaBetaAndBroadcasts() {
        let (m, n, k) = (19, 37, 23)
        let a = Self.values(m * k, seed: 1), b = Self.values(k * n, seed: 2)
        let cases: [(c: [Float], strides: (row: Int, column: Int))] = [
            (Self.values(m * n, seed: 3), (n, 1)),  // [M, N]
            (Self.values(n, seed: 4), (0, 1)),  // [N]
            (Self.values(m, seed: 5), (1, 0)),  // [M, 1]
            ([0.375], (0, 0)),  // scalar
        ]
        for (c, strides) in cases {
            for (alpha, beta) in [(Float(0.7), Float(-1.3)), (1, 0), (-2, 1)] {
                let expected = Self.reference(transA: false, transB: true, m: m, n: n, k: k, alpha: alpha, a: a, b: b,
                                              beta: beta, c: c, strides: strides)
                for path in Self.paths {
                    let y = Self.product(path, transA: false, transB: true, m: m, n: n, k: k, alpha: alpha, a: a, b: b,
                                         beta: beta, c: c, strides: strides)
                    #expect(y.map(\.bitPattern) == expected.map(\.bitPattern),
                            "path \(path.rawValue), strides \(strides), alpha \(alpha), beta \(beta)")
                }
            }
        }
    }

    @Test("signed zeros, infinities, NaN and subnormals give the same bits on every path")
    func specialValues() {
        let (m, n, k) = (9, 40, 5)
        let specials: [Float] = [0, -0, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, -.leastNormalMagnitude,
                                 .greatestFiniteMagnitude, 1, -1]
        let a = (0..<(m * k)).map { specials[$0 % specials.count] }
        let b = (0..<(k * n)).map { specials[($0 * 7 + 3) % specials.count] }
        let results = Self.paths.map {
            Self.product($0, transA: false, transB: false, m: m, n: n, k: k, alpha: 1, a: a, b: b, beta: 0, c: [], strides: (0, 0))
        }
        let expected = Self.reference(transA: false, transB: false, m: m, n: n, k: k, alpha: 1, a: a, b: b, beta: 0, c: [],
                                      strides: (0, 0))
        // The inputs reach every kind of result.
        #expect(expected.contains { $0.isNaN } && expected.contains { $0.isInfinite } && expected.contains { $0 == 0 })
        for (path, y) in zip(Self.paths, results) {
            // NaN payloads are not part of IEEE's promise; every other bit is.
            #expect(y.map { $0.isNaN ? Float.nan.bitPattern : $0.bitPattern } == expected.map { $0.isNaN ? Float.nan.bitPattern : $0.bitPattern },
                    "path \(path.rawValue)")
        }
    }

    /// With k = 2, A's rows [c, x] and B's columns [1, y] make each element fma(x, y, c + 0):
    /// the fused multiply-add itself, on operands drawn from every float bit pattern
    /// (subnormals, overflow, infinities, NaN) and on exact cancellations. The portable path
    /// computes it in double where the CPU has no fused instruction.
    @Test("the fused multiply-add of every path is IEEE's, on any operands")
    func fusedMultiplyAddOnExtremeOperands() {
        var generator = SeededGenerator(seed: 5)
        let (m, n) = (96, 80)
        let x = (0..<m).map { _ in Float(bitPattern: UInt32.random(in: .min ... .max, using: &generator)) }
        let y = (0..<n).map { _ in Float(bitPattern: UInt32.random(in: .min ... .max, using: &generator)) }
        // Addends: arbitrary bits, or minus a product of the grid, which cancels (nearly) exactly.
        let c = (0..<m).map { i -> Float in
            i % 3 == 0 ? -(x[i] * y[i % n]) : Float(bitPattern: UInt32.random(in: .min ... .max, using: &generator))
        }
        let a = (0..<m).flatMap { [c[$0], x[$0]] }
        let b = [Float](repeating: 1, count: n) + y
        let expected = Self.reference(transA: false, transB: false, m: m, n: n, k: 2, alpha: 1, a: a, b: b, beta: 0, c: [],
                                      strides: (0, 0))
        // The construction is what it claims: the chain is c + 0, then one fused step.
        for i in 0..<m {
            for j in 0..<n {
                let fused = (c[i] + 0).addingProduct(x[i], y[j])
                #expect(fused.bitPattern == expected[i * n + j].bitPattern || (fused.isNaN && expected[i * n + j].isNaN))
            }
        }
        for path in Self.paths {
            let product = Self.product(path, transA: false, transB: false, m: m, n: n, k: 2, alpha: 1, a: a, b: b, beta: 0, c: [],
                                       strides: (0, 0))
            #expect(product.map { $0.isNaN ? Float.nan.bitPattern : $0.bitPattern } == expected.map { $0.isNaN ? Float.nan.bitPattern : $0.bitPattern },
                    "path \(path.rawValue)")
        }
    }

    /// Products on a halfway point between two floats, plus an addend below a double's
    /// ulp: a multiply-add rounded through double rounds such a sum to the halfway point
    /// first and then to even, where the fused operation rounds by the addend's sign.
    /// x = 1 + k₁·2⁻¹² and y = 1 + k₂·2⁻¹² with odd k₁, k₂ give x·y with its 2⁻²⁴ bit set.
    @Test("the fused multiply-add of every path rounds sums a hair from a halfway point")
    func fusedMultiplyAddNearHalfway() {
        var generator = SeededGenerator(seed: 6)
        let (m, n) = (64, 64)
        let odd = { (g: inout SeededGenerator) in Float(2 * g.index(below: 2_048) + 1) * 0x1p-12 + 1 }
        let x = (0..<m).map { _ in odd(&generator) }
        let y = (0..<n).map { _ in odd(&generator) }
        let c = (0..<m).map { i -> Float in i % 2 == 0 ? 0x1p-60 : -0x1p-60 }
        let a = (0..<m).flatMap { [c[$0], x[$0]] }
        let b = [Float](repeating: 1, count: n) + y
        let expected = Self.reference(transA: false, transB: false, m: m, n: n, k: 2, alpha: 1, a: a, b: b, beta: 0, c: [],
                                      strides: (0, 0))
        // Through double the addend is lost, and a fifth of these sums (the products below 2
        // whose halfway point rounds to even the other way) come out one ulp off.
        let throughDouble = (0..<m).flatMap { i in (0..<n).map { j in Float(Double(x[i]) * Double(y[j]) + Double(c[i])) } }
        #expect(zip(throughDouble, expected).filter { $0 != $1 }.count > m * n / 10)
        for path in Self.paths {
            let product = Self.product(path, transA: false, transB: false, m: m, n: n, k: 2, alpha: 1, a: a, b: b, beta: 0, c: [],
                                       strides: (0, 0))
            let wrong = zip(product, expected).filter { $0.bitPattern != $1.bitPattern }.count
            #expect(wrong == 0, "path \(path.rawValue): \(wrong) of \(m * n) sums rounded otherwise")
        }
    }

    @Test("Gemm with an empty inner dimension is beta · C")
    func gemmWithoutInnerDimension() throws {
        let a = ONNXTensor(shape: [2, 0], floats: [])
        let b = ONNXTensor(shape: [0, 3], floats: [])
        let c = ONNXTensor(shape: [3], floats: [1, -2, 4])
        let y = try ONNXLinear.gemm(a, b, c, transA: false, transB: false, alpha: 1, beta: 0.5)
        #expect(y.shape == [2, 3])
        #expect(try y.floats("Y") == [0.5, -1, 2, 0.5, -1, 2])
    }
}
