import Foundation
import Testing

@testable import DistillCore

@Suite("Run records, file digests, feature summaries and importance")
struct RunRecordTests {
    let scratch = TemporaryDirectory()

    @Test func sha256MatchesTheStandardVectorAndSha256sum() throws {
        let abc = scratch.write("abc.txt", "abc")
        // FIPS 180-2, appendix B.1.
        #expect(try FileDigest.sha256(of: abc) == ("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", 3))

        // Larger than one read block, checked against coreutils.
        var generator = SeededGenerator(seed: 7)
        let bytes = (0..<(9 << 20)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let big = scratch.write("big.bin", bytes: bytes)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [big]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let digest = try FileDigest.sha256(of: big)
        #expect(digest.bytes == bytes.count)
        #expect(output.hasPrefix(digest.hex + " "))
    }

    @Test func unreadableFileIsNamed() {
        #expect(throws: DataError("/nonexistent/teacher.onnx: cannot read the file to record its SHA-256")) {
            try FileDigest.sha256(of: "/nonexistent/teacher.onnx")
        }
    }

    @Test func numericAndTextSummaries() {
        let numbers = FeatureSummary(column: Column(name: "x", values: .numeric([0.1, .nan, 3, -2, .nan])))
        #expect(numbers.kind == "numeric" && numbers.rows == 5 && numbers.missing == 2)
        #expect(numbers.minimum == -2 && numbers.maximum == 3)
        #expect(abs((numbers.mean ?? 0) - (Double(Float(0.1)) + 1) / 3) < 1e-12)
        let levels = (0..<10).map { "l\($0)" }
        // l3 ×3, l1 ×2, l0 ×2 (tie: earlier level first), l9 unused, one missing.
        let codes: [Int32] = [3, 3, 3, 1, 1, 0, 0, 2, 4, 5, 6, 7, 8, -1]
        let text = FeatureSummary(column: Column(name: "t", values: .categorical(codes: codes, levels: levels)))
        #expect(text.kind == "text" && text.missing == 1 && text.levels == 9)
        #expect(text.topLevels?.map(\.level) == ["l3", "l0", "l1", "l2", "l4", "l5", "l6", "l7"])
        #expect(text.topLevels?.first?.rows == 3)
        let empty = FeatureSummary(column: Column(name: "e", values: .numeric([.nan])))
        #expect(empty.minimum == nil && empty.mean == nil)
    }

    /// A root split on f0 (10 rows, impurity 0.5) with a pure left leaf (5 rows) and a
    /// right split on f1 (5 rows, impurity 0.48) into two pure leaves: the decreases are
    /// 10 × 0.5 − 5 × 0.48 = 2.6 and 5 × 0.48 = 2.4, so the shares are 0.52 and 0.48.
    @Test func importanceIsTheShareOfImpurityDecrease() {
        var tree = DecisionTree(featureNames: ["f0", "f1", "f2"], featureLevels: [nil, nil, nil],
                                task: .classification(classes: ["a", "b"]))
        let root = tree.addNode(value: [0.5, 0.5], realRows: 10, syntheticRows: 0, impurity: 0.5)
        let left = tree.addNode(value: [1, 0], realRows: 5, syntheticRows: 0, impurity: 0)
        let right = tree.addNode(value: [0, 1], realRows: 3, syntheticRows: 2, impurity: 0.48)
        let rightLeft = tree.addNode(value: [0.6, 0.4], realRows: 2, syntheticRows: 1, impurity: 0)
        let rightRight = tree.addNode(value: [0, 1], realRows: 1, syntheticRows: 1, impurity: 0)
        tree.feature[root] = 0
        tree.left[root] = left
        tree.right[root] = right
        tree.feature[right] = 1
        tree.left[right] = rightLeft
        tree.right[right] = rightRight
        let importance = tree.featureImportance()
        #expect(importance.count == 3)
        #expect(abs(importance[0] - 0.52) < 1e-12 && abs(importance[1] - 0.48) < 1e-12 && importance[2] == 0)

        // A child holding more impurity than its parent (synthetic rows added after the
        // split) counts as no decrease, not a negative one.
        tree.impurity[rightLeft] = 0.9
        tree.impurity[rightRight] = 0.9
        #expect(tree.featureImportance() == [1, 0, 0])
        let lone = DecisionTree(featureNames: ["f0"], featureLevels: [nil], task: .regression)
        #expect(lone.featureImportance() == [0])
    }

    @Test func runRecordReadsBackAndRefusesNewerVersions() throws {
        let data = scratch.write("d.csv", "x\n1\n")
        let train = Dataset(features: [Column(name: "x", values: .numeric([1, 2]))], rowCount: 2)
        let record = RunRecord(command: ["distill", "tree", "--data", data], seed: 3,
                               teacher: .init(kind: "program", description: "program 'p'", task: .classification(classes: ["a", "b"])),
                               inputs: [try RunRecord.InputFile(role: "data", path: data)],
                               train: train, evalRows: 1, evalSource: "held-out rows")
        let file = scratch.write("run.json", bytes: Array(try record.encoded()))
        #expect(try RunRecord.read(file) == record)
        #expect(record.inputs[0].bytes == 4 && record.teacher.classes == ["a", "b"])

        let newer = scratch.write("newer.json", #"{"format": "distill.run/v2"}"#)
        #expect(throws: DataError("\(newer): written as distill.run/v2 by a newer Distill; this one reads up to distill.run/v1")) {
            try RunRecord.read(newer)
        }
    }
}
