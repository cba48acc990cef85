/// One text feature's diagonal block of a Newton step's quadratic model, H = (1/n) X_Gᵀ V X_G
/// over its indicator terms, kept in the O(|G|) numbers that determine it.
///
/// With zᵢ the row's 0/1 indicators, μ the levels' shares and S = diag(s) the scales,
/// X_G's rows are S⁻¹(zᵢ − μ), so H = S⁻¹ K S⁻¹ / n with
///
///     K = Σᵢ Vᵢ (zᵢ − μ)(zᵢ − μ)ᵀ = diag(v) − vμᵀ − μvᵀ + V μμᵀ,
///
/// v the curvature summed over each level's rows and V over all rows: a diagonal plus a
/// matrix of rank two, because a row has at most one level. Products with H and solves
/// with H + κI so cost O(|G|), where the dense block cost O(|G|²) and O(|G|³).
struct IndicatorHessian: Sendable {
    /// The block's coordinates in the quadratic model.
    let local: Range<Int>
    let rows: Double
    let means: [Double]
    let scales: [Double]
    /// v: the curvature summed over the rows of each term's level.
    let levels: [Double]
    /// The curvature summed over the rows of no term (the reference level's and missing).
    let others: Double
    /// V = `others` + Σ v, every row's curvature.
    let total: Double
    /// Hₐₐ.
    let diagonal: [Double]

    init(local: Range<Int>, rows: Int, means: [Double], scales: [Double], levels: [Double], others: Double) {
        self.local = local
        self.rows = Double(rows)
        self.means = means
        self.scales = scales
        self.levels = levels
        self.others = others
        let total = levels.reduce(others, +)
        self.total = total
        diagonal = levels.indices.map { a in
            (levels[a] * (1 - 2 * means[a]) + total * means[a] * means[a]) / (scales[a] * scales[a] * Double(rows))
        }
    }

    var count: Int { means.count }

    /// H δ.
    /// - Complexity: O(|G|).
    func product(_ delta: [Double]) -> [Double] {
        var m1 = 0.0, m2 = 0.0
        for a in 0..<count {
            let scaled = delta[a] / scales[a]
            m1 += means[a] * scaled
            m2 += levels[a] * scaled
        }
        return (0..<count).map { a in
            (levels[a] * (delta[a] / scales[a] - m1) + means[a] * (total * m1 - m2)) / (scales[a] * rows)
        }
    }

    /// δᵀ H δ: a step's curvature-scaled square over the whole block.
    /// - Complexity: O(|G|).
    func quadratic(_ delta: [Double]) -> Double {
        zip(delta, product(delta)).reduce(0) { $0 + $1.0 * $1.1 }
    }

    /// The w minimising ½ wᵀHw − bᵀw + t‖w‖ + (β/2)‖w‖²: a group's exact step in block
    /// coordinate descent, with b = H w₀ − g from its current weights w₀ and gradient g.
    ///
    /// w = 0 when ‖b‖ ≤ t. Otherwise w = (H + (β + t/‖w‖) I)⁻¹ b: with y(γ) = (H + (β + γ)I)⁻¹b,
    /// γ solves φ(γ) = 1/‖y(γ)‖ − γ/t = 0. 1/‖y‖ is concave in γ (Moré & Sorensen, 1983,
    /// who solve the trust-region subproblem so), so φ is concave, positive at 0 and
    /// negative for large γ: Newton's method started right of the root decreases to it
    /// monotonically and quadratically. It starts at γ₀ = (Λ + β) t / (‖b‖ − t), Λ = tr H
    /// ≥ λ_max(H), where ‖y‖ ≥ ‖b‖/(Λ + β + γ₀) makes φ(γ₀) ≤ 0, and stops when γ no longer
    /// decreases by more than 1e-15 of itself (or after 100 steps).
    /// - Complexity: O(|G|) per Newton step.
    func minimiser(b: [Double], threshold t: Double, ridge beta: Double) -> [Double] {
        let size = b.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard size > t else { return [Double](repeating: 0, count: count) }
        guard t > 0 else { return Shifted(self, kappa: beta).solve(b) }
        let trace = diagonal.reduce(0, +)
        var gamma = (trace + beta) * t / (size - t)
        var shifted = Shifted(self, kappa: beta + gamma)
        var y = shifted.solve(b)
        for _ in 0..<100 {
            let norm = y.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let phi = 1 / norm - gamma / t
            guard phi < 0 else { break }
            let z = shifted.solve(y)
            let slope = zip(y, z).reduce(0) { $0 + $1.0 * $1.1 } / (norm * norm * norm) - 1 / t
            guard slope < 0 else { break }
            let next = gamma - phi / slope
            guard next < gamma * (1 - 1e-15), next > 0 else { break }
            gamma = next
            shifted = Shifted(self, kappa: beta + gamma)
            y = shifted.solve(b)
        }
        return y
    }

    /// Solves with H + κI (κ > 0) as n S M⁻¹ S, where M = K + nκS² is
    ///
    ///     diag(a) − vvᵀ/V + V ddᵀ,  aₐ = vₐ + nκsₐ²,  d = μ − v/V,
    ///
    /// a diagonal less a rank-one term plus another, each removed by Sherman–Morrison. The
    /// first denominator, V − Σ vₐ²/aₐ, is summed as `others` + Σ vₐ(nκsₐ²)/aₐ, all
    /// positive, so a block whose reference level holds little curvature loses no digits.
    private struct Shifted {
        let block: IndicatorHessian
        let diagonal: [Double]
        /// v / a.
        let q: [Double]
        let first: Double
        let d: [Double]
        /// (diag(a) − vvᵀ/V)⁻¹ d and dᵀ of it.
        let inverseD: [Double]
        let second: Double

        init(_ block: IndicatorHessian, kappa: Double) {
            self.block = block
            let shift = block.rows * kappa
            diagonal = (0..<block.count).map { block.levels[$0] + shift * block.scales[$0] * block.scales[$0] }
            q = zip(block.levels, diagonal).map { $0 / $1 }
            var first = block.others
            for a in 0..<block.count { first += block.levels[a] * (shift * block.scales[a] * block.scales[a]) / diagonal[a] }
            self.first = first
            d = (0..<block.count).map { block.means[$0] - block.levels[$0] / block.total }
            var inverseD = [Double](repeating: 0, count: block.count)
            Self.firstSolve(d, diagonal: diagonal, q: q, first: first, into: &inverseD)
            self.inverseD = inverseD
            second = 1 + block.total * zip(d, inverseD).reduce(0) { $0 + $1.0 * $1.1 }
        }

        /// (diag(a) − vvᵀ/V)⁻¹ x = x/a + q (qᵀx)/(V − Σ vₐ²/aₐ).
        static func firstSolve(_ x: [Double], diagonal: [Double], q: [Double], first: Double, into result: inout [Double]) {
            let along = zip(q, x).reduce(0) { $0 + $1.0 * $1.1 } / first
            for a in x.indices { result[a] = x[a] / diagonal[a] + q[a] * along }
        }

        /// (H + κI)⁻¹ x.
        func solve(_ x: [Double]) -> [Double] {
            let scaled = zip(x, block.scales).map { $0 * $1 }
            var u = [Double](repeating: 0, count: x.count)
            Self.firstSolve(scaled, diagonal: diagonal, q: q, first: first, into: &u)
            let along = block.total * zip(d, u).reduce(0) { $0 + $1.0 * $1.1 } / second
            for a in u.indices { u[a] = block.rows * block.scales[a] * (u[a] - inverseD[a] * along) }
            return u
        }
    }
}
