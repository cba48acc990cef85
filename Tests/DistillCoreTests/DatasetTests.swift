import Foundation
import Testing

@testable import DistillCore

@Suite("Data selection, split and imputation")
struct DatasetTests {
    let files = TemporaryDirectory()

    func table() throws -> CSVTable {
        var text = "x,colour,y\n"
        for row in 0..<40 { text += "\(row),\(row % 3 == 0 ? "red" : "blue"),\(row < 30 ? "no" : "yes")\n" }
        return try CSVReader.read(files.write("d.csv", text))
    }

    @Test func labelIsNeverAFeature() throws {
        let data = try DataSelection(label: "y").apply(to: table())
        #expect(data.featureNames == ["x", "colour"])
        #expect(data.label?.levels == ["no", "yes"])
    }

    @Test func featuresAndDrop() throws {
        #expect(try DataSelection(features: ["colour"]).apply(to: table()).featureNames == ["colour"])
        #expect(try DataSelection(drop: ["x"]).apply(to: table()).featureNames == ["colour", "y"])
    }

    @Test(arguments: [
        (DataSelection(label: "z"), "--label: no column 'z' in"),
        (DataSelection(features: ["x", "w"]), "--features: no column 'w' in"),
        (DataSelection(drop: ["q"]), "--drop: no column 'q' in"),
        (DataSelection(label: "y", features: ["y"]), "--features: 'y' is the --label column"),
    ])
    func unknownNames(selection: DataSelection, message: String) throws {
        let table = try table()
        #expect(throws: DataError.self) { try selection.apply(to: table) }
        do {
            _ = try selection.apply(to: table)
        } catch {
            #expect("\(error)".hasPrefix(message))
            if message.contains("no column") { #expect("\(error)".hasSuffix("its columns are 'x', 'colour', 'y'")) }
        }
    }

    @Test func splitIsStratifiedDeterministicAndDisjoint() throws {
        let data = try DataSelection(label: "y").apply(to: table())
        let (train, heldOut) = try data.split(holdout: 0.2, seed: 7)
        #expect(heldOut.rowCount == 8)
        #expect(train.rowCount == 32)
        // 30 "no" and 10 "yes" rows: 6 and 2 held out.
        guard case .categorical(let codes, _) = heldOut.label?.values else { Issue.record("label"); return }
        #expect(codes.filter { $0 == 1 }.count == 2)
        let again = try data.split(holdout: 0.2, seed: 7)
        #expect(again.holdout == heldOut)
        let other = try data.split(holdout: 0.2, seed: 8)
        #expect(other.holdout != heldOut)
        guard case .numeric(let trainX) = train.features[0].values,
              case .numeric(let heldX) = heldOut.features[0].values else { Issue.record("x"); return }
        #expect(Set(trainX).isDisjoint(with: heldX))
        #expect(Set(trainX).union(heldX).count == 40)
    }

    @Test func splitThatLeavesTooFewRows() throws {
        let data = try DataSelection(label: "y").apply(to: table())
        #expect(throws: DataError("--holdout 0.01 of 40 rows leaves 40 rows to train on and 0 held out; each needs at least 2")) {
            try data.split(holdout: 0.01, seed: 1)
        }
        #expect(throws: DataError("--holdout must be a fraction strictly between 0 and 1, not 1.0")) {
            try data.split(holdout: 1, seed: 1)
        }
    }

    @Test func imputationLearnsFromOneSetAndFillsAnother() throws {
        let train = try DataSelection().apply(to: CSVReader.read(files.write("t.csv", "a,b\n1,x\n2,y\n10,y\n,\n")))
        let other = try DataSelection().apply(to: CSVReader.read(files.write("o.csv", "a,b\n,\n5,x\n")))
        let median = Imputation(strategy: .median, learningFrom: train)
        #expect(median.fills["a"] == .number(2))
        #expect(median.fills["b"] == .level("y"))
        let filled = median.apply(to: other)
        #expect(filled.features[0].values == .numeric([2, 5]))
        #expect(filled.features[1].text(at: 0) == "y")
        #expect(Imputation(strategy: .mean, learningFrom: train).fills["a"] == .number(13.0 / 3))
        #expect(Imputation(strategy: .zero, learningFrom: train).fills["a"] == .number(0))
    }
}
