import Foundation

/// The normal distribution `N(μ, σ²)`.
///
/// `Φ(z) = ½·erfc(−z/√2)` and `1 − Φ(z) = ½·erfc(z/√2)` use the C library's `erfc`, which
/// keeps relative accuracy in both tails (to `Φ(−37.5) ≈ 5e-308`). The quantile starts from
/// Acklam's rational approximation (relative error < 1.15e-9) and is polished by Halley's
/// method against the accurate tail, so it is good to a few ulps.
public struct NormalDistribution: ContinuousDistribution, Equatable {
    /// The mean `μ`.
    public let mean: Double
    /// The standard deviation `σ > 0`.
    public let standardDeviation: Double

    /// The standard normal `N(0, 1)`.
    public static let standard = NormalDistribution(uncheckedMean: 0, standardDeviation: 1)

    /// `N(μ, σ²)`; the defaults give the standard normal.
    ///
    /// - Parameters:
    ///   - mean: the mean `μ`, finite; 0 by default.
    ///   - standardDeviation: the standard deviation `σ`, positive and finite; 1 by default.
    /// - Throws: ``DistributionError/invalidParameter(name:value:)`` unless `σ > 0` and `μ` finite.
    public init(mean: Double = 0, standardDeviation: Double = 1) throws {
        try DistributionError.requirePositive(standardDeviation, "standardDeviation")
        guard mean.isFinite else { throw DistributionError.invalidParameter(name: "mean", value: mean) }
        self.init(uncheckedMean: mean, standardDeviation: standardDeviation)
    }

    private init(uncheckedMean mean: Double, standardDeviation: Double) {
        self.mean = mean
        self.standardDeviation = standardDeviation
    }

    /// The probability density at `x` (0 outside the support).
    ///
    /// - Parameter x: the point at which to evaluate the density, any real number.
    public func density(_ x: Double) -> Double {
        let z = (x - mean) / standardDeviation
        return exp(-0.5 * z * z) / (standardDeviation * (2 * Double.pi).squareRoot())
    }

    /// `P(X ≤ x)`; `NaN` for a `NaN` argument.
    ///
    /// - Parameter x: the upper end of the lower tail, any real number.
    public func cdf(_ x: Double) -> Double { Self.lowerTail((x - mean) / standardDeviation) }

    /// `P(X > x)`, computed directly (accurate where `1 − cdf` underflows); `NaN` for `NaN`.
    ///
    /// - Parameter x: the lower end of the upper tail, any real number.
    public func survival(_ x: Double) -> Double { Self.lowerTail(-(x - mean) / standardDeviation) }

    /// The value with `cdf = p`, for `p ∈ [0, 1]` (`NaN` outside); solved to near machine precision.
    ///
    /// - Parameter p: the lower-tail probability, in [0, 1]; 0 and 1 give the ends of the support.
    public func quantile(_ p: Double) -> Double { mean + standardDeviation * Self.standardQuantile(p) }

    /// The value with `survival = q`, for `q ∈ [0, 1]` (`NaN` outside); accurate for tiny `q`.
    ///
    /// - Parameter q: the upper-tail probability, in [0, 1]; 1 and 0 give the ends of the support.
    public func inverseSurvival(_ q: Double) -> Double { mean - standardDeviation * Self.standardQuantile(q) }

    // MARK: Standard normal

    /// `Φ(z)`.
    static func lowerTail(_ z: Double) -> Double {
        if z.isNaN { return .nan }
        return 0.5 * erfc(-z * 0.707_106_781_186_547_524_40)
    }

    /// `Φ⁻¹(p)`, accurate in both tails (`1 − p` is exact for `p ≥ ½`).
    static func standardQuantile(_ p: Double) -> Double {
        guard p >= 0, p <= 1 else { return .nan }
        if p == 0 { return -.infinity }
        if p == 1 { return .infinity }
        if p > 0.5 { return -lowerQuantile(1 - p) }
        return lowerQuantile(p)
    }

    /// `Φ⁻¹(p)` for `0 < p ≤ ½`: Acklam's approximation, then Halley steps.
    static func lowerQuantile(_ p: Double) -> Double {
        var x = acklam(p)
        for _ in 0..<4 {
            let phi = exp(-0.5 * x * x) / (2 * Double.pi).squareRoot()
            guard phi > 0 else { break }
            let u = (lowerTail(x) - p) / phi
            let step = u / (1 + 0.5 * x * u)
            x -= step
            if abs(step) <= 2 * Double.ulpOfOne * abs(x) { break }
        }
        return x
    }

    /// Acklam (2003) rational approximation of `Φ⁻¹(p)`, `0 < p ≤ ½`; relative error < 1.15e-9.
    static func acklam(_ p: Double) -> Double {
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                 -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        if p < 0.02425 {
            let q = (-2 * log(p)).squareRoot()
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        let q = p - 0.5, r = q * q
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
            / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    }
}
