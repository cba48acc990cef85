import Dispatch
import Foundation

/// A teacher that is an ONNX model evaluated in this process.
///
/// Loading parses the file, picks the output to answer from (see
/// `ONNXModel.chooseOutput`), keeps only the nodes that output needs and checks every one
/// of them is supported at the model's opset, so a model that loads predicts any batch
/// of well-formed rows. Rows are independent: a batch is split into `threads` contiguous
/// slices evaluated concurrently, and each slice is run in chunks of `rowsPerChunk` rows
/// so the activations of one chunk stay in cache.
///
/// The evaluator relies on axis 0 of every input being the batch axis and on the graph
/// computing each row on its own (true of the exported MLPs and preprocessing pipelines
/// this is built for). Loading proves it with `ONNXGraph.checkRowsIndependent` and
/// refuses a graph that mixes rows (Flatten with axis 0, a Softmax over the batch, …),
/// whose answers would otherwise depend on how a batch is chunked or fail beyond one row.
public final class ONNXTeacher: Teacher, Sendable {
    public let inputs: TeacherInputs
    public let task: TeacherTask
    public let summary: String
    /// Everything `distill inspect` shows about the model.
    public let modelSummary: ONNXModelSummary
    /// The output the teacher answers from.
    public let outputName: String
    /// What that output holds, declared or detected.
    public let outputKind: TeacherOutputKind
    /// The temperature logits are divided by before the softmax; `nil` for other kinds.
    public let temperature: Float?
    /// Row slices evaluated concurrently per `predict` call.
    public let threads: Int
    /// Rows evaluated together within a slice.
    public let rowsPerChunk: Int

    let graph: ONNXGraph
    let transform: ONNXOutputTransform
    let teacherInputs: [TeacherInput]
    let rawWidth: Int
    /// Where a warning about the answers goes (the command line's stderr).
    let warn: @Sendable (String) -> Void
    private let warnedOnce = OnceFlag()

    /// Loads the model in `url`.
    ///
    /// - Parameters:
    ///   - outputName: the output to answer from (`--teacher-output`); chosen
    ///     automatically when `nil`.
    ///   - outputKind: what that output holds (`--teacher-output-kind`); detected from the
    ///     graph when `nil`, and refused where the graph contradicts it.
    ///   - temperature: for logits, the T of softmax(z / T) (`--teacher-temperature`, default 1).
    ///   - warn: receives a warning when declared logits already look like probabilities.
    ///   - threads: concurrent row slices; defaults to every core. The matrix kernels are
    ///     single-threaded, so this is the only parallelism; it does not change the answers.
    ///   - rowsPerChunk: rows per evaluation within a slice.
    /// - Throws: `ONNXError` naming the file (and node) when the model cannot be used.
    public convenience init(contentsOf url: URL, outputName: String? = nil, outputKind: TeacherOutputKind? = nil,
                            temperature: Float? = nil, threads: Int? = nil, rowsPerChunk: Int = 512,
                            warn: @escaping @Sendable (String) -> Void = { _ in }) throws {
        let model = try ONNXModel(contentsOf: url)
        try self.init(model: model, outputName: outputName, outputKind: outputKind, temperature: temperature,
                      threads: threads, rowsPerChunk: rowsPerChunk, warn: warn)
    }

    /// Loads a model from its bytes; `file` is how messages name it.
    public convenience init(serialized bytes: Data, file: String, outputName: String? = nil,
                            outputKind: TeacherOutputKind? = nil, temperature: Float? = nil, threads: Int? = nil,
                            rowsPerChunk: Int = 512, warn: @escaping @Sendable (String) -> Void = { _ in }) throws {
        let model = try ONNXModel(serialized: bytes, file: file)
        try self.init(model: model, outputName: outputName, outputKind: outputKind, temperature: temperature,
                      threads: threads, rowsPerChunk: rowsPerChunk, warn: warn)
    }

