/// Stage 6: what improving each driver is worth. Lifts every driver by the what-if delta
/// (capped at the scale top, or at its own maximum for non-rating drivers), predicts the
/// change in the outcome — exactly for linear models, averaged over customers for churn
/// models — and, for churn, the customers retained and the lifetime value at stake
/// (CLV = m·r/(1 + d − r), Gupta & Lehmann 2003), with bootstrap intervals when asked for.
public struct ValueStage: Sendable {
    /// Per driver (selection order): the what-if.
    public let whatIf: [DriverReport.WhatIfRow]
    /// Base values (churn models).
    public let value: DriverReport.ValueSummary?
    /// Notes raised.
    public let warnings: [DriverReport.Warning]

    /// The what-if for every driver of `fit`, paid by `margin`.
    ///
    /// - Throws: ``CXError`` for an invalid margin, discount rate or delta; ``SurveyDataError``
    ///   for a margin column that is missing or not numeric.
    /// Complexity: O(n·p) (linear), O(n·p) per customer-averaged prediction (logistic), times
    /// the replicates with the bootstrap.
    public init(data: SurveyData, fit: ModelStage, margin marginSource: AnalysisConfiguration.MarginSource, scale: ClosedRange<Double>,
                configuration c: AnalysisConfiguration) throws {
        guard c.whatIfDelta.isFinite else { throw CXError.invalidDelta(c.whatIfDelta) }
        let lifetime = try LifetimeValue(discountRate: c.discountRate)
        let sample = fit.sample
        let p = fit.rows.count
        let margin: Margin
        var constant: Double? = nil
        switch marginSource {
        case let .value(m):
            guard m >= 0, m.isFinite else { throw CXError.invalidMargin(value: m, observation: 0) }
            margin = .constant(m)
            constant = m
        case let .column(name):
            let column = try data.numericValues(name)
            margin = .perCustomer(sample.sourceIndices.map { column[$0] })
        }
        // Cap each driver at the scale top, or at its own maximum when it is not a rating
        // (two-valued 0/1 attributes, or values beyond the scale such as tenure in months).
        let tops = sample.drivers.map { x -> Double in
            let high = x.max() ?? c.scaleMax
            return Set(x).count <= 2 || high > c.scaleMax ? high : c.scaleMax
        }
        var rows: [DriverReport.WhatIfRow] = []
        var value: DriverReport.ValueSummary? = nil
        var warnings: [DriverReport.Warning] = []
        if let model = fit.logistic {
            let scenario = WhatIfScenario.raise(by: c.whatIfDelta)
            let outcome = c.bootstrap > 0
                ? try WhatIf.churnWithIntervals(sample: sample, scenario: scenario, scale: scale, margin: margin, lifetime: lifetime,
                                                tops: tops, replicates: c.bootstrap, seed: c.seed, confidenceLevel: c.confidenceLevel)
                : try WhatIf.churn(model: model, drivers: sample.drivers, scenario: scenario, scale: scale, margin: margin,
                                   lifetime: lifetime, tops: tops)
            rows = outcome.results.prefix(p).map { r in
                .init(delta: c.whatIfDelta, outcomeChange: r.outcomeChange, churnChange: r.churnChange,
                      customersRetained: r.customersRetained, clvAtStake: r.clvAtStake, interval: r.interval)
            }
            let v = outcome.value
            value = .init(customers: v.customers, baselineChurn: v.baselineChurn, margin: constant, discountRate: c.discountRate,
                          clvPerCustomer: v.clvPerCustomer, totalCLV: v.totalCLV)
        } else if let model = fit.linear {
            let results = try WhatIf.linear(model: model, drivers: sample.drivers, scenario: .raise(by: c.whatIfDelta), scale: scale)
            rows = results.prefix(p).map { .init(delta: c.whatIfDelta, outcomeChange: $0.outcomeChange) }
            warnings.append(.init("not_computed", "churn, customers retained and CLV at stake need a churn (logistic) model; only the outcome change is reported"))
        }
        whatIf = rows
        self.value = value
        self.warnings = warnings
    }
}
