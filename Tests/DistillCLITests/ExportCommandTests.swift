import Foundation
import Testing

@Suite("distill export")
struct ExportCommandTests {
    let scratch = CLIScratch()

    /// x ≤ 4.5 (missing → no), then colour ∈ {red} (missing → yes, other levels → no).
    let student = CLIRunner.fixture("students/small-tree.json")

    @Test(arguments: [("text", "|--- x <= 4.5\n"), ("markdown", "# Decision tree student\n"),
                      ("json", "\"format\" : \"distill.export/v1\""), ("sql", "SELECT\n"),
                      ("python", "def predict(row: dict) -> dict:\n"), ("swift", "enum Student {\n"),
                      ("pmml", "<TreeModel functionName=\"classification\"")])
    func eachFormatGoesToStandardOutputOrToOut(format: String, marker: String) throws {
        let printed = try CLIRunner.run(["export", "--student", student, "--format", format])
        #expect(printed.status == 0, "\(printed.stderr)")
        #expect(printed.stdout.contains(marker))
        let out = scratch.path("export.\(format)")
        let written = try CLIRunner.run(["export", "--student", student, "--format", format, "--out", out])
        #expect(written.status == 0 && written.stdout.isEmpty, "\(written.stderr)")
        #expect(try String(contentsOfFile: out, encoding: .utf8) == printed.stdout)
    }

    /// The rule list of `student`: x ≤ 4.5 → a; colour missing → b; colour ∈ {red} → b; else the tie, so a.
    let rules = CLIRunner.fixture("students/small-rules.json")

    @Test(arguments: [("text", "IF x ≤ 4.5 THEN a (p=1.000)   [rows 4]\nELSE IF colour is missing THEN b"),
                      ("markdown", "| 3 | colour ∈ {red} | b | 0 | 1 | 1 |\n"),
                      ("json", "\"test\" : \"missing\""), ("sql", "      WHEN \"colour\" IS NULL\n      THEN 2\n"),
                      ("python", "    if colour is None:\n        return _answer(2)\n"),
                      ("swift", "        return Output(rule: 4, classIndex: 0, probabilities: [0.5, 0.5])\n")])
    func eachFormatWritesARuleList(format: String, marker: String) throws {
        let printed = try CLIRunner.run(["export", "--student", rules, "--format", format])
        #expect(printed.status == 0, "\(printed.stderr)")
        #expect(printed.stdout.contains(marker), "\(printed.stdout)")
    }

    @Test func cWritesARuleListAndItsHeader() throws {
        let out = scratch.path("rules.c")
        let result = try CLIRunner.run(["export", "--student", rules, "--format", "c", "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try String(contentsOfFile: out, encoding: .utf8).contains("    if (in->x <= 4.500000238418579) { // threshold 4.5 as Float32\n        out->rule = 1;\n"))
        #expect(try String(contentsOfFile: scratch.path("rules.h"), encoding: .utf8).contains("    int rule; /* the rule that answered"))
    }

    @Test func cWritesTheSourceAndItsHeaderNextToIt() throws {
        let out = scratch.path("model.c")
        let result = try CLIRunner.run(["export", "--student", student, "--format", "c", "--name", "model", "--out", out])
        #expect(result.status == 0 && result.stdout.isEmpty, "\(result.stderr)")
        #expect(try String(contentsOfFile: out, encoding: .utf8).hasPrefix("#include \"model.h\"\n"))
        #expect(try String(contentsOfFile: scratch.path("model.h"), encoding: .utf8).contains("struct model_input {"))
        let printed = try CLIRunner.run(["export", "--student", student, "--format", "c"])
        #expect(printed.status != 0 && printed.stderr.contains("--out NAME.c"))
        let named = try CLIRunner.run(["export", "--student", student, "--format", "python", "--name", "x"])
        #expect(named.status != 0 && named.stderr.contains("--name"))
    }

    @Test func sqlOptionsShapeTheQuery() throws {
        let result = try CLIRunner.run(["export", "--student", student, "--format", "sql", "--dialect", "postgres",
                                        "--table", "rows", "--probabilities", "--id", "key"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("SELECT\n  \"key\",\n  CASE \"distill_leaf\" WHEN 1 THEN 1.0"))
        #expect(result.stdout.contains("AS \"student_p_b\""))
        #expect(result.stdout.contains("FROM \"rows\"\n"))
    }

    @Test(arguments: [
        (["--format", "yaml"], "--format"),
        (["--format", "sql", "--dialect", "mysql"], "--dialect"),
        (["--format", "markdown", "--dialect", "postgres"], "--dialect"),
        (["--format", "sql", "--id", "leaf"], "--id 'leaf'"),
        (["--format", "pmml", "--table", "rows"], "--table"),
    ])
    func badOptionsAreNamedAndNothingIsWritten(options: [String], named: String) throws {
        let out = scratch.path("bad.out")
        let result = try CLIRunner.run(["export", "--student", student, "--out", out] + options)
        #expect(result.status != 0)
        #expect(result.stderr.contains(named), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func brokenStudentIsNamedAndNothingIsWritten() throws {
        let broken = try scratch.write("broken.json", "{\"format\": \"distill.student/v1\", \"kind\": ")
        let out = scratch.path("never.sql")
        let result = try CLIRunner.run(["export", "--student", broken, "--format", "sql", "--out", out])
        #expect(result.status != 0)
        #expect(result.stderr.contains("broken.json"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
        let unwritable = try scratch.write("control.json", try String(contentsOfFile: student, encoding: .utf8)
            .replacingOccurrences(of: "\"colour\"", with: "\"col\\u0007our\""))
        let pmml = try CLIRunner.run(["export", "--student", unwritable, "--format", "pmml", "--out", out])
        #expect(pmml.status != 0 && pmml.stderr.contains("col\\u{7}our") && pmml.stderr.contains("XML"), "\(pmml.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
        let missing = try CLIRunner.run(["export", "--student", scratch.path("absent.json"), "--format", "text"])
        #expect(missing.status != 0 && missing.stderr.contains("absent.json"))
    }
}
