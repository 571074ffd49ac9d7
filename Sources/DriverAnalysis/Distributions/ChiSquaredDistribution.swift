import Foundation

/// The chi-squared distribution with `k > 0` (possibly fractional) degrees of freedom.
///
/// `P(X ≤ x) = P(k/2, x/2)` and `P(X > x) = Q(k/2, x/2)`, the regularized incomplete gamma
/// functions, each computed directly (`IncompleteGamma`). Quantiles by `QuantileSolver`
/// from the Wilson–Hilferty approximation.
public struct ChiSquaredDistribution: ContinuousDistribution, Equatable {
    /// Degrees of freedom `k > 0`.
    public let degreesOfFreedom: Double

    /// The χ² distribution with `k` degrees of freedom.
    ///
    /// - Parameter degreesOfFreedom: the degrees of freedom `k`, positive and finite; need not be an
    ///   integer.
    /// - Throws: ``DistributionError/invalidParameter(name:value:)`` unless `k > 0` and finite.
    public init(degreesOfFreedom: Double) throws {
        try DistributionError.requirePositive(degreesOfFreedom, "degreesOfFreedom")
        self.degreesOfFreedom = degreesOfFreedom
    }

    /// The probability density at `x` (0 outside the support).
    ///
    /// - Parameter x: the point at which to evaluate the density, any real number (values below 0 lie
    ///   outside the support).
    public func density(_ x: Double) -> Double {
        guard x > 0 else { return x == 0 && degreesOfFreedom == 2 ? 0.5 : (x == 0 && degreesOfFreedom < 2 ? .infinity : 0) }
        let k = degreesOfFreedom
        // (x/2)^{k/2} e^{−x/2} / Γ(k/2 + 1) · k/(2x)
        return exp(LogGammaTerms.logPoissonTerm(k / 2, x / 2)) * k / (2 * x)
    }

    /// `P(X ≤ x)`; `NaN` for a `NaN` argument.
    ///
    /// - Parameter x: the upper end of the lower tail, any real number (values below 0 lie outside the
    ///   support).
    public func cdf(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        return IncompleteGamma.regularized(degreesOfFreedom / 2, max(0, x) / 2).lower
    }

    /// `P(X > x)`, computed directly (accurate where `1 − cdf` underflows); `NaN` for `NaN`.
    ///
    /// - Parameter x: the lower end of the upper tail, any real number (values below 0 lie outside the
    ///   support).
    public func survival(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        return IncompleteGamma.regularized(degreesOfFreedom / 2, max(0, x) / 2).upper
    }

    /// The value with `cdf = p`, for `p ∈ [0, 1]` (`NaN` outside); solved to near machine precision.
    ///
    /// - Parameter p: the lower-tail probability, in [0, 1]; 0 and 1 give the ends of the support.
    public func quantile(_ p: Double) -> Double {
        guard p >= 0, p <= 1 else { return .nan }
        if p == 0 { return 0 }
        if p == 1 { return .infinity }
        if p > 0.5 { return solveUpper(1 - p) }
        return QuantileSolver.solve(target: p, increasing: true, guess: guess(lowerTail: p), tail: cdf, density: density)
    }

    /// The value with `survival = q`, for `q ∈ [0, 1]` (`NaN` outside); accurate for tiny `q`.
    ///
    /// - Parameter q: the upper-tail probability, in [0, 1]; 1 and 0 give the ends of the support.
    public func inverseSurvival(_ q: Double) -> Double {
        guard q >= 0, q <= 1 else { return .nan }
        if q == 1 { return 0 }
        if q == 0 { return .infinity }
        if q > 0.5 { return QuantileSolver.solve(target: 1 - q, increasing: true, guess: guess(lowerTail: 1 - q), tail: cdf, density: density) }
        return solveUpper(q)
    }

    private func solveUpper(_ q: Double) -> Double {
        QuantileSolver.solve(target: q, increasing: false, guess: guess(lowerTail: 1 - q, upperTail: q), tail: survival, density: density)
    }

    /// Wilson–Hilferty (1931), or the small-`x` power law `P ≈ (x/2)^{k/2}/Γ(k/2+1)`.
    private func guess(lowerTail p: Double, upperTail q: Double? = nil) -> Double {
        let k = degreesOfFreedom
        let z = q.map { -NormalDistribution.standardQuantile($0) } ?? NormalDistribution.standardQuantile(p)
        let c = 2 / (9 * k)
        let wh = k * pow(1 - c + z * c.squareRoot(), 3)
        if wh > 0.5 * k || (q == nil && wh > 0) { return wh }
        let small = 2 * exp((log(p) + lgamma(k / 2 + 1)) * 2 / k)
        return small.isFinite && small > 0 ? small : max(wh, 1e-3)
    }
}
