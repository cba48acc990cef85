/// Every feature coded as a small integer per row, the form split finding works on.
///
/// A numeric feature's bins are ranges of its sorted values: with exact binning one bin per
/// distinct value, with histogram binning at most `bins` ranges holding about equal numbers
/// of rows (quantiles of a sample of at most 200,000 rows, as LightGBM does). Each bin
/// remembers the smallest and largest training value it holds, so a threshold can be put
/// half-way between two neighbouring bins. A categorical feature's bins are its levels.
/// Missing values get the code `FeatureBins.missing`.
struct FeatureBins: Sendable {
    static let missing = UInt16.max

    enum Kind: Sendable {
        /// `lowest[b]` and `highest[b]`: the training values at the ends of bin b.
        case numeric(lowest: [Float], highest: [Float])
        case categorical(levels: [String])
    }

    var codes: [[UInt16]]
    var kinds: [Kind]

    var featureCount: Int { kinds.count }

    func binCount(_ feature: Int) -> Int {
        switch kinds[feature] {
        case .numeric(let lowest, _): lowest.count
        case .categorical(let levels): levels.count
        }
    }

    /// - Parameter bins: nil for exact binning.
    init(_ data: Dataset, bins: Int?) {
        let columns = data.features
        let binned = concurrentMap(columns.count) { FeatureBins.bin(columns[$0], bins: bins) }
        codes = binned.map(\.0)
        kinds = binned.map(\.1)
    }

    private static func bin(_ column: Column, bins: Int?) -> ([UInt16], Kind) {
        switch column.values {
        case .categorical(let levelCodes, let levels):
            precondition(levels.count < Int(missing), "more levels than bin codes")
            let codes = levelCodes.map { $0 == Column.missingCode ? missing : UInt16($0) }
            return (codes, .categorical(levels: levels))
        case .numeric(let values):
            let edges = upperEdges(values, bins: bins)
            var codes = [UInt16](repeating: missing, count: values.count)
            var lowest = [Float](repeating: .infinity, count: edges.count + 1)
            var highest = [Float](repeating: -.infinity, count: edges.count + 1)
            // Padded to a power of two with +∞, so every lookup takes the same steps with
            // no branch to mispredict (the plain binary search was half the fit time).
            var span = 1
            while span < edges.count + 1 { span *= 2 }
            let padded = edges + [Float](repeating: .infinity, count: span - edges.count)
            padded.withUnsafeBufferPointer { edges in
                values.withUnsafeBufferPointer { values in
                    codes.withUnsafeMutableBufferPointer { codes in
                        lowest.withUnsafeMutableBufferPointer { lowest in
                            highest.withUnsafeMutableBufferPointer { highest in
                                for row in 0..<values.count {
                                    let value = values[row]
                                    if value.isNaN { continue }
                                    var bin = 0
                                    var step = span / 2
                                    while step > 0 {
                                        // A 0/1 from the comparison (setcc), where `? step : 0`
                                        // compiled to a branch.
                                        let less = Int(unsafeBitCast(edges[bin &+ step &- 1] < value, to: UInt8.self))
                                        bin &+= step & (0 &- less)
                                        step &>>= 1
                                    }
                                    codes[row] = UInt16(bin)
                                    lowest[bin] = min(lowest[bin], value)
                                    highest[bin] = max(highest[bin], value)
                                }
                            }
                        }
                    }
                }
            }
            // Bins no training row fell in (possible when edges come from a sample) are
            // dropped by recoding, so every bin holds at least one value.
            let used = lowest.indices.filter { lowest[$0] <= highest[$0] }
            if used.count < lowest.count {
                var recode = [UInt16](repeating: missing, count: lowest.count)
                for (newBin, oldBin) in used.enumerated() { recode[oldBin] = UInt16(newBin) }
                codes = codes.map { $0 == missing ? missing : recode[Int($0)] }
            }
            return (codes, .numeric(lowest: used.map { lowest[$0] }, highest: used.map { highest[$0] }))
        }
    }

    /// Upper edges of the bins: a value v goes to the first bin b with v ≤ edges[b], or to
    /// the last bin (index edges.count).
    private static func upperEdges(_ values: [Float], bins: Int?) -> [Float] {
        let sampleLimit = 200_000
        var sample: [Float]
        if bins != nil, values.count > sampleLimit {
            // An evenly spaced sample: deterministic, and as good as random for quantiles of
            // rows in no particular order.
            let step = Double(values.count) / Double(sampleLimit)
            sample = (0..<sampleLimit).map { values[Int(Double($0) * step)] }.filter { !$0.isNaN }
        } else {
            sample = values.filter { !$0.isNaN }
        }
        radixSort(&sample)
        var distinct: [Float] = []
        var counts: [Int] = []
        for value in sample {
            if value == distinct.last {
                counts[counts.count - 1] += 1
            } else {
                distinct.append(value)
                counts.append(1)
            }
        }
        let limit = min(bins ?? Int(missing) - 1, Int(missing) - 1)
        guard distinct.count > limit else {
            return zip(distinct, distinct.dropFirst()).map { midpoint($0, $1) }
        }
        // Cut after the value where the running count passes the next quantile.
        var edges: [Float] = []
        let perBin = Double(sample.count) / Double(limit)
        var running = 0
        for index in 0..<(distinct.count - 1) {
            running += counts[index]
            if Double(running) >= perBin * Double(edges.count + 1) {
                edges.append(midpoint(distinct[index], distinct[index + 1]))
                if edges.count == limit - 1 { break }
            }
        }
        return edges
    }

    /// A Float32 at least `low` and below `high`, half-way where Float32 allows, so that
    /// `x ≤ midpoint` separates the two values.
    static func midpoint(_ low: Float, _ high: Float) -> Float {
        let middle = Float((Double(low) + Double(high)) / 2)
        return middle < high ? middle : low
    }

    /// Sorts floats (no NaN) by their bit patterns, 8 bits at a time: linear time, which the
    /// comparison sort it replaced was not, on 200,000 values per feature.
    static func radixSort(_ values: inout [Float]) {
        // Flip so that unsigned order is numeric order: all bits of negatives, the sign of
        // the rest. −0 sorts before +0, which compare equal anyway.
        var keys = values.map { value -> UInt32 in
            let bits = value.bitPattern
            return bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
        }
        var scratch = [UInt32](repeating: 0, count: keys.count)
        for shift in stride(from: 0, to: 32, by: 8) {
            var counts = [Int](repeating: 0, count: 257)
            for key in keys { counts[Int((key >> UInt32(shift)) & 0xFF) + 1] += 1 }
            for digit in 0..<256 { counts[digit + 1] += counts[digit] }
            for key in keys {
                let digit = Int((key >> UInt32(shift)) & 0xFF)
                scratch[counts[digit]] = key
                counts[digit] += 1
            }
            swap(&keys, &scratch)
        }
        values = keys.map { key in
            Float(bitPattern: key & 0x8000_0000 != 0 ? key & 0x7FFF_FFFF : ~key)
        }
    }
}
