extension ONNXGraph {
    /// Checks that the graph computes every row of a batch on its own, with the rows on
    /// axis 0 of the output, so that splitting a batch into slices and chunks (as
    /// `ONNXTeacher.predict` does) cannot change any answer.
    ///
    /// The check follows, for every value, which axis indexes the rows (graph inputs: axis
    /// 0; constants: none) through each node, and rejects the first node that
    /// - combines values along that axis (Softmax, ArgMax, Concat, Gather along it; a
    ///   Gemm/MatMul summing over it, as Gemm with transA=1 on [N, K] does),
    /// - merges it with another axis (Flatten with axis 0, a Reshape target that does not
    ///   keep it as an axis of its own, ArrayFeatureExtractor with wide indices),
    /// - broadcasts a constant along it or joins a constant to it, so a row's answer would
    ///   depend on its position or the batch would have to have one size,
    /// - removes it (Squeeze of it, or Squeeze without axes, which removes it when a
    ///   chunk holds one row), or uses the number of rows as data.
    /// Moving the axis is allowed (tf2onnx wraps elementwise ops in a Transpose pair), as
    /// long as the output has the rows on axis 0 again. Reshape targets computed from
    /// `Shape` are followed symbolically, so torch's `x.view(x.size(0), -1)` passes, and
    /// skl2onnx's `[-1, k]` passes when k is the row's width. Where the check cannot
    /// follow a node it refuses it: a model that loads must predict any batch.
    ///
    /// - Throws: `ONNXError` naming the file, the node, its operator and opset.
    /// - Complexity: O(nodes + edges).
    func checkRowsIndependent() throws {
        var values = [ONNXRowValue?](repeating: nil, count: valueNames.count)
        for (k, c) in constants.enumerated() {
            if let c { values[k] = ONNXRowValue(constant: c) }
        }
        for input in inputs {
            let inner = input.dims.dropFirst().map { d -> ONNXRowDim in d.map { .size($0) } ?? .unknown }
            values[input.value] = .rows(dims: [.rows] + inner, axis: 0)
        }
        for node in nodes {
            let args = node.inputs.map { $0 >= 0 ? values[$0] : nil }
            let out: ONNXRowValue
            do {
                out = try Self.rowLayout(of: node, args)
            } catch let m as ONNXRowMixing {
                let verb = m.certain ? "mixes rows of the batch" : "may mix rows of the batch (Distill cannot tell)"
                throw ONNXError(.unsupportedOperator, file: file, node: node.label,
                                "\(node.opType) at opset \(node.opset) \(verb): \(m.reason). Distill evaluates rows independently, splitting a batch into chunks, so it needs a graph that computes each row on its own with the batch on axis 0; re-export the model without this pattern")
            }
            for o in node.outputs where o >= 0 { values[o] = out }
        }
        let name = valueNames[output]
        switch values[output] {
        case .rows(let dims, let axis)?:
            if dims[..<axis].contains(where: { $0 != .size(1) }) {
                throw ONNXError(.outputSelection, file: file,
                                "output '\(name)' has shape \(ONNXRowValue.text(dims)) with the rows of the batch on axis \(axis); Distill evaluates rows independently and reads them from axis 0, so this output mixes rows of the batch; re-export the model with the batch first")
            }
        case .fixed?, nil:
            throw ONNXError(.outputSelection, file: file,
                            "output '\(name)' does not depend on the rows of the batch (it is the same for every batch); Distill evaluates rows independently and needs one answer per row")
        }
    }

