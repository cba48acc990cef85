import Foundation
import Testing

@testable import DistillCore

/// Numbers reach a float64 or int64 teacher at the precision the file wrote them, not
/// rounded through Float32 (which turns 16777217 into 16777216).
@Suite("Double precision for float64 teachers")
struct DoublePrecisionTests {
    typealias B = ONNXBuild
    let files = TemporaryDirectory()

    /// `y = x − 16777217` computed in double: 0 for the row that holds 16777217, −1 had
    /// the value gone through Float32.
    func offsetModel() -> Data {
        B.model(nodes: [B.node("Sub", ["x", "c"], ["y"])],
                inputs: [B.value("x", 11, [nil, 1])], outputs: [B.value("y", 11, [nil, 1])],
                initializers: [B.doubles("c", [1], [16_777_217])])
    }

    @Test("the reader keeps doubles only when asked, for numeric columns only")
    func readerKeepsDoublesOnRequest() throws {
        let path = files.write("d.csv", "x,t,m\n16777217,a,\n0.1,b,2\n")
        let plain = try CSVReader.read(path)
        #expect(plain.columns.allSatisfy { $0.doubles == nil })
        let kept = try CSVReader.read(path, keepingDoubles: true)
        #expect(kept.columns[0].doubles == [16_777_217, 0.1])
        #expect(kept.columns[0].values == .numeric([16_777_216, Float(0.1)]))
        #expect(kept.columns[1].doubles == nil)
        let missing = try #require(kept.columns[2].doubles)
        #expect(missing[0].isNaN && missing[1] == 2)
    }

    @Test("a column that turns to text after numbers keeps no doubles")
    func textColumnDropsDoubles() throws {
        let table = try CSVReader.read(files.write("d.csv", "x\n1\n2\nlow\n"), keepingDoubles: true)
        #expect(table.columns[0].doubles == nil)
        #expect(table.columns[0].levels == ["1", "2", "low"])
    }

    /// Large enough for the two-core reader, which parses halves of a block apart and joins them.
    @Test("every row of a file read in parallel halves keeps its exact value, in order")
    func parallelHalvesKeepOrder() throws {
        let rows = 600_000
        var text = "x,y\n"
        text.reserveCapacity(rows * 24)
        for i in 0..<rows { text += "\(16_777_217 + 2 * i),\(i).25\n" }
        let table = try CSVReader.read(files.write("big.csv", text), keepingDoubles: true)
        let x = try #require(table.columns[0].doubles)
        let y = try #require(table.columns[1].doubles)
        #expect(x.count == rows && y.count == rows)
        #expect(x.indices.allSatisfy { x[$0] == Double(16_777_217 + 2 * $0) })
        #expect(y.indices.allSatisfy { y[$0] == Double($0) + 0.25 })
    }

    @Test("doubles follow rows through a split, a gather, imputation and appending")
    func doublesFollowRows() throws {
        let column = Column(name: "x", values: .numeric([16_777_216, .nan, 16_777_220, 4]),
                            doubles: [16_777_217, .nan, 16_777_219, 4])
        let data = Dataset(features: [column], rowCount: 4)
        #expect(data.rows([2, 0]).features[0].doubles == [16_777_219, 16_777_217])
        let (train, eval) = try data.split(holdout: 0.5, seed: 3)
        for part in [train, eval] {
            let d = try #require(part.features[0].doubles)
            guard case .numeric(let f) = part.features[0].values else { Issue.record("not numeric"); return }
            #expect(zip(d, f).allSatisfy { ($0.isNaN && $1.isNaN) || Float($0) == $1 })
        }
        let filled = Imputation(strategy: .zero, learningFrom: data).apply(to: data)
        #expect(filled.features[0].doubles == [16_777_217, 0, 16_777_219, 4])
        // Rows made up by Distill have no doubles; joined to real rows they are widened.
        let synthetic = Dataset(features: [Column(name: "x", values: .numeric([0.1]))], rowCount: 1)
        #expect(filled.appending(synthetic).features[0].doubles == [16_777_217, 0, 16_777_219, 4, Double(Float(0.1))])
        #expect(data.withoutDoubles.features[0].doubles == nil)
    }

    @Test("double inputs get the exact values, int64 inputs exact integers, float inputs Float32")
    func bindingUsesDoubles() throws {
        let data = Dataset(features: [
            Column(name: "d", values: .numeric([16_777_216]), doubles: [16_777_217]),
            Column(name: "i", values: .numeric([16_777_216]), doubles: [16_777_217]),
            Column(name: "f", values: .numeric([16_777_216]), doubles: [16_777_217]),
            Column(name: "w", values: .numeric([0.5])),
        ], rowCount: 1)
        let inputs: [TeacherInput] = [("d", TeacherElementType.double), ("i", .int64), ("f", .float), ("w", .double)].map {
            TeacherInput(name: $0.0, elementType: $0.1, width: 1, acceptsMissing: false)
        }
        #expect(TeacherInputs.tensors(inputs).wantsDoubles)
        #expect(!TeacherInputs.tensors([inputs[2]]).wantsDoubles)
        let batch = try TeacherBinding(teacher: .tensors(inputs), data: data).batch(data, rows: 0..<1)
        let values = Dictionary(uniqueKeysWithValues: batch.inputs.map { ($0.name, $0.values) })
        #expect(values["d"] == .double([16_777_217]))
        #expect(values["i"] == .int64([16_777_217]))
        #expect(values["f"] == .float([16_777_216]))
        #expect(values["w"] == .double([0.5]))
    }

    @Test("a float64 model sees 16777217 from the CSV, and Float32 would have made it 16777216")
    func onnxDoubleModelGetsExactValue() throws {
        let teacher = try ONNXTeacher(serialized: offsetModel(), file: "offset.onnx")
        #expect(teacher.inputs.wantsDoubles)
        let path = files.write("x.csv", "x\n16777217\n16777219\n")
        let selection = DataSelection(label: nil, features: nil, drop: [])
        let exact = try selection.apply(to: CSVReader.read(path, keepingDoubles: true))
        #expect(try TeacherQuery(teacher: teacher).answers(for: exact).values == [0, 2])
        let rounded = try selection.apply(to: CSVReader.read(path))
        #expect(try TeacherQuery(teacher: teacher).answers(for: rounded).values == [-1, 3])
    }
}
