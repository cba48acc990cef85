import Foundation
import Testing

@testable import DistillCore

/// Each broken versioned file is refused with the file, the place (line and column, or the
/// field) and what is wrong; never as an unexplained "not valid JSON".
@Suite("Versioned JSON files: what is wrong and where")
struct VersionedJSONFileTests {
    let scratch = TemporaryDirectory()

    /// The small tree fixture with `text` put in place of `original`, read as a student file;
    /// the error message, with the scratch folder left out.
    func failure(replacing original: String, with text: String) throws -> String {
        let fixture = try #require(Bundle.module.path(forResource: "Fixtures/students/small-tree", ofType: "json"))
        let good = try String(contentsOfFile: fixture, encoding: .utf8)
        #expect(good.contains(original), "the fixture holds \(original)")
        return failure(good.replacingOccurrences(of: original, with: text))
    }

    func failure(_ text: String) -> String {
        let path = scratch.write("student.json", text)
        do {
            _ = try Student.read(path)
            return "no error"
        } catch {
            return "\(error)".replacingOccurrences(of: scratch.path + "/", with: "")
        }
    }

    @Test func syntaxErrorsNameTheirLineAndColumn() throws {
        #expect(try failure(replacing: #""kind": "tree","#, with: #""kind": "tree",,"#)
                == "student.json: not valid JSON at line 1, column 49: expected a key in double quotes")
        #expect(failure("{\"format\": \"distill.student/v1\",\n  \"kind\": ")
                == "student.json: not valid JSON at line 2, column 11: the document ends where a value should be")
        #expect(failure("{\"format\": \"distill.student/v1\"} x")
                == "student.json: not valid JSON at line 1, column 34: unexpected text after the end of the document")
        #expect(failure("{\"format\": \"distill.student/v1\", \"kind\": \"tr\u{1}ee\"}")
                == "student.json: not valid JSON at line 1, column 45: a control character (byte 0x1) inside a string, where JSON needs it escaped")
    }

    @Test func aStringLeftOpenNamesWhereItOpened() {
        #expect(failure("{\"format\": \"distill.student/v1\",\n \"kind\": \"tree,\n \"task\": 1}")
                == "student.json: not valid JSON at line 2, column 16: a line break inside the string opened at line 2, column 10: is its closing quote missing?")
    }

    @Test(arguments: ["NaN", "-Infinity", "Infinity", "nan", "+inf"])
    func nanAndInfinityAreNamedAsSuch(token: String) throws {
        #expect(try failure(replacing: #""threshold": 4.5"#, with: #""threshold": \#(token)"#)
                == "student.json: not valid JSON at line 5, column 42: \(token) is not a JSON number: JSON has no NaN or Infinity, and Distill's files hold finite numbers only")
    }

    @Test func aNumberBeyondFloat32NamesItsFieldAndValue() throws {
        #expect(try failure(replacing: #""threshold": 4.5"#, with: #""threshold": 1e300"#)
                == "student.json: the student file has a wrong value at .nodes[0].threshold: 1e300 is beyond the range of Float32 (±3.4e38) (line 5, column 42)")
        #expect(try failure(replacing: #""value": [0, 1]"#, with: #""value": [0, -4e38]"#)
                == "student.json: the student file has a wrong value at .nodes[3].value[1]: -4e38 is beyond the range of Float32 (±3.4e38) (line 8, column 26)")
    }

    @Test func aCountThatIsNoWholeNumberNamesItsField() throws {
        #expect(try failure(replacing: #""rows": 4, "synthetic_rows": 0, "impurity": 0}"#, with: #""rows": 4.5, "synthetic_rows": 0, "impurity": 0}"#)
                == "student.json: the student file has a wrong value at .nodes[1].rows: 4.5 is not a whole number (line 6, column 38)")
        #expect(try failure(replacing: #""rows": 4, "synthetic_rows": 0, "impurity": 0}"#, with: #""rows": 1e30, "synthetic_rows": 0, "impurity": 0}"#)
                == "student.json: the student file has a wrong value at .nodes[1].rows: 1e30 is beyond the range of Int (line 6, column 38)")
    }

    @Test func wrongTypesAndMissingKeysNameTheirPlace() throws {
        #expect(try failure(replacing: #""rows": 8,"#, with: #""rows": "8","#)
                == "student.json: the student file has a wrong value at .nodes[0].rows: expected a whole number, found a string (line 5, column 119)")
        #expect(try failure(replacing: #""impurity": 0.375"#, with: #""gini": 0.375"#)
                == "student.json: the student file lacks \"impurity\" at .nodes[2] (the object at line 7, column 3)")
    }

    @Test func aKeyGivenTwiceIsRefused() throws {
        #expect(try failure(replacing: #""threshold": 4.5"#, with: #""threshold": 4.5, "threshold": 9"#)
                == "student.json: not valid JSON at line 5, column 47: the key \"threshold\" appears twice in one object")
    }

    @Test func somethingOtherThanAnObjectIsNoStudentFile() {
        #expect(failure("[1, 2]") == "student.json: not a Distill student file (the file holds an array, not a JSON object)")
        #expect(failure("{\"format\": 1}") == "student.json: not a Distill student file (no \"format\": \"distill.student/v1\")")
    }

    @Test func deepNestingIsRefusedNotACrash() {
        let deep = "{\"format\": \"distill.student/v1\", \"parameters\": " + String(repeating: "[", count: 100_000)
        #expect(failure(deep) == "student.json: not valid JSON at line 1, column 559: arrays and objects nest deeper than 512 levels")
    }

    @Test func fidelityAndRunFilesNameTheirPlaceToo() throws {
        let fidelity = scratch.write("fidelity.json", "{\"format\": \"distill.fidelity/v1\",\n \"teacher_queries\": Infinity}")
        #expect(throws: DataError("\(fidelity): not valid JSON at line 2, column 21: Infinity is not a JSON number: JSON has no NaN or Infinity, and Distill's files hold finite numbers only")) {
            try FidelityReport.read(fidelity)
        }
        let run = scratch.write("run.json", """
            {"format": "distill.run/v1", "distill_version": "0", "command": ["distill"], "teacher": {"kind": "onnx", "description": "t"},
             "inputs": [], "train_rows": 1, "eval_rows": 1, "eval_source": "split", "features": [], "seed": -1}
            """)
        #expect(throws: DataError("\(run): the run record has a wrong value at .seed: -1 is beyond the range of UInt64 (line 2, column 97)")) {
            try RunRecord.read(run)
        }
    }
}