    /// The layout of a node's outputs given its inputs' (`nil` for an omitted input).
    private static func rowLayout(of node: Node, _ args: [ONNXRowValue?]) throws -> ONNXRowValue {
        func arg(_ i: Int) throws -> ONNXRowValue {
            guard i < args.count, let a = args[i] else { throw ONNXRowMixing.cannotTell("input \(i + 1) is missing") }
            return a
        }
        let present = args.compactMap { $0 }
        if case .shape(let start, let end) = node.operation {
            return shapeOf(try arg(0), start: start, end: end)
        }
        guard present.contains(where: { if case .rows = $0 { true } else { false } }) else {
            return fixedLayout(of: node, args)
        }
        switch node.operation {
        case .identity, .dropout, .unary, .cast, .labelEncoder, .zipMap:
            return try arg(0)
        case .binary, .select, .clipInputs:
            return try broadcast(present)
        case .gemm(let transA, let transB, _, _):
            return try gemm(try arg(0), try arg(1), args.count > 2 ? args[2] : nil, transA: transA, transB: transB)
        case .matMul:
            return try matMul(try arg(0), try arg(1))
        case .softmax(let axis, let coerce2D, _):
            let (dims, rows) = try rowsOnly(try arg(0), "its input")
            let a = try axisIndex(axis, rank: dims.count, "Softmax axis")
            if coerce2D && rows >= a {
                throw ONNXRowMixing.mixes("before opset 13 it normalises all axes from axis \(axis) on of its input \(ONNXRowValue.text(dims)) together, and they include the batch axis \(rows)")
            }
            if a == rows {
                throw ONNXRowMixing.mixes("it normalises along axis \(axis) of its input \(ONNXRowValue.text(dims)), which is the batch axis")
            }
            return .rows(dims: dims, axis: rows)
        case .argMax(let axis, let keepDims, _):
            var (dims, rows) = try rowsOnly(try arg(0), "its input")
            let a = try axisIndex(axis, rank: dims.count, "ArgMax axis")
            if a == rows {
                throw ONNXRowMixing.mixes("it picks the largest value along axis \(axis) of its input \(ONNXRowValue.text(dims)), which is the batch axis")
            }
            if keepDims {
                dims[a] = .size(1)
            } else {
                dims.remove(at: a)
                if a < rows { rows -= 1 }
            }
            return .rows(dims: dims, axis: rows)
        case .flatten(let axis):
            return try flatten(try arg(0), axis: axis)
        case .reshape(let allowZero):
            return try reshape(try arg(0), target: try arg(1), allowZero: allowZero)
        case .transpose(let perm):
            let (dims, rows) = try rowsOnly(try arg(0), "its input")
            let p = perm ?? Array((0..<dims.count).reversed())
            guard p.count == dims.count, Set(p) == Set(0..<dims.count), let q = p.firstIndex(of: rows) else {
                throw ONNXRowMixing.cannotTell("perm \(p) is not a permutation of the axes of \(ONNXRowValue.text(dims))")
            }
            return .rows(dims: p.map { dims[$0] }, axis: q)
        case .concat(let axis):
            return try concat(present, axis: axis)
        case .gather(let axis):
            return try gather(try arg(0), try arg(1), axis: axis)
        case .squeeze(let attribute):
            let (dims, rows) = try rowsOnly(try arg(0), "its input")
            var axes = attribute
            if axes == nil, args.count > 1, let given = args[1] { axes = try integers(given, "its axes") }
            guard let axes else {
                throw ONNXRowMixing.mixes("without axes it removes every axis of size 1, which includes the batch axis whenever a chunk holds one row")
            }
            let removed = try Set(axes.map { try axisIndex($0, rank: dims.count, "Squeeze axis") })
            if removed.contains(rows) {
                throw ONNXRowMixing.mixes("it removes axis \(rows) of its input \(ONNXRowValue.text(dims)), which is the batch axis")
            }
            let kept = dims.indices.filter { !removed.contains($0) }
            return .rows(dims: kept.map { dims[$0] }, axis: kept.firstIndex(of: rows) ?? 0)
        case .unsqueeze(let attribute):
            let (dims, rows) = try rowsOnly(try arg(0), "its input")
            let axes: [Int]
            if let attribute { axes = attribute } else { axes = try integers(try arg(1), "its axes") }
            return try unsqueeze(dims, rows: rows, axes: axes)
        case .batchNormalization:
            let (dims, rows) = try rowsOnly(try arg(0), "its input")
            for i in 1..<max(1, args.count) {
                if case .rows? = args[i] {
                    throw ONNXRowMixing.mixes("its statistics (input \(i + 1)) are computed from the rows")
                }
            }
            if dims.count >= 2 && rows == 1 {
                throw ONNXRowMixing.mixes("it applies one scale and mean per channel along axis 1 of its input \(ONNXRowValue.text(dims)), which is the batch axis, so each row would get another channel's statistics")
            }
            return .rows(dims: dims, axis: rows)
        case .scaler(let offset, let scale):
            return try perColumn(try arg(0), counts: [offset.count, scale.count], "one offset and scale per column")
        case .imputer(let floats, let ints, _, _):
            return try perColumn(try arg(0), counts: [floats.count, ints.count], "one imputed value per column")
        case .oneHotEncoder(_, _, let width, _):
            let (dims, rows) = try rowsOnly(try arg(0), "its input")
            return .rows(dims: dims + [.size(width)], axis: rows)
        case .arrayFeatureExtractor:
            return try arrayFeatureExtractor(try arg(0), try arg(1))
        case .featureVectorizer:
            return try concat(present, axis: 1)
        case .binarizer:
            return try arg(0)
        case .normalizer:
            let (dims, rows) = try rowsOnly(try arg(0), "its input")
            if rows == dims.count - 1 {
                throw ONNXRowMixing.mixes("it divides the last axis of its input \(ONNXRowValue.text(dims)) by its norm, and that axis is the batch axis")
            }
            return .rows(dims: dims, axis: rows)
        case .treeEnsemble(let e):
            return try perRow(try arg(0), width: e.targets)
        case .linearModel(let m):
            return try perRow(try arg(0), width: m.labels?.count == 2 && m.scoreColumns == 1 ? 2 : m.scoreColumns)
        case .supportVectorMachine:
            return try perRow(try arg(0), width: nil)
        case .shape:
            // Handled above: Shape of rows is a fixed-size vector.
            return try arg(0)
        case .not:
            return try arg(0)
        case .compare, .logical, .variadic:
            return try broadcast(present)
        case .layerNormalization(let axis, _):
            let (dims, rows) = try rowsOnly(try arg(0), "its input")
            let a = try axisIndex(axis, rank: dims.count, "LayerNormalization axis")
            if rows >= a {
                throw ONNXRowMixing.mixes("it normalises each slice over the axes from \(axis) on of its input \(ONNXRowValue.text(dims)), which include the batch axis \(rows)")
            }
            if args.dropFirst().contains(where: { if case .rows? = $0 { true } else { false } }) {
                throw ONNXRowMixing.mixes("its scale or bias is computed from the rows")
            }
            return .rows(dims: dims, axis: rows)
        case .reduce(_, let attribute, let keepDims, let noop):
            let (dims, rows) = try rowsOnly(try arg(0), "its input")
            var axes = attribute ?? []
            if attribute == nil, args.count > 1, let given = args[1] { axes = try integers(given, "its axes") }
            if axes.isEmpty {
                if noop { return .rows(dims: dims, axis: rows) }
                throw ONNXRowMixing.mixes("without axes it reduces every axis of its input \(ONNXRowValue.text(dims)), the batch axis too")
            }
            let removed = try Set(axes.map { try axisIndex($0, rank: dims.count, "Reduce axis") })
            if removed.contains(rows) {
                throw ONNXRowMixing.mixes("it reduces along axis \(rows) of its input \(ONNXRowValue.text(dims)), which is the batch axis")
            }
            if keepDims { return .rows(dims: dims.indices.map { removed.contains($0) ? .size(1) : dims[$0] }, axis: rows) }
            let kept = dims.indices.filter { !removed.contains($0) }
            return .rows(dims: kept.map { dims[$0] }, axis: kept.firstIndex(of: rows) ?? 0)
        case .slice(let starts, let ends, let axes):
            return try slice(try arg(0), starts: starts, ends: ends, axes: axes, steps: nil)
        case .sliceInputs:
            func known(_ i: Int, _ what: String) throws -> [Int]? {
                guard i < args.count, let v = args[i] else { return nil }
                return try integers(v, what)
            }
            guard let starts = try known(1, "its starts"), let ends = try known(2, "its ends") else {
                throw ONNXRowMixing.cannotTell("its starts and ends are not known when the model is loaded")
            }
            return try slice(try arg(0), starts: starts, ends: ends, axes: try known(3, "its axes"), steps: try known(4, "its steps"))
        case .expand:
            return try expand(try arg(0), target: try arg(1))
        case .constantOfShape:
            throw ONNXRowMixing.mixes("its shape is computed from the values of the rows")
        case .range:
            throw ONNXRowMixing.mixes("its bounds are computed from the values of the rows")
        case .split(let axis, _, _, _):
            var (dims, rows) = try rowsOnly(try arg(0), "its input")
            let a = try axisIndex(axis, rank: dims.count, "Split axis")
            if a == rows {
                throw ONNXRowMixing.mixes("it cuts its input \(ONNXRowValue.text(dims)) along axis \(axis), the batch axis")
            }
            dims[a] = .unknown
            return .rows(dims: dims, axis: rows)
        }
    }

