/// A coefficient pooled over imputations: its term name and Rubin's-rules parts.
public struct PooledCoefficient: Sendable, Equatable, Codable {
    /// The term: `(Intercept)`, a driver, `Factor[Level]` or a control.
    public let name: String
    /// Pooled estimate, within/between/total variance, Barnard–Rubin df, fraction of missing information.
    public let pooled: PooledEstimate
}

/// The result of ``KeyDriverAnalysis/analyzeImputed(_:_:options:progress:)``: one analysis per
/// imputed dataset, combined.
public struct ImputedAnalysis: Sendable, Codable {
    /// The pooled report: coefficients by Rubin's rules (t tests with Barnard–Rubin degrees of
    /// freedom), importance, fit statistics and what-ifs averaged over the imputations; joint
    /// factor tests, the overall F test, dominance matrices and bootstrap intervals are not
    /// pooled and left out. Its `multiple_imputation` note says what was imputed.
    public let report: DriverReport
    /// Every pooled coefficient with its variance parts, in report order.
    public let coefficients: [PooledCoefficient]
    /// The settings used.
    public let options: ImputationOptions
    /// Cells imputed per analysed column (columns without missing cells left out).
    public let imputedCells: [String: Int]
    /// Rows with every analysed column observed: what listwise deletion would have kept.
    public let completeCases: Int
    /// Rows analysed in each imputed dataset.
    public let rows: Int

    enum CodingKeys: String, CodingKey {
        case report, coefficients, options, rows
        case imputedCells = "imputed_cells", completeCases = "complete_cases"
    }

    /// The pooled coefficient of `name` (a driver, `Factor[Level]`, `(Intercept)`), if pooled. O(terms).
    ///
    /// - Parameter name: the term's name: a driver, `Factor[Level]` or `(Intercept)`.
    public func coefficient(named name: String) -> PooledCoefficient? { coefficients.first { $0.name == name } }
}
