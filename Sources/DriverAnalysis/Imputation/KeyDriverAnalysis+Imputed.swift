import Foundation

extension KeyDriverAnalysis {
    /// The analysis of `data` with its missing cells multiply imputed: ``ChainedEquations`` makes
    /// `options.imputations` completed datasets of the analysed columns (outcome, drivers,
    /// controls), each is analysed as ``analyze(_:_:)`` would, and the reports are
    /// pooled — coefficients by Rubin's rules (``PooledEstimate``: `mice::pool`), importance
    /// averaged over imputations (as relaimpo's `mianalyze.relimp` with `mitools`).
    ///
    /// The weight, margin and segment columns are not imputed: rows missing them are left out
    /// of every analysis (the `rows_dropped` note says so). With no missing cell among the
    /// analysed columns every imputation is the data itself, and the pooled coefficients equal
    /// the complete-case fit (between-imputation variance 0).
    ///
    /// - Parameters:
    ///   - data: the survey; missing cells of the analysed columns are imputed.
    ///   - configuration: the analysis options; no bootstrap, segment or predictor groups.
    ///   - options: the imputation settings; default `mice`'s, with 20 imputations.
    ///   - progress: called with each dataset's ``ProgressStep/imputation(_:of:)`` step and the long steps of
    ///     its analysis; `nil` (default): no reports.
    /// - Throws: ``ImputationError/unsupported(option:reason:)`` with a bootstrap, segments or
    ///   predictor groups; ``ImputationError`` naming the column that cannot be imputed; what
    ///   ``analyze(_:_:)`` throws.
    /// Complexity: M × (the chains, see ``ChainedEquations``, + one analysis); memory one
    /// imputed dataset and M reports.
    public static func analyzeImputed(_ data: SurveyData, _ configuration: AnalysisConfiguration, options: ImputationOptions = .init(),
                                      progress: Progress? = nil) throws -> ImputedAnalysis {
        let options = try options.validated()
        if configuration.bootstrap > 0 {
            throw ImputationError.unsupported(option: "bootstrap", reason: "between-imputation variance already carries the uncertainty of the missing answers; run without --bootstrap (intervals per imputation are not pooled)")
        }
        if configuration.segment != nil { throw ImputationError.unsupported(option: "segment", reason: "analyse each segment's profile separately") }
        if !configuration.groups.isEmpty { throw ImputationError.unsupported(option: "group", reason: "group importance is not pooled over imputations yet") }
        var c = configuration.resolvingControlRoles(columns: data.columnNames)
        let selection = try DriverSelection(data: data, configuration: c)
        c.drivers = selection.drivers
        var columns = [c.outcome] + selection.drivers
        for control in selection.controls where !columns.contains(control) { columns.append(control) }
        let counts = try ChainedEquations.missingCounts(of: data, columns: columns)
        let imputed = counts.filter { $0.value > 0 }
        let values = try columns.map { try data.column($0).values }
        let complete = (0..<data.rowCount).reduce(0) { total, i in values.allSatisfy { !$0[i].isNaN } ? total + 1 : total }
        var reports: [DriverReport] = []
        if imputed.isEmpty {
            // Every imputation would be the data itself: one analysis stands for all M.
            let report = try analyze(data, c, progress: progress)
            reports = Array(repeating: report, count: options.imputations)
        } else {
            try ChainedEquations.forEachImputation(of: data, columns: columns, options: options) { m, completed in
                progress?(.imputation(m + 1, of: options.imputations), Double(m) / Double(options.imputations))
                reports.append(try analyze(completed, c))
            }
        }
        var (report, pooled) = ImputedReportPooling.pooled(reports, confidenceLevel: c.confidenceLevel)
        report.warnings.append(note(imputed: imputed, columns: columns, complete: complete, rows: data.rowCount, pooled: pooled, options: options))
        return ImputedAnalysis(report: report, coefficients: pooled, options: options, imputedCells: imputed, completeCases: complete,
                               rows: report.model.observationCount)
    }

    /// The `multiple_imputation` note: what was imputed, how, and the largest fraction of missing information.
    static func note(imputed: [String: Int], columns: [String], complete: Int, rows: Int, pooled: [PooledCoefficient],
                     options: ImputationOptions) -> DriverReport.Warning {
        let cells = columns.compactMap { name in imputed[name].map { "\(name) \($0)" } }
        var text = "\(options.imputations) imputed datasets by chained equations (predictive mean matching, \(options.iterations) iterations, \(options.donors) donors, seed \(options.seed)); "
        if cells.isEmpty {
            text += "no analysed cell was missing, so every imputation is the data and the pooled fit is the complete-case fit"
        } else {
            text += "cells imputed: \(cells.joined(separator: ", ")); \(complete) of \(rows) rows were complete (listwise deletion would have kept only them)"
        }
        text += "; coefficients pooled by Rubin's rules (t tests with Barnard–Rubin df), importance and what-ifs averaged over imputations; joint factor tests and the F test are not pooled"
        if let worst = pooled.max(by: { $0.pooled.fractionMissingInformation < $1.pooled.fractionMissingInformation }), !cells.isEmpty {
            text += "; largest fraction of missing information \(NumberFormat.significant(worst.pooled.fractionMissingInformation, digits: 2)) (\(worst.name))"
        }
        return .init(.multipleImputation, text)
    }
}