    /// Slice keeps the rows only if it leaves the batch axis whole: start 0, step 1 and an
    /// end at least as large as any batch (exporters write INT64_MAX or INT32_MAX).
    private static func slice(_ x: ONNXRowValue, starts: [Int], ends: [Int], axes: [Int]?, steps: [Int]?) throws -> ONNXRowValue {
        var (dims, rows) = try rowsOnly(x, "its input")
        let axes = axes ?? Array(starts.indices)
        let steps = steps ?? [Int](repeating: 1, count: starts.count)
        guard ends.count == starts.count, axes.count == starts.count, steps.count == starts.count else {
            throw ONNXRowMixing.cannotTell("its starts, ends, axes and steps differ in length")
        }
        for k in starts.indices {
            let a = try axisIndex(axes[k], rank: dims.count, "Slice axis")
            if a == rows {
                if starts[k] == 0 && steps[k] == 1 && ends[k] >= Int(Int32.max) { continue }
                throw ONNXRowMixing.mixes("it slices along axis \(axes[k]) of its input \(ONNXRowValue.text(dims)), which is the batch axis")
            }
            if case .size(let n) = dims[a] {
                let cut = try? ONNXSlicing.slice(ONNXTensor(shape: [n], data: .bool([Bool](repeating: false, count: n))),
                                                 starts: [starts[k]], ends: [ends[k]], axes: [0], steps: [steps[k]])
                dims[a] = cut.map { .size($0.count) } ?? .unknown
            } else {
                dims[a] = .unknown
            }
        }
        return .rows(dims: dims, axis: rows)
    }

    /// Expand broadcasts like an elementwise operator against its target shape, whose
    /// entries may name the number of rows (from `Shape`) only on the batch axis.
    private static func expand(_ x: ONNXRowValue, target: ONNXRowValue) throws -> ONNXRowValue {
        guard case .fixed(_, let entries?, _) = target else {
            if case .rows = target { throw ONNXRowMixing.mixes("its target shape is computed from the values of the rows") }
            throw ONNXRowMixing.cannotTell("its target shape is not known when the model is loaded")
        }
        var dims: [ONNXRowDim] = []
        for e in entries {
            switch e {
            case .size(let n): dims.append(.size(n))
            case .rows: dims.append(.rows)
            case .unknown: dims.append(.unknown)
            case .rowDependent:
                throw ONNXRowMixing.cannotTell("its target shape is computed from the number of rows in a way Distill does not follow")
            }
        }
        let shapeOperand = ONNXRowValue.fixed(dims: dims, entries: nil, usesRowCount: false)
        let out: ONNXRowValue
        switch x {
        case .rows:
            out = try broadcast([x, shapeOperand])
        case .fixed(let d, _, let uses):
            try requireNoRowCount(uses, "its input")
            guard let d, let p = dims.firstIndex(of: .rows) else {
                return .fixed(dims: nil, entries: nil, usesRowCount: entries.contains { $0.usesRowCount })
            }
            out = try broadcast([.rows(dims: dims, axis: p), .fixed(dims: d, entries: nil, usesRowCount: false)])
        }
        guard case .rows(let outDims, let axis) = out,
              dims.enumerated().allSatisfy({ $0.element != .rows || $0.offset + outDims.count - dims.count == axis }) else {
            throw ONNXRowMixing.mixes("its target shape puts the number of rows on an axis other than the batch axis")
        }
        return out
    }

    // MARK: - Rules per operator family

