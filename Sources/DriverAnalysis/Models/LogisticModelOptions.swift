/// Fitting options: intercept, interval level, iteration limit, convergence tolerance and the
/// meaning of the weights.
public struct LogisticModelOptions: Sendable, Codable {
    /// Whether the design includes an intercept column `(Intercept)`. Default `true`; without it the
    /// null model is `p = ½`.
    public var intercept: Bool
    /// Level of the Wald intervals of the coefficients and odds ratios, in (0, 1). Default `0.95`.
    public var confidenceLevel: Double
    /// Newton iterations allowed (the first, R-`glm` start step included) before the fit stops with a
    /// non-convergence warning. Default `25` (R `glm.control(maxit)`).
    public var maximumIterations: Int
    /// Relative deviance change that stops the iteration (R `glm.control(epsilon)`).
    public var tolerance: Double
    /// `true`: the weights are sampling (survey) weights and the covariance is the
    /// design-based sandwich `n/(n−1)·H⁻¹ Σ (wᵢ(yᵢ − μᵢ))² xᵢxᵢᵀ H⁻¹` (R `survey::svyglm`,
    /// single-stage design); `false`: prior (frequency) weights, covariance `H⁻¹`.
    public var samplingWeights: Bool = false
    /// LogisticModelOptions with R `glm` defaults: intercept, 95 % intervals, 25 iterations, tolerance `1e-8`,
    /// prior (not sampling) weights.
    ///
    /// - Parameters:
    ///   - intercept: whether to fit an intercept; `true` by default.
    ///   - confidenceLevel: the level of the Wald intervals, in (0, 1); 0.95 by default.
    ///   - maximumIterations: the Newton iterations allowed before the fit stops with a non-convergence
    ///     warning, positive; 25 by default.
    ///   - tolerance: the relative deviance change that ends the iteration, positive; `1e-8` by default.
    public init(intercept: Bool = true, confidenceLevel: Double = 0.95, maximumIterations: Int = 25, tolerance: Double = 1e-8) {
        self.intercept = intercept
        self.confidenceLevel = confidenceLevel
        self.maximumIterations = maximumIterations
        self.tolerance = tolerance
    }
}
