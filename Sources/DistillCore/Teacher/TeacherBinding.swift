import Foundation

/// Where each teacher input takes its values from in a data set, checked once before any
/// prediction.
///
/// The rules, in order: inputs given explicitly (`--input NAME=col1,col2,…`) take those
/// columns; an input named like a column takes it, also when the name is the column's
/// after the renaming exporters do (skl2onnx turns `mean radius (µm)` into
/// `mean_radius__µm_`), with a note saying so; then one input left over takes every column
/// left over, in order (a network's one wide `input` tensor, or `x_num[N,30]` beside a
/// `cat` input). Every feature must feed the teacher: a column the teacher never reads is
/// an error too, since a student could learn from it what the teacher cannot know.
public struct TeacherBinding: Sendable {
    struct Slot: Sendable {
        var input: TeacherInput
        /// Feature column indices, one per value of a row.
        var columns: [Int]
    }

    let slots: [Slot]
    public let featureNames: [String]
    /// Notes for the user on how inputs were matched (renamed column names).
    public let notes: [String]

    /// - Parameter assignments: the `--input` options, for inputs the rules cannot bind.
    /// - Throws: `TeacherError.binding` naming the input, the columns on both sides and the
    ///   option, or the column with missing values the teacher cannot take.
    public init(teacher inputs: TeacherInputs, data: Dataset, assignments: [TeacherInputAssignment] = []) throws {
        featureNames = data.featureNames
        switch inputs {
        case .anyColumns:
            if let first = assignments.first {
                throw TeacherError.binding("--input \(first.input)=…: this teacher takes every column by its name, so --input applies only to an ONNX model's inputs")
            }
            slots = data.features.enumerated().map { index, column in
                Slot(input: TeacherInput(name: column.name, elementType: column.isNumeric ? .float : .string,
                                         width: 1, acceptsMissing: true),
                     columns: [index])
            }
            notes = []
        case .tensors(let tensors):
            (slots, notes) = try TeacherBinding.match(tensors, to: data, assignments)
            try TeacherBinding.checkMissing(slots, in: data)
        }
    }

