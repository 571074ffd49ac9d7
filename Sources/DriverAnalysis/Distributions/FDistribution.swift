import Foundation

/// Fisher's F distribution with `d₁, d₂ > 0` (possibly fractional) degrees of freedom.
///
/// `P(F ≤ f) = I_x(d₁/2, d₂/2)` with `x = d₁f/(d₁f + d₂)` and `1 − x = d₂/(d₁f + d₂)`
/// passed separately (Abramowitz & Stegun 26.6.2), so both tails keep relative accuracy.
public struct FDistribution: ContinuousDistribution, Equatable {
    /// Numerator degrees of freedom `d₁ > 0`.
    public let numeratorDegreesOfFreedom: Double
    /// Denominator degrees of freedom `d₂ > 0`.
    public let denominatorDegreesOfFreedom: Double

    /// The F distribution with `d₁` numerator and `d₂` denominator degrees of freedom.
    ///
    /// - Parameters:
    ///   - d1: the numerator degrees of freedom `d₁`, positive and finite; need not be an integer.
    ///   - d2: the denominator degrees of freedom `d₂`, positive and finite; need not be an integer.
    /// - Throws: ``DistributionError/invalidParameter(name:value:)`` unless both are positive and finite.
    public init(numeratorDegreesOfFreedom d1: Double, denominatorDegreesOfFreedom d2: Double) throws {
        try DistributionError.requirePositive(d1, "numeratorDegreesOfFreedom")
        try DistributionError.requirePositive(d2, "denominatorDegreesOfFreedom")
        numeratorDegreesOfFreedom = d1
        denominatorDegreesOfFreedom = d2
    }

    /// The probability density at `f` (0 outside the support).
    ///
    /// - Parameter f: the point at which to evaluate the density, any real number (values below 0 lie
    ///   outside the support).
    public func density(_ f: Double) -> Double {
        guard f > 0, f.isFinite else { return 0 }
        let (a, b, x, y) = betaArguments(f)
        // f · pdf(f) = xᵃyᵇ/B(a, b)
        return exp(LogGammaTerms.logBetaTerm(a, b, x, y)) / f
    }

    /// `P(X ≤ f)`; `NaN` for a `NaN` argument.
    ///
    /// - Parameter f: the upper end of the lower tail, any real number (values below 0 lie outside the
    ///   support).
    public func cdf(_ f: Double) -> Double {
        if f.isNaN { return .nan }
        guard f > 0 else { return 0 }
        let (a, b, x, y) = betaArguments(f)
        return IncompleteBeta.regularized(a, b, x: x, y: y).lower
    }

    /// `P(X > f)`, computed directly (accurate where `1 − cdf` underflows); `NaN` for `NaN`.
    ///
    /// - Parameter f: the lower end of the upper tail, any real number (values below 0 lie outside the
    ///   support).
    public func survival(_ f: Double) -> Double {
        if f.isNaN { return .nan }
        guard f > 0 else { return 1 }
        let (a, b, x, y) = betaArguments(f)
        return IncompleteBeta.regularized(a, b, x: x, y: y).upper
    }

    /// The value with `cdf = p`, for `p ∈ [0, 1]` (`NaN` outside); solved to near machine precision.
    ///
    /// - Parameter p: the lower-tail probability, in [0, 1]; 0 and 1 give the ends of the support.
    public func quantile(_ p: Double) -> Double {
        guard p >= 0, p <= 1 else { return .nan }
        if p == 0 { return 0 }
        if p == 1 { return .infinity }
        if p > 0.5 { return QuantileSolver.solve(target: 1 - p, increasing: false, guess: 1, tail: survival, density: density) }
        return QuantileSolver.solve(target: p, increasing: true, guess: 1, tail: cdf, density: density)
    }

    /// The value with `survival = q`, for `q ∈ [0, 1]` (`NaN` outside); accurate for tiny `q`.
    ///
    /// - Parameter q: the upper-tail probability, in [0, 1]; 1 and 0 give the ends of the support.
    public func inverseSurvival(_ q: Double) -> Double {
        guard q >= 0, q <= 1 else { return .nan }
        if q == 1 { return 0 }
        if q == 0 { return .infinity }
        if q > 0.5 { return QuantileSolver.solve(target: 1 - q, increasing: true, guess: 1, tail: cdf, density: density) }
        return QuantileSolver.solve(target: q, increasing: false, guess: 1, tail: survival, density: density)
    }

    private func betaArguments(_ f: Double) -> (Double, Double, Double, Double) {
        let d1 = numeratorDegreesOfFreedom, d2 = denominatorDegreesOfFreedom
        let r = d1 * f
        if r == .infinity { return (d1 / 2, d2 / 2, 1, 0) }
        return (d1 / 2, d2 / 2, r / (r + d2), d2 / (r + d2))
    }
}
