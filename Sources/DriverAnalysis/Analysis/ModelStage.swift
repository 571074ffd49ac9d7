import Foundation
import LinearAlgebra

/// Stage 2: the full model of the outcome on the drivers (and controls), with inference and
/// the model diagnostics of the warnings catalogue (VIF, condition number, heteroscedasticity,
/// convergence, separation, events per driver, aliased drivers), plus the drivers' descriptive
/// statistics and multiplicity-adjusted p-values.
public struct ModelStage: Sendable {
    /// The complete rows of outcome, term columns then controls, and weight.
    public let sample: AnalysisSample
    /// The drivers' terms (a factor has one dummy per non-reference level).
    public let design: DriverDesign
    /// The drivers' kinds, parallel to ``rows``.
    public let variables: [DriverVariable]
    /// The model fitted.
    public let kind: DriverReport.ModelKind
    /// The linear fit, for a linear model.
    public let linear: LinearRegression?
    /// The logistic fit, for a logistic model.
    public let logistic: LogisticRegression?
    /// The proportional-odds fit, for an ordinal model.
    public let ordinal: OrdinalRegression?
    /// The summary the report shows.
    public let summary: DriverReport.ModelSummary
    /// Per driver: mean, standard deviation, coefficient, standardized β, VIF, odds ratio, adjusted p-values.
    public let rows: [DriverReport.DriverRow]
    /// Notes raised by the fit.
    public let warnings: [DriverReport.Warning]

    /// The term columns of ``sample`` (controls excluded).
    public var termColumns: [[Double]] { Array(sample.drivers.prefix(design.termCount)) }
    /// The term names (controls excluded).
    public var termNames: [String] { Array(sample.driverNames.prefix(design.termCount)) }
    /// The fitted linear or logistic model — the one the what-ifs predict with (`nil` for an
    /// ordinal model, which has no what-if; see ``ordinal``).
    public var model: (any RegressionModel)? { linear ?? logistic }

    /// Fits the model chosen by `selection`: linear, logistic or proportional odds (ordinal).
    ///
    /// - Parameters:
    ///   - data: the survey.
    ///   - selection: the outcome coding, model family, drivers and controls chosen from `data`.
    ///   - c: the analysis options: intercept, weight and its kind, robust standard errors, confidence level.
    /// - Throws: ``SurveyDataError`` (too few complete rows, a constant driver) or ``ModelError``.
    /// Complexity: O(n·p²) for the fit, O(n·p) for the diagnostics.
    public init(data: SurveyData, selection: DriverSelection, configuration c: AnalysisConfiguration) throws {
        var warnings: [DriverReport.Warning] = []
        let drivers = selection.drivers
        let p = drivers.count
        // The model includes the controls after the drivers' terms; importance partials them out.
        let design = try DriverDesign(data: data, selection: selection, configuration: c)
        let sample = design.sample
        if sample.droppedRows > 0 {
            warnings.append(.init(.rowsDropped, "\(NumberFormat.money(Double(sample.droppedRows))) of \(NumberFormat.money(Double(sample.totalRows))) rows miss the outcome, a driver, the weight or the margin and were left out (listwise)"))
        }
        var rows = Self.describedRows(selection: selection, design: design)
        var summary = DriverReport.ModelSummary(kind: selection.modelKind, observationCount: sample.observationCount)
        if selection.modelKind == .logistic {
            summary.event = selection.outcomeCoding.event
            summary.eventMeaning = selection.outcomeCoding.meaning
        }
        var linear: LinearRegression? = nil
        var logistic: LogisticRegression? = nil
        var ordinal: OrdinalRegression? = nil
        if selection.modelKind == .ordinal {
            ordinal = try Self.fitOrdinal(design: design, configuration: c, summary: &summary, rows: &rows, warnings: &warnings)
        } else if selection.modelKind == .logistic {
            logistic = try Self.fitLogistic(design: design, configuration: c, summary: &summary, rows: &rows, warnings: &warnings)
        } else {
            linear = try Self.fitLinear(design: design, variables: selection.variables, configuration: c,
                                        summary: &summary, rows: &rows, warnings: &warnings)
        }
        warnings += Self.attachInflation(design: design, linear: linear, logistic: logistic, ordinal: ordinal,
                                         intercept: c.intercept, to: &rows)
        warnings += Self.collinearityWarnings(rows)
        let parameters = design.termCount + selection.controls.count + (ordinal?.thresholds.count ?? (c.intercept ? 1 : 0))
        warnings += Self.sampleSizeWarnings(n: sample.observationCount, parameters: parameters, linear: linear, logistic: logistic, ordinal: ordinal)
        if let note = Self.aliasedNote(rows) { warnings.append(note) }
        let tests = Self.factorTests(sample: sample, design: design, variables: selection.variables, linear: linear, logistic: logistic,
                                     ordinal: ordinal)
        for j in 0..<p { rows[j].jointTest = tests[j] }
        let (holm, bh) = Multiplicity.adjust(rows.map { $0.coefficient?.pValue ?? $0.jointTest?.pValue ?? .nan })
        for j in 0..<p { rows[j].pValueHolm = holm[j]; rows[j].pValueBH = bh[j] }
        self.sample = sample
        self.design = design
        variables = selection.variables
        kind = selection.modelKind
        self.linear = linear
        self.logistic = logistic
        self.ordinal = ordinal
        self.summary = summary
        self.rows = rows
        self.warnings = warnings
    }