    private static func match(_ tensors: [TeacherInput], to data: Dataset,
                              _ assignments: [TeacherInputAssignment]) throws -> ([Slot], [String]) {
        let names = data.featureNames
        let columnList = DataSelection.list(names)
        var bound = [[Int]?](repeating: nil, count: tensors.count)
        var owner = [String?](repeating: nil, count: names.count)
        var notes: [String] = []

        for a in assignments {
            let option = "--input \(a.input)=\(a.columns.joined(separator: ","))"
            guard let t = tensors.firstIndex(where: { $0.name == a.input }) else {
                throw TeacherError.binding("\(option): the model has no input '\(a.input)'; its inputs are \(DataSelection.list(tensors.map(\.name)))")
            }
            guard bound[t] == nil else {
                throw TeacherError.binding("\(option): input '\(a.input)' is given by --input twice")
            }
            var columns: [Int] = []
            for c in a.columns {
                guard let i = names.firstIndex(of: c) else {
                    throw TeacherError.binding("\(option): there is no feature column '\(c)'; the data's features are \(columnList)")
                }
                if let other = owner[i] {
                    throw TeacherError.binding("\(option): column '\(c)' is already given to input '\(other)'; each column feeds one input")
                }
                owner[i] = a.input
                columns.append(i)
            }
            if let width = tensors[t].width, width != columns.count {
                throw TeacherError.binding("\(option): the model's input '\(a.input)' takes \(width) values per row, the option gives \(columns.count) column(s)")
            }
            bound[t] = columns
        }

        for (t, tensor) in tensors.enumerated() where bound[t] == nil {
            let index: Int
            if let exact = names.firstIndex(of: tensor.name) {
                if let other = owner[exact] {
                    throw TeacherError.binding("the model's input '\(tensor.name)' is named like column '\(tensor.name)', which --input gives to input '\(other)'; each column feeds one input")
                }
                index = exact
            } else {
                let renamed = names.indices.filter {
                    owner[$0] == nil && TeacherInputAssignment.exportedNames(of: names[$0]).contains(tensor.name)
                }
                guard let only = renamed.first else { continue }
                guard renamed.count == 1 else {
                    throw TeacherError.binding("the model's input '\(tensor.name)' matches the columns \(DataSelection.list(renamed.map { names[$0] })) after the renaming exporters do; say which with --input \(tensor.name)=COLUMN")
                }
                index = only
                notes.append("note: the model's input '\(tensor.name)' takes column '\(names[index])', matched after the renaming exporters do (characters other than letters, digits and _ become _)")
            }
            if let width = tensor.width, width != 1 {
                throw TeacherError.binding("the model's input '\(tensor.name)' takes \(width) values per row, but a data column gives one; bind it with --input \(tensor.name)=col1,col2,…")
            }
            owner[index] = tensor.name
            bound[t] = [index]
        }

        let unbound = tensors.indices.filter { bound[$0] == nil }
        if unbound.count > 1 {
            throw TeacherError.binding("the model's inputs \(DataSelection.list(unbound.map { tensors[$0].name })) have no feature column of their name, and only one input can take the columns left over; the data's features are \(columnList); bind them with --input NAME=col1,col2,…")
        }
        if let t = unbound.first {
            let tensor = tensors[t]
            let rest = names.indices.filter { owner[$0] == nil }
            let restList = DataSelection.list(rest.map { names[$0] })
            guard tensor.elementType != .string else {
                throw TeacherError.binding("the model's input '\(tensor.name)' takes text, but no feature column has that name; the data's features are \(columnList); bind it with --input \(tensor.name)=COLUMN")
            }
            let whole = rest.count == names.count
            if let width = tensor.width, width != rest.count {
                let what = whole ? "the data has \(names.count) feature columns (\(columnList))"
                    : "\(rest.count) feature column(s) are left for it (\(restList))"
                throw TeacherError.binding("the model's input '\(tensor.name)' takes \(width) values per row, but \(what); choose them with --features or --drop, or bind it with --input \(tensor.name)=col1,col2,…")
            }
            guard !rest.isEmpty else {
                throw TeacherError.binding("the model's input '\(tensor.name)' has no feature column left to take; the data's features are \(columnList)")
            }
            for i in rest { owner[i] = tensor.name }
            bound[t] = rest
        }

        var slots: [Slot] = []
        for (t, tensor) in tensors.enumerated() {
            let slot = Slot(input: tensor, columns: bound[t] ?? [])
            try checkTypes(slot, data)
            slots.append(slot)
        }
        let unused = names.indices.filter { owner[$0] == nil }.map { names[$0] }
        guard unused.isEmpty else {
            throw TeacherError.binding("the model has no input for the feature column(s) \(DataSelection.list(unused)); its inputs are \(DataSelection.list(tensors.map(\.name))); leave them out with --drop")
        }
        return (slots, notes)
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
            case .float:
                values = .float(numberRows(data, slot.columns, rows))
            case .double:
                values = .double(numberRows(data, slot.columns, rows))
            case .int64:
                let numbers: [Double] = numberRows(data, slot.columns, rows)
                var integers = [Int64](repeating: 0, count: numbers.count)
                for (k, x) in numbers.enumerated() {
                    guard let n = Int64(exactly: x) else {
                        let column = data.features[slot.columns[k % width]]
                        let shown = column.doubles == nil ? "\(Float(x))" : "\(x)"
                        throw TeacherError.binding("the model's input '\(slot.input.name)' takes integers, but column '\(column.name)' has \(shown) at data row \(rows.lowerBound + k / width + 1)")
                    }
                    integers[k] = n
                }
                values = .int64(integers)
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

    /// The columns' values for `rows`, row-major; in double precision, from the numbers as
    /// read when the data kept them (`Column.doubles`).
    private func numberRows<T: BinaryFloatingPoint>(_ data: Dataset, _ columns: [Int], _ rows: Range<Int>) -> [T] {
        let width = columns.count
        var result = [T](repeating: 0, count: rows.count * width)
        func copy<S: BinaryFloatingPoint>(_ values: [S], to offset: Int, _ out: UnsafeMutableBufferPointer<T>) {
            values.withUnsafeBufferPointer { column in
                var target = offset
                for row in rows {
                    out[target] = T(column[row])
                    target += width
                }
            }
        }
        result.withUnsafeMutableBufferPointer { out in
            for (offset, index) in columns.enumerated() {
                let column = data.features[index]
                if T.self == Double.self, let doubles = column.doubles {
                    copy(doubles, to: offset, out)
                } else if case .numeric(let values) = column.values {
                    copy(values, to: offset, out)
                }
            }
        }
        return result
    }
}
