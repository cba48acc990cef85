/// The hyperparameters of a decision-tree student, checked once before fitting.
public struct TreeConfiguration: Sendable, Equatable {
    /// What the tree is fitted to and how node purity is measured.
    public enum Criterion: String, Sendable, CaseIterable {
        /// Gini impurity of the (soft or hard) class distribution.
        case gini
        /// Shannon entropy in bits of the hard class distribution (`--hard` only).
        case entropy
        /// Squared error of the teacher's value (regression teachers).
        case squaredError = "squared_error"
    }

    /// How split thresholds are searched.
    public enum Binning: Sendable, Equatable {
        /// Exact on small data (every distinct value is a candidate), 256 quantile bins on
        /// large data.
        case automatic
        /// Every distinct value is a candidate threshold.
        case exact
        /// At most this many quantile bins per feature (2…65,534).
        case bins(Int)
    }

    public var maxDepth: Int? = nil
    /// Best-first growth to at most this many leaves (as scikit-learn's max_leaf_nodes).
    public var maxLeaves: Int? = nil
    /// The leaves grown best-first when neither `maxDepth` nor `maxLeaves` is set: a tree a
    /// person can read. Growing without a limit never ends with node augmentation, which
    /// keeps every node from becoming small, and gives trees nobody reads without it.
    public static let defaultMaxLeaves = 16
    public var minSamplesLeaf: Int = 1
    /// A split must lower the weighted impurity by at least this much (scikit-learn's
    /// definition: N_t / N × (impurity − weighted child impurity)).
    public var minImpurityDecrease: Double = 0
    /// Minimal cost-complexity pruning strength; 0 keeps the grown tree.
    public var ccpAlpha: Double = 0
    /// Fit the teacher's argmax labels instead of its probabilities.
    public var hard: Bool = false
    public var criterion: Criterion = .gini
    /// Revisit the grown tree's splits to agree with the teacher better (see `TreeRefiner`).
    public var refine: Bool = true
    public var binning: Binning = .automatic
    /// Levels of a categorical feature with fewer rows in a node are grouped for its split.
    public var minLevelRows: Int = 5
    /// Rows above which `.automatic` binning switches from exact to histograms.
    public static let exactRowLimit = 10_000
    /// Histogram bins used by `.automatic` on large data.
    public static let automaticBins = 256

    public init() {}

    /// The leaf limit growth obeys: `maxLeaves`, or `defaultMaxLeaves` when no size is set.
    public var leafLimit: Int? {
        maxDepth == nil && maxLeaves == nil ? Self.defaultMaxLeaves : maxLeaves
    }

    /// Checks what does not depend on the teacher, so it can be done before any work.
    /// - Throws: `ConfigurationError` naming the option and the accepted range.
    public func validate() throws {
        if let maxDepth, maxDepth < 1 {
            throw ConfigurationError("--max-depth must be at least 1, not \(maxDepth)")
        }
        if let maxLeaves, maxLeaves < 2 {
            throw ConfigurationError("--max-leaves must be at least 2, not \(maxLeaves)")
        }
        guard minSamplesLeaf >= 1 else {
            throw ConfigurationError("--min-samples-leaf must be at least 1, not \(minSamplesLeaf)")
        }
        guard minImpurityDecrease >= 0, minImpurityDecrease.isFinite else {
            throw ConfigurationError("--min-impurity-decrease must be a number ≥ 0, not \(minImpurityDecrease)")
        }
        guard ccpAlpha >= 0, ccpAlpha.isFinite else {
            throw ConfigurationError("--ccp-alpha must be a number ≥ 0, not \(ccpAlpha)")
        }
        guard minLevelRows >= 1 else {
            throw ConfigurationError("--min-level-rows must be at least 1, not \(minLevelRows)")
        }
        if case .bins(let count) = binning, !(2...65_534).contains(count) {
            throw ConfigurationError("--bins must be between 2 and 65534 (or 'exact' or 'auto'), not \(count)")
        }
    }

    /// - Throws: `ConfigurationError` naming the option and the accepted range, or the
    ///   option that does not suit the teacher's task.
    public func validate(task: TeacherTask) throws {
        try validate()
        switch (task, criterion) {
        case (.regression, .squaredError), (.classification, .gini):
            break
        case (.classification, .entropy):
            guard hard else {
                throw ConfigurationError("--criterion entropy needs --hard: soft targets are fitted with gini")
            }
        case (.regression, _):
            throw ConfigurationError("--criterion \(criterion.rawValue) is for classification teachers; a regression teacher uses squared_error")
        case (.classification, .squaredError):
            throw ConfigurationError("--criterion squared_error is for regression teachers; use gini or entropy")
        }
        if hard, case .regression = task {
            throw ConfigurationError("--hard applies to classification teachers only")
        }
    }
}

/// A hyperparameter outside its range, named as the command-line option.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
