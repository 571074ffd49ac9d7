import Foundation

/// One parameter pooled over `m` imputed datasets by Rubin's rules (Rubin 1987, *Multiple
/// Imputation for Nonresponse in Surveys*, Wiley, §3.1), with the Barnard–Rubin degrees of
/// freedom (Barnard & Rubin 1999, *Biometrika* 86:948–955, doi:10.1093/biomet/86.4.948) as
/// R's `mice::pool` computes them.
///
/// With estimates `Q₁…Qₘ` and their squared standard errors `U₁…Uₘ`:
/// - pooled estimate `Q̄ = Σ Qᵢ / m`;
/// - within-imputation variance `Ū = Σ Uᵢ / m`;
/// - between-imputation variance `B = Σ (Qᵢ − Q̄)² / (m − 1)`;
/// - total variance `T = Ū + (1 + 1/m) B`;
/// - `λ = (1 + 1/m) B / T` (share of the variance due to the missing data), `r = (1 + 1/m) B / Ū`;
/// - `ν_old = (m − 1) / λ²`, `ν_obs = (ν_com + 1)/(ν_com + 3) · ν_com · (1 − λ)`,
///   `ν = ν_old ν_obs / (ν_old + ν_obs)` (`ν = ν_old` when `ν_com` is infinite; λ is floored at
///   10⁻⁴ as `mice:::barnard.rubin` does);
/// - fraction of missing information `γ = (r + 2/(ν + 3)) / (1 + r)`.
public struct PooledEstimate: Sendable, Equatable, Codable {
    /// `Q̄`, the mean of the estimates.
    public let estimate: Double
    /// `Ū`, the mean squared standard error.
    public let withinVariance: Double
    /// `B`, the variance of the estimates over imputations (`m − 1` denominator).
    public let betweenVariance: Double
    /// `T = Ū + (1 + 1/m) B`.
    public let totalVariance: Double
    /// Barnard–Rubin degrees of freedom `ν`.
    public let degreesOfFreedom: Double
    /// Relative increase in variance due to nonresponse, `r = (1 + 1/m) B / Ū`.
    public let relativeIncrease: Double
    /// Fraction of missing information `γ`.
    public let fractionMissingInformation: Double
    /// Imputations pooled.
    public let imputations: Int

    /// `√T`.
    public var standardError: Double { totalVariance.squareRoot() }

    enum CodingKeys: String, CodingKey {
        case estimate, imputations
        case withinVariance = "within_variance", betweenVariance = "between_variance", totalVariance = "total_variance"
        case degreesOfFreedom = "df", relativeIncrease = "riv", fractionMissingInformation = "fmi"
    }

    /// Pools `estimates` with their `variances` (squared standard errors) by Rubin's rules.
    ///
    /// - Parameters:
    ///   - estimates: one estimate per imputed dataset.
    ///   - variances: the matching squared standard errors.
    ///   - completeDataDF: `ν_com`, the residual degrees of freedom the complete data would have
    ///     (`n − p`, as `mice::pool` takes from `df.residual`); `.infinity` for large-sample models.
    /// - Returns: `nil` when fewer than two imputations are given, the counts differ, or a
    ///   value is not finite (nothing to pool is never turned into a number).
    /// Complexity: O(m).
    public static func pool(estimates: [Double], variances: [Double], completeDataDF: Double) -> PooledEstimate? {
        let m = estimates.count
        guard m >= 2, variances.count == m, estimates.allSatisfy(\.isFinite), variances.allSatisfy({ $0.isFinite && $0 >= 0 }),
              !completeDataDF.isNaN, completeDataDF > 0 else { return nil }
        let md = Double(m)
        // Means as x₀ + Σ(xᵢ − x₀)/m: identical imputations (no missing cell) give x₀ exactly.
        let qbar = estimates[0] + estimates.reduce(0) { $0 + ($1 - estimates[0]) } / md
        let ubar = variances[0] + variances.reduce(0) { $0 + ($1 - variances[0]) } / md
        let b = estimates.reduce(0) { $0 + ($1 - qbar) * ($1 - qbar) } / (md - 1)
        let t = ubar + (1 + 1 / md) * b
        let df = barnardRubin(m: md, b: b, t: t, dfcom: completeDataDF)
        let riv = ubar > 0 ? (1 + 1 / md) * b / ubar : (b > 0 ? .infinity : 0)
        let fmi = riv.isFinite ? (riv + 2 / (df + 3)) / (1 + riv) : 1
        return PooledEstimate(estimate: qbar, withinVariance: ubar, betweenVariance: b, totalVariance: t,
                              degreesOfFreedom: df, relativeIncrease: riv, fractionMissingInformation: fmi, imputations: m)
    }

    /// `mice:::barnard.rubin`: λ floored at 10⁻⁴.
    static func barnardRubin(m: Double, b: Double, t: Double, dfcom: Double) -> Double {
        var lambda = t > 0 ? (1 + 1 / m) * b / t : 0
        lambda = max(lambda, 1e-4)
        let dfold = (m - 1) / (lambda * lambda)
        guard dfcom.isFinite else { return dfold }
        let dfobs = (dfcom + 1) / (dfcom + 3) * dfcom * (1 - lambda)
        return dfold * dfobs / (dfold + dfobs)
    }

    /// The pooled coefficient as the model tables show it: `t = Q̄/√T`, two-sided p from Student
    /// t with ``degreesOfFreedom`` (as `summary(pool(…))`), interval `Q̄ ± t_{ν,(1+level)/2} √T`.
    ///
    /// - Parameters:
    ///   - name: the term's name, as the coefficient table shows it.
    ///   - confidenceLevel: the level of the interval, in (0, 1), e.g. 0.95.
    public func coefficient(named name: String, confidenceLevel: Double) -> Coefficient {
        let se = standardError, statistic = estimate / se
        guard se > 0, statistic.isFinite, let t = try? StudentTDistribution(degreesOfFreedom: degreesOfFreedom) else {
            return Coefficient(name: name, estimate: estimate, standardError: se, statistic: .nan, pValue: .nan,
                               confidenceInterval: ClosedInterval(lower: .nan, upper: .nan), isAliased: false)
        }
        let q = t.quantile(0.5 + confidenceLevel / 2)
        return Coefficient(name: name, estimate: estimate, standardError: se, statistic: statistic, pValue: 2 * t.survival(abs(statistic)),
                           confidenceInterval: ClosedInterval(lower: estimate - q * se, upper: estimate + q * se), isAliased: false)
    }
}
