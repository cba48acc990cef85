import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A teacher that is a model behind an inference server speaking the Open Inference
/// Protocol (KServe V2 REST), as MLServer, KServe, Triton and others do.
///
/// The URL names the model: `http://HOST:PORT/v2/models/NAME` (optionally followed by
/// `/versions/VERSION`). Loading reads its metadata there (`GET`), which must declare the
/// inputs (name, datatype, shape) and the outputs; each batch is one `POST` to `URL/infer`
/// asking for the chosen output only.
///
/// The answering output is the only one declared, or the one named by `outputName`. It
/// decides the task: one value per row (shape `[-1]` or `[-1, 1]`) is a regression, `K ≥ 2`
/// values per row are probabilities of `K` classes, named by the output's (or the model's)
/// `parameters.classes` when the server gives them and by their indices otherwise.
///
/// A busy server (429, 503) is asked again with exponential backoff, a bounded number of
/// times, as is a server not yet listening when loading starts; every other failure (an
/// error status, a malformed answer, no answer within the timeout, a closed connection)
/// fails the batch with the URL, the status and the start of the body.
public final class ServerTeacher: Teacher, Sendable {
    public let inputs: TeacherInputs
    public let task: TeacherTask
    public let summary: String
    public var kind: String { "server" }
    public let concurrentBatches: Int
    /// The model's URL, as given.
    public let url: URL
    /// The output the teacher answers from.
    public let outputName: String

    private let metadata: InferenceProtocol.Metadata
    private let inferURL: URL
    private let client: HTTPClient

    /// Reads the model's metadata and decides its inputs, output and task.
    /// - Parameters:
    ///   - url: `http://HOST:PORT/v2/models/NAME[/versions/VERSION]`.
    ///   - outputName: the output to answer from, when the model declares several.
    ///   - concurrency: batches sent at the same time.
    ///   - timeout: seconds each request may take.
    ///   - retries: further tries of a request the server was too busy for (429, 503), or
    ///     of the metadata request while nothing listens yet.
    ///   - firstRetryDelay: seconds before the first retry; doubled before each later one.
    /// - Throws: `TeacherError` naming the URL when it is not a model's, the server cannot
    ///   be reached or its metadata does not say what the teacher needs.
    public init(url text: String, outputName: String? = nil, concurrency: Int = 2, timeout: TimeInterval = 60,
                retries: Int = 5, firstRetryDelay: TimeInterval = 0.25) throws {
        precondition(concurrency > 0 && timeout > 0 && retries >= 0)
        let url = try Self.modelURL(text)
        self.url = url
        inferURL = url.appendingPathComponent("infer")
        client = HTTPClient(timeout: timeout, connections: concurrency, attempts: retries + 1, firstDelay: firstRetryDelay)
        concurrentBatches = concurrency
        let place = "model server \(url.absoluteString)"
        let response = try client.send(url, retry: .busyOrNotListening)
        guard response.status == 200 else {
            throw TeacherError("\(place): the metadata request answered \(Self.status(response))")
        }
        do {
            metadata = try InferenceProtocol.metadata(response.body)
            let output = try Self.output(of: metadata, named: outputName)
            self.outputName = output.name
            task = try Self.task(of: output, modelClasses: metadata.classes)
            inputs = .tensors(try Self.teacherInputs(metadata.inputs))
        } catch let error as TeacherError {
            throw TeacherError("\(place): \(error.description)")
        }
        summary = "model '\(metadata.name)' at \(url.absoluteString)"
    }

    /// The model's URL, checked to have the protocol's form.
    /// - Throws: `TeacherError` naming `--teacher-url` when it does not.
    public static func modelURL(_ text: String) throws -> URL {
        let trimmed = text.hasSuffix("/") ? String(text.dropLast()) : text
        guard let url = URL(string: trimmed), ["http", "https"].contains(url.scheme ?? ""), url.host != nil,
              url.path.range(of: #"/v2/models/[^/]+(/versions/[^/]+)?$"#, options: .regularExpression) != nil else {
            throw TeacherError("--teacher-url '\(text)' is not a model's URL in the Open Inference Protocol; give http://HOST:PORT/v2/models/NAME")
        }
        return url
    }

