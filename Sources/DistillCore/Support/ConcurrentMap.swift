import Dispatch

/// Results written from several threads, each index by exactly one of them.
private final class DisjointSlots<T>: @unchecked Sendable {
    var values: [T?]

    init(count: Int) {
        values = [T?](repeating: nil, count: count)
    }
}

/// `(0..<count).map(body)` with the calls spread over the cores
/// (`DispatchQueue.concurrentPerform`). Each call must be independent of the others.
func concurrentMap<T>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
    let slots = DisjointSlots<T>(count: count)
    slots.values.withUnsafeMutableBufferPointer { buffer in
        nonisolated(unsafe) let output = buffer
        DispatchQueue.concurrentPerform(iterations: count) { index in
            output[index] = body(index)
        }
    }
    return slots.values.map { $0! }
}
