import Foundation

/// Customer lifetime value from retention (Gupta & Lehmann 2003; Berger & Nasr 1998).
///
/// **Convention.** A period is whatever the margin is measured in (month, year). At the end
/// of each period a customer is retained with probability `r = 1 − churn` and, if retained,
/// yields margin `m`; cash flows are discounted at rate `d` per period. Then
/// `CLV = Σ_{t≥1} m·(r/(1+d))ᵗ = m·r/(1 + d − r)` and, over a finite horizon of `T` periods,
/// `CLV_T = m·q(1 − qᵀ)/(1 − q)` with `q = r/(1 + d)`. The churn probability of a churn model is
/// used as the per-period churn, so the period is the one the churn outcome was observed over.
public struct LifetimeValue: Sendable {
    /// Discount rate `d` per period (0.10 = 10 %), greater than −1.
    public let discountRate: Double
    /// `nil`: infinite horizon.
    public let horizon: Int?

    /// A CLV convention with discount rate `d` per period and, optionally, a finite horizon of
    /// `T` periods (negative horizons count as 0).
    ///
    /// - Parameters:
    ///   - discountRate: the discount rate `d` per period, finite and > −1 (e.g. 0.10).
    ///   - horizon: the number of periods `T` counted; `nil` (default): an infinite horizon.
    /// - Throws: ``CXError/invalidDiscountRate(_:)`` unless `d > −1` and finite.
    public init(discountRate: Double, horizon: Int? = nil) throws {
        guard discountRate > -1, discountRate.isFinite else { throw CXError.invalidDiscountRate(discountRate) }
        self.discountRate = discountRate
        self.horizon = horizon.map { max(0, $0) }
    }

    /// CLV of one customer with `margin` per period and `retention` per period:
    /// `m·r/(1 + d − r)`, or the finite-horizon sum when a horizon is set.
    ///
    /// - Parameters:
    ///   - margin: the margin per period, in currency, finite and ≥ 0.
    ///   - r: the probability `r` of staying each period, in [0, 1].
    /// - Throws: ``CXError/invalidMargin(value:observation:)`` unless `margin ≥ 0` and finite,
    ///   ``CXError/invalidRetention(_:)`` unless `0 ≤ r ≤ 1`.
    public func value(margin: Double, retention r: Double) throws -> Double {
        guard margin >= 0, margin.isFinite else { throw CXError.invalidMargin(value: margin, observation: 0) }
        guard r >= 0, r <= 1 else { throw CXError.invalidRetention(r) }
        return margin * factor(retention: r)
    }

    /// `CLV / m`.
    func factor(retention r: Double) -> Double {
        let q = r / (1 + discountRate)
        if let horizon {
            if abs(1 - q) < 1e-12 { return Double(horizon) * q }
            return q * (1 - pow(q, Double(horizon))) / (1 - q)
        }
        return r / (1 + discountRate - r)
    }

    /// Per-customer CLV from churn probabilities, with a constant margin or one per customer.
    ///
    /// Retention is `r = 1 − p` for each probability `p`. O(n).
    ///
    /// - Parameters:
    ///   - churnProbabilities: each customer's probability `p` of leaving per period, in [0, 1].
    ///   - margins: one margin for every customer, or one per customer in the order of `churnProbabilities`.
    /// - Throws: ``CXError/invalidMargin(value:observation:)`` or ``CXError/dimensionMismatch(_:)``
    ///   for margins that are negative, non-finite or too few; ``CXError/invalidRetention(_:)``
    ///   for a probability outside [0, 1] (a `NaN` probability gives a `NaN` value).
    public func values(churnProbabilities: [Double], margins: Margin) throws -> [Double] {
        try churnProbabilities.enumerated().map { i, p in
            if p < 0 || p > 1 { throw CXError.invalidRetention(1 - p) }
            let m = try margins.value(at: i)
            return m * factor(retention: 1 - p)
        }
    }
}

/// Margin per period: the same for everyone, or one per customer.
public enum Margin: Sendable, Equatable {
    /// The same margin `m ≥ 0` for every customer.
    case constant(Double)
    /// One margin per customer, in the order of the churn probabilities (each finite and ≥ 0).
    case perCustomer([Double])

    func value(at i: Int) throws -> Double {
        switch self {
        case let .constant(m):
            guard m >= 0, m.isFinite else { throw CXError.invalidMargin(value: m, observation: 0) }
            return m
        case let .perCustomer(values):
            guard i < values.count else { throw CXError.dimensionMismatch("\(values.count) margins for more customers") }
            let m = values[i]
            guard m >= 0, m.isFinite else { throw CXError.invalidMargin(value: m, observation: i + 1) }
            return m
        }
    }

    /// Validates every margin up front.
    func validate(count: Int) throws {
        if case let .perCustomer(values) = self, values.count != count {
            throw CXError.dimensionMismatch("\(values.count) margins for \(count) customers")
        }
        for i in 0..<count { _ = try value(at: i) }
    }
}
