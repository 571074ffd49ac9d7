import Foundation

/// Fisher's F distribution with `d₁, d₂ > 0` (possibly fractional) degrees of freedom.
///
/// `P(F ≤ f) = I_x(d₁/2, d₂/2)` with `x = d₁f/(d₁f + d₂)` and `1 − x = d₂/(d₁f + d₂)`
/// passed separately (Abramowitz & Stegun 26.6.2), so both tails keep relative accuracy.
public struct FDistribution: ContinuousDistribution, Equatable {
    public let numeratorDegreesOfFreedom: Double
    public let denominatorDegreesOfFreedom: Double

    /// - Throws: ``DistributionError/invalidParameter(name:value:)`` unless both are positive and finite.
    public init(numeratorDegreesOfFreedom d1: Double, denominatorDegreesOfFreedom d2: Double) throws {
        try DistributionError.requirePositive(d1, "numeratorDegreesOfFreedom")
        try DistributionError.requirePositive(d2, "denominatorDegreesOfFreedom")
        numeratorDegreesOfFreedom = d1
        denominatorDegreesOfFreedom = d2
    }

    public func density(_ f: Double) -> Double {
        guard f > 0, f.isFinite else { return 0 }
        let (a, b, x, y) = betaArguments(f)
        // f · pdf(f) = xᵃyᵇ/B(a, b)
        return exp(LogGammaTerms.logBetaTerm(a, b, x, y)) / f
    }

    public func cdf(_ f: Double) -> Double {
        if f.isNaN { return .nan }
        guard f > 0 else { return 0 }
        let (a, b, x, y) = betaArguments(f)
        return IncompleteBeta.regularized(a, b, x: x, y: y).lower
    }

    public func survival(_ f: Double) -> Double {
        if f.isNaN { return .nan }
        guard f > 0 else { return 1 }
        let (a, b, x, y) = betaArguments(f)
        return IncompleteBeta.regularized(a, b, x: x, y: y).upper
    }

    public func quantile(_ p: Double) -> Double {
        guard p >= 0, p <= 1 else { return .nan }
        if p == 0 { return 0 }
        if p == 1 { return .infinity }
        if p > 0.5 { return QuantileSolver.solve(target: 1 - p, increasing: false, guess: 1, tail: survival, density: density) }
        return QuantileSolver.solve(target: p, increasing: true, guess: 1, tail: cdf, density: density)
    }

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
