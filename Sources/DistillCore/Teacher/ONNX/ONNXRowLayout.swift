/// What the load-time row check knows about one dimension of a tensor.
enum ONNXRowDim: Equatable, Sendable, CustomStringConvertible {
    /// The axis that indexes the rows of the batch: its size is the number of rows.
    case rows
    /// A size fixed by the model.
    case size(Int)
    /// A size that does not depend on the number of rows but is not known at load
    /// (a symbolic input width).
    case unknown

    var description: String {
        switch self {
        case .rows: "N"
        case .size(let n): String(n)
        case .unknown: "?"
        }
    }

    /// The product of sizes; `.unknown` if any is unknown. Callers never pass `.rows`.
    static func product<C: Collection>(_ dims: C) -> ONNXRowDim where C.Element == ONNXRowDim {
        var p = 1
        for d in dims {
            guard case .size(let n) = d else { return .unknown }
            let (q, overflow) = p.multipliedReportingOverflow(by: n)
            if overflow { return .unknown }
            p = q
        }
        return .size(p)
    }
}

/// One value of a small integer tensor (a shape, axes, indices), as far as it is known at
/// load. Shapes computed with `Shape` (torch's `x.view(x.size(0), -1)`) are followed this
/// way, so a Reshape to them can be checked.
enum ONNXRowEntry: Equatable, Sendable, CustomStringConvertible {
    case size(Int)
    /// The number of rows in the batch.
    case rows
    /// Fixed by the model but not known at load.
    case unknown
    /// Computed from the number of rows in a way the check does not follow.
    case rowDependent

    var description: String {
        switch self {
        case .size(let n): String(n)
        case .rows: "N"
        case .unknown, .rowDependent: "?"
        }
    }

    var usesRowCount: Bool { self == .rows || self == .rowDependent }
}

/// A value as the row check sees it: either indexed by the rows of the batch along one
/// axis, or the same for every row (a constant, or computed from constants and shapes).
enum ONNXRowValue: Sendable {
    /// `dims[axis] == .rows`; every other dimension is a size per row.
    case rows(dims: [ONNXRowDim], axis: Int)
    /// The same for every row. `dims` when the rank is known; `entries` when it is a
    /// small integer tensor; `usesRowCount` when it depends on the number of rows (so
    /// using it as data would make answers depend on how a batch is split).
    case fixed(dims: [ONNXRowDim]?, entries: [ONNXRowEntry]?, usesRowCount: Bool)

    /// A constant tensor: its shape, and its values when it is a short integer vector.
    init(constant t: ONNXTensor) {
        var entries: [ONNXRowEntry]?
        if t.rank <= 1, t.count <= 64, let ints = try? t.integers("") {
            entries = ints.map { .size($0) }
        }
        self = .fixed(dims: t.shape.map { .size($0) }, entries: entries, usesRowCount: false)
    }

    var usesRowCount: Bool {
        if case .fixed(_, _, let uses) = self { return uses }
        return false
    }

    /// How messages show a value's shape: `[N, 4]`, `[1, 8]`, or "unknown".
    static func text(_ dims: [ONNXRowDim]?) -> String {
        guard let dims else { return "of unknown shape" }
        return "[" + dims.map(\.description).joined(separator: ", ") + "]"
    }
}

/// Why a node fails the row check. `certain` is false where the check cannot follow the
/// node (an unknown rank or target shape) and refuses rather than guess.
struct ONNXRowMixing: Error {
    var reason: String
    var certain: Bool

    static func mixes(_ reason: String) -> ONNXRowMixing { ONNXRowMixing(reason: reason, certain: true) }
    static func cannotTell(_ reason: String) -> ONNXRowMixing { ONNXRowMixing(reason: reason, certain: false) }
}
