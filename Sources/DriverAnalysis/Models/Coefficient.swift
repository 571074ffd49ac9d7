import LinearAlgebra
import Foundation

/// One coefficient with its inference: estimate, standard error, test statistic, two-sided
/// p-value and confidence interval at the model's level.
///
/// For an aliased term (collinear with the others, R's `NA`) every number is `NaN` and
/// ``isAliased`` is `true`. Encodes with `null` for non-finite numbers.
public struct Coefficient: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The term: `(Intercept)`, a driver name, or `Factor[Level]` for a level of a categorical driver.
    public let name: String
    /// The point estimate `β̂`.
    public let estimate: Double
    /// `√Var(β̂)` from the model's covariance (classical, robust or design-based).
    public let standardError: Double
    /// `β̂ / SE`: Student t (linear) or z (logistic, ordinal) statistic.
    public let statistic: Double
    /// Two-sided p-value of `β = 0`.
    public let pValue: Double
    /// The confidence interval at the level the model was fitted with.
    public let confidenceInterval: ClosedInterval
    /// Collinear with other terms and dropped (R's `NA`); every number is `NaN`.
    public let isAliased: Bool

    /// A coefficient from its parts (used by the models and by callers assembling tables).
    ///
    /// - Parameters:
    ///   - name: the term: `(Intercept)`, a driver name, or `Factor[Level]`.
    ///   - estimate: the point estimate `β̂`; `NaN` when aliased.
    ///   - standardError: the standard error of `β̂`; `NaN` when aliased.
    ///   - statistic: the t or z statistic `β̂ / SE`.
    ///   - pValue: the two-sided p-value of `β = 0`, in [0, 1].
    ///   - confidenceInterval: the interval at the model's confidence level.
    ///   - isAliased: `true` for a term collinear with the others (every number then `NaN`).
    public init(name: String, estimate: Double, standardError: Double, statistic: Double, pValue: Double,
                confidenceInterval: ClosedInterval, isAliased: Bool) {
        self.name = name
        self.estimate = estimate
        self.standardError = standardError
        self.statistic = statistic
        self.pValue = pValue
        self.confidenceInterval = confidenceInterval
        self.isAliased = isAliased
    }

    /// `name  estimate (SE) p`, or `name  aliased`.
    public var description: String {
        if isAliased { return "\(name): aliased (not estimable)" }
        return "\(name): \(NumberFormat.significant(estimate)) (SE \(NumberFormat.significant(standardError)), p \(NumberFormat.pValue(pValue)))"
    }

    private enum CodingKeys: String, CodingKey {
        case name, estimate, standardError = "std_error", statistic, pValue = "p_value", ciLower = "ci_lower", ciUpper = "ci_upper", isAliased = "aliased"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(name: try c.decode(String.self, forKey: .name), estimate: try c.decodeLenient(.estimate),
                  standardError: try c.decodeLenient(.standardError), statistic: try c.decodeLenient(.statistic),
                  pValue: try c.decodeLenient(.pValue),
                  confidenceInterval: ClosedInterval(lower: try c.decodeLenient(.ciLower), upper: try c.decodeLenient(.ciUpper)),
                  isAliased: try c.decodeIfPresent(Bool.self, forKey: .isAliased) ?? false)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encodeLenient(estimate, forKey: .estimate)
        try c.encodeLenient(standardError, forKey: .standardError)
        try c.encodeLenient(statistic, forKey: .statistic)
        try c.encodeLenient(pValue, forKey: .pValue)
        try c.encodeLenient(confidenceInterval.lower, forKey: .ciLower)
        try c.encodeLenient(confidenceInterval.upper, forKey: .ciUpper)
        try c.encode(isAliased, forKey: .isAliased)
    }
}

/// A closed interval `[lower, upper]` (a confidence or bootstrap interval). Encodes as
/// `[lower, upper]`, `null` for a non-finite end.
public struct ClosedInterval: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The lower end.
    public let lower: Double
    /// The upper end.
    public let upper: Double
    /// `[lower, upper]`.
    ///
    /// - Parameters:
    ///   - lower: the lower end; may be `NaN` or `-infinity`.
    ///   - upper: the upper end; may be `NaN` or `+infinity`.
    public init(lower: Double, upper: Double) { self.lower = lower; self.upper = upper }

    /// Whether the interval contains `value` (ends included).
    ///
    /// - Parameter value: the value to test; `NaN` is never contained.
    public func contains(_ value: Double) -> Bool { lower <= value && value <= upper }

    /// `[lower, upper]` with four significant digits.
    public var description: String { "[\(NumberFormat.significant(lower)), \(NumberFormat.significant(upper))]" }

    public init(from decoder: any Decoder) throws {
        var c = try decoder.unkeyedContainer()
        let lower = try c.decodeIfPresent(Double.self) ?? .nan
        let upper = try c.decodeIfPresent(Double.self) ?? .nan
        self.init(lower: lower, upper: upper)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.unkeyedContainer()
        if lower.isFinite { try c.encode(lower) } else { try c.encodeNil() }
        if upper.isFinite { try c.encode(upper) } else { try c.encodeNil() }
    }
}

extension Coefficient {
    /// Wald inference for estimates with covariance `covariance`: `z = β/se`, two-sided normal p,
    /// `β ± z_{(1+level)/2}·se` (as `confint.default`).
    static func waldTable(names: [String], estimates: [Double], covariance: Matrix, confidenceLevel: Double) -> [Coefficient] {
        let z = NormalDistribution.standard.quantile(0.5 + confidenceLevel / 2)
        return estimates.indices.map { a in
            let se = covariance[a, a].squareRoot(), statistic = estimates[a] / se
            return Coefficient(name: names[a], estimate: estimates[a], standardError: se, statistic: statistic,
                               pValue: 2 * NormalDistribution.standard.survival(abs(statistic)),
                               confidenceInterval: ClosedInterval(lower: estimates[a] - z * se, upper: estimates[a] + z * se), isAliased: false)
        }
    }
}
