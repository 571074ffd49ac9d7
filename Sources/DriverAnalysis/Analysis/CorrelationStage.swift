/// The drivers' Pearson and Spearman correlations with the outcome (with the Pearson p-value),
/// on the model's complete rows.
public struct CorrelationStage: Sendable {
    /// Pearson `r` per driver.
    public let pearson: [CorrelationTest]
    /// Spearman `ρ` per driver.
    public let spearman: [CorrelationTest]

    /// Correlates each driver column of `fit` with the outcome.
    ///
    /// Complexity: O(n·p) (Spearman ranks in O(n) for rating scales, O(n log n) otherwise).
    public init(_ fit: ModelStage) throws {
        pearson = try Correlation.driverCorrelations(outcome: fit.sample.outcome, drivers: fit.driverColumns)
        spearman = try Correlation.driverCorrelations(outcome: fit.sample.outcome, drivers: fit.driverColumns, method: .spearman)
    }

    /// Writes `pearson`, `pearson_p_value` and `spearman` into the rows.
    func apply(to rows: inout [DriverReport.DriverRow]) {
        for j in rows.indices {
            rows[j].pearson = pearson[j].estimate
            rows[j].pearsonPValue = pearson[j].pValue
            rows[j].spearman = spearman[j].estimate
        }
    }
}
