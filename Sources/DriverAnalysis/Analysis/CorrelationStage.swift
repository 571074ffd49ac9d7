/// The drivers' Pearson and Spearman correlations with the outcome (with the Pearson p-value),
/// on the model's complete rows. A factor with several dummies has no single correlation (`nil`).
public struct CorrelationStage: Sendable {
    /// Pearson `r` per driver (`nil` for a multi-level factor).
    public let pearson: [CorrelationTest?]
    /// Spearman `ρ` per driver (`nil` for a multi-level factor).
    public let spearman: [CorrelationTest?]

    /// Correlates each single-column driver of `fit` with the outcome.
    ///
    /// - Parameter fit: the fitted model stage, whose sample (analysed rows, weights) the correlations use.
    ///
    /// Complexity: O(n·p) (Spearman ranks in O(n) for rating scales, O(n log n) otherwise).
    public init(_ fit: ModelStage) throws {
        let single = fit.design.termRanges.indices.filter { fit.design.termRanges[$0].count == 1 && fit.variables[$0].kind != .factor }
        let columns = single.map { fit.sample.drivers[fit.design.termRanges[$0].lowerBound] }
        let p = try Correlation.driverCorrelations(outcome: fit.sample.outcome, drivers: columns)
        let s = try Correlation.driverCorrelations(outcome: fit.sample.outcome, drivers: columns, method: .spearman)
        var pearson = [CorrelationTest?](repeating: nil, count: fit.rows.count)
        var spearman = pearson
        for (k, j) in single.enumerated() {
            pearson[j] = p[k]
            spearman[j] = s[k]
        }
        self.pearson = pearson
        self.spearman = spearman
    }

    /// Writes `pearson`, `pearson_p_value` and `spearman` into the rows.
    func apply(to rows: inout [DriverReport.DriverRow]) {
        for j in rows.indices {
            rows[j].pearson = pearson[j]?.estimate
            rows[j].pearsonPValue = pearson[j]?.pValue
            rows[j].spearman = spearman[j]?.estimate
        }
    }
}
