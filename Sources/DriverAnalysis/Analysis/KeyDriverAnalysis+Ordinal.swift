import Foundation

extension KeyDriverAnalysis {
    /// The largest driver count for ordinal importance (2^p proportional-odds fits).
    public static let ordinalImportanceLimit = 10

    /// `--model ordinal`: proportional-odds regression with inference, and Shapley / dominance
    /// on McFadden R² over all submodels (up to ``ordinalImportanceLimit`` drivers).
    static func analyzeOrdinal(_ data: SurveyData, _ c: AnalysisConfiguration, drivers: [String],
                               warnings initial: [DriverReport.Warning]) throws -> DriverReport {
        var warnings = initial
        let sample = try data.sample(outcome: c.outcome, drivers: drivers, weight: c.weight)
        let p = drivers.count
        let fit = try OrdinalRegression(outcome: sample.outcome, drivers: sample.drivers, names: drivers, weights: sample.weights,
                                        confidenceLevel: c.confidenceLevel)
        if !fit.converged { warnings.append(.init("ordinal_convergence", "the proportional-odds fit did not converge")) }
        var rows = drivers.map { DriverReport.DriverRow(name: $0) }
        for j in 0..<p {
            let x = sample.drivers[j], mean = x.reduce(0, +) / Double(x.count)
            rows[j].mean = mean
            rows[j].standardDeviation = (x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(1, x.count - 1))).squareRoot()
            rows[j].coefficient = fit.coefficients[j]
            rows[j].oddsRatio = exp(fit.coefficients[j].estimate)
        }
        let (holm, bh) = Multiplicity.adjust(fit.coefficients.map(\.pValue))
        for j in 0..<p { rows[j].pValueHolm = holm[j]; rows[j].pValueBH = bh[j] }
        if c.methods.contains(.correlation) {
            let spearman = try Correlation.driverCorrelations(outcome: sample.outcome, drivers: sample.drivers, method: .spearman)
            let pearson = try Correlation.driverCorrelations(outcome: sample.outcome, drivers: sample.drivers)
            for j in 0..<p { rows[j].pearson = pearson[j].estimate; rows[j].pearsonPValue = pearson[j].pValue; rows[j].spearman = spearman[j].estimate }
        }
        var dominanceBlock: DriverReport.DominanceSummary? = nil
        var order = Array(0..<p)
        var basis = ActionOrder.Basis.listed
        if (c.methods.contains(.shapley) || c.methods.contains(.dominance)) && p <= ordinalImportanceLimit {
            let null = fit.nullLogLikelihood
            let fits = try (0..<(1 << p)).map { mask -> Double in
                let members = (0..<p).filter { mask & (1 << $0) != 0 }
                guard !members.isEmpty else { return 0 }
                let sub = try OrdinalRegression(outcome: sample.outcome, drivers: members.map { sample.drivers[$0] },
                                                names: members.map { drivers[$0] }, weights: sample.weights)
                return 1 - sub.logLikelihood / null
            }
            let dominance = try DominanceAnalysis(names: drivers, fits: fits)
            for j in 0..<p {
                rows[j].importance.shapley = dominance.general[j]
                rows[j].importance.shapleyShare = dominance.general[j] / dominance.fullFit
            }
            if c.methods.contains(.dominance) { dominanceBlock = .init(fit: "mcfadden_r2", conditional: dominance.conditional, complete: dominance.complete) }
            let ranks = Self.ranks(dominance.general)
            for j in 0..<p { rows[j].rank = ranks[j] }
            order.sort { ranks[$0] < ranks[$1] }
            basis = .importance
            let ratings = try drivers.map { try data.numericValues($0) }
            let shares = dominance.general.map { $0 / dominance.fullFit }
            let scale: ClosedRange<Double> = 0...max(1, c.scaleMax)
            let matrix = try PriorityMatrix(names: drivers, importance: shares, ratings: ratings, scale: scale)
            for j in 0..<p { rows[j].performance = matrix.drivers[j].performance; rows[j].quadrant = matrix.drivers[j].quadrant }
        } else if p > ordinalImportanceLimit {
            warnings.append(.init("not_computed", "ordinal Shapley/dominance enumerate 2^\(p) proportional-odds fits; beyond \(ordinalImportanceLimit) drivers they are not computed (null)"))
        }
        if c.margin != nil || c.bootstrap > 0 || c.segment != nil || !c.groups.isEmpty || !c.controls.isEmpty {
            warnings.append(.init("not_computed", "what-if, bootstrap, segments, groups and controls are not available for ordinal models"))
        }
        var nps: NetPromoterScore? = nil
        if let column = c.nps {
            nps = try NetPromoterScore(answers: data.numericValues(column), rows: data.rowNumbers, confidenceLevel: c.confidenceLevel)
        }
        var summary = DriverReport.ModelSummary(kind: .ordinal, n: sample.count)
        summary.logLikelihood = fit.logLikelihood
        summary.nullLogLikelihood = fit.nullLogLikelihood
        summary.mcFaddenR2 = fit.mcFaddenR2
        summary.thresholds = fit.thresholds
        return DriverReport(outcome: c.outcome, model: summary, drivers: rows, nps: nps, value: nil, dominance: dominanceBlock,
                            segments: [], warnings: warnings, actionOrder: order.map { drivers[$0] },
                            orderBasis: basis)
    }
}
