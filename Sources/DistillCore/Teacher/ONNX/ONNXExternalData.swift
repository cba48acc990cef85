import Foundation

/// Reads tensors an exporter stored beside the model (`data_location = EXTERNAL`), as
/// `torch.onnx.export` does by default: `model.onnx` plus `model.onnx.data`.
///
/// The model names the file; a model is untrusted input, so the file must lie inside the
/// model's folder after resolving symbolic links (no absolute path, no `..`), and the
/// `offset`/`length` it gives must lie inside the file and match the tensor's size.
struct ONNXExternalData {
    /// The folder holding the model, or `nil` for a model given as bytes.
    let directory: URL?
    /// The model file as the user named it, for messages.
    let file: String

    /// `proto` with its values read from the external file into `raw_data`.
    /// - Throws: `ONNXError` naming the model, the tensor and the data file.
    func inlined(_ proto: Onnx_TensorProto) throws -> Onnx_TensorProto {
        let tensor = proto.name.isEmpty ? "a tensor" : "tensor '\(proto.name)'"
        var keys: [String: String] = [:]
        for entry in proto.externalData { keys[entry.key] = entry.value }
        guard let location = keys["location"], !location.isEmpty else {
            throw ONNXError(.malformedModel, file: file, "\(tensor) is stored externally but names no location")
        }
        func fail(_ why: String) -> ONNXError {
            ONNXError(.malformedModel, file: file, "\(tensor) is stored in external file '\(location)': \(why)")
        }
        guard let directory else {
            throw fail("a model given as bytes has no folder to read it from; load the model from its file")
        }
        let offset = try number(keys["offset"], "offset", fail) ?? 0
        let length = try number(keys["length"], "length", fail)
        let url = try resolve(location, in: directory, fail)

        let handle: FileHandle
        do { handle = try FileHandle(forReadingFrom: url) } catch {
            throw fail("cannot open it (\(error.localizedDescription))")
        }
        defer { try? handle.close() }
        let size: UInt64
        do { size = try handle.seekToEnd() } catch { throw fail("cannot read its size") }
        guard UInt64(offset) <= size else { throw fail("offset \(offset) is past its end (\(size) bytes)") }
        let available = Int(size - UInt64(offset))
        let count = length ?? available
        guard count <= available else {
            throw fail("offset \(offset) + length \(count) runs past its end (\(size) bytes)")
        }
        if let expected = expectedBytes(proto), expected != count {
            throw fail("\(length == nil ? "the rest of the file holds" : "length is") \(count) bytes, but the tensor's shape and type need \(expected)")
        }
        let bytes: Data
        do {
            try handle.seek(toOffset: UInt64(offset))
            bytes = try handle.read(upToCount: count) ?? Data()
        } catch {
            throw fail("cannot read it (\(error.localizedDescription))")
        }
        guard bytes.count == count else { throw fail("read \(bytes.count) of \(count) bytes") }
        var inline = proto
        inline.externalData = []
        inline.dataLocation = .default
        inline.rawData = bytes
        return inline
    }

    /// A non-negative integer from a key's text, or `nil` when the key is absent.
    private func number(_ text: String?, _ key: String, _ fail: (String) -> ONNXError) throws -> Int? {
        guard let text else { return nil }
        guard let n = Int(text), n >= 0 else { throw fail("\(key) '\(text)' is not a non-negative integer") }
        return n
    }

    /// The data file's URL, checked to stay inside `directory` once links are resolved.
    private func resolve(_ location: String, in directory: URL, _ fail: (String) -> ONNXError) throws -> URL {
        let parts = location.split(separator: "/", omittingEmptySubsequences: false)
        guard !location.hasPrefix("/"), !location.contains("\\"), !location.contains("\0"),
              !parts.contains(where: { $0 == ".." || $0.isEmpty }) else {
            throw fail("the location must be a relative path inside the model's folder, without '..'")
        }
        let root = directory.standardizedFileURL.resolvingSymlinksInPath()
        let url = root.appendingPathComponent(location).standardizedFileURL.resolvingSymlinksInPath()
        let rootPath = root.path.hasSuffix("/") ? root.path : root.path + "/"
        guard url.path.hasPrefix(rootPath) else {
            throw fail("it resolves (through a symbolic link) to a file outside the model's folder")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw fail("there is no such file beside the model")
        }
        return url
    }

    /// The byte size the tensor's dimensions and element type give, when both are known.
    private func expectedBytes(_ proto: Onnx_TensorProto) -> Int? {
        let width: Int
        switch proto.dataType {
        case 2, 3, 9: width = 1
        case 4, 5, 10, 16: width = 2
        case 1, 6, 12: width = 4
        case 7, 11, 13: width = 8
        default: return nil
        }
        var n = width
        for d in proto.dims {
            guard d >= 0 else { return nil }
            let (p, overflow) = n.multipliedReportingOverflow(by: Int(clamping: d))
            if overflow { return nil }
            n = p
        }
        return n
    }
}
