import DistillCore
import Foundation

/// Times one Distill operation for `make bench`; the Python harness runs the peers and
/// prints the ratio table. Prints one JSON object: seconds, rows, peak resident memory.
///
///     distill-bench csv FILE                       time CSVReader.read
///     distill-bench infer MODEL CSV THREADS [BATCH] time ONNXTeacher.predict on every row
///
/// `infer` loads the CSV and lays every batch out as the teacher's input before the clock
/// starts; only the `predict` calls are timed. Batches hold `BATCH` rows (default 65,536,
/// the size the harness also gives the peer).
let arguments = Array(CommandLine.arguments.dropFirst())
let usage = """
    usage: distill-bench csv FILE
           distill-bench infer MODEL CSV THREADS [BATCH_ROWS]
    """

func peakResidentBytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss * 1024
}

func report(_ fields: [String: Any]) throws {
    var all = fields
    all["peak_rss_bytes"] = peakResidentBytes()
    let data = try JSONSerialization.data(withJSONObject: all, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}

/// A monotonic clock in seconds.
func now() -> Double {
    Double(DispatchTime.now().uptimeNanoseconds) / 1e9
}

func positiveInt(_ text: String, _ what: String) throws -> Int {
    guard let value = Int(text), value > 0 else { throw DataError("\(what) must be a positive integer, not '\(text)'") }
    return value
}

func timeCSV(_ path: String) throws {
    let start = now()
    let table = try CSVReader.read(path)
    let seconds = now() - start
    try report(["seconds": seconds, "rows": table.rowCount, "columns": table.columns.count])
}

func timeInference(model: String, csv: String, threads: Int, batchRows: Int) throws {
    let table = try CSVReader.read(csv)
    let data = Dataset(features: table.columns, rowCount: table.rowCount)
    let teacher = try ONNXTeacher(contentsOf: URL(fileURLWithPath: model), threads: threads)
    let binding = try TeacherBinding(teacher: teacher.inputs, data: data)
    var batches: [TeacherBatch] = []
    var start = 0
    while start < data.rowCount {
        let rows = start..<min(start + batchRows, data.rowCount)
        batches.append(try binding.batch(data, rows: rows))
        start = rows.upperBound
    }
    // One small untimed call so first-use costs (page faults of the weights, thread pool
    // start-up) are not charged to the first batch; the peer gets the same warm-up.
    if let first = batches.first {
        _ = try teacher.predict(try binding.batch(data, rows: 0..<min(first.rowCount, 1024)))
    }

    var checksum: Double = 0
    var answered = 0
    let clock = now()
    for batch in batches {
        let answer = try teacher.predict(batch)
        answered += batch.rowCount
        // Read one value per batch so the work cannot be optimised away.
        checksum += Double(answer.first ?? 0)
    }
    let seconds = now() - clock
    try report([
        "seconds": seconds,
        "rows": answered,
        "rows_per_second": Double(answered) / seconds,
        "threads": teacher.threads,
        "batch_rows": batchRows,
        "outputs_per_row": teacher.task.outputWidth,
        "checksum": checksum,
    ])
}

do {
    switch arguments.first {
    case "csv" where arguments.count == 2:
        try timeCSV(arguments[1])
    case "infer" where arguments.count == 4 || arguments.count == 5:
        let threads = try positiveInt(arguments[3], "THREADS")
        let batchRows = arguments.count == 5 ? try positiveInt(arguments[4], "BATCH_ROWS") : 65_536
        try timeInference(model: arguments[1], csv: arguments[2], threads: threads, batchRows: batchRows)
    default:
        throw DataError(usage)
    }
} catch {
    FileHandle.standardError.write(Data("distill-bench: \(error)\n".utf8))
    exit(1)
}
