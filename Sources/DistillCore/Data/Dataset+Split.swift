extension Dataset {
    /// Splits the rows into a training part and a held-out part.
    ///
    /// With a categorical label, or a numeric one with at most 50 distinct values, each
    /// label value is split in the same proportion (stratified), so both parts see every
    /// class; otherwise the rows are shuffled and cut. Each part keeps the original row order.
    /// - Parameters:
    ///   - fraction: the share of rows held out, strictly between 0 and 1.
    ///   - seed: the same seed gives the same split.
    /// - Throws: `DataError` when the fraction is out of range or either part would hold
    ///   fewer than 2 rows.
    public func split(holdout fraction: Double, seed: UInt64) throws -> (train: Dataset, holdout: Dataset) {
        let (trainRows, holdoutRows) = try splitRows(holdout: fraction, seed: seed)
        return (rows(trainRows), rows(holdoutRows))
    }

    /// The row indices of `split(holdout:seed:)`, each part in ascending order.
    public func splitRows(holdout fraction: Double, seed: UInt64) throws -> (train: [Int], holdout: [Int]) {
        guard fraction > 0, fraction < 1 else {
            throw DataError("--holdout must be a fraction strictly between 0 and 1, not \(fraction)")
        }
        var generator = SeededGenerator(seed: seed)
        var heldOut: [Int] = []
        for var group in strata() {
            generator.shuffle(&group)
            let take = Int((Double(group.count) * fraction).rounded())
            heldOut += group.prefix(take)
        }
        let heldOutSet = Set(heldOut)
        let trainRows = (0..<rowCount).filter { !heldOutSet.contains($0) }
        let holdoutRows = heldOut.sorted()
        guard trainRows.count >= 2, holdoutRows.count >= 2 else {
            throw DataError("--holdout \(fraction) of \(rowCount) rows leaves \(trainRows.count) rows to train on and \(holdoutRows.count) held out; each needs at least 2")
        }
        return (trainRows, holdoutRows)
    }

    /// Row indices grouped by label value (one group when there is nothing to stratify by).
    private func strata() -> [[Int]] {
        guard let label else { return [Array(0..<rowCount)] }
        var groups: [String: [Int]] = [:]
        switch label.values {
        case .categorical(let codes, _):
            for (row, code) in codes.enumerated() { groups[String(code), default: []].append(row) }
        case .numeric(let values):
            for (row, value) in values.enumerated() {
                groups[value.isNaN ? "missing" : String(value), default: []].append(row)
                if groups.count > 50 { return [Array(0..<rowCount)] }
            }
        }
        return groups.keys.sorted().compactMap { groups[$0] }
    }
}
