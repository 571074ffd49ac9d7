import Foundation

extension KeyDriverAnalysis {
    /// A churn (logistic) analysis whose model is fitted inside a SQL engine (``EngineLogistic``):
    /// coefficients with inference (factors as treatment-coded levels, a weight column as in
    /// memory), odds ratios, log-likelihoods and McFadden R²; exact McFadden-R² Shapley values
    /// and dominance from every submodel (up to ``engineImportanceLimit`` drivers); with a margin,
    /// the what-if and CLV at stake; with `configuration.bootstrap`, Poisson-bootstrap replicate
    /// fits in the engine giving coefficient and odds-ratio intervals, sign-flip probabilities and
    /// CLV-at-stake intervals (``EngineLogistic/bootstrapCoefficients(engine:table:replicates:seed:rowKey:maximumIterations:tolerance:)``).
    ///
    /// - Parameter rowKey: the column hashed for the bootstrap draws (required for Spark SQL and
    ///   BigQuery with a bootstrap); `nil` uses the `rowid`.
    /// - Throws: ``EngineError`` from the engine, ``ModelError`` from the fit, ``SurveyDataError``
    ///   for an unusable factor, ``AnalysisError`` for an invalid configuration.
    static func analyzeLogistic(engine: SQLEngine, table: String, _ c: AnalysisConfiguration, rowKey: String? = nil) throws -> DriverReport {
        try c.validate()
        guard let drivers = c.drivers, !drivers.isEmpty else {
            throw AnalysisError.invalidOption(option: "drivers", value: "", reason: "an engine analysis needs the drivers named")
        }
        try DriverSelection.checkRoles(drivers: drivers, configuration: c)
        if c.bootstrap > 0 { try engine.checkBootstrapKey(rowKey) }
        let design = try EngineDesign(engine: engine, table: table, configuration: c)
        let fit = try EngineLogistic(engine: engine, table: table, design: design, confidenceLevel: c.confidenceLevel)
        var summary = DriverReport.ModelSummary(kind: .logistic, n: fit.observationCount, logLikelihood: fit.logLikelihood,
                                                nullLogLikelihood: fit.nullLogLikelihood, mcFaddenR2: fit.mcFaddenR2,
                                                intercept: fit.coefficients[0])
        let n = Double(fit.observationCount)
        summary.nagelkerkeR2 = -expm1(2 * (fit.nullLogLikelihood - fit.logLikelihood) / n) / -expm1(2 * fit.nullLogLikelihood / n)
        summary.event = c.event ?? "1"
        summary.eventMeaning = c.eventMeaning ?? OutcomeCoding.inferredMeaning(outcome: c.outcome, event: c.event ?? "1")
        var rows = drivers.map { DriverReport.DriverRow(name: $0) }
        for j in rows.indices {
            let range = design.termRanges[j]
            if design.kinds[j] != .numeric { rows[j].kind = design.kinds[j] }
            if design.kinds[j] == .factor {
                rows[j].reference = design.levels[j].first?.level
                rows[j].levels = design.levels[j].enumerated().map { position, level in
                    guard position > 0 else { return .init(level: level.level, count: level.count) }
                    let t = range.lowerBound + position - 1
                    return .init(level: level.level, count: level.count, coefficient: fit.coefficients[t + 1], oddsRatio: fit.oddsRatios[t + 1])
                }
            } else {
                rows[j].coefficient = fit.coefficients[range.lowerBound + 1]
                rows[j].oddsRatio = fit.oddsRatios[range.lowerBound + 1]
            }
        }
        // Type II likelihood-ratio tests of the factors, as in memory: the model refitted in the
        // engine without each factor's dummies (a factor whose reduced model fails gets none).
        for j in rows.indices where design.kinds[j] == .factor {
            let keep = drivers.indices.filter { $0 != j }
            guard let reduced = try? EngineLogistic(engine: engine, table: table, design: design.selecting(keep)), reduced.converged else { continue }
            let q = design.termRanges[j].count
            let lr = max(0, 2 * (fit.logLikelihood - reduced.logLikelihood))
            guard q >= 1, let distribution = try? ChiSquaredDistribution(degreesOfFreedom: Double(q)) else { continue }
            rows[j].jointTest = .init(kind: .likelihoodRatio, statistic: lr, degreesOfFreedom: q, pValue: distribution.survival(lr))
        }
        let tested = rows.map { $0.jointTest?.pValue ?? $0.coefficient?.pValue }
        let (holm, bh) = Multiplicity.adjust(tested.map { $0 ?? .nan })
        for j in rows.indices where tested[j] != nil { rows[j].pValueHolm = holm[j]; rows[j].pValueBH = bh[j] }
        var warnings: [DriverReport.Warning] = [
            .init("summary_input", "fitted inside the engine (\(fit.iterations) Newton steps, one query each\(fit.converged ? "" : ", not converged")): no row-level diagnostics"),
        ]
        if let inflation = try? VarianceInflation.slopes(of: fit.informationInverse, intercept: true, terms: design.termRanges.map { Array($0) }) {
            ModelStage.attach(inflation, to: &rows)
            warnings += ModelStage.collinearityWarnings(rows)
        }
        var dominance: DriverReport.DominanceSummary? = nil
        if c.methods.contains(.shapley) || c.methods.contains(.dominance) {
            if drivers.count <= engineImportanceLimit {
                // Every submodel fitted in the engine: exact Shapley values of McFadden R².
                // Each submodel from a cold start with step halving (no inheritance, never 0 by fiat);
                // one that does not converge is named, and the efficiency identity is checked.
                var fits = [Double](repeating: 0, count: 1 << drivers.count)
                var queries = 0, unconverged = 0
                for mask in 1..<(1 << drivers.count) {
                    let members = drivers.indices.filter { mask & (1 << $0) != 0 }
                    let sub = try EngineLogistic(engine: engine, table: table, design: design.selecting(members))
                    fits[mask] = sub.mcFaddenR2
                    queries += sub.iterations + 2
                    if !sub.converged { unconverged += 1 }
                }
                let analysis = try DominanceAnalysis(names: drivers, fits: fits)
                if unconverged > 0 {
                    warnings.append(.init("unfitted_submodels", "\(unconverged) submodels fitted in the engine had not converged when their iterations ran out; their McFadden R² is the last one reached, so the values are approximate"))
                }
                if fit.converged, let note = ImportanceStage.efficiencyNote(sum: analysis.general.reduce(0, +), expected: fit.mcFaddenR2,
                                                                          measure: "McFadden R²", tolerance: ImportanceStage.efficiencyTolerance) {
                    warnings.append(note)
                }
                for j in rows.indices {
                    rows[j].importance.shapley = analysis.general[j]
                    rows[j].importance.shapleyShare = analysis.general[j] / analysis.fullFit
                }
                let ranks = KeyDriverAnalysis.ranks(analysis.general)
                for j in rows.indices { rows[j].rank = ranks[j] }
                if c.methods.contains(.dominance) {
                    dominance = .init(fit: "mcfadden_r2", conditional: analysis.conditional, complete: analysis.complete)
                }
                warnings.append(.init("engine_importance", "McFadden-R² Shapley values from all \(1 << drivers.count) submodels fitted in the engine (\(queries) queries)"))
            } else {
                warnings.append(.init("not_computed", "logistic importance in the engine fits all 2^\(drivers.count) submodels; beyond \(engineImportanceLimit) drivers it is not computed (name fewer drivers, or analyse a file)"))
            }
        }
        // Directions as in memory: a significant coefficient's sign against the event's good
        // direction (lower probability unless the event is favourable); a factor moves up a level.
        let meaning = c.eventMeaning ?? OutcomeCoding.inferredMeaning(outcome: c.outcome, event: c.event ?? "1")
        let defection = meaning == .defection
        for j in rows.indices {
            if rows[j].kind == .factor {
                rows[j].improves = true
            } else if let coefficient = rows[j].coefficient {
                if c.isLowerBetter(rows[j].name) { rows[j].lowerIsBetter = true }
                rows[j].improves = KeyDriverAnalysis.improves(coefficient, higherIsBetter: meaning == .favourable, lowerIsBetter: rows[j].lowerIsBetter == true)
            }
        }
        var value: DriverReport.ValueSummary? = nil
        do {
            // Always the what-if (as the file path): the change in the event's probability and the
            // customers moved; with a margin and a defection, customers retained and CLV at stake.
            let margin = c.margin, valued = defection && margin != nil
            let result = try fit.whatIf(engine: engine, table: table, delta: c.whatIfDelta, margin: valued ? margin : nil, discountRate: c.discountRate,
                                        higherIsBetter: meaning == .favourable, moves: c.levelMoves, configuration: c)
            for (j, change) in result.changes.enumerated() {
                guard let change else { continue }
                var row = DriverReport.WhatIfRow(delta: change.step ?? c.whatIfDelta, outcomeChange: change.probability)
                row.customersMoved = change.customers
                if valued {
                    row.churnChange = change.probability
                    row.customersRetained = -change.probability * result.customers
                    row.clvAtStake = change.clv
                }
                if let move = change.move {
                    row.from = move.from
                    row.to = move.to
                    row.customersMoved = move.customers
                }
                rows[j].whatIf = row
                if change.binary { rows[j].kind = .binary }
            }
            if valued, let perCustomer = result.clvPerCustomer {
                var constant: Double? = nil
                if case let .value(m) = margin { constant = m }
                value = .init(customers: result.customers, baselineChurn: result.baseline, margin: constant, discountRate: c.discountRate,
                              clvPerCustomer: perCustomer, totalCLV: perCustomer * result.customers)
            }
            warnings.append(.init("engine_what_if", "what-if from one aggregation query in the engine, with the file path's levers: 0/1 drivers switched the way that helps, factors moved one level up (a gap unless declared), ratings moved \(NumberFormat.significant(c.whatIfDelta)) points within their scale, other numbers one standard deviation within the observed range\(valued ? "; CLV = m·r/(1 + d − r) per customer" : defection ? " (no --margin: no lifetime value)" : " (the event is not a defection: no lifetime value)")"))
        }
        if c.bootstrap > 0 {
            warnings += try engineBootstrap(&rows, fit: fit, engine: engine, table: table, c, rowKey: rowKey, defection: defection)
        }
        if c.segment != nil || c.nps != nil {
            warnings.append(.init("not_computed", "segments and NPS of a churn model are not computed inside an engine yet"))
        }
        // The action order of the in-memory analysis (CLV at stake — its interval's lower bound
        // with `conservative` — else importance; significant effects first).
        warnings += ActionRoles.apply(to: &rows, configuration: c)
        // The file path reads a number that is the product of two others (TotalCharges ≈ tenure ×
        // MonthlyCharges) as an attribute; that check needs the rows, so here it is only said.
        let undeclared = rows.filter { $0.whatIf != nil && ($0.kind == nil || $0.kind == .numeric) && c.declaredRole(of: $0.name) == nil }.map(\.name)
        if undeclared.count >= 1 && rows.filter({ $0.kind == nil || $0.kind == .numeric }).count >= 2 {
            warnings.append(.init("derived_driver_unchecked", "in the engine, numbers that are (almost) the product of two other columns are not detected (the file path reads them as attributes): \(undeclared.joined(separator: ", ")) keep their what-if — declare --role COL=attribute for any that is derived (e.g. TotalCharges ≈ tenure × MonthlyCharges)"))
        }
        let action = ActionOrder(rows: rows, conservative: c.conservative && c.bootstrap > 0)
        return DriverReport(outcome: c.outcome, model: summary, drivers: rows, value: value, dominance: dominance, warnings: warnings,
                            actionOrder: action.order.map { drivers[$0] }, orderBasis: action.basis)
    }

