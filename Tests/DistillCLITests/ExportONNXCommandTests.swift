import Foundation
import Testing

@Suite("distill export --format onnx")
struct ExportONNXCommandTests {
    let scratch = CLIScratch()
    let student = CLIRunner.fixture("students/small-tree.json")

    @Test func writesTheModelToOutOnly() throws {
        let out = scratch.path("tree.onnx")
        let written = try CLIRunner.run(["export", "--student", student, "--format", "onnx", "--out", out])
        #expect(written.status == 0 && written.stdout.isEmpty, "\(written.stderr)")
        // Field 1 (ir_version) as a varint first: 0x08, then 8.
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)).prefix(2) == Data([0x08, 0x08]))
        let printed = try CLIRunner.run(["export", "--student", student, "--format", "onnx"])
        #expect(printed.status != 0 && printed.stdout.isEmpty)
        #expect(printed.stderr.contains("--out FILE.onnx"), "\(printed.stderr)")
    }

    @Test func aFeatureNamedAsAnOutputIsNamedAndNothingIsWritten() throws {
        let text = try String(contentsOfFile: student, encoding: .utf8)
            .replacingOccurrences(of: "\"colour\"", with: "\"probabilities\"")
        let renamed = try scratch.write("renamed.json", text)
        let out = scratch.path("never.onnx")
        let result = try CLIRunner.run(["export", "--student", renamed, "--format", "onnx", "--out", out])
        #expect(result.status != 0)
        #expect(result.stderr.contains("'probabilities'"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
