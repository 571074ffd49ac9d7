/// Fitting options: intercept, covariance estimator, interval level and weight semantics.
public struct LinearModelOptions: Sendable, Codable {
    /// Whether the design includes an intercept `(Intercept)`. Default `true`; without it R² uses the
    /// uncentred total sum of squares.
    public var intercept: Bool
    /// Coefficient covariance estimator. Default ``LinearRegression/CovarianceType/classical``; with
    /// ``LinearRegression/Weighting/sampling`` a classical request is computed as HC0 (the design-based sandwich).
    public var covariance: LinearRegression.CovarianceType
    /// Level of the coefficient intervals `β̂ ± t₁₋α/₂,ν·SE`, in (0, 1). Default `0.95`.
    public var confidenceLevel: Double
    /// How the weights enter the variance. Default ``LinearRegression/Weighting/precision`` (R `lm`).
    public var weighting: LinearRegression.Weighting
    /// LinearModelOptions with R `lm` defaults: intercept, classical covariance, 95 % intervals, precision weights.
    ///
    /// - Parameters:
    ///   - intercept: whether to fit an intercept; `true` by default.
    ///   - covariance: the coefficient covariance estimator; ``LinearRegression/CovarianceType/classical``
    ///     by default.
    ///   - confidenceLevel: the level of the coefficient intervals, in (0, 1); 0.95 by default.
    ///   - weighting: how the weights enter the variance; ``LinearRegression/Weighting/precision`` by
    ///     default.
    public init(intercept: Bool = true, covariance: LinearRegression.CovarianceType = .classical, confidenceLevel: Double = 0.95,
                weighting: LinearRegression.Weighting = .precision) {
        self.intercept = intercept
        self.covariance = covariance
        self.confidenceLevel = confidenceLevel
        self.weighting = weighting
    }
}
