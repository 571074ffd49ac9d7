import Foundation

extension KeyDriverAnalysis {
    /// A churn (logistic) analysis whose model is fitted inside a SQL engine (``EngineLogistic``):
    /// coefficients with inference, odds ratios, log-likelihoods and McFadden R². Importance,
    /// the what-if and the bootstrap need row-level passes per submodel or resample and are not
    /// computed in the engine yet (null, with a note).
    ///
    /// - Throws: ``EngineError`` from the engine, ``ModelError`` from the fit, ``AnalysisError``
    ///   for an invalid configuration.
    public static func analyze(engine: SQLEngine, table: String, _ c: AnalysisConfiguration) throws -> DriverReport {
        try c.validate()
        guard let drivers = c.drivers, !drivers.isEmpty else {
            throw AnalysisError.invalidOption(option: "drivers", value: "", reason: "an engine analysis needs the drivers named")
        }
        try DriverSelection.checkRoles(drivers: drivers, configuration: c)
        let fit = try EngineLogistic(engine: engine, table: table, outcome: c.outcome, event: c.event, drivers: drivers,
                                     confidenceLevel: c.confidenceLevel)
        var summary = DriverReport.ModelSummary(kind: .logistic, n: fit.observationCount, logLikelihood: fit.logLikelihood,
                                                nullLogLikelihood: fit.nullLogLikelihood, mcFaddenR2: fit.mcFaddenR2,
                                                intercept: fit.coefficients[0])
        let n = Double(fit.observationCount)
        summary.nagelkerkeR2 = -expm1(2 * (fit.nullLogLikelihood - fit.logLikelihood) / n) / -expm1(2 * fit.nullLogLikelihood / n)
        summary.event = c.event ?? "1"
        var rows = drivers.map { DriverReport.DriverRow(name: $0) }
        for j in rows.indices {
            rows[j].coefficient = fit.coefficients[j + 1]
            rows[j].oddsRatio = fit.oddsRatios[j + 1]
        }
        let (holm, bh) = Multiplicity.adjust(rows.map { $0.coefficient?.pValue ?? .nan })
        for j in rows.indices { rows[j].pValueHolm = holm[j]; rows[j].pValueBH = bh[j] }
        var warnings: [DriverReport.Warning] = [
            .init("summary_input", "fitted inside the engine (\(fit.iterations) Newton steps, one query each\(fit.converged ? "" : ", not converged")): no row-level diagnostics"),
        ]
        var dominance: DriverReport.DominanceSummary? = nil
        var order = Array(drivers.indices)
        var basis = ActionOrder.Basis.listed
        if c.methods.contains(.shapley) || c.methods.contains(.dominance) {
            if drivers.count <= engineImportanceLimit {
                // Every submodel fitted in the engine: exact Shapley values of McFadden R².
                var fits = [Double](repeating: 0, count: 1 << drivers.count)
                var queries = 0
                for mask in 1..<(1 << drivers.count) {
                    let members = drivers.indices.filter { mask & (1 << $0) != 0 }.map { drivers[$0] }
                    let sub = try EngineLogistic(engine: engine, table: table, outcome: c.outcome, event: c.event, drivers: members)
                    fits[mask] = sub.mcFaddenR2
                    queries += sub.iterations + 2
                }
                let analysis = try DominanceAnalysis(names: drivers, fits: fits)
                for j in rows.indices {
                    rows[j].importance.shapley = analysis.general[j]
                    rows[j].importance.shapleyShare = analysis.general[j] / analysis.fullFit
                }
                let ranks = KeyDriverAnalysis.ranks(analysis.general)
                for j in rows.indices { rows[j].rank = ranks[j] }
                order.sort { ranks[$0] < ranks[$1] }
                basis = .importance
                if c.methods.contains(.dominance) {
                    dominance = .init(fit: "mcfadden_r2", conditional: analysis.conditional, complete: analysis.complete)
                }
                warnings.append(.init("engine_importance", "McFadden-R² Shapley values from all \(1 << drivers.count) submodels fitted in the engine (\(queries) queries)"))
            } else {
                warnings.append(.init("not_computed", "logistic importance in the engine fits all 2^\(drivers.count) submodels; beyond \(engineImportanceLimit) drivers it is not computed (name fewer drivers, or analyse a file)"))
            }
        }
        var value: DriverReport.ValueSummary? = nil
        if let margin = c.margin {
            // Defection (churn) gets customers retained and CLV at stake; another event only the
            // change in its probability.
            let names = (c.outcome + " " + (c.event ?? "")).lowercased()
            let defection = c.eventMeaning.map { $0 == .defection } ?? OutcomeCoding.defectionWords.contains { names.contains($0) }
            let result = try fit.whatIf(engine: engine, table: table, outcome: c.outcome, drivers: drivers, delta: c.whatIfDelta,
                                        margin: defection ? margin : nil, discountRate: c.discountRate)
            for (j, change) in result.changes.enumerated() {
                var row = DriverReport.WhatIfRow(delta: c.whatIfDelta, outcomeChange: change.probability)
                if defection {
                    row.churnChange = change.probability
                    row.customersRetained = -change.probability * result.customers
                    row.clvAtStake = change.clv
                }
                rows[j].whatIf = row
                if change.binary { rows[j].kind = .binary }
            }
            if defection, let perCustomer = result.clvPerCustomer {
                var constant: Double? = nil
                if case let .value(m) = margin { constant = m }
                value = .init(customers: result.customers, baselineChurn: result.baseline, margin: constant, discountRate: c.discountRate,
                              clvPerCustomer: perCustomer, totalCLV: perCustomer * result.customers)
                let key = { (j: Int) in rows[j].whatIf?.clvAtStake ?? -.infinity }
                order.sort { (key($0) < 0 ? 1 : 0, -key($0), $0) < (key($1) < 0 ? 1 : 0, -key($1), $1) }
                basis = .clvAtStake
            }
            warnings.append(.init("engine_what_if", "what-if from one aggregation query in the engine: 0/1 drivers switched on, others raised by \(NumberFormat.significant(c.whatIfDelta)) and capped at their largest value\(defection ? "; CLV = m·r/(1 + d − r) per customer" : " (the event is not a defection: no lifetime value)")"))
        }
        if c.bootstrap > 0 || c.segment != nil || c.nps != nil {
            warnings.append(.init("not_computed", "the bootstrap, segments and NPS of a churn model are not computed inside an engine yet"))
        }
        return DriverReport(outcome: c.outcome, model: summary, drivers: rows, value: value, dominance: dominance, warnings: warnings,
                            actionOrder: order.map { drivers[$0] }, orderBasis: basis)
    }

    /// The most drivers whose logistic importance is computed inside an engine (all `2^p`
    /// submodels, each a few queries).
    public static let engineImportanceLimit = 8
}