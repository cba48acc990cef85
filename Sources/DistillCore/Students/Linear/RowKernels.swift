/// The linear solver's floating-point sums over rows, written so that each result depends
/// only on its inputs: not on the CPU, its vector width, a BLAS library or the thread count.
///
/// A sum keeps `lanes` partial sums: lane ℓ adds, in increasing i, the terms i ≡ ℓ
/// (mod `lanes`) of the first `lanes`·⌊count/`lanes`⌋; the lanes are then combined as
/// ((s₀ + s₁) + (s₂ + s₃)) + ((s₄ + s₅) + (s₆ + s₇)), and the remaining terms added in
/// order. A product is rounded before it is added: Swift neither reassociates
/// floating-point arithmetic nor fuses a multiply and an add, so the order written here is
/// the order computed on every machine. The lanes are a SIMD vector so that the compiler
/// may keep them in whatever vector registers the target has; lane arithmetic is exact
/// IEEE arithmetic per lane whatever their width.
///
/// Written by hand rather than with BLAS because OpenBLAS picks its kernels by CPU
/// (`OPENBLAS_CORETYPE`): a dot product on a Haswell sums in another order, with fused
/// multiply-adds, than on a Prescott, and a fit differed in its last bits between them.
enum RowKernels {
    static let lanes = 8
    private typealias Lanes = SIMD8<Double>

    /// Σ xᵢ yᵢ for i < count, in the order above.
    /// - Complexity: O(count).
    static func dot(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, count: Int) -> Double {
        var accumulator = Lanes()
        let whole = count - count % lanes
        var i = 0
        while i < whole {
            accumulator += load(x + i) * load(y + i)
            i += lanes
        }
        var total = combine(accumulator)
        while i < count {
            total += x[i] * y[i]
            i += 1
        }
        return total
    }

    /// Σ xᵢ for i < count, in the order above (the dot product with ones, bit for bit).
    /// - Complexity: O(count).
    static func sum(_ x: UnsafePointer<Double>, count: Int) -> Double {
        var accumulator = Lanes()
        let whole = count - count % lanes
        var i = 0
        while i < whole {
            accumulator += load(x + i)
            i += lanes
        }
        var total = combine(accumulator)
        while i < count {
            total += x[i]
            i += 1
        }
        return total
    }

    /// yᵢ += a xᵢ for i < count, the product rounded before the sum.
    /// - Complexity: O(count).
    static func axpy(_ a: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, count: Int) {
        let whole = count - count % lanes
        let scale = Lanes(repeating: a)
        var i = 0
        while i < whole {
            UnsafeMutableRawPointer(y + i).storeBytes(of: load(y + i) + scale * load(x + i), as: Lanes.self)
            i += lanes
        }
        while i < count {
            y[i] += a * x[i]
            i += 1
        }
    }

    /// result[a·m + b] += Σ_i scaled[a][i] · plain[b][i] over i < count (the `dot` of the two
    /// columns), for a ≤ b, mirrored to b·m + a: a block of a weighted Gram matrix, with
    /// `scaled` the columns multiplied by the weights and `plain` the columns as they are.
    /// - Complexity: O(m² count).
    static func symmetricProduct(scaled: [UnsafePointer<Double>], plain: [UnsafePointer<Double>], count: Int,
                                 into result: UnsafeMutablePointer<Double>) {
        let m = scaled.count
        for a in 0..<m {
            var b = a
            // Two columns at a time share the loads of column a.
            while b + 1 < m {
                let (first, second) = dotPair(scaled[a], plain[b], plain[b + 1], count: count)
                result[a * m + b] += first
                result[a * m + b + 1] += second
                b += 2
            }
            if b < m { result[a * m + b] += dot(scaled[a], plain[b], count: count) }
        }
        for a in 0..<m {
            for b in 0..<a { result[a * m + b] = result[b * m + a] }
        }
    }

    /// (`dot`(x, y), `dot`(x, z)) in one pass over x.
    private static func dotPair(_ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ z: UnsafePointer<Double>,
                                count: Int) -> (Double, Double) {
        var first = Lanes(), second = Lanes()
        let whole = count - count % lanes
        var i = 0
        while i < whole {
            let xi = load(x + i)
            first += xi * load(y + i)
            second += xi * load(z + i)
            i += lanes
        }
        var totals = (combine(first), combine(second))
        while i < count {
            totals.0 += x[i] * y[i]
            totals.1 += x[i] * z[i]
            i += 1
        }
        return totals
    }

    @inline(__always)
    private static func load(_ pointer: UnsafePointer<Double>) -> Lanes {
        UnsafeRawPointer(pointer).loadUnaligned(as: Lanes.self)
    }

    @inline(__always)
    private static func load(_ pointer: UnsafeMutablePointer<Double>) -> Lanes {
        UnsafeRawPointer(pointer).loadUnaligned(as: Lanes.self)
    }

    @inline(__always)
    private static func combine(_ s: Lanes) -> Double {
        ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]))
    }
}