    /// Broadcasting elementwise operators (Add, Where, Clip with tensor bounds, …): every
    /// operand holding rows must hold them on the same output axis, and every other
    /// operand must have size 1 (or no dimension) there.
    private static func broadcast(_ operands: [ONNXRowValue]) throws -> ONNXRowValue {
        var shapes: [[ONNXRowDim]] = []
        for o in operands {
            switch o {
            case .rows(let dims, _): shapes.append(dims)
            case .fixed(let dims, _, let uses):
                if uses {
                    throw ONNXRowMixing.mixes("an operand is computed from the number of rows in the batch, so every answer would depend on how the batch is split")
                }
                guard let dims else {
                    throw ONNXRowMixing.cannotTell("an operand of unknown shape is broadcast against the rows")
                }
                shapes.append(dims)
            }
        }
        let rank = shapes.map(\.count).max() ?? 0
        var rowsAt: Int?
        for o in operands {
            guard case .rows(let dims, let axis) = o else { continue }
            let p = axis + rank - dims.count
            if let r = rowsAt, r != p {
                throw ONNXRowMixing.mixes("two operands hold rows on different axes (\(r) and \(p) once broadcast), which pairs every row with every other row")
            }
            rowsAt = p
        }
        guard let rowsAt else { throw ONNXRowMixing.cannotTell("no operand holds rows") }
        var out = [ONNXRowDim](repeating: .size(1), count: rank)
        for dims in shapes {
            for (i, d) in dims.enumerated() {
                let p = i + rank - dims.count
                if p == rowsAt {
                    if d != .rows && d != .size(1) {
                        throw ONNXRowMixing.mixes("an operand of shape \(ONNXRowValue.text(dims)) is broadcast along the batch axis, so each row would be treated by its position in the batch")
                    }
                    continue
                }
                out[p] = merged(out[p], d)
            }
        }
        out[rowsAt] = .rows
        return .rows(dims: out, axis: rowsAt)
    }

    /// The broadcast of two per-row sizes.
    private static func merged(_ a: ONNXRowDim, _ b: ONNXRowDim) -> ONNXRowDim {
        if a == .size(1) { return b }
        if b == .size(1) || a == b { return a }
        return .unknown
    }

    /// Gemm: Y = op(A) · op(B) + C. Rows may be the M side of A or the N side of B, never
    /// the summed K side, and never both operands.
    private static func gemm(_ a: ONNXRowValue, _ b: ONNXRowValue, _ c: ONNXRowValue?,
                             transA: Bool, transB: Bool) throws -> ONNXRowValue {
        let out: ONNXRowValue
        switch (a, b) {
        case (.rows(let da, let ra), .fixed(let db, _, let uses)):
            try requireNoRowCount(uses, "B")
            guard da.count == 2 else { throw ONNXRowMixing.cannotTell("A has shape \(ONNXRowValue.text(da)), not 2-D") }
            if ra != (transA ? 1 : 0) {
                let how = transA ? "with transA=1 it sums over axis 0 of A" : "it sums over axis 1 of A"
                throw ONNXRowMixing.mixes("\(how) \(ONNXRowValue.text(da)), which is the batch axis, so every output row combines all rows")
            }
            let n = db.flatMap { $0.count == 2 ? $0[transB ? 0 : 1] : nil } ?? .unknown
            out = .rows(dims: [.rows, n], axis: 0)
        case (.fixed(let da, _, let uses), .rows(let db, let rb)):
            try requireNoRowCount(uses, "A")
            guard db.count == 2 else { throw ONNXRowMixing.cannotTell("B has shape \(ONNXRowValue.text(db)), not 2-D") }
            if rb != (transB ? 0 : 1) {
                throw ONNXRowMixing.mixes("it sums over axis \(rb) of B \(ONNXRowValue.text(db)), which is the batch axis, so every output value combines all rows")
            }
            let m = da.flatMap { $0.count == 2 ? $0[transA ? 1 : 0] : nil } ?? .unknown
            out = .rows(dims: [m, .rows], axis: 1)
        default:
            throw ONNXRowMixing.mixes("A and B both hold rows, so the product combines every row with every other row")
        }
        guard let c else { return out }
        return try broadcast([out, c])
    }

    /// MatMul (numpy matmul): rows may be a leading (batch) axis or M of A, a leading axis
    /// or N of B; never K, and both operands only on the same leading axis.
    private static func matMul(_ a: ONNXRowValue, _ b: ONNXRowValue) throws -> ONNXRowValue {
        func parts(_ v: ONNXRowValue, _ name: String) throws -> (dims: [ONNXRowDim], rows: Int?) {
            switch v {
            case .rows(let dims, let axis): return (dims, axis)
            case .fixed(let dims, _, let uses):
                try requireNoRowCount(uses, name)
                guard let dims else { throw ONNXRowMixing.cannotTell("\(name) has an unknown shape") }
                return (dims, nil)
            }
        }
        var (da, ra) = try parts(a, "A")
        var (db, rb) = try parts(b, "B")
        let aVector = da.count == 1, bVector = db.count == 1
        if aVector { da = [.size(1)] + da; ra = ra.map { $0 + 1 } }
        if bVector { db = db + [.size(1)] }
        guard da.count >= 2, db.count >= 2 else { throw ONNXRowMixing.cannotTell("an operand is a scalar") }
        if let ra, ra == da.count - 1 {
            throw ONNXRowMixing.mixes("it sums over the last axis of A \(ONNXRowValue.text(da)), which is the batch axis, so every output row combines all rows")
        }
        if let rb, rb == db.count - 2 {
            throw ONNXRowMixing.mixes("it sums over axis \(rb) of B \(ONNXRowValue.text(db)), which is the batch axis, so every output value combines all rows")
        }
        let leadA = Array(da.dropLast(2)), leadB = Array(db.dropLast(2))
        let lead = max(leadA.count, leadB.count)
        // Where the rows land in [lead…, M, N].
        let posA = ra.map { $0 == da.count - 2 ? lead : $0 + lead - leadA.count }
        let posB = rb.map { $0 == db.count - 1 ? lead + 1 : $0 + lead - leadB.count }
        if let posA, let posB, posA != posB || posA >= lead {
            throw ONNXRowMixing.mixes("A and B both hold rows, on different axes, so the product combines every row with every other row")
        }
        guard let rows = posA ?? posB else { throw ONNXRowMixing.cannotTell("no operand holds rows") }
        var out = [ONNXRowDim](repeating: .size(1), count: lead)
        for dims in [leadA, leadB] {
            for (i, d) in dims.enumerated() {
                let p = i + lead - dims.count
                if p == rows {
                    if d != .rows && d != .size(1) {
                        throw ONNXRowMixing.mixes("an operand's leading axis of size \(d) is broadcast along the batch axis, so each row would be treated by its position in the batch")
                    }
                    continue
                }
                out[p] = merged(out[p], d)
            }
        }
        out += [da[da.count - 2], db[db.count - 1]]
        out[rows] = .rows
        var axis = rows
        if bVector { out.removeLast() }
        if aVector {
            let m = out.count - (bVector ? 1 : 2)
            out.remove(at: m)
            if m < axis { axis -= 1 }
        }
        return .rows(dims: out, axis: axis)
    }

