import Foundation
import LinearAlgebra

extension KeyDriverAnalysis {
    /// The largest driver count for ordinal importance (2^p proportional-odds fits).
    public static let ordinalImportanceLimit = 10

    /// `--model ordinal`: the proportional-odds model (``ModelStage``: factors as their levels'
    /// dummies, controls always in — text controls as their dummies — joint tests, VIF/GVIF),
    /// correlations, Shapley / dominance on McFadden R² over all submodels of the drivers with the
    /// controls in every one (up to ``ordinalImportanceLimit`` drivers), the priority matrix of the
    /// ratings and the action order. No what-if, bootstrap, segments or groups.
    static func analyzeOrdinal(_ data: SurveyData, _ c: AnalysisConfiguration, selection: DriverSelection,
                               notes: [DriverReport.Warning]) throws -> DriverReport {
        let fit = try ModelStage(data: data, selection: selection, configuration: c)
        var rows = fit.rows
        var warnings = selection.warnings + fit.warnings
        if c.methods.contains(.correlation) { try CorrelationStage(fit).apply(to: &rows) }
        for j in rows.indices where j < selection.roles.count {
            rows[j].role = selection.roles[j]
            if c.isLowerBetter(rows[j].name) { rows[j].lowerIsBetter = true }
        }
        Self.markDirections(&rows, fit: fit, higherIsBetter: selection.outcomeCoding.higherIsBetter)
        let p = rows.count
        var dominanceBlock: DriverReport.DominanceSummary? = nil
        var shares: [Double]? = nil
        if (c.methods.contains(.shapley) || c.methods.contains(.dominance)) && p <= ordinalImportanceLimit {
            let (dominance, controlFit) = try ordinalDominance(fit)
            if !selection.controls.isEmpty {
                warnings.append(.init(.controls, String(format: "importance decomposes the %.4g of McFadden R² the drivers add beyond the controls (%@), which explain %.4g alone",
                                                          dominance.fullFit, selection.controls.joined(separator: ", "), controlFit)))
            }
            for j in 0..<p {
                rows[j].importance.shapley = dominance.general[j]
                rows[j].importance.shapleyShare = dominance.general[j] / dominance.fullFit
            }
            if c.methods.contains(.dominance) { dominanceBlock = .init(fit: "mcfadden_r2", conditional: dominance.conditional, complete: dominance.complete) }
            let ranks = Self.ranks(dominance.general)
            for j in 0..<p { rows[j].rank = ranks[j] }
            shares = dominance.general.map { $0 / dominance.fullFit }
        } else if p > ordinalImportanceLimit {
            warnings.append(.init(.notComputed, "ordinal Shapley/dominance enumerate 2^\(p) proportional-odds fits; beyond \(ordinalImportanceLimit) drivers they are not computed (null)"))
        }
        let priority = try PriorityStage(data: data, selection: selection, shares: shares, configuration: c)
        for j in rows.indices {
            guard let placement = priority.placements[j] else { continue }
            rows[j].performance = priority.meanRatings[j]
            rows[j].performancePercent = placement.performance
            rows[j].quadrant = rows[j].improves == false ? nil : placement.quadrant
        }
        if c.margin != nil || c.bootstrap > 0 || c.segment != nil || !c.groups.isEmpty {
            warnings.append(.init(.notComputed, "what-if, bootstrap, segments and groups are not available for ordinal models"))
        }
        let (nps, npsWarnings) = try netPromoterScore(data, c)
        let order = ActionOrder(rows: rows, placements: priority.placements, conservative: c.conservative)
        return DriverReport(outcome: c.outcome, model: fit.summary, drivers: rows, nps: nps, value: nil, dominance: dominanceBlock,
                            segments: [], warnings: warnings + npsWarnings + c.notes + notes + (ActionOrder.leftOutNote(rows).map { [$0] } ?? []),
                            actionOrder: order.order.map { selection.drivers[$0] }, orderBasis: order.basis,
                            controls: fit.controlCoefficients(selection.controls))
    }

    /// Dominance (Budescu 1993; Azen & Budescu 2003) of the drivers of an ordinal model on
    /// McFadden's R² `1 − log L/log L₀` (`L₀` the thresholds-only model), each driver one player
    /// (a factor with all its dummies) and the controls in every submodel: the fit of a subset `S`
    /// is `R²(S ∪ controls) − R²(controls)`, so the Shapley values sum to what the drivers add to
    /// the controls — as for linear and logistic models.
    ///
    /// - Returns: the dominance analysis and the controls' own McFadden R² (0 without controls).
    /// - Throws: ``ModelError`` from a submodel that cannot be fitted.
    /// Complexity: 2^p proportional-odds fits, on all cores.
    static func ordinalDominance(_ fit: ModelStage) throws -> (DominanceAnalysis, controlFit: Double) {
        let sample = fit.sample, ranges = fit.design.termRanges
        let controls = Array(fit.design.termCount..<sample.drivers.count)
        let null = fit.summary.nullLogLikelihood ?? .nan
        let logLikelihoods = Parallel.map(1 << ranges.count) { mask -> Result<Double, any Error> in
            let columns = ranges.indices.filter { mask & (1 << $0) != 0 }.flatMap { Array(ranges[$0]) } + controls
            guard !columns.isEmpty else { return .success(null) }
            return Result {
                try OrdinalRegression(outcome: sample.outcome, drivers: columns.map { sample.drivers[$0] },
                                      names: columns.map { sample.driverNames[$0] }, weights: sample.weights).logLikelihood
            }
        }
        let values = try logLikelihoods.map { try $0.get() }
        // R²(S ∪ C) − R²(C) = (log L(C) − log L(S ∪ C)) / log L₀.
        let fits = values.map { (values[0] - $0) / null }
        return (try DominanceAnalysis(names: fit.rows.map(\.name), fits: fits), 1 - values[0] / null)
    }
}
