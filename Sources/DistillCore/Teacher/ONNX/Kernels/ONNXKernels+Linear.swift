/// Matrix products: Gemm and MatMul, through `ONNXMatrixProduct` on the whole batch
/// (float), or `ONNXMatrixProduct.multiplyDouble` (double models).
enum ONNXLinear {
    /// Y = alpha · op(A) · op(B) + beta · C, with C broadcast to [M, N] (ONNX Gemm).
    ///
    /// Each element is alpha · (the product's fma chain), then plus beta · C, each rounded
    /// once; C is read in place through strides (0 along a broadcast axis), never copied.
    /// - Complexity: O(M·N·K).
    static func gemm(_ a: ONNXTensor, _ b: ONNXTensor, _ c: ONNXTensor?,
                     transA: Bool, transB: Bool, alpha: Float, beta: Float) throws -> ONNXTensor {
        if case .double = a.data {
            return try gemm(Double.self, a, b, c, transA: transA, transB: transB, alpha: alpha, beta: beta)
        }
        return try gemm(Float.self, a, b, c, transA: transA, transB: transB, alpha: alpha, beta: beta)
    }

    private static func gemm<T: ONNXMatrixElement>(_: T.Type, _ a: ONNXTensor, _ b: ONNXTensor, _ c: ONNXTensor?,
                                                   transA: Bool, transB: Bool, alpha: Float, beta: Float) throws -> ONNXTensor {
        guard a.rank == 2, b.rank == 2 else {
            throw ONNXKernelError("Gemm needs 2-D A and B, got shapes \(a.shape) and \(b.shape)")
        }
        let m = transA ? a.shape[1] : a.shape[0]
        let k = transA ? a.shape[0] : a.shape[1]
        let kb = transB ? b.shape[1] : b.shape[0]
        let n = transB ? b.shape[0] : b.shape[1]
        guard k == kb else {
            throw ONNXKernelError("Gemm inner dimensions differ: A \(a.shape)\(transA ? "ᵀ" : "") and B \(b.shape)\(transB ? "ᵀ" : "")")
        }
        // With k = 0 the product reads neither; one placeholder value gives each a pointer,
        // so Y is still alpha · 0 + beta · C.
        let av = try T.values(a, "Gemm input A").orPlaceholder, bv = try T.values(b, "Gemm input B").orPlaceholder
        try ONNXLimits.check([m, n], "Gemm output")
        var bias: [T] = []
        var strides = (row: 0, column: 0)
        var scale: T = 0
        if let c, beta != 0 {
            bias = try T.values(c, "Gemm input C")
            let cShape = c.shape
            guard (try? ONNXElementwise.broadcastShape(cShape, [m, n])) == [m, n] else {
                throw ONNXKernelError("Gemm bias C of shape \(cShape) does not broadcast to [\(m), \(n)]")
            }
            if bias.count == m * n {
                strides = (n, 1)
            } else if bias.count == n && (cShape.last ?? 1) == n {
                strides = (0, 1)
            } else if bias.count == 1 {
                strides = (0, 0)
            } else {
                // [M, 1]: one value per row.
                strides = (1, 0)
            }
            scale = T(beta)
        }
        var y = [T](repeating: 0, count: m * n)
        av.withUnsafeBufferPointer { ap in
            bv.withUnsafeBufferPointer { bp in
                bias.withUnsafeBufferPointer { cp in
                    y.withUnsafeMutableBufferPointer { yp in
                        if let ab = ap.baseAddress, let bb = bp.baseAddress, let yb = yp.baseAddress {
                            T.multiply(transA: transA, transB: transB, m: m, n: n, k: k, alpha: T(alpha),
                                       a: ab, b: bb, beta: scale, c: cp.baseAddress, cStrides: strides, y: yb)
                        }
                    }
                }
            }
        }
        return ONNXTensor(shape: [m, n], data: T.wrap(y))
    }

    /// numpy `matmul`: A [..., M, K] × B [K, N] (or B with matching leading batch dims).
    ///
    /// The common case of a 2-D weight B folds all of A's leading dimensions into M so the
    /// whole batch is one product. 1-D operands are promoted and the added axis dropped.
    static func matMul(_ a: ONNXTensor, _ b: ONNXTensor) throws -> ONNXTensor {
        if case .double = a.data { return try matMul(Double.self, a, b) }
        return try matMul(Float.self, a, b)
    }