    /// Flatten to [prod(dims before axis), prod(dims from axis)]: the batch axis must be
    /// the only axis of its group with a size other than 1.
    private static func flatten(_ x: ONNXRowValue, axis: Int) throws -> ONNXRowValue {
        let (dims, rows) = try rowsOnly(x, "its input")
        let a = axis < 0 ? axis + dims.count : axis
        guard a >= 0, a <= dims.count else {
            throw ONNXRowMixing.cannotTell("axis \(axis) is out of range for its input \(ONNXRowValue.text(dims))")
        }
        let group = rows < a ? 0..<a : a..<dims.count
        if group.contains(where: { $0 != rows && dims[$0] != .size(1) }) {
            throw ONNXRowMixing.mixes("with axis=\(axis) it merges the batch axis of its input \(ONNXRowValue.text(dims)) with other axes into one, so a chunk's rows would no longer be rows of the result")
        }
        if rows < a { return .rows(dims: [.rows, ONNXRowDim.product(dims[a...])], axis: 0) }
        return .rows(dims: [ONNXRowDim.product(dims[..<a]), .rows], axis: 1)
    }

    /// Reshape: the target must keep the batch axis as an axis of its own, with the same
    /// number of values before it — through a 0 that copies it, a `Shape`-computed entry
    /// equal to the number of rows, or a -1 whose other entries account for exactly the
    /// values of one row.
    private static func reshape(_ x: ONNXRowValue, target: ONNXRowValue, allowZero: Bool) throws -> ONNXRowValue {
        let (dims, rows) = try rowsOnly(x, "the reshaped tensor")
        let entries: [ONNXRowEntry]
        switch target {
        case .rows:
            throw ONNXRowMixing.mixes("its target shape is computed from the values of the rows")
        case .fixed(_, let e, _):
            guard let e else { throw ONNXRowMixing.cannotTell("its target shape is not known when the model is loaded") }
            entries = e
        }
        let targetText = "[" + entries.map(\.description).joined(separator: ", ") + "]"
        var out: [ONNXRowDim] = []
        var inferred: Int?
        for (i, e) in entries.enumerated() {
            switch e {
            case .size(0) where !allowZero:
                guard i < dims.count else { throw ONNXRowMixing.cannotTell("target \(targetText) copies a dimension its input lacks") }
                out.append(dims[i])
            case .size(-1):
                guard inferred == nil else { throw ONNXRowMixing.cannotTell("target \(targetText) has more than one -1") }
                inferred = i
                out.append(.unknown)
            case .size(let n):
                guard n >= 0 else { throw ONNXRowMixing.cannotTell("target \(targetText) has a negative size") }
                out.append(.size(n))
            case .rows: out.append(.rows)
            case .unknown: out.append(.unknown)
            case .rowDependent:
                throw ONNXRowMixing.cannotTell("its target shape is computed from the number of rows in a way Distill does not follow")
            }
        }
        let before = ONNXRowDim.product(dims[..<rows])
        let perRow = ONNXRowDim.product(dims.indices.filter { $0 != rows }.map { dims[$0] })
        let explicitRows = out.indices.filter { out[$0] == .rows }
        let position: Int
        if explicitRows.count == 1 {
            position = explicitRows[0]
            if let i = inferred {
                let others = ONNXRowDim.product(out.indices.filter { $0 != i && $0 != position }.map { out[$0] })
                if case .size(let total) = perRow, case .size(let o) = others, o > 0, total % o == 0 {
                    out[i] = .size(total / o)
                }
            }
        } else if explicitRows.isEmpty, let i = inferred {
            let others = ONNXRowDim.product(out.indices.filter { $0 != i }.map { out[$0] })
            guard case .size(let total) = perRow, case .size(let o) = others else {
                throw ONNXRowMixing.cannotTell("Distill cannot tell whether the -1 in target \(targetText) stands for the rows of its input \(ONNXRowValue.text(dims))")
            }
            if o != total {
                throw ONNXRowMixing.mixes("target \(targetText) regroups the values of its input \(ONNXRowValue.text(dims)): -1 does not stand for the rows (one row has \(total) values, the other entries take \(o))")
            }
            position = i
            out[i] = .rows
        } else {
            throw ONNXRowMixing.mixes("target \(targetText) does not keep the batch axis of its input \(ONNXRowValue.text(dims)) as an axis of its own, so it only fits a batch of one size")
        }
        let outBefore = ONNXRowDim.product(out[..<position])
        guard before == outBefore, case .size = before else {
            if case .size = before, case .size = outBefore {
                throw ONNXRowMixing.mixes("target \(targetText) moves the rows of its input \(ONNXRowValue.text(dims)) among the other axes")
            }
            throw ONNXRowMixing.cannotTell("target \(targetText) may move the rows of its input \(ONNXRowValue.text(dims)) among the other axes")
        }
        return .rows(dims: out, axis: position)
    }

