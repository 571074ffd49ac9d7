import Foundation
import LinearAlgebra

/// What a driver improvement is worth: re-predict the outcome with one driver raised.
///
/// For every customer, driver `j` is raised by Δ points (capped at the top of the scale) or
/// raised to a target when below it; the model then predicts the new outcome. Linear models:
/// the mean outcome changes by exactly `βⱼ · mean(x'ⱼ − xⱼ)`. Logistic (churn) models: the
/// churn change is the average over customers of `P'(churn) − P(churn)` (not the change at the
/// mean customer); customers retained = `−Δchurn × customers`; CLV at stake = the sum over
/// customers of `CLV(1 − P') − CLV(1 − P)` (``LifetimeValue``), scaled to `customers`.
/// Signs: `churnChange < 0` when the lift lowers churn; `clvAtStake` is the value gained.
public enum WhatIfScenario: Sendable, Equatable {
    /// Everyone's rating rises by `points` (capped at the scale top).
    case raise(by: Double)
    /// Ratings below `target` rise to it.
    case raiseTo(target: Double)

    func apply(_ x: Double, top: Double) -> Double {
        switch self {
        case let .raise(delta): return delta >= 0 ? max(x, min(x + delta, top)) : x + delta
        case let .raiseTo(target): return max(x, target)
        }
    }

    func validate() throws {
        switch self {
        case let .raise(delta): guard delta.isFinite else { throw CXError.invalidDelta(delta) }
        case let .raiseTo(target): guard target.isFinite else { throw CXError.invalidDelta(target) }
        }
    }
}

/// What raising one driver changes, for one driver and one scenario.
public struct WhatIfResult: Sendable, Equatable {
    /// The driver raised.
    public let driver: String
    /// The change applied to it.
    public let scenario: WhatIfScenario
    /// Change of the mean outcome (linear) or mean churn probability (logistic).
    public let outcomeChange: Double
    /// Change of the mean churn probability `mean(P′) − mean(P)` (negative when churn falls);
    /// `nil` for linear models, `NaN` for an aliased driver.
    public let churnChange: Double?
    /// `−churnChange × customers`: customers kept per period by the lift (logistic only).
    public let customersRetained: Double?
    /// Lifetime value gained across `customers`: `Σ [CLV(1 − P′ᵢ) − CLV(1 − Pᵢ)]/n × customers` (logistic only).
    public let clvAtStake: Double?
    /// Bootstrap interval of `clvAtStake` (or of `outcomeChange` for linear models).
    public let interval: ClosedInterval?
}

/// Value of the customer base before any change.
public struct CustomerValue: Sendable, Equatable {
    /// The customer base the results are scaled to (default: the sample's rows).
    public let customers: Double
    /// Mean predicted churn probability before any change.
    public let baselineChurn: Double
    /// Mean CLV per customer before any change, in margin units.
    public let clvPerCustomer: Double
    /// `clvPerCustomer × customers`.
    public let totalCLV: Double
}

/// Re-predicts the outcome with each driver raised in turn (see ``WhatIfScenario``): the value
/// of improving one touchpoint.
public enum WhatIf {
    /// Linear model: exact change of the mean outcome per driver.
    ///
    /// - Parameters:
    ///   - model: the fitted linear model.
    ///   - drivers: the customers' driver values, one column per driver in the model's driver order.
    ///   - scenario: the lift applied to each driver in turn.
    ///   - scale: the rating scale; its upper bound caps the lift.
    public static func linear(model: LinearRegression, drivers: [[Double]], scenario: WhatIfScenario,
                              scale: ClosedRange<Double>) throws -> [WhatIfResult] {
        try scenario.validate()
        let names = model.driverNames
        guard drivers.count == names.count else { throw CXError.dimensionMismatch("\(drivers.count) driver columns for \(names.count) drivers") }
        let offset = model.options.intercept ? 1 : 0
        return names.indices.map { j in
            let coefficient = model.coefficients[j + offset]
            let present = drivers[j].filter { !$0.isNaN }
            let shift = present.reduce(0) { $0 + scenario.apply($1, top: scale.upperBound) - $1 } / Double(max(1, present.count))
            return WhatIfResult(driver: names[j], scenario: scenario, outcomeChange: coefficient.isAliased ? .nan : coefficient.estimate * shift,
                                churnChange: nil, customersRetained: nil, clvAtStake: nil, interval: nil)
        }
    }

