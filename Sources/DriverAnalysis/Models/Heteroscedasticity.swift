import LinearAlgebra

/// Tests for non-constant residual variance.
public enum Heteroscedasticity {
    /// Koenker's studentized Breusch–Pagan test (Breusch & Pagan 1979; Koenker 1981): regress the
    /// squared OLS residuals on the drivers; `LM = n·R²` of that regression is χ² with `p` df under
    /// constant variance. (R `lmtest::bptest`'s default.)
    public static func breuschPagan(residuals: [Double], drivers: [[Double]]) throws -> (statistic: Double, degreesOfFreedom: Int, pValue: Double) {
        let squared = residuals.map { $0 * $0 }
        let auxiliary = try LinearRegression(outcome: squared, drivers: drivers, names: drivers.indices.map { "x\($0)" })
        let statistic = Double(residuals.count) * auxiliary.rSquared
        let df = drivers.count
        return (statistic, df, try ChiSquaredDistribution(degreesOfFreedom: Double(df)).survival(statistic))
    }
}