    /// Concat: rows on the same axis in every part, joined along another axis; a part the
    /// same for every row cannot be joined, since its size along the batch axis is fixed.
    private static func concat(_ parts: [ONNXRowValue], axis: Int) throws -> ONNXRowValue {
        var shape: [ONNXRowDim]?
        var rows = 0
        for p in parts {
            switch p {
            case .rows(let dims, let r):
                if let s = shape, s.count != dims.count || r != rows {
                    throw ONNXRowMixing.mixes("its inputs hold rows on different axes")
                }
                shape = dims
                rows = r
            case .fixed(let dims, _, _):
                throw ONNXRowMixing.mixes("it joins an input \(ONNXRowValue.text(dims)) that is the same for every row to inputs holding rows; its size along the batch axis is fixed, so the node only fits a batch of one size")
            }
        }
        guard var out = shape else { throw ONNXRowMixing.cannotTell("no input holds rows") }
        let a = try axisIndex(axis, rank: out.count, "Concat axis")
        if a == rows {
            throw ONNXRowMixing.mixes("it joins its inputs along axis \(axis), the batch axis, appending rows to rows")
        }
        var sum = 0
        var known = true
        for p in parts {
            if case .rows(let dims, _) = p, case .size(let n) = dims[a] { sum += n } else { known = false }
        }
        out[a] = known ? .size(sum) : .unknown
        return .rows(dims: out, axis: rows)
    }

    /// Gather: indices may not pick along the batch axis of the data; rows in the
    /// indices (an embedding lookup) land where the indices go.
    private static func gather(_ data: ONNXRowValue, _ indices: ONNXRowValue, axis: Int) throws -> ONNXRowValue {
        switch (data, indices) {
        case (.rows(let dims, let rows), .fixed(let idx, _, let uses)):
            if uses { throw ONNXRowMixing.mixes("its indices are computed from the number of rows in the batch") }
            guard let idx else { throw ONNXRowMixing.cannotTell("its indices have an unknown shape") }
            let a = try axisIndex(axis, rank: dims.count, "Gather axis")
            if a == rows {
                throw ONNXRowMixing.mixes("it picks along axis \(axis) of its data \(ONNXRowValue.text(dims)), the batch axis, so a row's values would come from other rows")
            }
            let out = Array(dims[..<a]) + idx + Array(dims[(a + 1)...])
            return .rows(dims: out, axis: rows < a ? rows : rows - 1 + idx.count)
        case (.fixed(let d, _, let uses), .rows(let idx, let rows)):
            if uses { throw ONNXRowMixing.mixes("its data is computed from the number of rows in the batch") }
            guard let d else { throw ONNXRowMixing.cannotTell("its data has an unknown shape") }
            let a = try axisIndex(axis, rank: d.count, "Gather axis")
            return .rows(dims: Array(d[..<a]) + idx + Array(d[(a + 1)...]), axis: a + rows)
        default:
            throw ONNXRowMixing.mixes("its data and its indices both hold rows, so every row picks from every other row")
        }
    }

    /// Unsqueeze: inserts axes of size 1; the batch axis moves past them.
    private static func unsqueeze(_ dims: [ONNXRowDim], rows: Int, axes: [Int]) throws -> ONNXRowValue {
        let rank = dims.count + axes.count
        let inserted = try Set(axes.map { try axisIndex($0, rank: rank, "Unsqueeze axis") })
        var out: [ONNXRowDim] = []
        var axis = 0
        var source = 0
        for i in 0..<rank {
            if inserted.contains(i) {
                out.append(.size(1))
            } else {
                if source == rows { axis = i }
                out.append(source < dims.count ? dims[source] : .size(1))
                source += 1
            }
        }
        return .rows(dims: out, axis: axis)
    }

    /// Scaler and Imputer apply one parameter per column of the last axis; with the rows
    /// there, each row would get another column's parameter.
    private static func perColumn(_ x: ONNXRowValue, counts: [Int], _ what: String) throws -> ONNXRowValue {
        let (dims, rows) = try rowsOnly(x, "its input")
        if rows == dims.count - 1 && counts.contains(where: { $0 > 1 }) {
            throw ONNXRowMixing.mixes("it applies \(what) of the last axis of its input \(ONNXRowValue.text(dims)), which is the batch axis, so each row would be treated by its position in the batch")
        }
        return x
    }

    /// The ai.onnx.ml models (trees, linear, SVM) score each row of a [N, F] input on its
    /// own; rows must be axis 0. The label output is described by the scores' layout,
    /// which the output checks only read for the chosen (scores) output.
    private static func perRow(_ x: ONNXRowValue, width: Int?) throws -> ONNXRowValue {
        let (dims, rows) = try rowsOnly(x, "its input")
        guard rows == 0, dims.count <= 2 else {
            throw ONNXRowMixing.mixes("it scores the rows of a [N, features] input, but its input \(ONNXRowValue.text(dims)) holds the batch on axis \(rows)")
        }
        return .rows(dims: [.rows, width.map { .size($0) } ?? .unknown], axis: 0)
    }

