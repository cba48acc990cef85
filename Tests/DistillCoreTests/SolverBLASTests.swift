import CBLAS
import Foundation
import Testing

@testable import DistillCore

/// The linear solver's remaining OpenBLAS calls run in its own row-range threads, so
/// OpenBLAS itself must run one thread (else the cores are oversubscribed).
@Suite("the solver's OpenBLAS setting")
struct SolverBLASTests {
    @Test("making a solver sets OpenBLAS to one thread", .enabled(if: ProcessInfo.processInfo.activeProcessorCount > 1))
    func solverSetsOneThread() {
        _ = ElasticNetSolver(x: DesignMatrix(rows: 3, columns: 1, values: [-1, 0, 1]), loss: .squared(y: [1, 2, 3]),
                             groups: [[0]], l1Ratio: 1)
        #expect(openblas_get_num_threads() == 1)
    }
}
