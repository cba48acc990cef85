import Foundation

/// The directory a command writes its files into (`--out DIR`).
///
/// Nothing is created before there is something to write, so a command that fails leaves no
/// empty directory; but whether the directory can be made and written is checked at once, so
/// an unwritable place fails before any work. Writing takes an exclusive lock on the
/// directory (`flock`), so two commands writing into one directory at once take turns and
/// each leaves its whole set of files, never a mix.
public struct OutputDirectory: Sendable {
    public let path: String
    /// How messages name the directory, e.g. `--out`.
    let option: String

    /// - Throws: `DataError` naming the option when `path` is not a directory, or neither it
    ///   nor the nearest existing directory above it can be written.
    public init(_ path: String, option: String = "--out") throws {
        self.path = path
        self.option = option
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw DataError("\(option): \(path) exists and is not a directory") }
            guard access(path, W_OK | X_OK) == 0 else {
                throw DataError("\(option): cannot write into \(path): \(String(cString: strerror(errno)))")
            }
            return
        }
        var ancestor = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isDirectory) {
            ancestor.deleteLastPathComponent()
        }
        guard isDirectory.boolValue else {
            throw DataError("\(option): cannot create the directory \(path): \(ancestor.path) is a file")
        }
        guard access(ancestor.path, W_OK | X_OK) == 0 else {
            throw DataError("\(option): cannot create the directory \(path): \(ancestor.path): \(String(cString: strerror(errno)))")
        }
    }

    /// Creates the directory if needed and writes every file into it, all appearing together
    /// (see `AtomicFile`), while holding the directory's lock.
    /// - Parameters:
    ///   - replacing: names of files a run of this kind writes; those present from an
    ///     earlier run but not among `files` are removed, so the directory holds one run.
    ///   - also: files elsewhere (paths) that appear together with these.
    public func write(_ files: [(name: String, contents: Data)], replacing: Set<String> = [],
                      also: [(path: String, contents: Data)] = []) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw DataError("\(option): cannot create the directory \(path): \((error as NSError).localizedDescription)")
        }
        let descriptor = open(path, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else {
            throw DataError("\(option): cannot open the directory \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                throw DataError("\(option): cannot lock the directory \(path): \(String(cString: strerror(errno)))")
            }
        }
        let written = Set(files.map(\.name))
        let stale = replacing.subtracting(written).sorted().map(file)
            .filter { FileManager.default.fileExists(atPath: $0) }
        try AtomicFile.write(files.map { (file($0.name), $0.contents) } + also, removing: stale)
    }

    private func file(_ name: String) -> String {
        (path as NSString).appendingPathComponent(name)
    }
}