    /// ArrayFeatureExtractor picks positions along the last axis of X (rank 1 gives
    /// [1, count]); its indices are flattened, so rows in them must be their only axis.
    private static func arrayFeatureExtractor(_ x: ONNXRowValue, _ indices: ONNXRowValue) throws -> ONNXRowValue {
        switch (x, indices) {
        case (.rows(let dims, let rows), .fixed(let idx, _, let uses)):
            if uses { throw ONNXRowMixing.mixes("its indices are computed from the number of rows in the batch") }
            if rows == dims.count - 1 {
                throw ONNXRowMixing.mixes("it picks along the last axis of its input \(ONNXRowValue.text(dims)), which is the batch axis, so a row's values would come from other rows")
            }
            var out = dims
            out[out.count - 1] = idx.map { ONNXRowDim.product($0) } ?? .unknown
            return .rows(dims: out, axis: rows)
        case (.fixed(let d, _, let uses), .rows(let idx, let rows)):
            if uses { throw ONNXRowMixing.mixes("its input is computed from the number of rows in the batch") }
            guard let d else { throw ONNXRowMixing.cannotTell("its input has an unknown shape") }
            if idx.indices.contains(where: { $0 != rows && idx[$0] != .size(1) }) {
                throw ONNXRowMixing.mixes("its indices \(ONNXRowValue.text(idx)) are flattened, which merges the batch axis with their other axes")
            }
            if d.count <= 1 { return .rows(dims: [.size(1), .rows], axis: 1) }
            return .rows(dims: Array(d.dropLast()) + [.rows], axis: d.count - 1)
        default:
            throw ONNXRowMixing.mixes("its input and its indices both hold rows, so every row picks from every other row")
        }
    }

    // MARK: - Values the same for every row

    /// Shape: the sizes of a value's axes; the batch axis gives the number of rows.
    private static func shapeOf(_ x: ONNXRowValue, start: Int, end: Int?) -> ONNXRowValue {
        let dims: [ONNXRowDim]
        switch x {
        case .rows(let d, _): dims = d
        case .fixed(let d, _, _):
            guard let d else { return .fixed(dims: [.unknown], entries: nil, usesRowCount: false) }
            dims = d
        }
        let r = dims.count
        func clamp(_ v: Int) -> Int { min(max(v < 0 ? v + r : v, 0), r) }
        let s = clamp(start), e = clamp(end ?? r)
        let entries: [ONNXRowEntry] = s < e ? dims[s..<e].map { d in
            switch d {
            case .rows: .rows
            case .size(let n): .size(n)
            case .unknown: .unknown
            }
        } : []
        return .fixed(dims: [.size(entries.count)], entries: entries, usesRowCount: entries.contains { $0.usesRowCount })
    }

    /// Nodes whose inputs are all the same for every row: small integer vectors (shapes,
    /// axes) are followed for the Reshape check; anything else is only marked as using
    /// the number of rows or not.
    private static func fixedLayout(of node: Node, _ args: [ONNXRowValue?]) -> ONNXRowValue {
        var dims: [[ONNXRowDim]?] = []
        var entries: [[ONNXRowEntry]?] = []
        var uses = false
        for a in args {
            if case .fixed(let d, let e, let u)? = a {
                dims.append(d)
                entries.append(e)
                uses = uses || u
            } else {
                dims.append(nil)
                entries.append(nil)
            }
        }
        let opaque = ONNXRowValue.fixed(dims: nil, entries: nil, usesRowCount: uses)
        func vector(_ e: [ONNXRowEntry], rank: Int = 1) -> ONNXRowValue {
            .fixed(dims: rank == 0 ? [] : [.size(e.count)], entries: e, usesRowCount: e.contains { $0.usesRowCount })
        }
        switch node.operation {
        case .identity, .dropout, .cast:
            return args.first.flatMap { $0 } ?? opaque
        case .gather(let axis):
            guard args.count == 2, let data = entries[0], let idx = entries[1], dims[0]?.count == 1, axis == 0 || axis == -1,
                  let idxDims = dims[1], idxDims.count <= 1 else { return opaque }
            var picked: [ONNXRowEntry] = []
            for i in idx {
                guard case .size(let k) = i else { return opaque }
                let j = k < 0 ? k + data.count : k
                guard j >= 0, j < data.count else { return opaque }
                picked.append(data[j])
            }
            return vector(picked, rank: idxDims.count)
        case .concat:
            var joined: [ONNXRowEntry] = []
            for (d, e) in zip(dims, entries) {
                guard let e, let d, d.count == 1 else { return opaque }
                joined += e
            }
            return vector(joined)
        case .unsqueeze:
            guard let e = entries.first ?? nil, dims.first??.count == 0 else { return opaque }
            return vector(e)
        case .squeeze:
            guard let e = entries.first ?? nil, e.count == 1, dims.first??.count == 1 else { return opaque }
            return vector(e, rank: 0)
        case .constantOfShape(let value):
            guard let e = entries.first ?? nil, !e.contains(.rowDependent) else { return opaque }
            if let p = e.firstIndex(of: .rows) {
                guard e.filter({ $0 == .rows }).count == 1 else { return opaque }
                return .rows(dims: e.map(rowDim), axis: p)
            }
            // A short vector (torch builds shapes as ConstantOfShape + Where) stays known.
            var filled: [ONNXRowEntry]?
            if e.count == 1, case .size(let n) = e[0], n <= 64, let v = try? value.integers("") {
                filled = [ONNXRowEntry](repeating: .size(v[0]), count: n)
            }
            return .fixed(dims: e.map(rowDim), entries: filled, usesRowCount: false)
        case .expand:
            guard args.count == 2, let x = args[0], let target = args[1],
                  let value = try? expand(x, target: target) else { return opaque }
            return value
        case .slice(let starts, let ends, let axes):
            return sliceEntries(entries.first ?? nil, starts: starts, ends: ends, axes: axes, steps: nil) ?? opaque
        case .sliceInputs:
            func ints(_ i: Int) -> [Int]? {
                guard i < entries.count, let e = entries[i] else { return nil }
                return e.compactMap { if case .size(let n) = $0 { n } else { nil } }.count == e.count
                    ? e.map { if case .size(let n) = $0 { n } else { 0 } } : nil
            }
            guard let starts = ints(1), let ends = ints(2) else { return opaque }
            return sliceEntries(entries.first ?? nil, starts: starts, ends: ends, axes: ints(3), steps: ints(4)) ?? opaque
        case .compare(.equal):
            guard args.count == 2, let a = entries[0], let b = entries[1], a.count == b.count || a.count == 1 || b.count == 1,
                  let da = dims[0], let db = dims[1] else { return opaque }
            let n = max(a.count, b.count)
            let equal = (0..<n).map { i -> ONNXRowEntry in
                switch (a[a.count == 1 ? 0 : i], b[b.count == 1 ? 0 : i]) {
                case (.size(let x), .size(let y)): return .size(x == y ? 1 : 0)
                // A chunk holds at least one row, so the row count is never 0 or negative.
                case (.rows, .size(let y)) where y <= 0, (.size(let y), .rows) where y <= 0: return .size(0)
                case (.rows, .rows): return .size(1)
                case (let x, let y): return x.usesRowCount || y.usesRowCount ? .rowDependent : .unknown
                }
            }
            return vector(equal, rank: max(da.count, db.count))
        case .select:
            guard args.count == 3, let c = entries[0], let a = entries[1], let b = entries[2],
                  let n = [c.count, a.count, b.count].max(), [c, a, b].allSatisfy({ $0.count == n || $0.count == 1 }) else { return opaque }
            var picked: [ONNXRowEntry] = []
            for i in 0..<n {
                let x = a[a.count == 1 ? 0 : i], y = b[b.count == 1 ? 0 : i]
                switch c[c.count == 1 ? 0 : i] {
                case .size(let k): picked.append(k != 0 ? x : y)
                default: picked.append(x == y ? x : (x.usesRowCount || y.usesRowCount ? .rowDependent : .unknown))
                }
            }
            return vector(picked)
        case .binary(let f):
            guard args.count == 2, let a = entries[0], let b = entries[1], a.count == b.count || a.count == 1 || b.count == 1,
                  let da = dims[0], let db = dims[1] else { return opaque }
            let n = max(a.count, b.count)
            let combined = (0..<n).map { i in arithmetic(f, a[a.count == 1 ? 0 : i], b[b.count == 1 ? 0 : i]) }
            return vector(combined, rank: max(da.count, db.count))
        default:
            return opaque
        }
    }

