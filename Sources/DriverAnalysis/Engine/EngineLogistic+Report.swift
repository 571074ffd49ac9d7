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
        if c.margin != nil || c.bootstrap > 0 || c.segment != nil || c.nps != nil || c.methods.contains(.shapley) {
            warnings.append(.init("not_computed", "importance, what-if, bootstrap, segments and NPS are not computed inside an engine yet; the coefficients and odds ratios are"))
        }
        return DriverReport(outcome: c.outcome, model: summary, drivers: rows, warnings: warnings, actionOrder: drivers, orderBasis: .listed)
    }
}
