import Testing

@testable import DistillCore

@Suite("Binning features for split finding")
struct FeatureBinsTests {
    @Test func radixSortOrdersEveryKindOfFloat() {
        var generator = SeededGenerator(seed: 3)
        var values: [Float] = (0..<5000).map { _ in Float(generator.unitInterval() * 2000 - 1000) }
        values += [0, -0.0, .infinity, -.infinity, .leastNonzeroMagnitude, -.greatestFiniteMagnitude, 1, -1]
        var sorted = values
        FeatureBins.radixSort(&sorted)
        #expect(sorted == values.sorted())
    }

    @Test func exactBinsAreTheDistinctValues() {
        let data = Dataset(features: [Column(name: "x", values: .numeric([3, 1, .nan, 3, 2]))], rowCount: 5)
        let bins = FeatureBins(data, bins: nil)
        #expect(bins.codes[0] == [2, 0, FeatureBins.missing, 2, 1])
        guard case .numeric(let lowest, let highest) = bins.kinds[0] else { Issue.record("numeric"); return }
        #expect(lowest == [1, 2, 3] && highest == [1, 2, 3])
    }

    @Test func quantileBinsHoldAboutEqualRowsAndRespectTheirRanges() {
        let x: [Float] = (0..<1000).map { Float(($0 * 7919) % 1000) }
        let bins = FeatureBins(Dataset(features: [Column(name: "x", values: .numeric(x))], rowCount: 1000), bins: 4)
        #expect(bins.binCount(0) == 4)
        var counts = [Int](repeating: 0, count: 4)
        for code in bins.codes[0] { counts[Int(code)] += 1 }
        #expect(counts.allSatisfy { abs($0 - 250) <= 1 }, "\(counts)")
        guard case .numeric(let lowest, let highest) = bins.kinds[0] else { Issue.record("numeric"); return }
        for (row, code) in bins.codes[0].enumerated() {
            #expect(lowest[Int(code)] <= x[row] && x[row] <= highest[Int(code)])
        }
        #expect(zip(highest, lowest.dropFirst()).allSatisfy { $0 < $1 })
    }
}
