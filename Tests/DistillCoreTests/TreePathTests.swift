import Foundation
import Testing

import DistillCore

@Suite("Rows and paths through a tree, and rows given as name=value pairs")
struct TreePathTests {
    /// x ≤ 4.5 (missing → no), then colour ∈ {red} (missing → yes, other levels → no).
    func tree() throws -> DecisionTree {
        let path = try #require(Bundle.module.path(forResource: "Fixtures/students/small-tree", ofType: "json"))
        return try DecisionTree(file: StudentFile.read(path), path: path)
    }

    /// Rows 0–3 go left at the root; rows 4–7 (x > 4.5 or missing) meet the colour split,
    /// where red and missing go yes, blue and the unseen green go no.
    func data() -> Dataset {
        let x: [Float] = [1, 2, 3, 4, 5, 6, 7, .nan]
        let colour: [Int32] = [0, 1, 2, 0, 2, 0, 1, Column.missingCode]
        return Dataset(features: [Column(name: "x", values: .numeric(x)),
                                  Column(name: "colour", values: .categorical(codes: colour, levels: ["blue", "green", "red"]))],
                       rowCount: 8)
    }

    @Test func nodeRowsFollowEverySplit() throws {
        let rows = try tree().nodeRows(for: data())
        #expect(rows == [Array(0..<8), [0, 1, 2, 3], [4, 5, 6, 7], [4, 7], [5, 6]])
    }

    @Test func pathEndsInTheLeafPredictionReaches() throws {
        let tree = try tree()
        let data = data()
        let leaves = try tree.leaves(for: data)
        for row in 0..<data.rowCount {
            let path = try tree.path(of: row, in: data)
            #expect(path.first == 0 && path.last == leaves[row])
        }
        #expect(try tree.path(of: 6, in: data) == [0, 2, 4])
        #expect(try tree.path(of: 7, in: data) == [0, 2, 3])
        #expect(tree.splitFeatures == [0, 1])
    }

    @Test func valueListReadsQuotesAndMissingValues() throws {
        let list = try ValueList(parsing: #" x = 1.5 , colour="red, dark ""wine""",y=,z=NA"#)
        #expect(list.entries.map(\.name) == ["x", "colour", "y", "z"])
        #expect(list.entries.map(\.text) == ["1.5", #"red, dark "wine""#, nil, nil])
    }

    @Test(arguments: [
        ("x=1,=2", "--values: '=2' has no name before '='"),
        ("x=1,x=2", "--values: 'x' is given twice"),
        ("x=1,,y=2", "--values: pair 2 is empty"),
        (#"x="1"#, "--values: a double quote is not closed"),
        ("x", "--values: 'x' is not name=value"),
    ])
    func valueListRefusesMalformedText(text: String, message: String) {
        #expect { try ValueList(parsing: text) } throws: { "\($0)".contains(message) }
    }

    @Test func rowFromValuesTakesNumbersAsLevelsOfTextFeatures() throws {
        let row = try tree().row(from: ValueList(parsing: "x=7,colour=3"))
        #expect(row.rowCount == 1)
        #expect(row.feature(named: "colour")?.values == .categorical(codes: [0], levels: ["3"]))
        #expect(row.feature(named: "x")?.values == .numeric([7]))
        // A level the split never saw goes where its unseen levels go.
        #expect(try tree().path(of: 0, in: row) == [0, 2, 4])
    }

    @Test func rowFromValuesNamesTheCulprit() throws {
        let tree = try tree()
        #expect { try tree.row(from: ValueList(parsing: "x=1")) } throws: {
            "\($0)".contains("no value for 'colour', which the student tests")
        }
        #expect { try tree.row(from: ValueList(parsing: "x=1,colour=red,size=3")) } throws: {
            "\($0)".contains("the student has no feature 'size'; its features are 'x', 'colour'")
        }
        #expect { try tree.row(from: ValueList(parsing: "x=big,colour=red")) } throws: {
            "\($0)".contains("'x' is a numeric feature, but 'big' is not a number")
        }
    }
}