    public var inspection: String {
        var lines = ["server: \(url.absoluteString)", "model: \(metadata.name)" + (metadata.platform.isEmpty ? "" : " (\(metadata.platform))"), "inputs:"]
        lines += metadata.inputs.map { "  \($0.described)" }
        lines.append("outputs:")
        lines += metadata.outputs.map { "  \($0.described)\($0.name == outputName ? " (used)" : "")" }
        lines.append(task.inspection)
        return lines.joined(separator: "\n")
    }

    public func predict(_ batch: TeacherBatch) throws -> [Float] {
        guard batch.rowCount > 0 else { return [] }
        let body = InferenceProtocol.request(batch, inputs: metadata.inputs, output: outputName)
        let response = try client.send(inferURL, body: body)
        guard response.status == 200 else {
            throw TeacherError("\(inferURL.absoluteString) answered \(Self.status(response))")
        }
        do {
            return try InferenceProtocol.values(response.body, output: outputName, rows: batch.rowCount, width: task.outputWidth)
        } catch let error as TeacherError {
            throw TeacherError("\(inferURL.absoluteString): \(error.description)")
        }
    }

    private static func status(_ response: HTTPClient.Response) -> String {
        "HTTP \(response.status) (\(HTTPURLResponse.localizedString(forStatusCode: response.status))): \(InferenceProtocol.excerpt(response.body))"
    }

    static func output(of metadata: InferenceProtocol.Metadata, named name: String?) throws -> InferenceProtocol.Tensor {
        let names = DataSelection.list(metadata.outputs.map(\.name))
        if let name {
            guard let output = metadata.outputs.first(where: { $0.name == name }) else {
                throw TeacherError("--teacher-output '\(name)' is not an output of the model; its outputs are \(metadata.outputs.isEmpty ? "not declared" : names)")
            }
            return output
        }
        switch metadata.outputs.count {
        case 0:
            throw TeacherError("the metadata declares no outputs, so the task is unknown; declare them on the server (MLServer: \"outputs\" in model-settings.json, e.g. predict_proba with shape [-1, K])")
        case 1:
            return metadata.outputs[0]
        default:
            throw TeacherError("the model has several outputs (\(names)); choose the one to answer from with --teacher-output")
        }
    }

    static func task(of output: InferenceProtocol.Tensor, modelClasses: [String]?) throws -> TeacherTask {
        guard let type = InferenceProtocol.elementType(output.datatype), type != .string else {
            throw TeacherError("output '\(output.name)' is \(output.datatype), not numbers")
        }
        guard let width = output.rowWidth, width >= 1 else {
            throw TeacherError("output '\(output.name)' declares shape \(output.shape), with no fixed number of values per row; declare [-1] for a regression or [-1, K] for K class probabilities")
        }
        guard width >= 2 else { return .regression }
        let classes = output.classes ?? modelClasses ?? (0..<width).map(String.init)
        guard classes.count == width, Set(classes).count == width else {
            throw TeacherError("output '\(output.name)' has \(width) values per row, but parameters.classes gives \(classes.count) names, \(Set(classes).count) distinct: \(DataSelection.list(classes))")
        }
        return .classification(classes: classes)
    }

    private static func teacherInputs(_ tensors: [InferenceProtocol.Tensor]) throws -> [TeacherInput] {
        guard !tensors.isEmpty else {
            throw TeacherError("the metadata declares no inputs; declare them on the server (MLServer: \"inputs\" in model-settings.json, e.g. one FP32 input of shape [-1, FEATURES])")
        }
        return try tensors.map { tensor in
            guard let type = InferenceProtocol.elementType(tensor.datatype) else {
                throw TeacherError("input '\(tensor.name)' is \(tensor.datatype), which Distill cannot send; it sends FP32, FP64, integers and BYTES")
            }
            // JSON has no NaN, so only text ("" for a missing value) can carry a gap.
            return TeacherInput(name: tensor.name, elementType: type, width: tensor.rowWidth, acceptsMissing: type == .string)
        }
    }
}
