/// The fixed chunks of rows the linear solver's work over the rows is split into, and the
/// threads that share them. A chunk's result depends only on its rows, and the caller
/// combines the results in chunk order, so a fit depends on neither the number of threads
/// nor on which thread took which chunk.
struct RowChunks: Sendable {
    /// Rows per chunk: enough for long runs of memory reads, few enough that the chunks
    /// share evenly over two threads (a 200,000-row fit has 49 of them, not 13).
    static let defaultSize = 4_096

    let ranges: [Range<Int>]
    /// Threads to spread the chunks over; nil: `DispatchQueue.concurrentPerform`'s choice,
    /// one per core.
    let threads: Int?

    init(rows: Int, size: Int = RowChunks.defaultSize, threads: Int? = nil) {
        precondition(size > 0 && (threads ?? 1) > 0, "chunks need rows and threads")
        ranges = stride(from: 0, to: rows, by: size).map { $0..<Swift.min(rows, $0 + size) }
        self.threads = threads
    }

    /// `body` of each chunk, in chunk order. With `threads` set, thread t takes the chunks
    /// t, t + threads, …; one thread runs them in order on the caller's.
    func map<T>(_ body: @Sendable (Range<Int>) -> T) -> [T] {
        let ranges = ranges
        guard let threads else { return concurrentMap(ranges.count) { body(ranges[$0]) } }
        if threads == 1 { return ranges.map(body) }
        let shares = concurrentMap(threads) { thread in
            stride(from: thread, to: ranges.count, by: threads).map { body(ranges[$0]) }
        }
        return ranges.indices.map { shares[$0 % threads][$0 / threads] }
    }
}