    init(model: ONNXModel, outputName: String?, outputKind: TeacherOutputKind?, temperature: Float?,
         threads: Int?, rowsPerChunk: Int, warn: @escaping @Sendable (String) -> Void) throws {
        precondition(rowsPerChunk > 0, "rowsPerChunk must be positive")
        let choice = try model.chooseOutput(requested: outputName, kind: outputKind, temperature: temperature)
        let graph = try ONNXGraph(model: model, outputName: choice.name)
        let teacherInputs = graph.inputs.map { input in
            TeacherInput(name: input.name, elementType: input.elementType.teacherType, width: input.rowWidth,
                         acceptsMissing: graph.acceptsMissing(input))
        }
        self.graph = graph
        self.teacherInputs = teacherInputs
        self.outputName = choice.name
        self.outputKind = choice.kind
        self.temperature = choice.kind == .logits ? choice.temperature : nil
        self.warn = warn
        self.threads = max(1, threads ?? ProcessInfo.processInfo.activeProcessorCount)
        self.rowsPerChunk = rowsPerChunk

        // One row of neutral values through the graph catches structural faults (shapes
        // that do not fit, a required input left out) at load rather than mid-prediction,
        // and measures the output width. With a symbolic input width it can only measure.
        var width = choice.declaredWidth
        if width == nil || teacherInputs.allSatisfy({ $0.width != nil }) {
            do {
                width = try Self.probeWidth(graph, teacherInputs)
            } catch let e as ONNXError where e.dependsOnValues && width != nil {
                // A sample of zeros and empty strings may be data this model refuses; fine.
            }
        }
        // After the probe, so a structural fault gets the probe's message; before any
        // batch, so a graph that mixes rows fails here rather than on the second row.
        try graph.checkRowsIndependent()
        let raw = width ?? 1
        guard raw >= 1 else {
            throw ONNXError(.outputSelection, file: model.file, "output '\(choice.name)' has no values per row")
        }
        rawWidth = raw
        transform = choice.transform(width: raw)
        let task: TeacherTask
        if choice.kind == .value {
            guard raw == 1 else {
                throw ONNXError(.outputSelection, file: model.file,
                                "output '\(choice.name)' has \(raw) values per row, not one regression value; for a classifier say what they are with --teacher-output-kind probabilities|logits")
            }
            task = .regression
        } else {
            let count = raw == 1 ? 2 : raw
            task = .classification(classes: choice.classes.count == count ? choice.classes
                                   : try model.classNames(count: count, probabilities: choice.name))
        }
        self.task = task
        self.inputs = .tensors(teacherInputs)
        self.summary = "ONNX model \(model.file)"
        self.modelSummary = model.summary(choice: choice, task: task, inputs: teacherInputs)
    }

    /// Runs one row of neutral values (0, "") and returns the output's values per row.
    private static func probeWidth(_ graph: ONNXGraph, _ inputs: [TeacherInput]) throws -> Int {
        let tensors = graph.inputs.map { input -> ONNXTensor in
            let shape = input.chunkShape(rows: 1)
            let n = shape.reduce(1, *)
            switch input.elementType {
            case .float: return ONNXTensor(shape: shape, floats: [Float](repeating: 0, count: n))
            case .double: return ONNXTensor(shape: shape, data: .double([Double](repeating: 0, count: n)))
            case .int64: return ONNXTensor(shape: shape, data: .int64([Int64](repeating: 0, count: n)))
            case .string: return ONNXTensor(shape: shape, data: .string([String](repeating: "", count: n)))
            case .bool: return ONNXTensor(shape: shape, data: .bool([Bool](repeating: false, count: n)))
            }
        }
        do {
            return try ONNXEvaluator.run(graph, inputs: tensors).count
        } catch var e as ONNXError {
            e.message = "the model fails on a sample row of zeros and empty strings: \(e.message)"
            if !e.dependsOnValues { e.kind = .malformedModel }
            throw e
        }
    }

    public var kind: String { "onnx" }

    public var record: RunRecord.TeacherRecord {
        RunRecord.TeacherRecord(kind: kind, description: summary, task: task, parameters: modelSummary.parameterCount,
                                operators: modelSummary.operatorCounts.reduce(0) { $0 + $1.count },
                                output: outputName, outputKind: outputKind, temperature: temperature)
    }

    public var inspection: String {
        let softmax = temperature.map { ", softmax at temperature \($0)" } ?? ""
        return modelSummary.description + "\nanswers from: \(outputName) (\(outputKind.rawValue)\(softmax))"
    }

    public func predict(_ batch: TeacherBatch) throws -> [Float] {
        let rows = batch.rowCount
        let outWidth = task.outputWidth
        guard rows > 0 else { return [] }
        let columns = try prepare(batch)
        var result = [Float](repeating: 0, count: rows * outWidth)
        let sliceCount = min(threads, max(1, rows / 64))
        let failure = FirstFailure()
        result.withUnsafeMutableBufferPointer { buffer in
            let out = SendableBuffer(base: buffer.baseAddress)
            DispatchQueue.concurrentPerform(iterations: sliceCount) { slice in
                let start = rows * slice / sliceCount
                let end = rows * (slice + 1) / sliceCount
                var chunk = start
                while chunk < end, !failure.isSet {
                    let chunkEnd = min(end, chunk + rowsPerChunk)
                    do {
                        try evaluate(columns, rows: chunk..<chunkEnd, into: out)
                    } catch {
                        failure.record(error)
                        return
                    }
                    chunk = chunkEnd
                }
            }
        }
        if let error = failure.error { throw error }
        return result
    }

