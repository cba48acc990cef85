import Foundation
import Testing

/// The README's example teacher program must work as printed.
@Suite("README examples")
struct ReadmeExampleTests {
    @Test func pythonTeacherFromTheReadme() throws {
        let readme = try String(contentsOf: CLIRunner.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let parts = readme.components(separatedBy: "```python\n")
        #expect(parts.count == 2, "the README holds one Python example")
        let script = try #require(parts.last?.components(separatedBy: "```").first)
        #expect(script.split(separator: "\n", omittingEmptySubsequences: false).count - 1 <= 15, "at most 15 lines")

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("distill-readme-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let scriptPath = directory.appendingPathComponent("teacher.py").path
        try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        let out = directory.appendingPathComponent("out.csv").path
        let result = try CLIRunner.run(["label", "--teacher-command", "python3 '\(scriptPath)'",
                                        "--data", CLIRunner.sample("diabetes", "test.csv"), "--drop", "progression",
                                        "--batch-size", "50", "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 112)
        #expect(lines[0].hasSuffix(",teacher_p_low,teacher_p_high,teacher_class"))
    }
}
