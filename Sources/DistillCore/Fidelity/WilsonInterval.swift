import Foundation

/// The Wilson score interval for a binomial proportion (Wilson, 1927): unlike the normal
/// approximation it stays inside [0, 1] and behaves at proportions near 0 or 1 and for
/// small samples, which is where a faithful student's agreement lives.
public enum WilsonInterval {
    /// - Parameters:
    ///   - successes: rows that agree.
    ///   - trials: rows compared; an empty sample gives the uninformative [0, 1].
    ///   - z: the normal quantile; 1.959964 for 95%.
    public static func bounds(successes: Int, trials: Int, z: Double = 1.959964) -> (low: Double, high: Double) {
        precondition(successes >= 0 && successes <= trials)
        guard trials > 0 else { return (0, 1) }
        let n = Double(trials)
        let p = Double(successes) / n
        let z2 = z * z
        let centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        let half = z / (1 + z2 / n) * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        return (max(0, centre - half), min(1, centre + half))
    }
}
