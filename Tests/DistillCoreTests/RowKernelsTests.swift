import DistillKernels
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

    /// Columns copied to memory that outlives the calls that read them through pointers.
    final class Columns {
        let buffers: [UnsafeMutableBufferPointer<Double>]

        init(_ columns: [[Double]]) {
            buffers = columns.map { column in
                let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(column.count, 1))
                _ = buffer.initialize(from: column)
                return buffer
            }
        }

        deinit { buffers.forEach { $0.deallocate() } }

        subscript(_ range: Range<Int>) -> [UnsafePointer<Double>] { buffers[range].map { UnsafePointer($0.baseAddress!) } }
        var all: [UnsafePointer<Double>] { self[0..<buffers.count] }
    }

    @Test(arguments: [0, 1, 7, 8, 9, 23, 256, 1001])
    func dotsAndSumFollowTheirOrder(count: Int) {
        // Six columns: the kernels take four at a time, then the rest one by one.
        let x = (0..<6).map { Self.values(count, seed: 1 + UInt64($0)) }, y = Self.values(count, seed: 9)
        let columns = Columns(x + [y])
        let dots = RowKernels.dots(columns[0..<6], columns.all[6], count: count)
        for j in 0..<6 {
            #expect(dots[j].bitPattern == Self.reference(zip(x[j], y).map { $0 * $1 }).bitPattern, "column \(j)")
        }
        #expect(RowKernels.sum(columns.all[6], count: count).bitPattern == Self.reference(y).bitPattern)
    }

    /// The order is not a formality: a sum from left to right of the same products rounds
    /// differently, so the tests above tell the orders apart.
    @Test func anotherOrderGivesOtherBits() {
        let x = Self.values(1001, seed: 1), y = Self.values(1001, seed: 2)
        let leftToRight = zip(x, y).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(leftToRight.bitPattern != Self.reference(zip(x, y).map { $0 * $1 }).bitPattern)
    }

    /// y + a₀x₀ + a₁x₁ + … is added column by column, each product rounded before its sum,
    /// never fused: for these numbers a fused multiply-add gives another result.
    @Test(arguments: [1, 8, 13, 64])
    func axpyAddsEachColumnInOrderUnfused(count: Int) {
        let a: [Double] = [1 + 0x1p-30, -0.75, 3.5, 1e-3, -2, 0.125]
        let first: [Double] = (0..<count).map { 1 + Double($0 + 1) * 0x1p-29 }
        let x: [[Double]] = [first] + (1..<6).map { Self.values(count, seed: 20 + UInt64($0)) }
        let start: [Double] = first.map { -(a[0] * $0) }
        let columns = Columns(x)
        var y = start
        y.withUnsafeMutableBufferPointer { RowKernels.axpy(a, columns.all, $0.baseAddress!, count: count) }
        for i in 0..<count {
            var expected = start[i]
            for j in 0..<6 { expected += a[j] * x[j][i] }
            #expect(y[i].bitPattern == expected.bitPattern, "element \(i)")
            let unfused: Double = start[i] + a[0] * first[i]
            #expect(unfused != start[i].addingProduct(a[0], first[i]), "element \(i): fused, it would be the rounding error")
        }
    }

    /// Each entry is the ordered sum of a weighted column times a plain one, added to what
    /// was there, and the matrix is symmetric.
    @Test(arguments: [1, 2, 5, 6])
    func symmetricProductIsOrderedPairwiseSums(columns m: Int) {
        let count = 37
        let scaled = (0..<m).map { Self.values(count, seed: 10 + UInt64($0)) }
        let plain = (0..<m).map { Self.values(count, seed: 20 + UInt64($0)) }
        let start = Self.values(m * m, seed: 30)
        let columns = Columns(scaled + plain)
        var result = start
        result.withUnsafeMutableBufferPointer {
            RowKernels.symmetricProduct(scaled: columns[0..<m], plain: columns[m..<(2 * m)], count: count, into: $0.baseAddress!)
        }
        for a in 0..<m {
            for b in a..<m {
                let expected = start[a * m + b] + Self.reference(zip(scaled[a], plain[b]).map { $0 * $1 })
                #expect(result[a * m + b].bitPattern == expected.bitPattern, "entry \(a), \(b)")
                #expect(result[b * m + a].bitPattern == expected.bitPattern, "entry \(b), \(a)")
            }
        }
    }

    /// The portable kernels and the ones chosen for this CPU (AVX2 where it has it) give the
    /// same bits, so a fit does not depend on which of them a machine runs.
    @Test(arguments: [3, 8, 37, 256, 1001])
    func portableAndDispatchedKernelsAgree(count: Int) {
        let columns = Columns((0..<13).map { Self.values(count, seed: 40 + UInt64($0)) })
        let pointers = columns.all.map(Optional.init)
        let y = columns.all[12]
        var dispatched = [Double](repeating: 0, count: 12), portable = dispatched
        distill_dots(pointers, 12, y, count, &dispatched)
        distill_dots_portable(pointers, 12, y, count, &portable)
        #expect(dispatched.map(\.bitPattern) == portable.map(\.bitPattern))
        #expect(distill_dot(columns.all[0], y, count).bitPattern == distill_dot_portable(columns.all[0], y, count).bitPattern)
        #expect(distill_sum(y, count).bitPattern == distill_sum_portable(y, count).bitPattern)

        let steps = Self.values(7, seed: 60)
        var axpy = Self.values(count, seed: 61), axpyPortable = axpy
        distill_axpy(steps, pointers, 7, &axpy, count)
        distill_axpy_portable(steps, pointers, 7, &axpyPortable, count)
        #expect(axpy.map(\.bitPattern) == axpyPortable.map(\.bitPattern))

        var product = [Double](repeating: 0, count: count), productPortable = product
        distill_multiply(columns.all[0], y, &product, count)
        distill_multiply_portable(columns.all[0], y, &productPortable, count)
        #expect(product.map(\.bitPattern) == productPortable.map(\.bitPattern))

        for m in [1, 2, 5, 6] {
            var gram = Self.values(m * m, seed: 70), gramPortable = gram
            distill_symmetric_product(Array(pointers[0..<m]), Array(pointers[6..<(6 + m)]), m, count, &gram)
            distill_symmetric_product_portable(Array(pointers[0..<m]), Array(pointers[6..<(6 + m)]), m, count, &gramPortable)
            #expect(gram.map(\.bitPattern) == gramPortable.map(\.bitPattern), "\(m) columns")
        }
    }
}
