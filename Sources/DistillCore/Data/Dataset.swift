/// A table of named feature columns with an optional ground-truth label column.
///
/// Storage is column-major: tree building scans one feature at a time, and teachers get
/// row-major batches built on demand (`TeacherBatch`).
public struct Dataset: Sendable, Equatable {
    public var features: [Column]
    public var label: Column?
    public let rowCount: Int

    /// - Precondition: every column has `rowCount` values (a programmer error otherwise).
    public init(features: [Column], label: Column? = nil, rowCount: Int) {
        precondition(features.allSatisfy { $0.count == rowCount }, "feature columns differ in length")
        precondition(label.map { $0.count == rowCount } ?? true, "label column differs in length")
        self.features = features
        self.label = label
        self.rowCount = rowCount
    }

    public var featureNames: [String] { features.map(\.name) }

    /// Each categorical feature's levels, nil for a numeric one: what a student records.
    public var featureLevels: [[String]?] { features.map { $0.isNumeric ? nil : $0.levels } }

    public func feature(named name: String) -> Column? {
        features.first { $0.name == name }
    }

    /// This data set's rows followed by another's, which has the same features (and levels).
    /// The other's rows have a missing label when it has no label column.
    public func appending(_ other: Dataset) -> Dataset {
        var features = features
        for index in features.indices { features[index].append(other.features[index]) }
        var label = label
        if let current = label { label?.append(other.label ?? current.missing(count: other.rowCount)) }
        return Dataset(features: features, label: label, rowCount: rowCount + other.rowCount)
    }

    /// The same rows without numbers kept at double precision (`Column.doubles`): what
    /// learners keep once the teacher has answered.
    public var withoutDoubles: Dataset {
        var copy = self
        for index in copy.features.indices { copy.features[index].doubles = nil }
        return copy
    }

    /// The same columns restricted to the given rows, in that order.
    public func rows(_ indices: [Int]) -> Dataset {
        Dataset(features: features.map { $0.gathering(indices) },
                label: label?.gathering(indices),
                rowCount: indices.count)
    }
}
