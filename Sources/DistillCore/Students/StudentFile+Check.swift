/// What every kind of student file must hold for the commands that apply it: a task with
/// distinct classes, features named once with a known kind, answers of the task's width
/// (probabilities that are probabilities), and row counts that are counts.
///
/// A student file can be edited or forged; these checks run when it is read, so that every
/// command after (`predict`, `fidelity`, `export`, `explain`, `report`) may take them for
/// granted instead of crashing, hanging or quietly answering something else.
extension StudentFile {
    /// Row counts above this are refused: JSON carries whole numbers exactly up to 2^53, and
    /// sums of such counts over a tree's nodes stay far inside `Int`.
    static let maximumRows = 1 << 53

    /// How far a node's or rule's class probabilities may stray from [0, 1] and their sum
    /// from 1: they are Float32 means of the teacher's probabilities, which `TeacherQuery`
    /// accepts within its tolerances, so any student Distill writes reads back.
    static let probabilityTolerance = TeacherQuery.probabilityTolerance + 1e-5
    static let sumTolerance = TeacherQuery.sumTolerance + 1e-4

    /// The task the file declares.
    /// - Throws: `DataError` naming the file when it is neither a classification with two
    ///   or more distinct classes nor a regression.
    func declaredTask(path: String) throws -> TeacherTask {
        switch (task, classes) {
        case ("classification", let classes?) where classes.count >= 2:
            if let repeated = StudentFile.firstRepeated(classes) {
                throw DataError("\(path): the class '\(repeated)' is listed twice in \"classes\"; class names must be distinct")
            }
            return .classification(classes: classes)
        case ("regression", nil): return .regression
        default: throw DataError("\(path): \"task\" must be \"classification\" with 2 or more \"classes\", or \"regression\" without")
        }
    }

    /// Each feature's index by name, after checking that names are distinct and not empty,
    /// that each kind is "numeric" or "categorical", and that a categorical feature lists its
    /// levels once each and a numeric one lists none.
    /// - Throws: `DataError` naming the file and the feature.
    func featureIndex(path: String) throws -> [String: Int] {
        var index: [String: Int] = [:]
        for (number, feature) in features.enumerated() {
            let at = "\(path): feature \(number) ('\(feature.name)')"
            guard !feature.name.isEmpty else { throw DataError("\(path): feature \(number) has an empty name") }
            if let earlier = index[feature.name] {
                throw DataError("\(at) has the name of feature \(earlier); feature names must be distinct")
            }
            index[feature.name] = number
            switch (feature.kind, feature.levels) {
            case ("numeric", nil): break
            case ("numeric", _?): throw DataError("\(at) is numeric but lists \"levels\"")
            case ("categorical", let levels?):
                if let repeated = StudentFile.firstRepeated(levels) {
                    throw DataError("\(at) lists the level '\(repeated)' twice")
                }
            case ("categorical", nil): throw DataError("\(at) is categorical but lists no \"levels\"")
            default: throw DataError("\(at) has the kind '\(feature.kind)'; it must be \"numeric\" or \"categorical\"")
            }
        }
        return index
    }

    /// Checks the answer of a node or rule: one finite value per output, and for a
    /// classifier probabilities in [0, 1] that sum to 1.
    /// - Parameter place: "node 3", "rule 2", for the message.
    /// - Throws: `DataError` naming the file and the place.
    static func checkAnswer(_ value: [Float], task: TeacherTask, of place: String, path: String) throws {
        guard value.count == task.outputWidth, value.allSatisfy(\.isFinite) else {
            throw DataError("\(path): \(place) must have \(task.outputWidth) finite value(s), one per \(task.outputWidth == 1 ? "output" : "class"); it has \(value.count)")
        }
        guard case .classification = task else { return }
        let inRange = { (p: Float) in p >= -probabilityTolerance && p <= 1 + probabilityTolerance }
        guard value.allSatisfy(inRange) else {
            throw DataError("\(path): \(place) has the probability \(value.first { !inRange($0) } ?? 0), outside [0, 1]")
        }
        let sum = value.reduce(0, +)
        guard abs(sum - 1) <= sumTolerance else {
            throw DataError("\(path): \(place)'s class probabilities sum to \(sum), not 1")
        }
    }

    /// Checks the row counts of a node or rule.
    /// - Throws: `DataError` naming the file and the place when a count is negative or huge.
    static func checkRows(_ rows: Int, synthetic: Int, of place: String, path: String) throws {
        for (name, count) in [("rows", rows), ("synthetic_rows", synthetic)] where !(0...maximumRows).contains(count) {
            throw DataError("\(path): \(place) has \"\(name)\": \(count); a count of rows is from 0 to 2^53")
        }
    }

    /// The first element that appears again later, if any.
    static func firstRepeated(_ names: [String]) -> String? {
        var seen = Set<String>()
        return names.first { !seen.insert($0).inserted }
    }
}
