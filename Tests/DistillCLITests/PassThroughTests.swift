import Foundation
import Testing

/// `label` and `predict` append answers to the rows; every other column must come back
/// exactly as it was written, in its place.
@Suite("label and predict write every column back as it was read")
struct PassThroughTests {
    let scratch = CLIScratch()

    /// Long IDs that Float32 cannot hold, ZIP codes with leading zeros, a label first.
    func rows() throws -> (path: String, lines: [String]) {
        var lines = ["outcome,customer_id,zip,x,note"]
        for i in 0..<111 {
            let id = 9_007_199_254_740_993 + 2 * i
            lines.append("\(i % 2 == 0 ? "yes" : "no"),\(id),0213\(i % 10),\(i % 7 == 0 ? "16777217" : "\(Double(i) / 10)"),\"a, \"\"quoted\"\" note\"")
        }
        return (try scratch.write("rows.csv", lines.joined(separator: "\n") + "\n"), lines)
    }

    /// The file's records split into fields with quotes undone.
    func records(_ path: String) throws -> [[String]] {
        var records: [[String]] = []
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var field = "", record: [String] = [], quoted = false, previous: Character = " "
        for character in text {
            if quoted {
                if character == "\"" { quoted = false } else { field.append(character) }
            } else if character == "\"" {
                if previous == "\"" { field.append("\"") }
                quoted = true
            } else if character == "," {
                record.append(field); field = ""
            } else if character == "\n" {
                record.append(field); records.append(record); record = []; field = ""
            } else {
                field.append(character)
            }
            previous = character
        }
        return records
    }

    @Test func labelKeepsEveryColumnAndItsTextWhateverTheTeacherSees() throws {
        let (data, lines) = try rows()
        let original = try records(data)
        #expect(original.count == lines.count && original[1][4] == "a, \"quoted\" note")
        let out = scratch.path("labelled.csv")
        let teacher = "python3 '\(CLIRunner.fixture("programs/fake_teacher.py"))' good"
        let result = try CLIRunner.run(["label", "--teacher-command", teacher, "--data", data, "--label", "outcome",
                                        "--drop", "customer_id,zip,note", "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        let written = try records(out)
        #expect(written.count == original.count)
        #expect(written[0] == original[0] + ["teacher_p_no", "teacher_p_yes", "teacher_class"])
        for row in 1..<written.count {
            #expect(Array(written[row].prefix(5)) == original[row], "row \(row)")
            #expect(written[row].count == 8)
        }
        #expect(Set(written.dropFirst().map { $0[1] }).count == 111)
    }

    @Test func predictKeepsEveryColumnAndItsText() throws {
        var lines = try String(contentsOfFile: CLIRunner.sample("penguins", "test.csv"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        lines = lines.enumerated().map { index, line in (index == 0 ? "id" : "0000\(9_007_199_254_740_993 + index)") + "," + line }
        let data = try scratch.write("penguins.csv", lines.joined(separator: "\n") + "\n")
        let run = scratch.path("run")
        let learned = try CLIRunner.run(["tree", "--teacher", CLIRunner.sample("penguins", "teacher.onnx"),
                                         "--data", CLIRunner.sample("penguins", "train.csv"), "--label", "species",
                                         "--max-leaves", "4", "--no-report", "--out", run])
        #expect(learned.status == 0, "\(learned.stderr)")
        let out = scratch.path("predicted.csv")
        let result = try CLIRunner.run(["predict", "--student", run + "/student.json", "--data", data, "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        let original = try records(data)
        let written = try records(out)
        #expect(written.count == original.count)
        for row in 0..<written.count {
            #expect(Array(written[row].prefix(original[row].count)) == original[row], "row \(row)")
        }
        #expect(written[0].suffix(5) == ["student_p_Adelie", "student_p_Chinstrap", "student_p_Gentoo", "student_class", "leaf"])
    }
}
