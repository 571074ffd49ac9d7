import LinearAlgebra

/// Tests for non-constant residual variance.
public enum Heteroscedasticity {
    /// Koenker's studentized Breusch–Pagan test (Breusch & Pagan 1979; Koenker 1981): regress the
    /// squared OLS residuals on the drivers; `LM = n·R²` of that regression is χ² with `p` df under
    /// constant variance. (R `lmtest::bptest`'s default.)
    ///
    /// - Parameters:
    ///   - residuals: the OLS residuals, one per observation.
    ///   - drivers: the model's driver columns (without the intercept), each as long as `residuals`; their
    ///     count is the test's degrees of freedom.
    public static func breuschPagan(residuals: [Double], drivers: [[Double]]) throws -> (statistic: Double, degreesOfFreedom: Int, pValue: Double) {
        try breuschPagan(residuals: residuals, drivers: drivers, gramInverse: nil)
    }

    /// The test with `(XᵀX)⁻¹` of the model's design (intercept first, then `drivers`) when known:
    /// the auxiliary fit then needs only `Xᵀu`, `O(n·p)` instead of `O(n·p²)`.
    static func breuschPagan(residuals: [Double], drivers: [[Double]], gramInverse: Matrix?) throws
        -> (statistic: Double, degreesOfFreedom: Int, pValue: Double) {
        let squared = residuals.map { $0 * $0 }
        let statistic = Double(residuals.count) * (try auxiliaryRSquared(squared, drivers: drivers, gramInverse: gramInverse))
        let df = drivers.count
        return (statistic, df, try ChiSquaredDistribution(degreesOfFreedom: Double(df)).survival(statistic))
    }

    /// R² of `u` on the drivers with an intercept. The auxiliary regression serves only its R², so
    /// it goes through the normal equations on the caller's columns (`XᵀX` by `dsyrk` on row
    /// blocks, `Xᵀu`, Cholesky of the column-scaled Gram matrix) — a third of a full fit with
    /// inference; a Gram matrix that is not positive definite (collinear drivers) gets the full
    /// rank-revealing fit.
    static func auxiliaryRSquared(_ u: [Double], drivers: [[Double]], gramInverse: Matrix? = nil) throws -> Double {
        let design = ColumnDesign(columns: drivers, intercept: true)
        let k = design.columnCount, n = Double(u.count)
        if let inverse = gramInverse, inverse.rows == k, inverse.columns == k {
            // b = (XᵀX)⁻¹Xᵀu; explained sum of squares bᵀXᵀu − n·ū².
            let mean = u.reduce(0, +) / n
            let total = u.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            guard total > 0 else { return 0 }
            let xtu = try design.transposedTimes(u)
            let b = try inverse.multiplied(by: xtu)
            let explained = zip(b, xtu).reduce(0) { $0 + $1.0 * $1.1 } - n * mean * mean
            if explained.isFinite { return min(1, max(0, explained / total)) }
        }
        let gram = try design.crossProduct(), xtu = try design.transposedTimes(u)
        let scales = (0..<k).map { gram[$0, $0] > 0 ? 1 / gram[$0, $0].squareRoot() : 1 }
        var scaled = gram
        for a in 0..<k { for b in 0..<k { scaled[a, b] *= scales[a] * scales[b] } }
        let mean = u.reduce(0, +) / n
        let total = u.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        guard total > 0 else { return 0 }
        if let factor = try? Cholesky(scaled), let solution = try? factor.solve(zip(xtu, scales).map { $0 * $1 }) {
            let explained = zip(solution, zip(xtu, scales)).reduce(0) { $0 + $1.0 * $1.1.0 * $1.1.1 } - n * mean * mean
            return min(1, max(0, explained / total))
        }
        return try LinearRegression(outcome: u, drivers: drivers, names: drivers.indices.map { "x\($0)" }).rSquared
    }
}