    /// The Poisson bootstrap of an engine churn model: replicate fits in the engine, then
    /// percentile intervals of the coefficients (odds ratios: their exponentials), sign-flip
    /// probabilities and, for a defection with a margin, CLV-at-stake intervals.
    static func engineBootstrap(_ rows: inout [DriverReport.DriverRow], fit: EngineLogistic, engine: SQLEngine, table: String,
                                _ c: AnalysisConfiguration, rowKey: String?, defection: Bool) throws -> [DriverReport.Warning] {
        let design = fit.design
        let boot = try fit.bootstrapCoefficients(engine: engine, table: table, replicates: c.bootstrap, seed: c.seed, rowKey: rowKey)
        guard !boot.replicates.isEmpty else {
            return [.init("bootstrap_failed", "none of the \(c.bootstrap) bootstrap replicates fitted in the engine converged: no intervals")]
        }
        let level = c.confidenceLevel
        func interval(_ values: [Double]) -> ClosedInterval? {
            let sorted = values.filter { !$0.isNaN }.sorted()
            guard !sorted.isEmpty else { return nil }
            return ClosedInterval(lower: Bootstrap.quantile(sorted, (1 - level) / 2), upper: Bootstrap.quantile(sorted, (1 + level) / 2))
        }
        for j in rows.indices where design.kinds[j] != .factor {
            let t = design.termRanges[j].lowerBound + 1
            let values = boot.replicates.map { $0[t] }
            rows[j].coefficientBootstrapInterval = interval(values)
            if let reported = rows[j].coefficient?.estimate {
                rows[j].signFlipProbability = Double(values.filter { ($0 > 0) != (reported > 0) }.count) / Double(values.count)
            }
        }
        var notes: [DriverReport.Warning] = []
        if defection, let margin = c.margin {
            let clv = try fit.whatIfReplicates(engine: engine, table: table, coefficients: boot.replicates, delta: c.whatIfDelta, margin: margin,
                                               discountRate: c.discountRate, moves: c.levelMoves, configuration: c)
            for j in rows.indices where rows[j].whatIf != nil {
                rows[j].whatIf?.interval = interval(clv.map { $0[j] })
            }
        }
        notes.append(.init("engine_bootstrap", "intervals from \(boot.replicates.count) Poisson-bootstrap replicates fitted together in the engine (\(boot.queries) queries, one Newton step for every replicate each; each row weighted by a Poisson(1) draw hashed from its \(rowKey.map { "key '\($0)'" } ?? "rowid") and the replicate; Hanley & MacGibbon 2006, Chamandy et al. 2012); importance intervals are not bootstrapped in the engine"))
        if boot.failed > 0 {
            notes.append(.init("bootstrap_redrawn", "\(boot.failed) of \(c.bootstrap) bootstrap replicates could not be fitted in the engine (separation or no convergence) and were left out"))
        }
        return notes
    }

    /// The most drivers whose logistic importance is computed inside an engine (all `2^p`
    /// submodels, each a few queries).
    public static let engineImportanceLimit = 8
}