    /// Puts each term's coefficient on its driver's row (a factor's on its levels).
    static func attach(_ coefficients: [Coefficient], oddsRatios: [Double]?, offset: Int, design: DriverDesign,
                       to rows: inout [DriverReport.DriverRow]) {
        for j in rows.indices {
            let range = design.termRanges[j]
            if rows[j].kind == .factor {
                for (k, t) in range.enumerated() where k + 1 < rows[j].levels.count {
                    rows[j].levels[k + 1].coefficient = coefficients[t + offset]
                    rows[j].levels[k + 1].oddsRatio = oddsRatios?[t + offset]
                }
            } else if let t = range.first {
                rows[j].coefficient = coefficients[t + offset]
                rows[j].oddsRatio = oddsRatios?[t + offset]
            }
        }
    }

    /// The coefficients of the controls, by name.
    ///
    /// - Parameter names: the controls' column names; a name with no coefficient in the model is skipped.
    public func controlCoefficients(_ names: [String]) -> [Coefficient] {
        let coefficients = model?.coefficients ?? ordinal?.coefficients ?? []
        return names.compactMap { name in coefficients.first { $0.name == name } }
    }

    /// Too few respondents per parameter (fewer than 10), and a model that as a whole explains
    /// nothing detectable (overall F test, or the likelihood-ratio test against the intercept-only
    /// model, p ≥ 0.05): its ranking is noise.
    static func sampleSizeWarnings(n: Int, parameters: Int, linear: LinearRegression?, logistic: LogisticRegression?,
                                   ordinal: OrdinalRegression? = nil) -> [DriverReport.Warning] {
        var warnings: [DriverReport.Warning] = []
        if n < 10 * parameters {
            warnings.append(.init(.smallSample, "\(n) respondents for \(parameters) parameters (fewer than 10 per parameter): estimates and the ranking are unstable; use fewer drivers or more data"))
        }
        var p: Double? = linear?.fPValue
        if let logistic, let chi = try? ChiSquaredDistribution(degreesOfFreedom: Double(max(1, logistic.coefficients.filter { !$0.isAliased }.count - (logistic.options.intercept ? 1 : 0)))) {
            p = chi.survival(2 * (logistic.logLikelihood - logistic.nullLogLikelihood))
        }
        if let ordinal, let chi = try? ChiSquaredDistribution(degreesOfFreedom: Double(max(1, ordinal.coefficients.filter { !$0.isAliased }.count))) {
            p = chi.survival(2 * (ordinal.logLikelihood - ordinal.nullLogLikelihood))
        }
        if let p, p.isFinite, p >= 0.05 {
            warnings.append(.init(.modelNotSignificant, "the model as a whole does not explain the outcome detectably (\(NumberFormat.pValueClause(p))): the drivers' ranking is not a finding"))
        }
        return warnings
    }

