import DistillCore
import Foundation

/// Times one Distill operation for `make bench`; the Python harness runs the peers and
/// prints the ratio table. Prints one JSON object: seconds, rows, peak resident memory.
///
///     distill-bench csv FILE                       time CSVReader.read
///     distill-bench infer MODEL CSV THREADS [BATCH] time ONNXTeacher.predict on every row
///     distill-bench tree CSV MODEL [--max-depth D]  time TreeLearner.fit (hard labels)
///     distill-bench linear CSV MODEL [--rows N]     time LinearDistillation.run (hard labels)
///
/// `infer` loads the CSV and lays every batch out as the teacher's input before the clock
/// starts; only the `predict` calls are timed. Batches hold `BATCH` rows (default 65,536,
/// the size the harness also gives the peer).
///
/// `tree` loads the CSV and labels every row with the teacher before the clock starts,
/// writes the teacher's argmax labels next to the CSV (`labels-ROWS.txt`, one class index
/// a line, only when that file does not exist yet) so the peers fit the same labels, then
/// times `TreeLearner.fit` with hard labels, the given maximum depth (default 8), automatic
/// binning and no augmentation.
///
/// `linear` labels every row of the CSV with the teacher and writes the same labels file as
/// `tree` (untimed), keeps the first `N` rows (default 200,000), then times
/// `LinearDistillation.run` with hard labels, the lasso (l1Ratio 1) and the default
/// 100-penalty path. The timed region is the whole public entry point: learning the
/// standardisation, building the design, the path, and measuring every path model on the
/// evaluation rows (the first 1,000 fitted rows, to keep that part small) and the kept
/// model on all fitted rows. It prints the path's penalties, nonzero feature counts and
/// Newton steps, and the path model whose count is closest to 8 (the middle one of several)
/// with its standardised weights, so a peer can fit that single penalty.
let arguments = Array(CommandLine.arguments.dropFirst())
let usage = """
    usage: distill-bench csv FILE
           distill-bench infer MODEL CSV THREADS [BATCH_ROWS]
           distill-bench tree CSV MODEL [--max-depth D]
           distill-bench linear CSV MODEL [--rows N]
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

/// Starts a new peak-resident-memory window: Linux resets the process's high-water mark
/// (`VmHWM`) when "5" is written to /proc/self/clear_refs. Returns false where it cannot.
func resetPeakResident() -> Bool {
    guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
    defer { try? handle.close() }
    do {
        try handle.write(contentsOf: Data("5".utf8))
        return true
    } catch {
        return false
    }
}

/// The process's resident high-water mark (`VmHWM` in /proc/self/status), in bytes.
func highWaterResidentBytes() -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count >= 2, let kibibytes = Int(fields[1]) else { return nil }
        return kibibytes * 1024
    }
    return nil
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

/// Every row of the CSV with the teacher's answers, and its most probable class per row.
/// Writes those classes next to the CSV (`labels-ROWS.txt`) when that file does not exist
/// yet, so the peers fit the same labels.
func labelled(csv: String, model: String, benchmark: String) throws
    -> (data: Dataset, outputs: TeacherOutputs, labels: [UInt8], labelsFile: String) {
    let table = try CSVReader.read(csv)
    let data = Dataset(features: table.columns, rowCount: table.rowCount)
    let outputs: TeacherOutputs
    do {  // the teacher and its buffers are released before the fit
        let teacher = try ONNXTeacher(contentsOf: URL(fileURLWithPath: model))
        outputs = try TeacherQuery(teacher: teacher, batchSize: 65_536).answers(for: data)
    }
    guard case .classification(let classes) = outputs.task, classes.count <= 256 else {
        throw DataError("the \(benchmark) benchmark needs a classifier teacher with at most 256 classes")
    }
    let labels = (0..<outputs.rowCount).map { UInt8(truncatingIfNeeded: outputs.predictedClass($0)) }

    // Written to a temporary name, then renamed, so a peer never reads half a file.
    let labelsURL = URL(fileURLWithPath: csv).deletingLastPathComponent()
        .appendingPathComponent("labels-\(data.rowCount).txt")
    if !FileManager.default.fileExists(atPath: labelsURL.path) {
        var text = ""
        text.reserveCapacity(labels.count * 2)
        for label in labels { text += "\(label)\n" }
        let partial = labelsURL.appendingPathExtension("part")
        try Data(text.utf8).write(to: partial)
        guard rename(partial.path, labelsURL.path) == 0 else {
            throw DataError("cannot rename \(partial.path) to \(labelsURL.path): errno \(errno)")
        }
    }
    return (data, outputs, labels, labelsURL.lastPathComponent)
}

func timeTree(csv: String, model: String, maxDepth: Int) throws {
    let (data, outputs, labels, labelsFile) = try labelled(csv: csv, model: model, benchmark: "tree")

    var configuration = TreeConfiguration()
    configuration.hard = true
    configuration.maxDepth = maxDepth
    let processPeakBeforeFit = peakResidentBytes()
    let windowed = resetPeakResident()
    let residentAtFitStart = highWaterResidentBytes()
    let start = now()
    let tree = try TreeLearner.fit(data, outputs: outputs, configuration: configuration)
    let seconds = now() - start
    let fitPeak = windowed ? highWaterResidentBytes() : nil

    // Training agreement: the tree's most probable class against the teacher's.
    let answers = try tree.predict(data)
    let width = outputs.task.outputWidth
    var agreeing = 0
    for row in 0..<data.rowCount {
        var best = 0
        for column in 1..<width where answers[row * width + column] > answers[row * width + best] { best = column }
        if best == Int(labels[row]) { agreeing += 1 }
    }
    var fields: [String: Any] = [
        "seconds": seconds,
        "rows": data.rowCount,
        "features": data.features.count,
        "leaves": tree.leafCount,
        "depth": tree.depth,
        "max_depth": maxDepth,
        "training_agreement": Double(agreeing) / Double(data.rowCount),
        "labels_file": labelsFile,
        "process_peak_rss_before_fit_bytes": processPeakBeforeFit,
    ]
    // The peak while fitting (the process's high-water mark reset just before the fit, so
    // teacher inference does not count); it includes everything resident then: the CSV
    // columns, the teacher's answers, the bins and the grower's buffers.
    if let fitPeak { fields["fit_peak_rss_bytes"] = fitPeak }
    if let residentAtFitStart { fields["rss_at_fit_start_bytes"] = residentAtFitStart }
    try report(fields)
}

func timeLinear(csv: String, model: String, rows: Int) throws {
    let train: Dataset, outputs: TeacherOutputs, labelsFile: String
    do {  // the whole table is released before the fit, so only the fitted rows are resident
        let all = try labelled(csv: csv, model: model, benchmark: "linear")
        guard all.data.rowCount >= rows else {
            throw DataError("\(csv) has \(all.data.rowCount) rows, fewer than --rows \(rows)")
        }
        let kept = Array(0..<rows)
        train = all.data.rows(kept)
        outputs = all.outputs.rows(kept)
        labelsFile = all.labelsFile
    }
    let evalRows = Array(0..<min(1_000, rows))
    let eval = train.rows(evalRows)
    let evalOutputs = outputs.rows(evalRows)
    var configuration = LinearConfiguration()
    configuration.hard = true
    configuration.l1Ratio = 1

    let processPeakBeforeFit = peakResidentBytes()
    let windowed = resetPeakResident()
    let residentAtFitStart = highWaterResidentBytes()
    let start = now()
    let result = try LinearDistillation(configuration: configuration)
        .run(train: train, trainOutputs: outputs, eval: eval, evalOutputs: evalOutputs)
    let seconds = now() - start
    let fitPeak = windowed ? highWaterResidentBytes() : nil

    // The peer fits one penalty: that of the path model with about 8 features. Of several
    // with the same count, the middle one, away from the penalties where a feature enters.
    let counts = result.curve.map { $0.nonzeroFeatures ?? 0 }
    let distance = counts.map { abs($0 - 8) }.min() ?? 0
    let closest = counts.indices.filter { abs(counts[$0] - 8) == distance }
    let peerFit = result.path[closest[closest.count / 2]]
    var fields: [String: Any] = [
        "seconds": seconds,
        "rows": train.rowCount,
        "features": train.features.count,
        "labels_file": labelsFile,
        "lambdas": result.path.map(\.lambda),
        "nonzero_features": counts,
        "iterations": result.path.map(\.iterations),
        "all_converged": result.path.allSatisfy(\.converged),
        "peer_lambda": peerFit.lambda,
        "peer_nonzero_features": counts[closest[closest.count / 2]],
        "peer_weights": peerFit.weights[0],
        "peer_intercept": peerFit.intercepts[0],
        "process_peak_rss_before_fit_bytes": processPeakBeforeFit,
    ]
    // As for `tree`: the peak while fitting, with the fitted rows and their answers resident.
    if let fitPeak { fields["fit_peak_rss_bytes"] = fitPeak }
    if let residentAtFitStart { fields["rss_at_fit_start_bytes"] = residentAtFitStart }
    try report(fields)
}

do {
    switch arguments.first {
    case "csv" where arguments.count == 2:
        try timeCSV(arguments[1])
    case "infer" where arguments.count == 4 || arguments.count == 5:
        let threads = try positiveInt(arguments[3], "THREADS")
        let batchRows = arguments.count == 5 ? try positiveInt(arguments[4], "BATCH_ROWS") : 65_536
        try timeInference(model: arguments[1], csv: arguments[2], threads: threads, batchRows: batchRows)
    case "tree" where arguments.count == 3 || (arguments.count == 5 && arguments[3] == "--max-depth"):
        let maxDepth = arguments.count == 5 ? try positiveInt(arguments[4], "--max-depth") : 8
        try timeTree(csv: arguments[1], model: arguments[2], maxDepth: maxDepth)
    case "linear" where arguments.count == 3 || (arguments.count == 5 && arguments[3] == "--rows"):
        let rows = arguments.count == 5 ? try positiveInt(arguments[4], "--rows") : 200_000
        try timeLinear(csv: arguments[1], model: arguments[2], rows: rows)
    default:
        throw DataError(usage)
    }
} catch {
    FileHandle.standardError.write(Data("distill-bench: \(error)\n".utf8))
    exit(1)
}
