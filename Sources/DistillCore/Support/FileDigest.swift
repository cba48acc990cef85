import Crypto
import Foundation

/// The SHA-256 of a file, so a run records exactly which inputs it read.
public enum FileDigest {
    /// The digest as lowercase hex, and the file's size in bytes. The file is read in blocks,
    /// so a large data file is never held whole.
    /// - Throws: `DataError` naming the file when it cannot be read.
    public static func sha256(of path: String) throws -> (hex: String, bytes: Int) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw DataError("\(path): cannot read the file to record its SHA-256")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var bytes = 0
        while true {
            let block: Data
            do {
                block = try handle.read(upToCount: 4 << 20) ?? Data()
            } catch {
                throw DataError("\(path): cannot read the file to record its SHA-256: \((error as NSError).localizedDescription)")
            }
            if block.isEmpty { break }
            hasher.update(data: block)
            bytes += block.count
        }
        let hex = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        return (hex, bytes)
    }
}
