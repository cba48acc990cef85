import CBLAS

/// Every call from the ONNX evaluator into OpenBLAS.
///
/// OpenBLAS runs single-threaded here: `ONNXTeacher` parallelises over row slices
/// itself, which scales better for the small matrices of a tabular network than
/// OpenBLAS's own threading and keeps the `threads` setting the only knob. With one
/// thread, concurrent calls from different threads each run in their caller's thread.
enum ONNXBLAS {
    /// Sets OpenBLAS to one thread, once per process.
    static let singleThreaded: Void = {
        openblas_set_num_threads(1)
    }()

    /// C = alpha · op(A) · op(B) + beta · C, all row-major; op transposes when asked.
    ///
    /// - Parameters:
    ///   - m: rows of op(A) and C; `n`: columns of op(B) and C; `k`: the shared dimension.
    ///   - a: `m × k` (or `k × m` when `transA`), leading dimension its column count.
    ///   - b: `k × n` (or `n × k` when `transB`).
    ///   - c: `m × n`, read when `beta` ≠ 0.
    static func sgemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, b: UnsafePointer<Float>, beta: Float, c: UnsafeMutablePointer<Float>
    ) {
        _ = singleThreaded
        guard m > 0, n > 0 else { return }
        let lda = transA ? m : k
        let ldb = transB ? k : n
        cblas_sgemm(
            CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
            blasint(m), blasint(n), blasint(k), alpha, a, blasint(max(lda, 1)), b, blasint(max(ldb, 1)),
            beta, c, blasint(max(n, 1)))
    }
}
