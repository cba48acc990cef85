import Foundation

/// Where each teacher input takes its values from in a data set, checked once before any
/// prediction.
///
/// Inputs are matched to feature columns by name. A teacher with a single wide numeric
/// input whose name is not a column (a network exported with one `input` tensor) takes all
/// the features in order instead. Every feature must feed the teacher: a column the teacher
/// never reads is an error too, since a student could learn from it what the teacher
/// cannot know.
public struct TeacherBinding: Sendable {
    struct Slot: Sendable {
        var input: TeacherInput
        /// Feature column indices, one per value of a row.
        var columns: [Int]
    }

    let slots: [Slot]
    public let featureNames: [String]

    /// - Throws: `TeacherError.binding` naming the input and the columns on both sides, or
    ///   the column with missing values the teacher cannot take.
    public init(teacher inputs: TeacherInputs, data: Dataset) throws {
        featureNames = data.featureNames
        switch inputs {
        case .anyColumns:
            slots = data.features.enumerated().map { index, column in
                Slot(input: TeacherInput(name: column.name, elementType: column.isNumeric ? .float : .string,
                                         width: 1, acceptsMissing: true),
                     columns: [index])
            }
        case .tensors(let tensors):
            slots = try TeacherBinding.match(tensors, to: data)
            try TeacherBinding.checkMissing(slots, in: data)
        }
    }

    private static func match(_ tensors: [TeacherInput], to data: Dataset) throws -> [Slot] {
        let names = data.featureNames
        let columnList = DataSelection.list(names)
        if tensors.count == 1, let only = tensors.first, !names.contains(only.name) || names.count == 1 {
            guard only.elementType != .string else {
                throw TeacherError.binding("the model's input '\(only.name)' takes text, but no feature column has that name; the data's features are \(columnList)")
            }
            if let width = only.width, width != names.count {
                throw TeacherError.binding("the model's input '\(only.name)' takes \(width) values per row, but the data has \(names.count) feature columns (\(columnList)); choose them with --features or --drop")
            }
            let slot = Slot(input: only, columns: Array(names.indices))
            try checkTypes(slot, data)
            return [slot]
        }
        var slots: [Slot] = []
        for tensor in tensors {
            guard let index = names.firstIndex(of: tensor.name) else {
                throw TeacherError.binding("the model's input '\(tensor.name)' has no feature column of that name; the data's features are \(columnList)")
            }
            if let width = tensor.width, width != 1 {
                throw TeacherError.binding("the model's input '\(tensor.name)' takes \(width) values per row, but a data column gives one")
            }
            let slot = Slot(input: tensor, columns: [index])
            try checkTypes(slot, data)
            slots.append(slot)
        }
        let used = Set(slots.flatMap(\.columns))
        let unused = names.indices.filter { !used.contains($0) }.map { names[$0] }
        guard unused.isEmpty else {
            throw TeacherError.binding("the model has no input for the feature column(s) \(DataSelection.list(unused)); its inputs are \(DataSelection.list(tensors.map(\.name))); leave them out with --drop")
        }
        return slots
    }

    private static func checkTypes(_ slot: Slot, _ data: Dataset) throws {
        for index in slot.columns {
            let column = data.features[index]
            switch (slot.input.elementType, column.isNumeric) {
            case (.string, true):
                throw TeacherError.binding("the model's input '\(slot.input.name)' takes text, but column '\(column.name)' is numeric")
            case (.float, false), (.double, false), (.int64, false):
                // The first value that is not a number is what turned the column into text.
                let first = (0..<column.count).first { row in
                    !column.isMissing(row) && !(Double(column.text(at: row).trimmingCharacters(in: .whitespaces))?.isFinite ?? false)
                }.map { " (first at data row \($0 + 1): \"\(DataError.cutShort(column.text(at: $0)))\")" } ?? ""
                throw TeacherError.binding("the model's input '\(slot.input.name)' takes numbers, but column '\(column.name)' holds text\(first); its levels are \(DataSelection.list(column.levels))")
            default:
                continue
            }
        }
    }

    private static func checkMissing(_ slots: [Slot], in data: Dataset) throws {
        for slot in slots where !slot.input.acceptsMissing {
            for index in slot.columns {
                let missing = data.features[index].missingCount
                if missing > 0 {
                    throw TeacherError.binding("column '\(data.features[index].name)' has \(missing) missing value(s) in \(missing == data.rowCount ? "every" : "\(missing) of \(data.rowCount)") rows, and the model's input '\(slot.input.name)' cannot take missing values; fill them with --impute median|mean|zero")
                }
            }
        }
    }

    /// The rows laid out as the teacher's inputs.
    /// - Throws: `TeacherError.binding` when an integer input gets a fractional value.
    public func batch(_ data: Dataset, rows: Range<Int>) throws -> TeacherBatch {
        precondition(data.featureNames == featureNames, "a binding is used with the data set it was made for")
        var inputs: [(name: String, width: Int, values: TensorValues)] = []
        for slot in slots {
            let width = slot.columns.count
            let values: TensorValues
            switch slot.input.elementType {
            case .float, .double:
                values = .float(floatRows(data, slot.columns, rows))
            case .int64:
                let floats = floatRows(data, slot.columns, rows)
                if let bad = floats.firstIndex(where: { $0 != $0.rounded() }) {
                    let row = rows.lowerBound + bad / width
                    throw TeacherError.binding("the model's input '\(slot.input.name)' takes whole numbers, but row \(row + 1) has \(floats[bad])")
                }
                values = .int64(floats.map { Int64($0) })
            case .string:
                var strings: [String] = []
                strings.reserveCapacity(rows.count * width)
                for row in rows {
                    for index in slot.columns { strings.append(data.features[index].text(at: row)) }
                }
                values = .string(strings)
            }
            inputs.append((slot.input.name, width, values))
        }
        return TeacherBatch(rowCount: rows.count, inputs: inputs)
    }

    private func floatRows(_ data: Dataset, _ columns: [Int], _ rows: Range<Int>) -> [Float] {
        let width = columns.count
        var result = [Float](repeating: 0, count: rows.count * width)
        result.withUnsafeMutableBufferPointer { out in
            for (offset, index) in columns.enumerated() {
                guard case .numeric(let values) = data.features[index].values else { continue }
                values.withUnsafeBufferPointer { column in
                    var target = offset
                    for row in rows {
                        out[target] = column[row]
                        target += width
                    }
                }
            }
        }
        return result
    }
}
