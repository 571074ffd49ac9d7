import Foundation
import LinearAlgebra

extension ModelStage {
    /// One row per driver with its kind and scale, and the mean and standard deviation of a
    /// single-column driver (drivers in parallel) or a factor's reference and levels.
    static func describedRows(selection: DriverSelection, design: DriverDesign) -> [DriverReport.DriverRow] {
        let sample = design.sample
        var rows = selection.drivers.map { DriverReport.DriverRow(name: $0) }
        // Descriptive statistics of the single-column terms, drivers in parallel.
        let described = Parallel.map(selection.drivers.count) { j -> (mean: Double, sd: Double)? in
            guard selection.variables[j].kind != .factor else { return nil }
            return Self.meanAndStandardDeviation(sample.drivers[design.termRanges[j].lowerBound])
        }
        for (j, variable) in selection.variables.enumerated() {
            rows[j].kind = variable.kind
            rows[j].scale = variable.scale.map { ClosedInterval(lower: $0.lowerBound, upper: $0.upperBound) }
            guard variable.kind != .factor else {
                rows[j].reference = design.levels[j].first?.level
                rows[j].levels = design.levels[j].map { .init(level: $0.level, count: $0.count) }
                continue
            }
            rows[j].mean = described[j]?.mean
            rows[j].standardDeviation = described[j]?.sd
        }
        return rows
    }

    /// Fits the proportional-odds model: its fit statistics and thresholds in `summary`, its
    /// coefficients and odds ratios on the rows, a note when it did not converge.
    static func fitOrdinal(design: DriverDesign, configuration c: AnalysisConfiguration, summary: inout DriverReport.ModelSummary,
                           rows: inout [DriverReport.DriverRow], warnings: inout [DriverReport.Warning]) throws -> OrdinalRegression {
        let sample = design.sample
        let model = try OrdinalRegression(outcome: sample.outcome, drivers: sample.drivers, names: sample.driverNames,
                                          weights: sample.weights, confidenceLevel: c.confidenceLevel)
        summary.logLikelihood = model.logLikelihood
        summary.nullLogLikelihood = model.nullLogLikelihood
        summary.mcFaddenRSquared = model.mcFaddenRSquared
        summary.thresholds = model.thresholds
        Self.attach(model.coefficients, oddsRatios: model.coefficients.map { exp($0.estimate) }, offset: 0, design: design, to: &rows)
        if !model.converged { warnings.append(.init(.ordinalConvergence, "the proportional-odds fit did not converge")) }
        return model
    }

    /// Fits the logistic model (sampling weights as a sandwich): its fit statistics and intercept
    /// in `summary`, its coefficients and odds ratios on the rows, and its notes.
    static func fitLogistic(design: DriverDesign, configuration c: AnalysisConfiguration, summary: inout DriverReport.ModelSummary,
                            rows: inout [DriverReport.DriverRow], warnings: inout [DriverReport.Warning]) throws -> LogisticRegression {
        let sample = design.sample
        var options = LogisticModelOptions(intercept: c.intercept, confidenceLevel: c.confidenceLevel)
        options.samplingWeights = c.weight != nil && c.weightKind == .sampling
        let model = try LogisticRegression(sample, options: options)
        summary.logLikelihood = model.logLikelihood
        summary.nullLogLikelihood = model.nullLogLikelihood
        summary.mcFaddenRSquared = model.mcFaddenRSquared
        summary.nagelkerkeRSquared = model.nagelkerkeRSquared
        summary.auc = model.auc
        summary.intercept = c.intercept ? model.coefficients[0] : nil
        let offset = c.intercept ? 1 : 0
        Self.attach(model.coefficients, oddsRatios: model.oddsRatios, offset: offset, design: design, to: &rows)
        warnings += Self.logisticWarnings(model, sample: sample, driverCount: design.termCount)
        return model
    }

    /// Fits the linear model (the weights' kind picks the weighting, sampling weights a classical
    /// call for the sandwich): R², F and intercept in `summary`, coefficients and standardized β
    /// on the rows, and its notes.
    static func fitLinear(design: DriverDesign, variables: [DriverVariable], configuration c: AnalysisConfiguration,
                          summary: inout DriverReport.ModelSummary, rows: inout [DriverReport.DriverRow],
                          warnings: inout [DriverReport.Warning]) throws -> LinearRegression {
        let sample = design.sample
        let weighting: LinearRegression.Weighting = c.weight == nil ? .precision : (c.weightKind == .sampling ? .sampling : .frequency)
        let covariance = weighting == .sampling ? LinearRegression.CovarianceType.classical : (c.robust ?? .classical)
        let model = try LinearRegression(sample, options: .init(intercept: c.intercept, covariance: covariance,
                                                                confidenceLevel: c.confidenceLevel, weighting: weighting))
        summary.rSquared = model.rSquared
        summary.adjustedRSquared = model.adjustedRSquared
        summary.fStatistic = model.fStatistic
        summary.fPValue = model.fPValue
        summary.intercept = c.intercept ? model.coefficients[0] : nil
        let offset = c.intercept ? 1 : 0
        Self.attach(model.coefficients, oddsRatios: nil, offset: offset, design: design, to: &rows)
        for j in 0..<variables.count where design.termRanges[j].count == 1 && variables[j].kind != .factor {
            rows[j].standardizedBeta = model.standardizedCoefficients[design.termRanges[j].lowerBound]
        }
        warnings += Self.linearWarnings(model, sample: sample)
        return model
    }

    /// Attaches the fitted model's (generalized) variance inflation factors to the rows; returns
    /// the note that they are uncentred (no intercept) or could not be computed.
    static func attachInflation(design: DriverDesign, linear: LinearRegression?, logistic: LogisticRegression?, ordinal: OrdinalRegression?,
                                intercept: Bool, to rows: inout [DriverReport.DriverRow]) -> [DriverReport.Warning] {
        let terms = design.termRanges.map { Array($0) }
        do {
            let inflation = try linear?.varianceInflation(terms: terms) ?? logistic?.varianceInflation(terms: terms)
                ?? ordinal?.varianceInflation(terms: terms) ?? []
            Self.attach(inflation, to: &rows)
            if !intercept && !inflation.isEmpty {
                return [.init(.vifUncentred, "without an intercept the variance inflation factors come from uncentred cross-products (as car::vif, which warns they may not be sensible)")]
            }
        } catch {
            return [.init(.vifNotComputed, "the variance inflation factors could not be computed (\(error)): the drivers are numerically collinear")]
        }
        return []
    }

    /// The note naming aliased drivers and factor levels (no coefficient); `nil` when none is.
    static func aliasedNote(_ rows: [DriverReport.DriverRow]) -> DriverReport.Warning? {
        let aliased = rows.filter { $0.coefficient?.isAliased == true }.map(\.name)
            + rows.flatMap { row in row.levels.filter { $0.coefficient?.isAliased == true }.map { "\(row.name)[\($0.level)]" } }
        guard !aliased.isEmpty else { return nil }
        return .init(.aliasedDrivers, "\(aliased.joined(separator: ", ")) are linear combinations of other drivers: no coefficient (null), importance computed without double counting; "
                     + "their variance inflation is infinite (gvif aliased), and the other drivers' VIFs are those of the model without them, which is the model fitted")
    }
}
