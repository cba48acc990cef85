import Dispatch
import Foundation

/// What an interrupted Distill must undo before it ends: temporary files not yet renamed
/// into place, and teacher programs still running in process groups of their own (which a
/// Ctrl-C at the terminal does not reach).
///
/// `install()` takes SIGINT, SIGTERM and SIGHUP away from their default action and handles
/// them on a dispatch queue, outside signal-handler context, so the clean-up may use locks
/// and collections; it then ends the process with status 128 + the signal number, as a
/// shell reports a command stopped by a signal. Without `install()` (a library user) the
/// registry costs nothing and signals keep their usual meaning.
public enum InterruptCleanup {
    private static let registry = Registry()

    /// Handles SIGINT, SIGTERM and SIGHUP from now on; call once, at the start of a program.
    public static func install() {
        registry.install()
    }

    /// Runs `body` with interruptions held off: a signal arriving meanwhile is acted on
    /// after `body` returns, so files renamed into place inside it appear all or none.
    public static func uninterrupted<T>(_ body: () throws -> T) rethrows -> T {
        registry.lock.lock()
        defer { registry.lock.unlock() }
        return try body()
    }

    /// Removes `path` if the process is interrupted before `forget(file:)`.
    static func track(file path: String) {
        registry.locked { $0.files.insert(path) }
    }

    static func forget(file path: String) {
        registry.locked { $0.files.remove(path) }
    }

    /// Kills the process group `group` if the process is interrupted before `forget(processGroup:)`.
    static func track(processGroup group: pid_t) {
        registry.locked { $0.processGroups.insert(group) }
    }

    static func forget(processGroup group: pid_t) {
        registry.locked { $0.processGroups.remove(group) }
    }

    /// The tracked files and groups, and the signal sources; `lock` guards all of it and is
    /// recursive so that `uninterrupted` blocks may track and forget files.
    private final class Registry: @unchecked Sendable {
        let lock = NSRecursiveLock()
        var files: Set<String> = []
        var processGroups: Set<pid_t> = []
        private var sources: [DispatchSourceSignal] = []
        private let queue = DispatchQueue(label: "distill.interrupt-cleanup")

        @discardableResult
        func locked<T>(_ body: (Registry) -> T) -> T {
            lock.lock()
            defer { lock.unlock() }
            return body(self)
        }

        func install() {
            lock.lock()
            defer { lock.unlock() }
            guard sources.isEmpty else { return }
            for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
                // Dispatch delivers a signal to its source only once the default action is off.
                signal(signalNumber, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
                source.setEventHandler { [unowned self] in self.cleanUpAndExit(signalNumber) }
                source.resume()
                sources.append(source)
            }
        }

        private func cleanUpAndExit(_ signalNumber: Int32) -> Never {
            lock.lock()
            for path in files { unlink(path) }
            for group in processGroups { kill(-group, SIGKILL) }
            _exit(128 + signalNumber)
        }
    }
}
