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
        let summary = engineLogisticSummary(fit, c)
        var rows = engineCoefficientRows(drivers, design: design, fit: fit)
        attachFactorLikelihoodRatios(&rows, fit: fit, engine: engine, table: table)
        adjustEngineLogisticPValues(&rows)
        var warnings: [DriverReport.Warning] = [
            .init(.summaryInput, "fitted inside the engine (\(fit.iterations) Newton steps, one query each\(fit.converged ? "" : ", not converged")): no row-level diagnostics"),
        ]
        if let inflation = try? VarianceInflation.slopes(of: fit.informationInverse, intercept: true, terms: design.termRanges.map { Array($0) }) {
            ModelStage.attach(inflation, to: &rows)
            warnings += ModelStage.collinearityWarnings(rows)
        }
        var dominance: DriverReport.DominanceSummary? = nil
        if c.methods.contains(.shapley) || c.methods.contains(.dominance) {
            let importance = try engineLogisticImportance(&rows, fit: fit, engine: engine, table: table, c)
            dominance = importance.dominance
            warnings += importance.warnings
        }
        // Directions as in memory: a significant coefficient's sign against the event's good
        // direction (lower probability unless the event is favourable); a factor moves up a level.
        let meaning = c.eventMeaning ?? OutcomeCoding.inferredMeaning(outcome: c.outcome, event: c.event ?? "1")
        let defection = meaning == .defection
        setEngineLogisticDirections(&rows, meaning: meaning, c)
        let whatIf = try engineLogisticWhatIf(&rows, fit: fit, engine: engine, table: table, c, meaning: meaning)
        warnings.append(whatIf.warning)
        if c.bootstrap > 0 {
            warnings += try engineBootstrap(&rows, fit: fit, engine: engine, table: table, c, rowKey: rowKey, defection: defection)
        }
        if c.segment != nil || c.nps != nil {
            warnings.append(.init(.notComputed, "segments and NPS of a churn model are not computed inside an engine yet"))
        }
        // The action order of the in-memory analysis (CLV at stake — its interval's lower bound
        // with `conservative` — else importance; significant effects first).
        warnings += ActionRoles.apply(to: &rows, configuration: c)
        if let unchecked = derivedDriverWarning(rows, c) { warnings.append(unchecked) }
        if let leftOut = ActionOrder.leftOutNote(rows) { warnings.append(leftOut) }
        let action = ActionOrder(rows: rows, conservative: c.conservative && c.bootstrap > 0)
        return DriverReport(outcome: c.outcome, model: summary, drivers: rows, value: whatIf.value, dominance: dominance, warnings: warnings,
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
            return [.init(.bootstrapFailed, "none of the \(c.bootstrap) bootstrap replicates fitted in the engine converged: no intervals")]
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
        notes.append(.init(.engineBootstrap, "intervals from \(boot.replicates.count) Poisson-bootstrap replicates fitted together in the engine (\(boot.queries) queries, one Newton step for every replicate each; each row weighted by a Poisson(1) draw hashed from its \(rowKey.map { "key '\($0)'" } ?? "rowid") and the replicate; Hanley & MacGibbon 2006, Chamandy et al. 2012); importance intervals are not bootstrapped in the engine"))
        if boot.failed > 0 {
            notes.append(.init(.bootstrapRedrawn, "\(boot.failed) of \(c.bootstrap) bootstrap replicates could not be fitted in the engine (separation or no convergence) and were left out"))
        }
        return notes
    }

    /// The most drivers whose logistic importance is computed inside an engine (all `2^p`
    /// submodels, each a few queries).
    package static let engineImportanceLimit = 8
}
