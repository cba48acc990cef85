import Foundation
import Testing

/// The breast-cancer teacher takes its 30 features as one wide input, by position: rows from
/// a file whose columns are in another order must still reach it in the training order.
@Suite("Columns are bound by name, whatever their order in the file")
struct ColumnOrderTests {
    let scratch = CLIScratch()

    var teacher: String { CLIRunner.sample("breast-cancer", "teacher.onnx") }
    var train: String { CLIRunner.sample("breast-cancer", "train.csv") }
    var test: String { CLIRunner.sample("breast-cancer", "test.csv") }

    /// `test.csv` with its columns reversed (the label first), and optionally one dropped.
    func shuffledTest(dropping dropped: String? = nil) throws -> String {
        let rows = try String(contentsOfFile: test, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let keep = rows[0].indices.reversed().filter { dropped == nil || rows[0][$0] != dropped! }
        let text = rows.map { row in keep.map { String(row[$0]) }.joined(separator: ",") }.joined(separator: "\n") + "\n"
        return try scratch.write("shuffled.csv", text)
    }

    func json(_ file: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any] ?? [:]
    }

    @Test func heldOutRowsInAnotherColumnOrderGiveTheSameFidelity() throws {
        let shuffled = try shuffledTest()
        var fidelity: [String: NSDictionary] = [:]
        for (name, evalData) in [("plain", test), ("shuffled", shuffled)] {
            let result = try CLIRunner.run(["tree", "--teacher", teacher, "--data", train, "--eval-data", evalData,
                                            "--label", "diagnosis", "--max-depth", "3", "--out", scratch.path(name)])
            #expect(result.status == 0, "\(result.stderr)")
            fidelity[name] = try json(scratch.path(name) + "/fidelity.json")["eval"] as? NSDictionary
            #expect(try Data(contentsOf: URL(fileURLWithPath: scratch.path(name) + "/student.json"))
                    == Data(contentsOf: URL(fileURLWithPath: scratch.path("plain") + "/student.json")))
        }
        let agreement = try #require(fidelity["plain"]?["agreement"] as? Double)
        #expect(agreement > 0.9)
        #expect(fidelity["shuffled"] == fidelity["plain"])
    }

    @Test func fidelityOfASavedStudentDoesNotDependOnTheColumnOrder() throws {
        let out = scratch.path("linear")
        let learned = try CLIRunner.run(["linear", "--teacher", teacher, "--data", train, "--eval-data", test,
                                         "--label", "diagnosis", "--max-features", "5", "--out", out])
        #expect(learned.status == 0, "\(learned.stderr)")
        let shuffled = try shuffledTest()
        let lines = try [test, shuffled].map { data in
            let result = try CLIRunner.run(["fidelity", "--student", out + "/student.json", "--teacher", teacher,
                                            "--data", data, "--label", "diagnosis"])
            #expect(result.status == 0, "\(result.stderr)")
            return result.stdout.split(separator: "\n").map { $0.replacingOccurrences(of: data, with: "DATA") }
        }
        #expect(lines[0] == lines[1])
        #expect(lines[0].first?.hasPrefix("fidelity: 0.9") == true, "\(lines[0])")
    }

    @Test func heldOutRowsWithoutATrainingColumnAreRefusedNamingTheFile() throws {
        let shuffled = try shuffledTest(dropping: "mean_area")
        let out = scratch.path("run")
        let result = try CLIRunner.run(["tree", "--teacher", teacher, "--data", train, "--eval-data", shuffled,
                                        "--label", "diagnosis", "--max-depth", "3", "--out", out])
        #expect(result.status != 0)
        #expect(result.stderr.contains("\(shuffled): has no column 'mean_area', which --data \(train) has"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func textInANumericColumnIsNamedWithItsFileAndRow() throws {
        var rows = try String(contentsOfFile: test, encoding: .utf8).split(separator: "\n").map(String.init)
        rows[3] = "n/a" + rows[3].drop { $0 != "," }
        let broken = try scratch.write("broken.csv", rows.joined(separator: "\n") + "\n")
        let result = try CLIRunner.run(["label", "--teacher", teacher, "--data", broken, "--label", "diagnosis",
                                        "--out", scratch.path("labelled.csv")])
        #expect(result.status != 0)
        #expect(result.stderr.contains("\(broken): the model's input"), "\(result.stderr)")
        #expect(result.stderr.contains("column 'mean_radius' holds text (first at data row 3: \"n/a\")"), "\(result.stderr)")
    }
}
