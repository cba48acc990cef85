/// Where a growing tree gets synthetic rows, queried from the teacher (the teacher is an
/// oracle: it can be asked about any row).
public enum AugmentMode: String, Sendable, CaseIterable {
    /// Rows drawn inside each small node's region from the rows that reach it (TREPAN).
    case node
    /// Rows drawn from the whole data's per-feature distributions, kept when inside the node.
    case global
    /// No synthetic rows.
    case none
}

/// Makes up rows inside a node's region and has the teacher label them, so that a node
/// never decides its split on a handful of rows (Craven & Shavlik, 1996, TREPAN; Bastani,
/// Kim & Bastani, 2017).
///
/// A node with fewer than `minNodeRows` rows (real and synthetic) gets the difference.
/// Values are always ones that real training rows take, drawn from the rows reaching the
/// node (or the nearest ancestor with at least `minPoolRows` real rows when the node has
/// fewer) for `.node`, from all rows for `.global`; a value that would leave the node's
/// region is drawn again, which is done exactly by drawing among the admissible ones. Text
/// levels thus come at their frequency and missing values at their observed rate.
///
/// `.global` draws every feature on its own (the product of the marginals, as TREPAN
/// does). `.node` starts from a real row of the node and redraws one feature, chosen at
/// random: drawing all features independently makes rows no real case looks like (a 3 kg
/// penguin with a 230 mm flipper), whose answers pull splits away from where the data is
/// and measurably lowered held-out fidelity on the samples (see the README), while a row
/// one step from a real one asks the teacher what matters near the data.
/// Teacher queries stop at the configuration's `queryBudget`.
public final class TreeAugmenter {
    public let configuration: AugmentConfiguration
    /// Fewer real rows than this in a node, and its values are drawn from an ancestor's rows.
    public static let minPoolRows = 20

    private let realData: Dataset
    private let label: (Dataset) throws -> TeacherOutputs
    private var generator: SeededGenerator
    /// The synthetic rows made so far and the teacher's answers for them.
    public private(set) var syntheticColumns: [Column]
    public private(set) var syntheticOutputs: [Float] = []
    public private(set) var queries = 0

    /// - Parameters:
    ///   - realData: the real training rows, whose values synthetic rows reuse.
    ///   - label: asks the teacher about rows laid out like `realData`.
    public init(configuration: AugmentConfiguration, seed: UInt64, realData: Dataset,
                label: @escaping (Dataset) throws -> TeacherOutputs) {
        self.configuration = configuration
        self.realData = realData
        self.label = label
        generator = SeededGenerator(seed: seed ^ 0xA5A5_5A5A_0F0F_F0F0)
        syntheticColumns = realData.features.map { column in
            switch column.values {
            case .numeric: Column(name: column.name, values: .numeric([]))
            case .categorical(_, let levels): Column(name: column.name, values: .categorical(codes: [], levels: levels))
            }
        }
    }

    /// The synthetic rows as a data set, with the teacher's answers.
    public func syntheticSet(task: TeacherTask) -> (Dataset, TeacherOutputs) {
        (Dataset(features: syntheticColumns, rowCount: syntheticOutputs.count / task.outputWidth),
         TeacherOutputs(task: task, values: syntheticOutputs))
    }

    /// How many rows a node of `rows` rows should get.
    func shortfall(_ rows: Int) -> Int {
        guard configuration.mode != .none, rows < configuration.minNodeRows else { return 0 }
        return max(0, min(configuration.minNodeRows - rows, configuration.queryBudget - queries))
    }

    /// Whether every synthetic row the budget allows has been asked for.
    public var budgetUsedUp: Bool { queries >= configuration.queryBudget }

    /// Draws `count` rows inside the region `path` describes and asks the teacher about them.
    /// - Parameters:
    ///   - pool: real rows to draw values from (ignored by `.global`).
    /// - Returns: per feature the new rows' bin codes, and the teacher's answers.
    func draw(_ count: Int, pool: [Int32], path: [PathStep], bins: FeatureBins) throws -> (codes: [[UInt16]], outputs: TeacherOutputs) {
        let source = configuration.mode == .global ? Array(0..<Int32(realData.rowCount)) : pool
        // Per feature, the source rows whose value keeps a row inside the node.
        let admissible = realData.features.indices.map { feature -> [Int32] in
            let steps = path.filter { $0.split.feature == feature }
            guard !steps.isEmpty else { return source }
            let inside = source.filter { row in
                let code = bins.codes[feature][Int(row)]
                return steps.allSatisfy { $0.split.goesLeft(code) == $0.wentLeft }
            }
            // The node's own real rows are admissible, so this is empty only for a node no
            // real row reaches; its values then come from anywhere in the source.
            return inside.isEmpty ? source : inside
        }
        // Rows of the source inside the node on every feature: the bases of `.node` rows.
        let bases = source.filter { row in
            path.allSatisfy { $0.split.goesLeft(bins.codes[$0.split.feature][Int(row)]) == $0.wentLeft }
        }
        var chosen = [[Int]](repeating: [Int](repeating: 0, count: count), count: realData.features.count)
        for row in 0..<count {
            let base = configuration.mode == .node && !bases.isEmpty ? Int(bases[generator.index(below: bases.count)]) : nil
            let redrawn = generator.index(below: chosen.count)
            for feature in chosen.indices {
                if let base, feature != redrawn {
                    chosen[feature][row] = base
                } else {
                    let candidates = admissible[feature]
                    chosen[feature][row] = Int(candidates[generator.index(below: candidates.count)])
                }
            }
        }
        let rows = Dataset(features: realData.features.indices.map { realData.features[$0].gathering(chosen[$0]) },
                           rowCount: count)
        let outputs = try label(rows)
        queries += count
        for feature in syntheticColumns.indices {
            syntheticColumns[feature].append(rows.features[feature])
        }
        syntheticOutputs += outputs.values
        return (chosen.indices.map { feature in chosen[feature].map { bins.codes[feature][$0] } }, outputs)
    }
}

/// One split on the way from the root to a node, and the side taken.
struct PathStep: Sendable {
    var split: Split
    var wentLeft: Bool
}
