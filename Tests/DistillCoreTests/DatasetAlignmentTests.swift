import Testing

@testable import DistillCore

@Suite("Rows of another file bound to the training columns by name")
struct DatasetAlignmentTests {
    func dataset(_ columns: [(String, [Float]?)], rows: Int = 2) -> Dataset {
        Dataset(features: columns.map { name, numbers in
            numbers.map { Column(name: name, values: .numeric($0)) }
                ?? Column(name: name, values: .categorical(codes: [0, 1], levels: ["p", "q"]))
        }, rowCount: rows)
    }

    @Test func columnsFollowTheReferenceOrder() throws {
        let train = dataset([("a", [1, 2]), ("b", [3, 4]), ("c", nil)])
        let eval = dataset([("c", nil), ("a", [5, 6]), ("b", [7, 8])])
        let aligned = try eval.aligned(to: train, source: "eval.csv", referenceSource: "--data train.csv")
        #expect(aligned.featureNames == ["a", "b", "c"])
        #expect(aligned.features[0] == eval.features[1] && aligned.features[2] == eval.features[0])
    }

    @Test func aMissingColumnNamesBothFiles() {
        let train = dataset([("a", [1, 2]), ("b", [3, 4])])
        let eval = dataset([("a", [5, 6])])
        #expect(throws: DataError("eval.csv: has no column 'b', which --data train.csv has; its feature columns are 'a'")) {
            try eval.aligned(to: train, source: "eval.csv", referenceSource: "--data train.csv")
        }
    }

    @Test func anExtraColumnIsRefusedOnlyWhenExact() throws {
        let train = dataset([("a", [1, 2])])
        let eval = dataset([("z", [0, 0]), ("a", [5, 6])])
        #expect(throws: DataError("eval.csv: has the column(s) 'z', which --data train.csv has not; both must have the same columns (leave them out with --drop)")) {
            try eval.aligned(to: train, source: "eval.csv", referenceSource: "--data train.csv")
        }
        let kept = try eval.aligned(to: ["a"], numeric: [true], exact: false, source: "rows.csv", reference: "the student s.json")
        #expect(kept.featureNames == ["a"])
    }

    @Test func aColumnOfTheOtherKindIsRefusedUnlessItIsEmpty() throws {
        let train = dataset([("a", [1, 2]), ("c", nil)])
        #expect(throws: DataError("eval.csv: column 'a' holds text, but in --data train.csv it holds numbers")) {
            try dataset([("a", nil), ("c", nil)]).aligned(to: train, source: "eval.csv", referenceSource: "--data train.csv")
        }
        // A column with no value at all reads as numbers; it is taken as an empty text column.
        let empty = try dataset([("a", [1, 2]), ("c", [.nan, .nan])])
            .aligned(to: train, source: "eval.csv", referenceSource: "--data train.csv")
        #expect(!empty.features[1].isNumeric && empty.features[1].missingCount == 2)
    }
}
