import DistillKernels

/// The linear solver's floating-point sums over rows, whose results depend only on their
/// inputs: not on the CPU, its vector width, a BLAS library or the thread count.
///
/// A sum keeps 8 partial sums: lane ℓ adds, in increasing i, the terms i ≡ ℓ (mod 8) of
/// the first 8⌊count/8⌋; the lanes are then combined as ((s₀ + s₁) + (s₂ + s₃)) + ((s₄ +
/// s₅) + (s₆ + s₇)), and the remaining terms added in order. A product is rounded before
/// it is added (never a fused multiply-add). The kernels are C (`CRowKernels`), a portable
/// version and an AVX2 one chosen at run time, which give the same bits: Swift compiles
/// for the x86-64 baseline, SSE2, where the Gram matrix's products ran at half
/// OpenBLAS's speed, and cannot enable a wider instruction set for one function.
///
/// Not BLAS because OpenBLAS picks its kernels by CPU (`OPENBLAS_CORETYPE`): a dot product
/// on a Haswell sums in another order, with fused multiply-adds, than on a Prescott, and a
/// fit differed in its last bits between them.
enum RowKernels {
    /// Σ xᵢ for i < count, in the order above (the dot product with ones, bit for bit).
    /// - Complexity: O(count).
    static func sum(_ x: UnsafePointer<Double>, count: Int) -> Double {
        distill_sum(x, count)
    }

    /// yᵢ += a₀ x₀ᵢ, then += a₁ x₁ᵢ, and so on for each column in order, for i < count, each
    /// product rounded before its sum: one pass over y per few columns.
    /// - Complexity: O(columns × count).
    static func axpy(_ a: [Double], _ x: [UnsafePointer<Double>], _ y: UnsafeMutablePointer<Double>, count: Int) {
        precondition(a.count == x.count, "a step per column")
        x.map(Optional.init).withUnsafeBufferPointer { x in distill_axpy(a, x.baseAddress, x.count, y, count) }
    }

    /// Σᵢ xⱼᵢ yᵢ for each column xⱼ, in the order above, a few columns per pass over y.
    /// - Complexity: O(columns × count).
    static func dots(_ x: [UnsafePointer<Double>], _ y: UnsafePointer<Double>, count: Int) -> [Double] {
        var result = [Double](repeating: 0, count: x.count)
        x.map(Optional.init).withUnsafeBufferPointer { x in distill_dots(x.baseAddress, x.count, y, count, &result) }
        return result
    }

    /// outᵢ = wᵢ xᵢ for i < count.
    /// - Complexity: O(count).
    static func multiply(_ w: UnsafePointer<Double>, _ x: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>,
                         count: Int) {
        distill_multiply(w, x, out, count)
    }

    /// result[a·m + b] += Σᵢ scaled[a]ᵢ plain[b]ᵢ over i < count, in the order above, for
    /// a ≤ b, mirrored to b·m + a: a block of a weighted Gram matrix, with `scaled` the
    /// columns multiplied by the weights and `plain` the columns as they are.
    /// - Complexity: O(m² count).
    static func symmetricProduct(scaled: [UnsafePointer<Double>], plain: [UnsafePointer<Double>], count: Int,
                                 into result: UnsafeMutablePointer<Double>) {
        precondition(scaled.count == plain.count, "as many weighted columns as plain ones")
        scaled.map(Optional.init).withUnsafeBufferPointer { scaled in
            plain.map(Optional.init).withUnsafeBufferPointer { plain in
                distill_symmetric_product(scaled.baseAddress, plain.baseAddress, scaled.count, count, result)
            }
        }
    }
}