    private static func matMul<T: ONNXMatrixElement>(_: T.Type, _ a: ONNXTensor, _ b: ONNXTensor) throws -> ONNXTensor {
        let av = try T.values(a, "MatMul input A"), bv = try T.values(b, "MatMul input B")
        var aShape = a.shape, bShape = b.shape
        let aVector = aShape.count == 1, bVector = bShape.count == 1
        if aVector { aShape = [1, aShape[0]] }
        if bVector { bShape = [bShape[0], 1] }
        guard aShape.count >= 2, bShape.count >= 2 else {
            throw ONNXKernelError("MatMul needs tensors of rank ≥ 1, got \(a.shape) and \(b.shape)")
        }
        let k = aShape[aShape.count - 1]
        let m = aShape[aShape.count - 2]
        let kb = bShape[bShape.count - 2]
        let n = bShape[bShape.count - 1]
        guard k == kb else {
            throw ONNXKernelError("MatMul inner dimensions differ: \(a.shape) × \(b.shape)")
        }
        let aBatch = Array(aShape.dropLast(2)), bBatch = Array(bShape.dropLast(2))
        var outShape: [Int]
        var y: [T]
        if bBatch.allSatisfy({ $0 == 1 }) {
            let rows = aBatch.reduce(1, *) * m
            try ONNXLimits.check([rows, n], "MatMul output")
            y = [T](repeating: 0, count: rows * n)
            run(av, 0, bv, 0, &y, 0, m: rows, n: n, k: k)
            outShape = try ONNXElementwise.broadcastShape(aBatch, bBatch) + [m, n]
        } else {
            let batch = try ONNXElementwise.broadcastShape(aBatch, bBatch)
            try ONNXLimits.check(batch + [m, n], "MatMul output")
            let count = batch.reduce(1, *)
            let aPos = ONNXElementwise.broadcastPositions(aBatch, to: batch)
            let bPos = ONNXElementwise.broadcastPositions(bBatch, to: batch)
            y = [T](repeating: 0, count: count * m * n)
            for i in 0..<count {
                run(av, aPos[i] * m * k, bv, bPos[i] * k * n, &y, i * m * n, m: m, n: n, k: k)
            }
            outShape = batch + [m, n]
        }
        if bVector { outShape.removeLast() }
        if aVector { outShape.remove(at: outShape.count - (bVector ? 1 : 2)) }
        return ONNXTensor(shape: outShape, data: T.wrap(y))
    }

    private static func run<T: ONNXMatrixElement>(_ a: [T], _ aOffset: Int, _ b: [T], _ bOffset: Int,
                                                  _ y: inout [T], _ yOffset: Int, m: Int, n: Int, k: Int) {
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                y.withUnsafeMutableBufferPointer { yp in
                    guard let ab = ap.baseAddress, let bb = bp.baseAddress, let yb = yp.baseAddress else { return }
                    T.multiply(transA: false, transB: false, m: m, n: n, k: k, alpha: 1,
                               a: ab + aOffset, b: bb + bOffset, beta: 0, c: nil, cStrides: (0, 0), y: yb + yOffset)
                }
            }
        }
    }
}

private extension Array where Element: Numeric {
    /// The array, or one zero in place of an empty one.
    var orPlaceholder: [Element] { isEmpty ? [0] : self }
}

/// An element type matrix products run in: float through the C kernels, double through
/// `ONNXMatrixProduct.multiplyDouble`.
protocol ONNXMatrixElement: ONNXReal {
    /// The tensor's values, or a kernel error naming `role` if it holds another type.
    static func values(_ t: ONNXTensor, _ role: String) throws -> [Self]
    static func multiply(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Self,
                         a: UnsafePointer<Self>, b: UnsafePointer<Self>, beta: Self, c: UnsafePointer<Self>?,
                         cStrides: (row: Int, column: Int), y: UnsafeMutablePointer<Self>)
}

extension Float: ONNXMatrixElement {
    static func values(_ t: ONNXTensor, _ role: String) throws -> [Float] { try t.floats(role) }
    static func multiply(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float,
                         a: UnsafePointer<Float>, b: UnsafePointer<Float>, beta: Float, c: UnsafePointer<Float>?,
                         cStrides: (row: Int, column: Int), y: UnsafeMutablePointer<Float>) {
        ONNXMatrixProduct.multiply(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, b: b,
                                   beta: beta, c: c, cStrides: cStrides, y: y)
    }
}

extension Double: ONNXMatrixElement {
    static func values(_ t: ONNXTensor, _ role: String) throws -> [Double] {
        guard case .double(let v) = t.data else {
            throw ONNXKernelError("\(role) must be double like the other operand, got \(t.elementType.rawValue)", kind: .unsupportedType)
        }
        return v
    }
    static func multiply(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Double,
                         a: UnsafePointer<Double>, b: UnsafePointer<Double>, beta: Double, c: UnsafePointer<Double>?,
                         cStrides: (row: Int, column: Int), y: UnsafeMutablePointer<Double>) {
        ONNXMatrixProduct.multiplyDouble(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, b: b,
                                         beta: beta, c: c, cStrides: cStrides, y: y)
    }
}
