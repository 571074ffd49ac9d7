/// A univariate continuous probability distribution with accurate tails.
///
/// Every conforming type computes ``cdf(_:)`` and ``survival(_:)`` independently, so
/// `survival(x)` keeps full relative accuracy where `1 − cdf(x)` would round to zero
/// (p-values down to ~1e-300). Likewise ``quantile(_:)`` inverts the lower tail and
/// ``inverseSurvival(_:)`` the upper tail (scipy's `ppf` and `isf`).
public protocol ContinuousDistribution: Sendable {
    /// The probability density at `x`.
    ///
    /// - Parameter x: the point at which to evaluate the density; any real number.
    func density(_ x: Double) -> Double
    /// `P(X ≤ x)`.
    ///
    /// - Parameter x: the upper end of the lower tail; any real number.
    func cdf(_ x: Double) -> Double
    /// `P(X > x)`, computed directly (not as `1 − cdf`).
    ///
    /// - Parameter x: the lower end of the upper tail; any real number.
    func survival(_ x: Double) -> Double
    /// The `x` with `cdf(x) = p`, for `p ∈ [0, 1]`; `NaN` outside.
    ///
    /// - Parameter p: the lower-tail probability, in [0, 1].
    func quantile(_ p: Double) -> Double
    /// The `x` with `survival(x) = q`, for `q ∈ [0, 1]`; `NaN` outside.
    ///
    /// - Parameter q: the upper-tail probability, in [0, 1].
    func inverseSurvival(_ q: Double) -> Double
}

/// An invalid distribution parameter.
public enum DistributionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `name` must be positive and finite (degrees of freedom, standard deviation); got `value`.
    case invalidParameter(name: String, value: Double)

    /// A one-line message naming the parameter and the value given.
    public var description: String {
        switch self {
        case let .invalidParameter(name, value):
            return "distribution parameter \(name) must be positive and finite, got \(value)"
        }
    }
}

extension DistributionError {
    /// Throws unless `value` is positive and finite.
    static func requirePositive(_ value: Double, _ name: String) throws {
        guard value > 0, value.isFinite else { throw DistributionError.invalidParameter(name: name, value: value) }
    }
}
