import Foundation

/// Student's t distribution with `ν > 0` (possibly fractional) degrees of freedom.
///
/// `P(T > t) = ½·I_{ν/(ν+t²)}(ν/2, ½)` for `t ≥ 0` (Abramowitz & Stegun 26.7.1), with
/// `1 − x = t²/(ν+t²)` passed separately so small `|t|` keep their accuracy. Quantiles by
/// `QuantileSolver` on the upper tail.
public struct StudentTDistribution: ContinuousDistribution, Equatable {
    /// Degrees of freedom `ν > 0`.
    public let degreesOfFreedom: Double

    /// Student's t with `ν` degrees of freedom.
    ///
    /// - Parameter degreesOfFreedom: the degrees of freedom `ν`, positive and finite; need not be an
    ///   integer.
    /// - Throws: ``DistributionError/invalidParameter(name:value:)`` unless `ν > 0` and finite.
    public init(degreesOfFreedom: Double) throws {
        try DistributionError.requirePositive(degreesOfFreedom, "degreesOfFreedom")
        self.degreesOfFreedom = degreesOfFreedom
    }

    /// The probability density at `t` (0 outside the support).
    ///
    /// - Parameter t: the point at which to evaluate the density, any real number.
    public func density(_ t: Double) -> Double {
        let v = degreesOfFreedom
        let logNormalizer = lgamma((v + 1) / 2) - lgamma(v / 2) - 0.5 * log(v * Double.pi)
        return exp(logNormalizer - (v + 1) / 2 * log1p(t * t / v))
    }

    /// `P(X ≤ t)`; `NaN` for a `NaN` argument.
    ///
    /// - Parameter t: the upper end of the lower tail, any real number.
    public func cdf(_ t: Double) -> Double {
        if t.isNaN { return .nan }
        return t < 0 ? upperTail(-t) : 1 - upperTail(t)
    }

    /// `P(X > t)`, computed directly (accurate where `1 − cdf` underflows); `NaN` for `NaN`.
    ///
    /// - Parameter t: the lower end of the upper tail, any real number.
    public func survival(_ t: Double) -> Double {
        if t.isNaN { return .nan }
        return t > 0 ? upperTail(t) : 1 - upperTail(-t)
    }

    /// The value with `cdf = p`, for `p ∈ [0, 1]` (`NaN` outside); solved to near machine precision.
    ///
    /// - Parameter p: the lower-tail probability, in [0, 1]; 0 and 1 give the ends of the support.
    public func quantile(_ p: Double) -> Double {
        guard p >= 0, p <= 1 else { return .nan }
        return p < 0.5 ? -upperQuantile(p) : upperQuantile(1 - p)
    }

    /// The value with `survival = q`, for `q ∈ [0, 1]` (`NaN` outside); accurate for tiny `q`.
    ///
    /// - Parameter q: the upper-tail probability, in [0, 1]; 1 and 0 give the ends of the support.
    public func inverseSurvival(_ q: Double) -> Double {
        guard q >= 0, q <= 1 else { return .nan }
        return q < 0.5 ? upperQuantile(q) : -upperQuantile(1 - q)
    }

    /// `P(T > t)` for `t ≥ 0`.
    func upperTail(_ t: Double) -> Double {
        if t == .infinity { return 0 }
        if t == 0 { return 0.5 }
        let v = degreesOfFreedom
        let x: Double, y: Double
        if t > 1e150 {
            // x = ν/t² may underflow. Leading term of the series, Iₓ(a, ½) = xᵃ/(a·B(a, ½))·(1 + O(x)),
            // with O(x) < 1e-280 here, in logs.
            let a = v / 2
            let logX = log(v) - 2 * log(t)
            return 0.5 * exp(a * logX - log(a) - (lgamma(a) + lgamma(0.5) - lgamma(a + 0.5)))
        } else {
            let t2 = t * t
            x = v / (v + t2)
            y = t2 / (v + t2)
        }
        return 0.5 * IncompleteBeta.regularized(v / 2, 0.5, x: x, y: y).lower
    }

    /// The `t ≥ 0` with `P(T > t) = q`, `0 ≤ q ≤ ½`.
    func upperQuantile(_ q: Double) -> Double {
        if q == 0 { return .infinity }
        if q == 0.5 { return 0 }
        let v = degreesOfFreedom
        if v == 1 { return 1 / tan(Double.pi * q) }                     // Cauchy, exact
        let z = -NormalDistribution.standardQuantile(q)
        // Cornish–Fisher expansion (A&S 26.7.5) as the starting point.
        let g1 = (z * z * z + z) / 4
        let g2 = (5 * pow(z, 5) + 16 * z * z * z + 3 * z) / 96
        var guess = z + g1 / v + g2 / (v * v)
        if !(guess > 0) || !guess.isFinite { guess = max(z, 1e-3) }
        return QuantileSolver.solve(target: q, increasing: false, guess: guess, tail: upperTail, density: density)
    }
}
