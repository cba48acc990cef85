import DistillCore
import Foundation

/// libFuzzer target for `CSVReader.read`.
///
/// Built with `make fuzz` (`-sanitize=fuzzer,address -DDISTILL_FUZZING`), libFuzzer supplies
/// `main` and calls `LLVMFuzzerTestOneInput` with each input. Built plainly (as `swift build`
/// does), it is a replay tool: `FuzzCSV FILE...` runs each saved input through the same
/// check, so a crash found by the fuzzer can be reproduced without the fuzzing runtime.
///
/// The reader takes a path, so the input is written to one scratch file that was unlinked
/// as soon as it was created and is reached through `/proc/self/fd`; nothing is left on disk.
/// A thrown `DataError` is an expected answer to malformed input; a crash, a hang or a
/// table whose columns disagree with its row count is a finding.
enum FuzzCSV {
    nonisolated(unsafe) static var scratch: Int32 = -1

    static func scratchFile() -> Int32 {
        if scratch >= 0 { return scratch }
        var template = Array((NSTemporaryDirectory() + "/fuzz-csv-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        precondition(fd >= 0, "cannot create a scratch file: \(String(cString: strerror(errno)))")
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        scratch = fd
        return fd
    }

    static func run(_ bytes: UnsafeRawBufferPointer) -> String {
        let fd = scratchFile()
        precondition(ftruncate(fd, 0) == 0)
        var written = 0
        while written < bytes.count {
            let n = pwrite(fd, bytes.baseAddress! + written, bytes.count - written, off_t(written))
            precondition(n > 0, "cannot write the scratch file")
            written += n
        }
        do {
            let table = try CSVReader.read("/proc/self/fd/\(fd)")
            precondition(table.rowCount > 0, "a table without rows was returned instead of an error")
            var names = Set<String>()
            for column in table.columns {
                precondition(column.count == table.rowCount,
                             "column '\(column.name)' has \(column.count) values for \(table.rowCount) rows")
                precondition(names.insert(column.name).inserted, "duplicate column name '\(column.name)'")
                if case .categorical(let codes, let levels) = column.values {
                    for code in codes {
                        precondition(code == Column.missingCode || (code >= 0 && Int(code) < levels.count),
                                     "column '\(column.name)' has code \(code) for \(levels.count) levels")
                    }
                }
            }
            return "ok: \(table.rowCount) rows × \(table.columns.count) columns"
        } catch {
            return "error: \(error)"
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSVTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    _ = FuzzCSV.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

#if !DISTILL_FUZZING
@main
struct FuzzCSVReplay {
    static func main() {
        let files = CommandLine.arguments.dropFirst()
        guard !files.isEmpty else {
            print("usage: FuzzCSV FILE...  (replays saved inputs; `make fuzz` builds the libFuzzer target)")
            exit(2)
        }
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                print("\(file): cannot read")
                exit(1)
            }
            let result = data.withUnsafeBytes { FuzzCSV.run($0) }
            print("\(file): \(result)")
        }
    }
}
#endif
