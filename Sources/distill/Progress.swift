import Foundation

/// Reports a long job on stderr: a live line (rows, rows/s, time left) on a terminal,
/// one summary line when stderr is a file or pipe.
final class Progress {
    private let total: Int
    private let noun: String
    private let start = Date()
    private let live = isatty(STDERR_FILENO) == 1
    private var lastDraw = Date.distantPast

    init(total: Int, noun: String) {
        self.total = total
        self.noun = noun
    }

    func update(done: Int) {
        guard live, Date().timeIntervalSince(lastDraw) >= 0.2 || done == total else { return }
        lastDraw = Date()
        let elapsed = max(Date().timeIntervalSince(start), 1e-9)
        let rate = Double(done) / elapsed
        let left = rate > 0 ? Double(total - done) / rate : 0
        let line = String(format: "\r%@ %d/%d rows, %.0f rows/s, %.0f s left ", noun, done, total, rate, left)
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        let elapsed = Date().timeIntervalSince(start)
        let rate = elapsed > 0 ? Double(total) / elapsed : 0
        let line = String(format: "%@%@ %d rows in %.2f s (%.0f rows/s)\n", live ? "\r" : "", noun, total, elapsed, rate)
        FileHandle.standardError.write(Data(line.utf8))
    }
}