@Suite("JSON documents: parsing")
struct JSONValueTests {
    func parse(_ text: String) throws -> JSONValue {
        try JSONValue.parse(Array(text.utf8))
    }

    func error(_ text: String) -> JSONSyntaxError? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error as? JSONSyntaxError
        }
    }

    @Test func escapesAndUnicodeAreDecoded() throws {
        let value = try parse(#"["a\"b\\c\/\u00e9\ud83d\ude00\n\t", "zürich"]"#)
        guard case .array(let items) = value.kind, case .string(let first) = items[0].kind, case .string(let second) = items[1].kind else {
            Issue.record("two strings expected")
            return
        }
        #expect(first == "a\"b\\c/é😀\n\t")
        #expect(second == "zürich")
    }

    @Test func numbersKeepTheirSpelling() throws {
        let value = try parse("[0, -1.5e-3, 12E+2]")
        guard case .array(let items) = value.kind else { Issue.record("an array expected"); return }
        let texts = items.compactMap { item -> String? in if case .number(let text) = item.kind { text } else { nil } }
        #expect(texts == ["0", "-1.5e-3", "12E+2"])
    }

    @Test(arguments: [
        ("[01]", 1, "a number with a leading zero"),
        ("[1.]", 3, "a '.' that no digit follows"),
        ("[1e]", 3, "an exponent without digits"),
        ("[-]", 2, "a '-' that no digit follows"),
        ("[\"\\ud800\"]", 2, "a \\u escape of a lone surrogate"),
        ("[\"\\x\"]", 3, "a backslash before 'x', which is no JSON escape"),
        ("[\"\\u12\"]", 2, "a \\u escape without four hex digits"),
        ("[\"open", 1, "a string that is never closed"),
        ("[1 2]", 3, "expected ',' or ']' after an array item"),
        ("{\"a\" 1}", 5, "expected ':' after the key \"a\""),
        ("[true, nul]", 7, "unexpected 'n' where a value should be"),
        ("", 0, "the document ends where a value should be"),
    ])
    func malformedDocuments(text: String, offset: Int, message: String) {
        #expect(error(text) == JSONSyntaxError(offset: offset, message: message))
    }

    @Test func invalidUTF8InAStringIsRefused() {
        #expect(throws: JSONSyntaxError(offset: 1, message: "a string that is not valid UTF-8")) {
            try JSONValue.parse([0x5B, 0x22, 0xC3, 0x28, 0x22, 0x5D])
        }
    }

    @Test func placesCountCharactersNotBytes() {
        let bytes = Array("{\n  \"é\": x".utf8)
        #expect(JSONPlace(offset: bytes.count - 1, in: bytes).description == "line 2, column 8")
    }
}
