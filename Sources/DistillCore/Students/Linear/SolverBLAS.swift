import CBLAS

/// The linear solver's setting of OpenBLAS, its last user: one thread.
///
/// The solver runs row ranges concurrently itself; OpenBLAS's own threads inside those
/// ranges oversubscribe the cores (the linear benchmark's path took twice as long). This
/// file goes away with the solver's last BLAS call.
enum SolverBLAS {
    /// Sets OpenBLAS to one thread, once per process.
    static let singleThreaded: Void = {
        openblas_set_num_threads(1)
    }()
}