    /// The batch's values in the model's element types, with their values per row, in
    /// `graph.inputs` order.
    private func prepare(_ batch: TeacherBatch) throws -> [(data: ONNXTensorData, width: Int)] {
        var byName: [String: (width: Int, values: TensorValues)] = [:]
        for i in batch.inputs { byName[i.name] = (i.width, i.values) }
        return try graph.inputs.enumerated().map { (k, input) in
            guard let given = byName[input.name] else {
                let names = graph.inputs.map(\.name).joined(separator: ", ")
                throw ONNXError(.invalidInput, file: graph.file,
                                "the batch has no values for input '\(input.name)'; the model needs: \(names)")
            }
            let width = teacherInputs[k].width ?? given.width
            guard given.width == width else {
                throw ONNXError(.invalidInput, file: graph.file,
                                "input '\(input.name)' takes \(width) values per row, the batch gives \(given.width)")
            }
            let expected = batch.rowCount * width
            let data = try convert(given.values, to: input.elementType, name: input.name)
            guard data.count == expected else {
                throw ONNXError(.invalidInput, file: graph.file,
                                "input '\(input.name)' should have \(batch.rowCount) rows × \(width) = \(expected) values, the batch gives \(data.count)")
            }
            return (data, width)
        }
    }

    private func convert(_ values: TensorValues, to type: ONNXElementType, name: String) throws -> ONNXTensorData {
        switch (values, type) {
        case (.float(let v), .float): return .float(v)
        case (.double(let v), .double): return .double(v)
        case (.float(let v), .double): return .double(v.map { Double($0) })
        case (.double(let v), .float): return .float(v.map { Float($0) })
        case (.float(let v), .int64):
            var out = [Int64](repeating: 0, count: v.count)
            for i in v.indices {
                guard let x = Int64(exactly: v[i]) else {
                    throw ONNXError(.invalidInput, file: graph.file,
                                    "input '\(name)' takes integers, got \(v[i])")
                }
                out[i] = x
            }
            return .int64(out)
        case (.int64(let v), .int64): return .int64(v)
        case (.int64(let v), .float): return .float(v.map { Float($0) })
        case (.int64(let v), .double): return .double(v.map { Double($0) })
        case (.string(let v), .string): return .string(v)
        case (.float(let v), .bool): return .bool(v.map { $0 != 0 })
        case (.int64(let v), .bool): return .bool(v.map { $0 != 0 })
        default:
            throw ONNXError(.invalidInput, file: graph.file,
                            "input '\(name)' takes \(type.rawValue) values, the batch gives \(values.typeName)")
        }
    }

    /// Evaluates rows `range` and writes their answers into `out`.
    private func evaluate(_ columns: [(data: ONNXTensorData, width: Int)], rows range: Range<Int>,
                          into out: SendableBuffer) throws {
        let n = range.count
        var tensors: [ONNXTensor] = []
        tensors.reserveCapacity(columns.count)
        for (k, input) in graph.inputs.enumerated() {
            let per = columns[k].width
            let shape = input.chunkShape(rows: n, width: per)
            tensors.append(ONNXTensor(shape: shape, data: columns[k].data.slice(range.lowerBound * per, range.upperBound * per)))
        }
        let y = try ONNXEvaluator.run(graph, inputs: tensors)
        let values: [Float]
        switch y.data {
        case .float(let v): values = v
        case .double(let v): values = v.map { Float($0) }
        default:
            throw ONNXError(.evaluationFailed, file: graph.file, "output '\(outputName)' is \(y.elementType.rawValue), not float")
        }
        guard values.count == n * rawWidth else {
            throw ONNXError(.evaluationFailed, file: graph.file,
                            "output '\(outputName)' has \(values.count) values for \(n) rows; expected \(rawWidth) per row")
        }
        guard let base = out.base else { return }
        let outWidth = task.outputWidth
        let dst = base + range.lowerBound * outWidth
        try values.withUnsafeBufferPointer { src in
            switch transform {
            case .none:
                for i in 0..<(n * outWidth) { dst[i] = src[i] }
            case .exp:
                for i in 0..<(n * outWidth) { dst[i] = PortableMath.exp(src[i]) }
            case .sigmoidPair:
                for r in 0..<n {
                    dst[2 * r] = 1 - src[r]
                    dst[2 * r + 1] = src[r]
                }
            case .softmax(let temperature):
                if Self.rowsAreDistributions(src, width: outWidth), warnedOnce.claim() {
                    warn("warning: ONNX model \(graph.file): output '\(outputName)' is declared logits (--teacher-output-kind logits), but its rows already sum to 1 like probabilities, and a softmax of probabilities flattens them; if they are probabilities, declare --teacher-output-kind probabilities")
                }
                var scaled = ONNXTensor(shape: [n, outWidth], floats: src.map { $0 / temperature })
                try ONNXNormalization.softmax(&scaled, axis: 1, coerce2D: false, log: false)
                if case .float(let p) = scaled.data {
                    for i in 0..<(n * outWidth) { dst[i] = p[i] }
                }
            case .logisticPair(let temperature):
                var p = src.map { $0 / temperature }
                ONNXElementwise.apply(.sigmoid, to: &p)
                for r in 0..<n {
                    dst[2 * r] = 1 - p[r]
                    dst[2 * r + 1] = p[r]
                }
            }
        }
    }

