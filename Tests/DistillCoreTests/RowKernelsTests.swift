import Testing

@testable import DistillCore

@Suite("Row kernels: sums in one documented order, bit for bit")
struct RowKernelsTests {
    /// Numbers of both signs spanning 16 orders of magnitude, so that adding them in
    /// another order rounds differently.
    static func values(_ count: Int, seed: UInt64) -> [Double] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in
            let magnitude = Double(sign: .plus, exponent: Int(generator.index(below: 54)) - 27, significand: 1)
            return (generator.unitInterval() * 2 - 1) * magnitude
        }
    }

    /// The order `RowKernels` documents, written plainly: eight lane sums over i mod 8 of the
    /// whole groups of eight, combined pairwise, then the rest in order.
    static func reference(_ terms: [Double]) -> Double {
        var lanes = [Double](repeating: 0, count: 8)
        let whole = terms.count - terms.count % 8
        for i in 0..<whole { lanes[i % 8] += terms[i] }
        var total = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]))
        for i in whole..<terms.count { total += terms[i] }
        return total
    }

    static func dot(_ x: [Double], _ y: [Double]) -> Double {
        x.withUnsafeBufferPointer { x in y.withUnsafeBufferPointer { y in RowKernels.dot(x.baseAddress!, y.baseAddress!, count: x.count) } }
    }

    static func sum(_ x: [Double]) -> Double {
        x.withUnsafeBufferPointer { RowKernels.sum($0.baseAddress!, count: $0.count) }
    }

    @Test(arguments: [0, 1, 7, 8, 9, 23, 256, 1001])
    func dotAndSumFollowTheirOrder(count: Int) {
        let x = Self.values(count, seed: 1), y = Self.values(count, seed: 2)
        let products = zip(x, y).map { $0 * $1 }
        #expect(Self.dot(x, y).bitPattern == Self.reference(products).bitPattern)
        #expect(Self.sum(x).bitPattern == Self.reference(x).bitPattern)
        #expect(Self.dot(x, [Double](repeating: 1, count: count)).bitPattern == Self.sum(x).bitPattern)
    }

    /// The order is not a formality: a sum from left to right of the same products rounds
    /// differently, so the tests above tell the orders apart.
    @Test func anotherOrderGivesOtherBits() {
        let x = Self.values(1001, seed: 1), y = Self.values(1001, seed: 2)
        let leftToRight = zip(x, y).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(leftToRight.bitPattern != Self.dot(x, y).bitPattern)
    }

    /// y + a x is rounded twice (product, then sum), never fused: for these numbers a
    /// fused multiply-add gives another result.
    @Test(arguments: [1, 8, 13, 64])
    func axpyRoundsTheProductThenTheSum(count: Int) {
        let a = 1 + 0x1p-30
        let x = (0..<count).map { 1 + Double($0 + 1) * 0x1p-29 }
        let y0 = x.map { -(a * $0) }
        var y = y0
        x.withUnsafeBufferPointer { x in
            y.withUnsafeMutableBufferPointer { RowKernels.axpy(a, x.baseAddress!, $0.baseAddress!, count: count) }
        }
        for i in 0..<count {
            #expect(y[i].bitPattern == (y0[i] + a * x[i]).bitPattern)
            #expect(y[i] != y0[i].addingProduct(a, x[i]), "element \(i): the fused result would be its rounding error")
        }
    }

    /// Each entry is the `dot` of a weighted column and a plain one, added to what was
    /// there, and the matrix is symmetric.
    @Test(arguments: [1, 2, 5])
    func symmetricProductIsPairwiseDots(columns m: Int) {
        let count = 37
        let scaled = (0..<m).map { Self.values(count, seed: 10 + UInt64($0)) }
        let plain = (0..<m).map { Self.values(count, seed: 20 + UInt64($0)) }
        let start = Self.values(m * m, seed: 30)
        // Columns the kernel reads through pointers, so copied to memory that outlives the call.
        let columns = (scaled + plain).map { column in
            let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: count)
            _ = buffer.initialize(from: column)
            return buffer
        }
        defer { columns.forEach { $0.deallocate() } }
        var result = start
        result.withUnsafeMutableBufferPointer { result in
            RowKernels.symmetricProduct(scaled: columns[..<m].map { UnsafePointer($0.baseAddress!) },
                                        plain: columns[m...].map { UnsafePointer($0.baseAddress!) },
                                        count: count, into: result.baseAddress!)
        }
        for a in 0..<m {
            for b in a..<m {
                let expected = start[a * m + b] + Self.dot(scaled[a], plain[b])
                #expect(result[a * m + b].bitPattern == expected.bitPattern, "entry \(a), \(b)")
                #expect(result[b * m + a].bitPattern == expected.bitPattern, "entry \(b), \(a)")
            }
        }
    }
}
