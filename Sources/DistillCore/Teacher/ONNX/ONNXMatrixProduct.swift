import DistillKernels

/// Every call from the ONNX evaluator into Distill's matrix kernels (the `DistillKernels`
/// C target), which replace BLAS so that inference gives the same bits on every machine.
///
/// Each element of a product is one chain of fused multiply-adds over the inner dimension
/// in order, so the result does not depend on the CPU's vector width, on how rows are cut
/// into threads and chunks, or on the kernel path. The kernels are single-threaded:
/// `ONNXTeacher` runs row slices concurrently, which keeps `threads` the only knob.
enum ONNXMatrixProduct {
    /// The widest instruction set this CPU offers, chosen once per process.
    static let fastestPath = distill_kernel_best()

    /// Whether this CPU can run `path` (tests compare every supported path).
    static func supports(_ path: DistillKernelPath) -> Bool {
        distill_kernel_supported(path) != 0
    }

    /// Y = alpha · op(A) · op(B) + beta · C, all row-major; op transposes when asked.
    ///
    /// - Parameters:
    ///   - m: rows of op(A) and Y; `n`: columns of op(B) and Y; `k`: the shared dimension.
    ///   - a: `m × k` (or `k × m` when `transA`).
    ///   - b: `k × n` (or `n × k` when `transB`).
    ///   - c: C(i, j) = c[i · cStrides.row + j · cStrides.column] (0 broadcasts); read only
    ///     when `beta` ≠ 0.
    ///   - y: `m × n`, written; must not overlap the inputs.
    ///   - path: the instruction set; every supported path gives the same bits.
    static func multiply(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, b: UnsafePointer<Float>,
        beta: Float, c: UnsafePointer<Float>?, cStrides: (row: Int, column: Int),
        y: UnsafeMutablePointer<Float>, path: DistillKernelPath = fastestPath
    ) {
        precondition(supports(path), "kernel path \(path) is not supported on this CPU")
        guard m > 0, n > 0 else { return }
        let packing = distill_matrix_packing_size(path, m, n, k)
        withUnsafeTemporaryAllocation(of: Float.self, capacity: packing) { buffer in
            distill_matrix_product(path, transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, a, b,
                                   beta, c, cStrides.row, cStrides.column, y, buffer.baseAddress)
        }
    }

    /// The same product in Double, for float64 models: each element one chain of fused
    /// multiply-adds over k in order, then times alpha, plus beta · C, as the float kernels
    /// round it. Plain loops: double models are small (scikit-learn and torch exports).
    /// - Complexity: O(m·n·k).
    static func multiplyDouble(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double,
        a: UnsafePointer<Double>, b: UnsafePointer<Double>,
        beta: Double, c: UnsafePointer<Double>?, cStrides: (row: Int, column: Int),
        y: UnsafeMutablePointer<Double>
    ) {
        let (aRow, aInner) = transA ? (1, m) : (k, 1)
        let (bInner, bColumn) = transB ? (1, k) : (n, 1)
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<k { sum = sum.addingProduct(a[i * aRow + p * aInner], b[p * bInner + j * bColumn]) }
                var value = alpha * sum
                if beta != 0, let c { value += beta * c[i * cStrides.row + j * cStrides.column] }
                y[i * n + j] = value
            }
        }
    }
}