    /// Whether every row of `values` is a probability distribution: each value in [0, 1]
    /// and the row summing to 1 within 1e-4 (summed left to right).
    private static func rowsAreDistributions(_ values: UnsafeBufferPointer<Float>, width: Int) -> Bool {
        let tolerance: Float = 1e-4
        guard width > 1, !values.isEmpty else { return false }
        for start in stride(from: 0, to: values.count, by: width) {
            var sum: Float = 0
            for v in values[start..<(start + width)] {
                guard v >= -tolerance, v <= 1 + tolerance else { return false }
                sum += v
            }
            if abs(sum - 1) > tolerance { return false }
        }
        return true
    }
}

/// The result buffer shared by the slices of one `predict` call; each slice writes a
/// disjoint range of rows, so no two threads touch the same element.
private struct SendableBuffer: @unchecked Sendable {
    let base: UnsafeMutablePointer<Float>?
}

/// Set once by the first caller of `claim`, so a warning is given once per teacher.
private final class OnceFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var claimed = false

    func claim() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        defer { claimed = true }
        return !claimed
    }
}

/// The first error any slice of a `predict` call met; later slices stop early.
private final class FirstFailure: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Error?

    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return stored != nil }
    var error: Error? { lock.lock(); defer { lock.unlock() }; return stored }

    func record(_ error: Error) {
        lock.lock()
        defer { lock.unlock() }
        if stored == nil { stored = error }
    }
}

extension TensorValues {
    var typeName: String {
        switch self {
        case .float: "float"
        case .double: "double"
        case .int64: "int64"
        case .string: "string"
        }
    }
}

extension ONNXElementType {
    /// The element type a teacher input shows; bool inputs are fed as 0/1 floats.
    var teacherType: TeacherElementType {
        switch self {
        case .float, .bool: .float
        case .double: .double
        case .int64: .int64
        case .string: .string
        }
    }
}

extension ONNXTensorData {
    /// A copy of the values in `start..<end`.
    func slice(_ start: Int, _ end: Int) -> ONNXTensorData {
        switch self {
        case .float(let a): .float(Array(a[start..<end]))
        case .double(let a): .double(Array(a[start..<end]))
        case .int64(let a): .int64(Array(a[start..<end]))
        case .string(let a): .string(Array(a[start..<end]))
        case .bool(let a): .bool(Array(a[start..<end]))
        }
    }
}

extension ONNXGraph.Input {
    /// Values per row: 1 for a 1-D input, the last dimension for [batch, width], the
    /// product of the inner dimensions beyond that; `nil` if symbolic.
    var rowWidth: Int? {
        if dims.count <= 1 { return 1 }
        var w = 1
        for d in dims.dropFirst() {
            // The loader checked that the product stays within `ONNXLimits`.
            guard let d else { return nil }
            w *= d
        }
        return w
    }

    /// The tensor shape for `rows` rows; a symbolic width takes the batch's `width`.
    func chunkShape(rows: Int, width: Int? = nil) -> [Int] {
        if dims.count <= 1 { return [rows] }
        return [rows] + dims.dropFirst().map { $0 ?? width ?? 1 }
    }
}

extension ONNXGraph {
    /// Operators through which a missing value reaches an Imputer unchanged.
    private static func carriesMissing(_ op: ONNXOperation) -> Bool {
        switch op {
        case .identity, .dropout, .concat, .cast, .reshape, .flatten, .squeeze, .unsqueeze, .gather,
             .transpose, .arrayFeatureExtractor:
            return true
        default:
            return false
        }
    }

    /// Whether `input` may hold missing values: text (where "" marks missing, as the
    /// scikit-learn pipelines handle) or numbers that reach an Imputer replacing NaN or a
    /// tree ensemble.
    func acceptsMissing(_ input: Input) -> Bool {
        if input.elementType == .string { return true }
        var reached: Set<Int> = [input.value]
        for node in nodes where node.inputs.contains(where: { reached.contains($0) }) {
            if case .imputer(_, _, let replaced, _) = node.operation {
                if replaced.isNaN, let first = node.inputs.first, reached.contains(first) { return true }
            } else if case .treeEnsemble = node.operation {
                // Every branch node sends a missing value to one side (missing_value_tracks_true).
                if let first = node.inputs.first, reached.contains(first) { return true }
            } else if Self.carriesMissing(node.operation) {
                for o in node.outputs where o >= 0 { reached.insert(o) }
            }
        }
        return false
    }
}