    /// Logistic churn model: churn change, customers retained and CLV at stake per driver.
    ///
    /// - Parameters:
    ///   - model: the fitted churn model.
    ///   - drivers: the customers' driver values, in the model's driver order.
    ///   - scenario: the lift applied to each driver in turn.
    ///   - scale: the rating scale; its upper bound caps the lift.
    ///   - margin: margin per customer per period.
    ///   - lifetime: the CLV convention (discount rate, horizon).
    ///   - customers: the size of the customer base the sample represents (default: its rows).
    ///   - tops: per-driver scale maxima (e.g. 1 for a 0/1 driver, 72 for tenure in
    ///     months), overriding `scale.upperBound`.
    public static func churn(model: LogisticRegression, drivers: [[Double]], scenario: WhatIfScenario, scale: ClosedRange<Double>,
                             margin: Margin, lifetime: LifetimeValue, customers: Double? = nil,
                             tops: [Double]? = nil) throws -> (results: [WhatIfResult], value: CustomerValue) {
        try scenario.validate()
        let names = model.driverNames
        guard drivers.count == names.count else { throw CXError.dimensionMismatch("\(drivers.count) driver columns for \(names.count) drivers") }
        let n = drivers.first?.count ?? 0
        guard n > 0 else { throw CXError.empty("no customers") }
        if let tops, tops.count != names.count {
            throw CXError.dimensionMismatch("\(tops.count) scale tops for \(names.count) drivers")
        }
        try margin.validate(count: n)
        let population = customers ?? Double(n)
        let base = try model.predictProbabilities(drivers)
        let baseCLV = try lifetime.values(churnProbabilities: base, margins: margin)
        let baseChurn = base.reduce(0, +) / Double(n)
        let totalBase = baseCLV.reduce(0, +)
        let value = CustomerValue(customers: population, baselineChurn: baseChurn, clvPerCustomer: totalBase / Double(n),
                                  totalCLV: totalBase / Double(n) * population)
        let offset = model.options.intercept ? 1 : 0
        let results = try names.indices.map { j -> WhatIfResult in
            guard !model.coefficients[j + offset].isAliased else {
                return WhatIfResult(driver: names[j], scenario: scenario, outcomeChange: .nan, churnChange: .nan,
                                    customersRetained: .nan, clvAtStake: .nan, interval: nil)
            }
            var changed = drivers
            let top = tops?[j] ?? scale.upperBound
            changed[j] = drivers[j].map { scenario.apply($0, top: top) }
            let lifted = try model.predictProbabilities(changed)
            let liftedCLV = try lifetime.values(churnProbabilities: lifted, margins: margin)
            let change = lifted.reduce(0, +) / Double(n) - baseChurn
            let gained = (liftedCLV.reduce(0, +) - totalBase) / Double(n) * population
            return WhatIfResult(driver: names[j], scenario: scenario, outcomeChange: change, churnChange: change,
                                customersRetained: -change * population, clvAtStake: gained, interval: nil)
        }
        return (results, value)
    }

    /// ``churn(model:drivers:scenario:scale:margin:lifetime:customers:tops:)`` with a bootstrap interval
    /// of each driver's CLV at stake: the logistic model is refitted on every resample
    /// (multiplicities as weights), seeded per replicate.
    ///
    /// - Parameters:
    ///   - sample: the analysed rows (0/1 outcome, drivers, optional weights) the logistic model is refitted
    ///     on.
    ///   - scenario: the lift applied to each driver in turn.
    ///   - scale: the rating scale; its upper bound caps the lift.
    ///   - margin: margin per customer per period.
    ///   - lifetime: the CLV convention (discount rate, horizon).
    ///   - customers: the size of the customer base the sample represents (default: its rows).
    ///   - tops: per-driver scale maxima, overriding `scale.upperBound` (default: none).
    ///   - replicates: bootstrap resamples; default 200.
    ///   - seed: the seed of the resamples, so runs reproduce; default 1.
    ///   - confidenceLevel: the level of the percentile intervals, in (0, 1); default 0.95.
    public static func churnWithIntervals(sample: AnalysisSample, scenario: WhatIfScenario, scale: ClosedRange<Double>,
                                          margin: Margin, lifetime: LifetimeValue, customers: Double? = nil, tops: [Double]? = nil,
                                          replicates: Int = 200, seed: UInt64 = 1, confidenceLevel: Double = 0.95)
        throws -> (results: [WhatIfResult], value: CustomerValue) {
        let model = try LogisticRegression(sample)
        let point = try churn(model: model, drivers: sample.drivers, scenario: scenario, scale: scale, margin: margin,
                              lifetime: lifetime, customers: customers, tops: tops)
        let driverCount = sample.driverNames.count
        let boot = try Bootstrap(rowCount: sample.observationCount, replicates: replicates, seed: seed, confidenceLevel: confidenceLevel) { weights in
            // A resample that cannot be fitted (separation in a small sample) counts as missing.
            do {
                let refit = try LogisticRegression(outcome: sample.outcome, drivers: sample.drivers, names: sample.driverNames,
                                                   weights: weights)
                let again = try churn(model: refit, drivers: sample.drivers, scenario: scenario, scale: scale, margin: margin,
                                      lifetime: lifetime, customers: customers, tops: tops)
                return again.results.map { $0.clvAtStake ?? .nan }
            } catch {
                return [Double](repeating: .nan, count: driverCount)
            }
        }
        let results = point.results.enumerated().map { j, r in
            WhatIfResult(driver: r.driver, scenario: r.scenario, outcomeChange: r.outcomeChange, churnChange: r.churnChange,
                         customersRetained: r.customersRetained, clvAtStake: r.clvAtStake, interval: boot.intervals[j].percentile)
        }
        return (results, point.value)
    }
}
