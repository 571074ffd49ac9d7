import Foundation

/// What each lever is worth for one fitted model.
public struct LeverResult: Sendable, Equatable {
    /// The lever pulled.
    public let lever: WhatIfLever
    /// Customers whose values changed.
    public let customersChanged: Int
    /// Change of the mean outcome (linear) or of the mean event probability (logistic).
    public let outcomeChange: Double
    /// The change in customer lifetime value (defection events only), scaled to the customer base.
    public let clvAtStake: Double?
}

extension WhatIf {
    /// Each lever's effect on the mean prediction of `model`: `mean(ŷ' − ŷ)` (linear: the fitted
    /// mean; logistic: the event probability), with the lifetime value at stake when
    /// `lifetime` is given (the event is a defection): `Σ CLV(1 − p') − CLV(1 − p)`, scaled to
    /// `customers`. When `marginTerm` is the column of a driver that is also the margin (a
    /// price), the changed customers' margin moves with it.
    ///
    /// - Parameters:
    ///   - model: the fitted model (linear, logistic or ordinal).
    ///   - drivers: every column of the model (terms, then controls), in model order.
    ///   - levers: the changes to price, each applied on its own.
    ///   - margin: margin per customer per period, for the lifetime value. Default `nil`: none.
    ///   - lifetime: the CLV convention; with `margin`, the value at stake is computed. Default `nil`.
    ///   - customers: the size of the customer base the rows represent. Default: the row count.
    ///   - marginTerm: the column of `drivers` that is also the margin, if any. Default `nil`.
    /// - Throws: ``CXError`` or ``ModelError`` for inconsistent inputs (no customer, a lever or
    ///   `marginTerm` naming a column outside `drivers`, ragged columns, invalid margins).
    /// Complexity: one prediction pass per lever, O(n·k).
    public static func levers(model: any RegressionModel, drivers: [[Double]], levers: [WhatIfLever], margin: Margin? = nil,
                              lifetime: LifetimeValue? = nil, customers: Double? = nil, marginTerm: Int? = nil) throws
        -> (results: [LeverResult], value: CustomerValue?) {
        let n = drivers.first?.count ?? 0
        guard n > 0 else { throw CXError.empty("no customers") }
        if let marginTerm, !drivers.indices.contains(marginTerm) {
            throw CXError.dimensionMismatch("the margin term \(marginTerm) is not one of the \(drivers.count) columns")
        }
        let base = try model.predict(columns: drivers)
        let population = customers ?? Double(n)
        var value: CustomerValue? = nil
        var baseCLV: [Double] = []
        if let lifetime, let margin {
            try margin.validate(count: n)
            baseCLV = try lifetime.values(churnProbabilities: base, margins: margin)
            let total = baseCLV.reduce(0, +)
            value = CustomerValue(customers: population, baselineChurn: base.reduce(0, +) / Double(n),
                                  clvPerCustomer: total / Double(n), totalCLV: total / Double(n) * population)
        }
        let results = try levers.map { lever -> LeverResult in
            let (changed, count) = try lever.apply(to: drivers)
            let lifted = try model.predict(columns: changed)
            let change = zip(lifted, base).reduce(0) { $0 + $1.0 - $1.1 } / Double(n)
            var clv: Double? = nil
            if let lifetime, let margin {
                var newMargin = margin
                if let marginTerm, lever.numericTerm == marginTerm, case let .perCustomer(values) = margin {
                    newMargin = .perCustomer(zip(values, zip(changed[marginTerm], drivers[marginTerm])).map { $0 + $1.0 - $1.1 })
                }
                let liftedCLV = try lifetime.values(churnProbabilities: lifted, margins: newMargin)
                clv = (liftedCLV.reduce(0, +) - baseCLV.reduce(0, +)) / Double(n) * population
            }
            return LeverResult(lever: lever, customersChanged: count, outcomeChange: change, clvAtStake: clv)
        }
        return (results, value)
    }
}
