import DistillCore
import Foundation

/// Times one Distill operation for `make bench`; the Python harness runs the peers and
/// prints the ratio table. Prints one JSON object: seconds, rows, peak resident memory.
let arguments = CommandLine.arguments.dropFirst()

func peakResidentBytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss * 1024
}

func report(_ fields: [String: Any]) {
    var all = fields
    all["peak_rss_bytes"] = peakResidentBytes()
    let data = try! JSONSerialization.data(withJSONObject: all, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}

do {
    switch arguments.first {
    case "csv":
        guard let path = arguments.dropFirst().first else { throw DataError("usage: distill-bench csv FILE") }
        let start = Date()
        let table = try CSVReader.read(path)
        let seconds = Date().timeIntervalSince(start)
        report(["seconds": seconds, "rows": table.rowCount, "columns": table.columns.count])
    default:
        throw DataError("usage: distill-bench csv FILE")
    }
} catch {
    FileHandle.standardError.write(Data("distill-bench: \(error)\n".utf8))
    exit(1)
}
