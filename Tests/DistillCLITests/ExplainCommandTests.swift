import DistillCore
import Foundation
import Testing

@Suite("distill explain, end to end")
struct ExplainCommandTests {
    let scratch = CLIScratch()
    let testRows = CLIRunner.sample("penguins", "test.csv")
    let teacher = CLIRunner.sample("penguins", "teacher.onnx")

    /// A small tree distilled from the sample teacher; returns its student.json.
    func student() throws -> String {
        let out = scratch.path("run")
        let result = try CLIRunner.run(["tree", "--teacher", teacher, "--data", CLIRunner.sample("penguins", "train.csv"),
                                        "--eval-data", testRows, "--label", "species", "--max-leaves", "6", "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        return out + "/student.json"
    }

    func nodes(_ student: String) throws -> [[String: Any]] {
        let file = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: student))) as? [String: Any]
        return file?["nodes"] as? [[String: Any]] ?? []
    }

    /// The header and the fields of data row `row` (from 1) of the penguins test file, which quotes nothing.
    func csvRow(_ row: Int) throws -> (header: [String], fields: [String]) {
        let lines = try String(contentsOfFile: testRows, encoding: .utf8).split(separator: "\n")
        let split = { (line: Substring) in line.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        return (split(lines[0]), split(lines[row]))
    }

    /// The explanation without its first line, which says where the row came from.
    func body(_ text: String) -> [Substring] {
        Array(text.split(separator: "\n").dropFirst())
    }

    func leaf(in text: String) throws -> Int {
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("student: ") })
        let words = line.components(separatedBy: "  leaf ")
        return try #require(Int(words.last?.prefix { $0.isNumber } ?? ""))
    }

    @Test(arguments: [1, 35, 67, 85])
    func rowAndValuesGiveTheSamePathAndAnswerAsPredict(row: Int) throws {
        let student = try student()
        let byRow = try CLIRunner.run(["explain", "--student", student, "--data", testRows, "--label", "species", "--row", "\(row)"])
        #expect(byRow.status == 0, "\(byRow.stderr)")
        #expect(byRow.stdout.hasPrefix("row \(row) of \(testRows)\npath:\n"))

        let (header, fields) = try csvRow(row)
        let pairs = zip(header, fields).filter { $0.0 != "species" }.map { "\($0)=\($1)" }
        let byValues = try CLIRunner.run(["explain", "--student", student, "--values", pairs.joined(separator: ",")])
        #expect(byValues.status == 0, "\(byValues.stderr)")
        #expect(body(byValues.stdout) == body(byRow.stdout))
        #expect(body(byRow.stdout).count >= 3, "a path of at least one split, and the student's answer")

        let predicted = try CLIRunner.run(["predict", "--student", student, "--data", testRows])
        let line = predicted.stdout.split(separator: "\n")[row]
        let predictedLeaf = try #require(Int(line.split(separator: ",").last ?? ""))
        #expect(try leaf(in: byRow.stdout) == predictedLeaf)
        let predictedClass = line.split(separator: ",", omittingEmptySubsequences: false).dropLast().last ?? ""
        #expect(byRow.stdout.contains("student: \(predictedClass)  p=["))
    }

    @Test func missingValueSaysWhereMissingValuesGo() throws {
        let student = try student()
        let result = try CLIRunner.run(["explain", "--student", student, "--data", testRows, "--row", "85"])
        // Row 85 has only its island; the root splits on a number, so it is missing there.
        let firstStep = try #require(body(result.stdout).dropFirst().first)
        #expect(firstStep.hasSuffix(" is missing → missing values go yes") || firstStep.hasSuffix(" is missing → missing values go no"))
    }

    @Test(arguments: [2, 85])
    func teacherAnswerIsTheOneDistillLabelGives(row: Int) throws {
        let student = try student()
        let explained = try CLIRunner.run(["explain", "--student", student, "--teacher", teacher, "--data", testRows,
                                           "--label", "species", "--row", "\(row)"])
        #expect(explained.status == 0, "\(explained.stderr)")
        let labelled = scratch.path("labelled.csv")
        let label = try CLIRunner.run(["label", "--teacher", teacher, "--data", testRows, "--label", "species", "--out", labelled])
        #expect(label.status == 0, "\(label.stderr)")
        let lines = try String(contentsOfFile: labelled, encoding: .utf8).split(separator: "\n")
        let header = lines[0].split(separator: ",").map(String.init)
        let fields = lines[row].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let teacherClass = try #require(fields.last)
        let probabilities = header.indices.filter { header[$0].hasPrefix("teacher_p_") }.map { index in
            "\(header[index].dropFirst("teacher_p_".count)) \(DecisionTree.format(Float(fields[index]) ?? .nan, digits: 3))"
        }
        let teacherLine = try #require(explained.stdout.split(separator: "\n").first { $0.hasPrefix("teacher: ") })
        #expect(teacherLine.hasPrefix("teacher: \(teacherClass)  p=[\(probabilities.joined(separator: ", "))]  "))
        let studentLine = try #require(explained.stdout.split(separator: "\n").first { $0.hasPrefix("student: ") })
        let agrees = studentLine.hasPrefix("student: \(teacherClass)  ")
        #expect(teacherLine.hasSuffix("  agrees with the student") == agrees)
    }

    @Test func highlightedDiagramMarksExactlyThePath() throws {
        let student = try student()
        let out = scratch.path("explained")
        let result = try CLIRunner.run(["explain", "--student", student, "--data", testRows, "--row", "3",
                                        "--format", "svg,png", "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        // The path worked out from student.json: the explained leaf and its ancestors.
        var parent: [Int: Int] = [:]
        for node in try nodes(student) {
            if let id = node["id"] as? Int, let left = node["left"] as? Int, let right = node["right"] as? Int {
                parent[left] = id
                parent[right] = id
            }
        }
        var path = [try leaf(in: result.stdout)]
        while let up = parent[path[0]] { path.insert(up, at: 0) }
        #expect(path.count >= 2 && path[0] == 0)

        let dot = try String(contentsOfFile: out + "/explain.dot", encoding: .utf8).split(separator: "\n")
        let marked = dot.filter { !$0.contains("->") && $0.contains("color=\"#000000\", penwidth=3") }
            .compactMap { Int($0.trimmingCharacters(in: .whitespaces).dropFirst().prefix { $0.isNumber }) }
        #expect(marked.sorted() == path.sorted())
        let thick = dot.filter { $0.contains("->") && $0.contains("penwidth=3") }
            .map { String($0.trimmingCharacters(in: .whitespaces).prefix { $0 != "[" }) }
        #expect(thick.sorted() == zip(path, path.dropFirst()).map { "n\($0) -> n\($1) " }.sorted())
        #expect(try String(contentsOfFile: out + "/explain.txt", encoding: .utf8) == result.stdout)
        let svg = try String(contentsOfFile: out + "/explain.svg", encoding: .utf8)
        #expect(svg.contains("<svg"))
        #expect(FileManager.default.fileExists(atPath: out + "/explain.png"))
    }

    @Test func badRowsAndValuesNameTheCulpritAndWriteNothing() throws {
        let student = try student()
        let splitFeatures = Set(try nodes(student).compactMap { $0["feature"] as? String })
        let (header, fields) = try csvRow(1)
        let features = zip(header, fields).filter { $0.0 != "species" }
        func values(_ change: (inout [(String, String)]) -> Void) -> String {
            var pairs = features.map { ($0.0, $0.1) }
            change(&pairs)
            return pairs.map { "\($0)=\($1)" }.joined(separator: ",")
        }
        let omitted = try #require(splitFeatures.sorted().first)
        let cases: [([String], String)] = [
            (["--data", testRows, "--row", "0"], "--row counts data rows from 1 (the first row after the header), so it cannot be 0"),
            (["--data", testRows, "--row", "87"], "--row 87: \(testRows) has 86 data rows"),
            (["--values", values { $0.append(("wingspan", "3")) }],
             "--values: the student has no feature 'wingspan'; its features are 'island', 'bill_length_mm'"),
            (["--values", values { $0.removeAll { $0.0 == omitted } }], "--values: no value for '\(omitted)'"),
            (["--values", values { $0 = $0.map { $0.0 == "bill_length_mm" ? ($0.0, "long") : $0 } }],
             "--values: 'bill_length_mm' is a numeric feature, but 'long' is not a number"),
        ]
        for (arguments, message) in cases {
            let out = scratch.path("bad")
            let result = try CLIRunner.run(["explain", "--student", student, "--out", out] + arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.contains(message), "\(result.stderr)")
            #expect(result.stdout.isEmpty)
            #expect(!FileManager.default.fileExists(atPath: out), "\(arguments)")
        }
    }
}
