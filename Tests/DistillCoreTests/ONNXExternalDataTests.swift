import Foundation
import Testing

@testable import DistillCore

/// Initializers stored beside the model (`model.onnx.data`), read only from inside the
/// model's folder and only within the data file.
@Suite("ONNX external data")
struct ONNXExternalDataTests {
    typealias B = ONNXBuild

    /// y = x · W with W [2, 2] stored externally at `location`, `offset`, `length`.
    func model(location: String, offset: Int? = 4, length: Int? = 16) -> Data {
        var w = Onnx_TensorProto()
        w.name = "W"
        w.dims = [2, 2]
        w.dataType = 1
        w.dataLocation = .external
        var entries: [(String, String)] = [("location", location)]
        if let offset { entries.append(("offset", String(offset))) }
        if let length { entries.append(("length", String(length))) }
        w.externalData = entries.map { key, value in
            var e = Onnx_StringStringEntryProto()
            e.key = key
            e.value = value
            return e
        }
        return B.model(nodes: [B.node("MatMul", ["x", "W"], ["z"], name: "mm"), B.node("Softmax", ["z"], ["y"], name: "sm",
                                                                                      [B.attr("axis", int: 1)])],
                       inputs: [B.value("x", 1, [nil, 2])], outputs: [B.value("y", 1, [nil, 2])], initializers: [w])
    }

    /// Four padding bytes, then W = [[1, 0], [0, ln 3]] as little-endian floats.
    var weights: [UInt8] {
        var bytes: [UInt8] = [9, 9, 9, 9]
        for v: Float in [1, 0, 0, Float(log(3.0))] {
            withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 }
        }
        return bytes
    }

    func load(_ dir: TemporaryDirectory, _ bytes: Data) throws -> ONNXTeacher {
        let path = dir.write("model.onnx", bytes: Array(bytes))
        return try ONNXTeacher(contentsOf: URL(fileURLWithPath: path))
    }

    func loadError(_ dir: TemporaryDirectory, _ bytes: Data) -> ONNXError? {
        do { _ = try load(dir, bytes); return nil } catch let e as ONNXError { return e } catch { return nil }
    }

    @Test("weights at an offset in model.onnx.data are read and used")
    func reads() throws {
        let dir = TemporaryDirectory()
        dir.write("model.onnx.data", bytes: weights)
        let teacher = try load(dir, model(location: "model.onnx.data"))
        // x = (0, 1): z = (0, ln 3), softmax = (1/4, 3/4).
        let p = try teacher.predict(TeacherBatch(rowCount: 1, inputs: [(name: "x", width: 2, values: .float([0, 1]))]))
        #expect(abs(p[0] - 0.25) < 1e-6 && abs(p[1] - 0.75) < 1e-6)
        // Without a length, the rest of the file from the offset must be the tensor.
        #expect(throws: Never.self) { _ = try load(dir, model(location: "model.onnx.data", length: nil)) }
    }

    @Test("a location outside the model's folder is refused, naming tensor and file", arguments: [
        "../model.onnx.data", "/etc/passwd", "sub/../../x", "",
    ])
    func escapes(location: String) throws {
        let dir = TemporaryDirectory()
        dir.write("model.onnx.data", bytes: weights)
        let e = try #require(loadError(dir, model(location: location)))
        #expect(e.kind == .malformedModel)
        #expect(e.message.contains("tensor 'W'"))
        #expect(e.message.contains(location.isEmpty ? "names no location" : "relative path inside the model's folder"))
    }

    @Test("a symbolic link leading out of the model's folder is refused")
    func symlink() throws {
        let outside = TemporaryDirectory()
        let target = outside.write("w.data", bytes: weights)
        let dir = TemporaryDirectory()
        try FileManager.default.createSymbolicLink(atPath: (dir.path as NSString).appendingPathComponent("w.data"),
                                                   withDestinationPath: target)
        let e = try #require(loadError(dir, model(location: "w.data")))
        #expect(e.message == "tensor 'W' is stored in external file 'w.data': it resolves (through a symbolic link) to a file outside the model's folder")
    }

    @Test("offset and length must lie in the file and match the tensor's size")
    func bounds() throws {
        let dir = TemporaryDirectory()
        dir.write("model.onnx.data", bytes: weights)
        let past = try #require(loadError(dir, model(location: "model.onnx.data", offset: 8, length: 16)))
        #expect(past.message == "tensor 'W' is stored in external file 'model.onnx.data': offset 8 + length 16 runs past its end (20 bytes)")
        let short = try #require(loadError(dir, model(location: "model.onnx.data", offset: 4, length: 12)))
        #expect(short.message == "tensor 'W' is stored in external file 'model.onnx.data': length is 12 bytes, but the tensor's shape and type need 16")
        let missing = try #require(loadError(dir, model(location: "other.data")))
        #expect(missing.message == "tensor 'W' is stored in external file 'other.data': there is no such file beside the model")
        let bad = try #require(loadError(dir, model(location: "model.onnx.data", offset: -1)))
        #expect(bad.message.hasSuffix("offset '-1' is not a non-negative integer"))
    }

    @Test("a model given as bytes cannot read external data")
    func bytesOnly() throws {
        do {
            _ = try ONNXTeacher(serialized: model(location: "model.onnx.data"), file: "m.onnx")
            Issue.record("loaded")
        } catch let e as ONNXError {
            #expect(e.message.contains("load the model from its file"))
        }
    }
}