    /// The dimension an entry of a shape vector gives.
    private static func rowDim(_ e: ONNXRowEntry) -> ONNXRowDim {
        switch e {
        case .size(let n): .size(n)
        case .rows: .rows
        case .unknown, .rowDependent: .unknown
        }
    }

    /// Slice of a small vector known entry by entry (torch's `x.shape[1:]`).
    private static func sliceEntries(_ e: [ONNXRowEntry]?, starts: [Int], ends: [Int], axes: [Int]?, steps: [Int]?) -> ONNXRowValue? {
        guard let e else { return nil }
        let positions = ONNXTensor(shape: [e.count], data: .int64(e.indices.map { Int64($0) }))
        guard let cut = try? ONNXSlicing.slice(positions, starts: starts, ends: ends, axes: axes, steps: steps),
              let picked = try? cut.integers("") else { return nil }
        let out = picked.map { e[$0] }
        return .fixed(dims: [.size(out.count)], entries: out, usesRowCount: out.contains { $0.usesRowCount })
    }

    /// One entry of shape arithmetic (torch computes view sizes with Mul and Div).
    private static func arithmetic(_ f: ONNXBinaryFunction, _ a: ONNXRowEntry, _ b: ONNXRowEntry) -> ONNXRowEntry {
        switch (f, a, b) {
        case (.add, .size(let x), .size(let y)): return .size(x &+ y)
        case (.sub, .size(let x), .size(let y)): return .size(x &- y)
        case (.mul, .size(let x), .size(let y)): return .size(x &* y)
        case (.div, .size(let x), .size(let y)) where y != 0: return .size(x / y)
        case (.mul, _, .size(1)), (.div, _, .size(1)), (.add, _, .size(0)), (.sub, _, .size(0)): return a
        case (.mul, .size(1), _), (.add, .size(0), _): return b
        default: return a.usesRowCount || b.usesRowCount ? .rowDependent : .unknown
        }
    }

    // MARK: - Helpers

    /// The dimensions and batch axis of a value that must hold rows.
    private static func rowsOnly(_ v: ONNXRowValue, _ what: String) throws -> ([ONNXRowDim], Int) {
        guard case .rows(let dims, let axis) = v else {
            throw ONNXRowMixing.mixes("\(what) is the same for every row while another input holds rows")
        }
        return (dims, axis)
    }

    private static func requireNoRowCount(_ uses: Bool, _ name: String) throws {
        if uses { throw ONNXRowMixing.mixes("\(name) is computed from the number of rows in the batch") }
    }

    /// The integer values of an axes input known at load.
    private static func integers(_ v: ONNXRowValue, _ what: String) throws -> [Int] {
        guard case .fixed(_, let entries?, false) = v else {
            throw ONNXRowMixing.cannotTell("\(what) are not known when the model is loaded")
        }
        return try entries.map { e in
            guard case .size(let n) = e else { throw ONNXRowMixing.cannotTell("\(what) are not known when the model is loaded") }
            return n
        }
    }

    private static func axisIndex(_ axis: Int, rank: Int, _ role: String) throws -> Int {
        do { return try normalizedAxis(axis, rank: rank, role) } catch let e as ONNXKernelError {
            throw ONNXRowMixing.cannotTell(e.message)
        }
    }
}
