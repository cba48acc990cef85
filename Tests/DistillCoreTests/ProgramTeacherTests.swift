import Foundation
import Testing

@testable import DistillCore

@Suite("Teacher program over stdin/stdout", .serialized)
struct ProgramTeacherTests {
    let files = TemporaryDirectory()

    func command(_ mode: String) throws -> String {
        let script = try #require(Bundle.module.path(forResource: "Fixtures/programs/fake_teacher", ofType: "py"))
        return "python3 '\(script)' \(mode)"
    }

    /// Five rows: x = -2…2, with x missing in the last row and a text column.
    func data() throws -> Dataset {
        let table = try CSVReader.read(files.write("d.csv", "x,colour\n-2,red\n-1,\"a \"\"b\"\"\"\n0,red\n1,blue\n,blue\n"))
        return try DataSelection().apply(to: table)
    }

    func failure(_ mode: String, batchSize: Int = 2, timeout: TimeInterval = 20) throws -> String {
        let teacher = try ProgramTeacher(command: command(mode), timeout: timeout)
        do {
            _ = try TeacherQuery(teacher: teacher, batchSize: batchSize).answers(for: data())
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func classifierAnswersEveryRowInBatches() throws {
        let teacher = try ProgramTeacher(command: command("good"))
        #expect(teacher.task == .classification(classes: ["no", "yes"]))
        var progress: [Int] = []
        let outputs = try TeacherQuery(teacher: teacher, batchSize: 2).answers(for: data()) { progress.append($0) }
        #expect(progress == [2, 4, 5])
        let expected: [Float] = [-2, -1, 0, 1, 0].map { 1 / (1 + exp(-$0)) }
        for row in 0..<5 {
            #expect(abs(outputs.row(row).last! - expected[row]) < 1e-6)
        }
        #expect(outputs.predictedClass(0) == 0 && outputs.predictedClass(3) == 1)
    }

    @Test func regressionTeacher() throws {
        let teacher = try ProgramTeacher(command: command("regression"))
        #expect(teacher.task == .regression)
        let outputs = try TeacherQuery(teacher: teacher, batchSize: 3).answers(for: data())
        #expect(outputs.values == [-2, -1, 0, 1, 0])
    }

    @Test func rowsAreSentAsJSONWithNullForMissing() throws {
        let batch = try TeacherBinding(teacher: .anyColumns, data: data()).batch(data(), rows: 3..<5)
        #expect(ProgramTeacher.encode(batch) == #"{"columns": ["x", "colour"], "rows": [[1.0, "blue"], [null, "blue"]]}"#)
        let quoted = try TeacherBinding(teacher: .anyColumns, data: data()).batch(data(), rows: 1..<2)
        #expect(ProgramTeacher.encode(quoted) == #"{"columns": ["x", "colour"], "rows": [[-1.0, "a \"b\""]]}"#)
    }

    @Test func crashNamesTheBatchAndExitStatus() throws {
        #expect(try failure("crash") == "batch 2 (rows 3–4): the teacher program closed its output before answering; it exited with status 3")
    }

    @Test func hangIsStoppedByTheTimeout() throws {
        let start = Date()
        #expect(try failure("hang", timeout: 1) == "batch 1 (rows 1–2): the teacher program took longer than the time allowed for answering (see --timeout); it was stopped")
        #expect(Date().timeIntervalSince(start) < 10)
    }

    @Test func malformedAnswer() throws {
        #expect(try failure("malformed") == "batch 1 (rows 1–2): the answer is not a JSON object on one line: \"this is not json\"")
    }

    @Test func wrongNumberOfAnswers() throws {
        #expect(try failure("wrong-count") == "batch 1 (rows 1–2): the answer has 1 outputs for 2 rows")
    }

    @Test func notANumberInAnswer() throws {
        #expect(try failure("nan").hasPrefix("batch 1 (rows 1–2): the answer holds NaN or Infinity, which are not numbers a teacher may give"))
    }

    /// Answers that are numbers but not probabilities (a sigmoid per class, a shifted
    /// head) are refused with the batch, the row and the values, not learned from.
    @Test(arguments: [("not-distribution", "[0.9, 0.9]", "1.8"), ("negative", "[-0.5, 1.5]", "1.0")])
    func answersThatAreNotProbabilitiesAreRefused(mode: String, values: String, sum: String) throws {
        let message = try failure(mode)
        #expect(message.hasPrefix("batch 1 (rows 1–2): row 2: the teacher's answer \(values) is not a probability per class"), "\(message)")
        #expect(message.contains("this sums to \(sum)"), "\(message)")
    }

    @Test func probabilitiesRoundedByTheProgramAreAccepted() throws {
        let teacher = try ProgramTeacher(command: command("rounded"))
        let outputs = try TeacherQuery(teacher: teacher, batchSize: 2).answers(for: data())
        let sums = (0..<5).map { outputs.row($0).reduce(0, +) }
        #expect(sums.allSatisfy { abs($0 - 1) <= TeacherQuery.sumTolerance } && sums.contains { $0 != 1 })
    }

    @Test func errorsNameTheRowsSource() throws {
        let teacher = try ProgramTeacher(command: command("negative"))
        do {
            _ = try TeacherQuery(teacher: teacher, batchSize: 2).answers(for: data(), source: "rows.csv")
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".hasPrefix("rows.csv: batch 1 (rows 1–2): row 2: "), "\(error)")
        }
    }

    @Test func badGreeting() throws {
        #expect(throws: TeacherError.self) { try ProgramTeacher(command: command("bad-greeting")) }
        do {
            _ = try ProgramTeacher(command: command("bad-greeting"))
        } catch {
            #expect("\(error)".contains("at the greeting: the greeting must be {\"classes\": [...]} or {\"regression\": true}"))
        }
    }

    @Test func programThatDoesNotExist() throws {
        do {
            _ = try ProgramTeacher(command: "no-such-program-here --flag", timeout: 5)
            Issue.record("expected an error")
        } catch {
            // The shell may exit before or after Distill writes its greeting: either way the
            // message says the program ended, with the shell's status for "not found".
            #expect("\(error)".hasSuffix("it exited with status 127"), "\(error)")
        }
    }
}
