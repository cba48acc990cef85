/// A data set with the teacher's answers beside each row, as `distill label` writes it.
public struct LabeledTable {
    public let data: Dataset
    public let outputs: TeacherOutputs

    public init(data: Dataset, outputs: TeacherOutputs) {
        precondition(data.rowCount == outputs.rowCount)
        self.data = data
        self.outputs = outputs
    }

    /// The names of the added columns.
    public var outputColumns: [String] {
        switch outputs.task {
        case .classification(let classes): classes.map { "teacher_p_\($0)" } + ["teacher_class"]
        case .regression: ["teacher_value"]
        }
    }

    public func csv() -> String {
        let columns = data.features + (data.label.map { [$0] } ?? [])
        var writer = CSVWriter(header: columns.map(\.name) + outputColumns)
        for row in 0..<data.rowCount {
            writer.appendRow(columns.map { $0.text(at: row) } + outputFields(row))
        }
        return writer.contents
    }

    /// The teacher's answer for one row as the added columns' text.
    func outputFields(_ row: Int) -> [String] {
        switch outputs.task {
        case .classification(let classes):
            outputs.row(row).map { "\($0)" } + [classes[outputs.predictedClass(row)]]
        case .regression:
            outputs.row(row).map { "\($0)" }
        }
    }
}
