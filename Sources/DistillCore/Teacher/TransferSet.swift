/// The rows a student learns and is judged on, with the teacher's answers: saved once so an
/// expensive teacher is asked once (`--save-transfer`), and read back instead of asking it
/// (`--transfer`).
///
/// On disk it is a CSV: the feature columns, the label column when there is one, the
/// teacher's answers as `distill label` writes them, and `transfer_role`, which is `train`,
/// `eval` or `synthetic` (rows made up while growing; their label is empty).
public struct TransferSet: Sendable {
    public var train: Dataset
    public var trainOutputs: TeacherOutputs
    public var eval: Dataset
    public var evalOutputs: TeacherOutputs
    /// Synthetic rows with the teacher's answers for them, when there are any.
    public var synthetic: (rows: Dataset, outputs: TeacherOutputs)?

    public static let roleColumn = "transfer_role"

    public init(train: Dataset, trainOutputs: TeacherOutputs, eval: Dataset, evalOutputs: TeacherOutputs,
                synthetic: (rows: Dataset, outputs: TeacherOutputs)? = nil) {
        self.train = train
        self.trainOutputs = trainOutputs
        self.eval = eval
        self.evalOutputs = evalOutputs
        self.synthetic = synthetic
    }

    public func csv() -> String {
        let labelName = train.label?.name
        var writer = CSVWriter(header: train.featureNames + (labelName.map { [$0] } ?? [])
                               + AnswerColumns.names(for: trainOutputs.task, prefix: "teacher")
                               + [TransferSet.roleColumn])
        var parts = [("train", train, trainOutputs), ("eval", eval, evalOutputs)]
        if let synthetic { parts.append(("synthetic", synthetic.rows, synthetic.outputs)) }
        for (role, data, outputs) in parts {
            let columns = train.featureNames.map { name in data.feature(named: name) }
            for row in 0..<data.rowCount {
                var fields = columns.map { $0?.text(at: row) ?? "" }
                if labelName != nil { fields.append(data.label?.text(at: row) ?? "") }
                writer.appendRow(fields + AnswerColumns.fields(outputs, row: row) + [role])
            }
        }
        return writer.contents
    }

    /// Reads a transfer set written by `csv()`.
    /// - Parameter selection: which columns are features and which is the label, as for
    ///   any data file; the teacher's columns and the role column are never features.
    /// - Throws: `DataError` naming the file when the teacher's columns or roles are
    ///   missing or malformed.
    public static func read(_ path: String, selection: DataSelection, delimiter: Character = ",") throws -> TransferSet {
        let table = try CSVReader.read(path, delimiter: delimiter)
        guard let roles = table.columns.first(where: { $0.name == roleColumn }) else {
            throw DataError("\(path): not a transfer set: no '\(roleColumn)' column (write one with --save-transfer)")
        }
        let names = table.columns.map(\.name)
        let task: TeacherTask
        let answerNames: [String]
        if names.contains("teacher_value") {
            task = .regression
            answerNames = ["teacher_value"]
        } else {
            let probabilityNames = names.filter { $0.hasPrefix("teacher_p_") }
            guard probabilityNames.count >= 2 else {
                throw DataError("\(path): not a transfer set: no teacher_value column nor two or more teacher_p_<class> columns")
            }
            task = .classification(classes: probabilityNames.map { String($0.dropFirst("teacher_p_".count)) })
            answerNames = probabilityNames
        }
        let answerColumns = try answerNames.map { name -> [Float] in
            guard case .numeric(let values)? = table.columns.first(where: { $0.name == name })?.values else {
                throw DataError("\(path): the teacher's column '\(name)' must hold numbers")
            }
            if let bad = values.firstIndex(where: { !$0.isFinite }) {
                throw DataError("\(path):\(bad + 2): the teacher's column '\(name)' is empty or not finite")
            }
            return values
        }
        var selection = selection
        selection.drop += answerNames + [roleColumn] + (names.contains("teacher_class") ? ["teacher_class"] : [])
        let all = try selection.apply(to: table)
        var rowsByRole: [String: [Int]] = [:]
        for row in 0..<table.rowCount {
            let role = roles.text(at: row)
            guard ["train", "eval", "synthetic"].contains(role) else {
                throw DataError("\(path):\(row + 2): '\(roleColumn)' must be train, eval or synthetic, not '\(role)'")
            }
            rowsByRole[role, default: []].append(row)
        }
        func part(_ role: String) -> (Dataset, TeacherOutputs) {
            let rows = rowsByRole[role] ?? []
            let values = rows.flatMap { row in answerColumns.map { $0[row] } }
            return (all.rows(rows), TeacherOutputs(task: task, values: values))
        }
        let (train, trainOutputs) = part("train")
        let (eval, evalOutputs) = part("eval")
        guard train.rowCount >= 2, eval.rowCount >= 2 else {
            throw DataError("\(path): a transfer set needs at least 2 train and 2 eval rows; it has \(train.rowCount) and \(eval.rowCount)")
        }
        let synthetic = rowsByRole["synthetic"] == nil ? nil : part("synthetic")
        return TransferSet(train: train, trainOutputs: trainOutputs, eval: eval, evalOutputs: evalOutputs,
                           synthetic: synthetic.map { (rows: $0.0, outputs: $0.1) })
    }
}
