import DistillCore
import Foundation

/// The directory a command writes its results into.
struct OutputDirectory {
    let path: String

    /// Creates the directory if needed, so that an unwritable place fails before any work.
    init(_ path: String) throws {
        self.path = path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw DataError("--out: \(path) exists and is not a directory") }
        } else {
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw DataError("--out: cannot create the directory \(path): \((error as NSError).localizedDescription)")
            }
        }
        guard FileManager.default.isWritableFile(atPath: path) else {
            throw DataError("--out: cannot write into \(path)")
        }
    }

    /// Writes every file, each atomically; all contents are made before the first is written.
    func write(_ files: [(name: String, contents: Data)]) throws {
        for file in files {
            try AtomicFile.write(file.contents, to: (path as NSString).appendingPathComponent(file.name))
        }
    }
}