    /// Mean and sample standard deviation (`n − 1`).
    static func meanAndStandardDeviation(_ x: [Double]) -> (Double, Double) {
        let mean = x.reduce(0, +) / Double(x.count)
        let ss = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return (mean, (ss / Double(max(1, x.count - 1))).squareRoot())
    }

    static func logisticWarnings(_ model: LogisticRegression, sample: AnalysisSample, driverCount p: Int) -> [DriverReport.Warning] {
        var warnings: [DriverReport.Warning] = []
        warnings += model.warnings.filter { $0.code == .logisticConvergence }
        if model.nearSeparation {
            warnings.append(.init(.nearSeparation, "fitted probabilities numerically 0 or 1 occurred: a driver (nearly) separates the outcome"))
        }
        let positives = sample.outcome.reduce(0, +)
        let events = min(positives, Double(sample.observationCount) - positives)
        if events < 10 * Double(p) {
            warnings.append(.init(.fewEventsPerDriver, "only \(NumberFormat.significant(events, digits: 15)) events for \(p) drivers (fewer than 10 per driver): logistic estimates are unstable"))
        }
        return warnings
    }

    /// Each driver's variance inflation on its row: the GVIF always, the VIF for one-column terms.
    static func attach(_ inflation: [VarianceInflation], to rows: inout [DriverReport.DriverRow]) {
        for (j, v) in inflation.enumerated() where j < rows.count {
            rows[j].varianceInflation = v
            rows[j].vif = v.degreesOfFreedom == 1 && !v.isAliased ? v.value : nil
        }
    }

    /// The multicollinearity notes, any model: `vif_high` (VIF ≥ 10) and `vif_moderate` (5 to 10),
    /// a factor judged by `GVIF^(1/(2·df))` against `√10` and `√5` (Fox & Monette 1992: the
    /// one-column equivalent). Aliased terms are named by the `aliased_drivers` note.
    static func collinearityWarnings(_ rows: [DriverReport.DriverRow]) -> [DriverReport.Warning] {
        var warnings: [DriverReport.Warning] = []
        let equivalent = rows.map { row -> Double? in
            guard let v = row.varianceInflation, !v.isAliased else { return nil }
            return v.adjusted * v.adjusted   // = VIF for one column
        }
        func listed(_ indices: [Int]) -> String {
            indices.map { j in
                let v = rows[j].varianceInflation!
                return v.degreesOfFreedom == 1 ? "\(rows[j].name) (\(NumberFormat.significant(v.value, digits: 3)))"
                    : "\(rows[j].name) (GVIF \(NumberFormat.significant(v.value, digits: 3)) on \(v.degreesOfFreedom) df, GVIF^(1/(2·df)) = \(NumberFormat.significant(v.adjusted, digits: 3)))"
            }.joined(separator: ", ")
        }
        let high = rows.indices.filter { (equivalent[$0] ?? 0) >= 10 }
        if !high.isEmpty {
            warnings.append(.init(.vifHigh, "variance inflation factor ≥ 10 for \(listed(high)): coefficients are unstable; prefer Shapley or relative weights"))
        }
        let moderate = rows.indices.filter { (equivalent[$0] ?? 0) >= 5 && (equivalent[$0] ?? 0) < 10 }
        if !moderate.isEmpty {
            warnings.append(.init(.vifModerate, "variance inflation factor between 5 and 10 for \(listed(moderate)): read their coefficients with care"))
        }
        return warnings
    }

    static func linearWarnings(_ model: LinearRegression, sample: AnalysisSample) -> [DriverReport.Warning] {
        var warnings: [DriverReport.Warning] = []
        if model.conditionNumber > 1e10 {
            warnings.append(.init(.conditionNumberHigh, "the design's condition number is \(String(format: "%.2g", model.conditionNumber)) (> 1e10): drivers are nearly collinear"))
        }
        if let test = try? Heteroscedasticity.breuschPagan(residuals: model.residuals, drivers: sample.drivers,
                                                                gramInverse: model.gramInverse), test.pValue < 0.05 {
            warnings.append(.init(.heteroscedasticity, String(format: "Breusch–Pagan test: the residual variance changes with the drivers (LM = %.1f, p = %.2g); use robust standard errors (--robust hc3)", test.statistic, test.pValue)))
        }
        return warnings
    }
}
