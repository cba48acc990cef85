import Foundation

/// Writes files so that a reader never sees half of one, and a command's files appear
/// together: the bytes go to a temporary name in the same directory, which is then renamed
/// over the target. Temporary files are removed if the command is interrupted
/// (`InterruptCleanup`), and the renames of one call happen with interruptions held off.
public enum AtomicFile {
    /// - Throws: `DataError` naming the path when the directory is missing or unwritable.
    public static func write(_ data: Data, to path: String) throws {
        try write([(path, data)])
    }

    /// Writes every file, then renames them all into place and removes `stale`: files of an
    /// earlier run that this one does not write, so that no mix of two runs is left.
    /// - Throws: `DataError` naming the first path that cannot be written; no file is
    ///   renamed into place then.
    public static func write(_ files: [(path: String, contents: Data)], removing stale: [String] = []) throws {
        var staged: [(temporary: String, path: String)] = []
        defer {
            for file in staged {
                unlink(file.temporary)
                InterruptCleanup.forget(file: file.temporary)
            }
        }
        for file in files {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory), isDirectory.boolValue {
                throw DataError("\(file.path): cannot write: it is a directory")
            }
            let temporary = temporaryPath(for: file.path)
            InterruptCleanup.track(file: temporary)
            staged.append((temporary, file.path))
            do {
                try file.contents.write(to: URL(fileURLWithPath: temporary))
            } catch {
                throw DataError("\(file.path): cannot write: \(reason(error))")
            }
        }
        try InterruptCleanup.uninterrupted {
            for (index, file) in staged.enumerated() where rename(file.temporary, file.path) != 0 {
                let message = String(cString: strerror(errno))
                staged.removeFirst(index)
                throw DataError("\(file.path): cannot write: \(message)")
            }
            staged.removeAll()
            for path in stale { unlink(path) }
        }
    }

    /// Writes a file made piece by piece (a large CSV), so that it is never held whole in
    /// memory; it appears under `path` only once `body` has returned.
    /// - Parameter body: gets a function that appends text to the file.
    /// - Throws: `DataError` naming the path, or what `body` throws; nothing is left then.
    public static func write(to path: String, streaming body: (_ append: (String) throws -> Void) throws -> Void) throws {
        let temporary = temporaryPath(for: path)
        InterruptCleanup.track(file: temporary)
        defer {
            unlink(temporary)
            InterruptCleanup.forget(file: temporary)
        }
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else { throw DataError("\(path): cannot write: \(String(cString: strerror(errno)))") }
        var isOpen = true
        defer { if isOpen { close(descriptor) } }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        func flush() throws {
            var offset = 0
            while offset < buffer.count {
                let written = buffer[offset...].withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
                guard written >= 0 else {
                    if errno == EINTR { continue }
                    throw DataError("\(path): cannot write: \(String(cString: strerror(errno)))")
                }
                offset += written
            }
            buffer.removeAll(keepingCapacity: true)
        }
        try body { text in
            buffer.append(contentsOf: text.utf8)
            if buffer.count >= 1 << 20 { try flush() }
        }
        try flush()
        isOpen = false
        guard close(descriptor) == 0 else { throw DataError("\(path): cannot write: \(String(cString: strerror(errno)))") }
        try InterruptCleanup.uninterrupted {
            guard rename(temporary, path) == 0 else { throw DataError("\(path): cannot write: \(String(cString: strerror(errno)))") }
        }
    }

    /// Checks, before any work, that `path` can be written: its directory exists and takes
    /// a new file, and `path` is not a directory.
    /// - Parameter option: how messages name the path's option, e.g. `--out`.
    /// - Throws: `DataError` naming the option and the path.
    public static func checkWritable(_ path: String, option: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw DataError("\(option): \(path) is a directory; give a file name")
        }
        let temporary = temporaryPath(for: path)
        InterruptCleanup.track(file: temporary)
        defer { InterruptCleanup.forget(file: temporary) }
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw DataError("\(option): cannot write \(path): the directory \(directory) does not exist")
            }
            throw DataError("\(option): cannot write \(path): \(directory) does not take new files (\(reason))")
        }
        close(descriptor)
        unlink(temporary)
    }

    /// `.name.PID.partial` beside `path`: hidden, and distinct for two processes at once.
    private static func temporaryPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).partial").path
    }

    private static func reason(_ error: Error) -> String {
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        if let code = underlying?.code, underlying?.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(code)))
        }
        return (error as NSError).localizedDescription
    }
}
