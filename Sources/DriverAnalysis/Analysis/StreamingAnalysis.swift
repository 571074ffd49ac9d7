import Foundation
import LinearAlgebra

extension KeyDriverAnalysis {
    /// A churn (logistic) analysis of a file larger than memory: the model by IRLS passes over the
    /// file (`StreamingLogistic`), odds ratios, McFadden and Nagelkerke R², and the drivers ranked
    /// by logistic relative weights (Tonidandel & LeBreton 2010) computed from the streamed moments
    /// and the fit — the same numbers as ``RelativeWeights/init(logisticOutcome:drivers:names:)``
    /// on the rows in memory. Logistic Shapley values (2^p fits), the bootstrap, what-if, segments
    /// and NPS need the rows and are not computed (a warning says so).
    ///
    /// - Parameters:
    ///   - path: the CSV file's path.
    ///   - c: the analysis options; the outcome must be two-valued and the drivers named.
    ///   - options: how the file is read (delimiter, missing-value tokens, chunk size); default:
    ///     ``CSVOptions``' defaults.
    /// - Throws: ``AnalysisError`` for a configuration without named drivers, and what
    ///   the streaming fit throws (unreadable file, text in a driver, separation).
    public static func analyzeStreaming(csv path: String, _ c: AnalysisConfiguration, options: CSVOptions = .init()) throws -> DriverReport {
        try c.validate()
        guard let drivers = c.drivers, !drivers.isEmpty else {
            throw AnalysisError.invalidOption(option: "drivers", value: "", reason: "a streamed analysis needs the drivers named")
        }
        try DriverSelection.checkRoles(drivers: drivers, configuration: c)
        let fit = try StreamingLogistic(csv: path, outcome: c.outcome, event: c.event, drivers: drivers, options: options,
                                        confidenceLevel: c.confidenceLevel)
        var summary = DriverReport.ModelSummary(kind: .logistic, observationCount: fit.observationCount, logLikelihood: fit.logLikelihood,
                                                nullLogLikelihood: fit.nullLogLikelihood, mcFaddenRSquared: fit.mcFaddenRSquared,
                                                intercept: fit.coefficients[0])
        summary.nagelkerkeRSquared = fit.nagelkerkeRSquared
        summary.event = c.event ?? "1"
        summary.eventMeaning = c.eventMeaning
        let p = drivers.count
        let sds = fit.moments.standardDeviations()
        var rows = drivers.map { DriverReport.DriverRow(name: $0) }
        for j in 0..<p {
            rows[j].coefficient = fit.coefficients[j + 1]
            rows[j].oddsRatio = fit.oddsRatios[j + 1]
            rows[j].mean = fit.moments.means[j]
            rows[j].standardDeviation = sds[j]
        }
        let (holm, bh) = Multiplicity.adjust(rows.map { $0.coefficient?.pValue ?? .nan })
        for j in 0..<p { rows[j].pValueHolm = holm[j]; rows[j].pValueBH = bh[j] }
        var warnings: [DriverReport.Warning] = [
            .init(.summaryInput, "logistic model fitted by \(fit.passes) passes over the file (IRLS\(fit.converged ? "" : ", not converged")); \(NumberFormat.money(Double(fit.skippedRows))) rows missing the outcome or a driver left out"),
        ]
        if !fit.converged {
            warnings.append(.init(.logisticConvergence, "the log-likelihood had not settled after \(fit.passes) passes over the file"))
        }
        let events = fit.moments.means[p] * Double(fit.observationCount)
        if min(events, Double(fit.observationCount) - events) < 10 * Double(p) {
            warnings.append(.init(.fewEventsPerDriver, "only \(NumberFormat.significant(min(events, Double(fit.observationCount) - events), digits: 15)) events for \(p) drivers (fewer than 10 per driver): logistic estimates are unstable"))
        }
        var order = Array(0..<p)
        var basis = ActionOrder.Basis.listed
        if c.methods.contains(.relativeWeights) || c.methods.contains(.shapley) {
            let weights = try RelativeWeights(streamed: fit)
            for j in 0..<p {
                rows[j].importance.relativeWeight = weights.weights[j]
                rows[j].importance.relativeWeightShare = weights.shares[j]
            }
            let ranks = Self.ranks(weights.shares)
            for j in 0..<p { rows[j].rank = ranks[j] }
            order.sort { ranks[$0] < ranks[$1] }
            basis = .importance
        }
        if c.methods.contains(.shapley) || c.methods.contains(.dominance) {
            warnings.append(.init(.notComputed, "logistic Shapley values and dominance fit all 2^\(p) submodels, which a streamed file does not allow: relative weights rank the drivers (raise --memory-budget to load the file)"))
        }
        return DriverReport(outcome: c.outcome, model: summary, drivers: rows, warnings: warnings,
                            actionOrder: order.map { drivers[$0] }, orderBasis: basis)
    }
}

extension RelativeWeights {
    /// Logistic relative weights of a streamed fit, from its moments and the outcome's correlation
    /// with the fitted probabilities (``init(logisticCoefficients:correlation:standardDeviations:fittedCorrelation:names:)``).
    ///
    /// - Throws: ``LinearAlgebraError`` when the drivers' correlation matrix cannot be decomposed.
    package init(streamed fit: StreamingLogistic) throws {
        try self.init(logisticCoefficients: fit.coefficients.dropFirst().map(\.estimate), correlation: fit.moments.correlation(),
                      standardDeviations: fit.moments.standardDeviations(), fittedCorrelation: fit.fittedCorrelation, names: fit.drivers)
    }
}
