import Foundation

/// The stages of an engine churn analysis (`KeyDriverAnalysis/analyzeLogistic(engine:table:_:rowKey:)`)
/// after the fit: the model summary, the coefficient rows, the factors' likelihood-ratio tests,
/// the importance from every submodel, the directions, the what-if and the derived-driver note.
extension KeyDriverAnalysis {
    /// The model summary of an engine fit: log-likelihoods, McFadden and Nagelkerke R², the event
    /// and its meaning.
    static func engineLogisticSummary(_ fit: EngineLogistic, _ c: AnalysisConfiguration) -> DriverReport.ModelSummary {
        var summary = DriverReport.ModelSummary(kind: .logistic, observationCount: fit.observationCount, logLikelihood: fit.logLikelihood,
                                                nullLogLikelihood: fit.nullLogLikelihood, mcFaddenRSquared: fit.mcFaddenRSquared,
                                                intercept: fit.coefficients[0])
        let n = Double(fit.observationCount)
        summary.nagelkerkeRSquared = -expm1(2 * (fit.nullLogLikelihood - fit.logLikelihood) / n) / -expm1(2 * fit.nullLogLikelihood / n)
        summary.event = c.event ?? "1"
        summary.eventMeaning = c.eventMeaning ?? OutcomeCoding.inferredMeaning(outcome: c.outcome, event: c.event ?? "1")
        return summary
    }

    /// One row per driver with its coefficient and odds ratio — a factor's per level, against
    /// its reference.
    static func engineCoefficientRows(_ drivers: [String], design: EngineDesign, fit: EngineLogistic) -> [DriverReport.DriverRow] {
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
        return rows
    }

    /// Type II likelihood-ratio tests of the factors, as in memory: the model refitted in the
    /// engine without each factor's dummies (a factor whose reduced model fails gets none).
    static func attachFactorLikelihoodRatios(_ rows: inout [DriverReport.DriverRow], fit: EngineLogistic, engine: SQLEngine, table: String) {
        let design = fit.design
        for j in rows.indices where design.kinds[j] == .factor {
            let keep = design.drivers.indices.filter { $0 != j }
            guard let reduced = try? EngineLogistic(engine: engine, table: table, design: design.selecting(keep)), reduced.converged else { continue }
            let q = design.termRanges[j].count
            let lr = max(0, 2 * (fit.logLikelihood - reduced.logLikelihood))
            guard q >= 1, let distribution = try? ChiSquaredDistribution(degreesOfFreedom: Double(q)) else { continue }
            rows[j].jointTest = .init(kind: .likelihoodRatio, statistic: lr, degreesOfFreedom: q, pValue: distribution.survival(lr))
        }
    }

    /// Holm and Benjamini–Hochberg adjustments of the tested rows' p-values (a factor's joint
    /// test, else the coefficient's).
    static func adjustEngineLogisticPValues(_ rows: inout [DriverReport.DriverRow]) {
        let tested = rows.map { $0.jointTest?.pValue ?? $0.coefficient?.pValue }
        let (holm, bh) = Multiplicity.adjust(tested.map { $0 ?? .nan })
        for j in rows.indices where tested[j] != nil { rows[j].pValueHolm = holm[j]; rows[j].pValueBH = bh[j] }
    }

    /// McFadden-R² Shapley values and dominance from every submodel fitted in the engine (up to
    /// ``engineImportanceLimit`` drivers; beyond, a `not_computed` note), with their notes.
    static func engineLogisticImportance(_ rows: inout [DriverReport.DriverRow], fit: EngineLogistic, engine: SQLEngine, table: String,
                                         _ c: AnalysisConfiguration) throws -> (dominance: DriverReport.DominanceSummary?, warnings: [DriverReport.Warning]) {
        let drivers = fit.design.drivers
        guard drivers.count <= engineImportanceLimit else {
            return (nil, [.init(.notComputed, "logistic importance in the engine fits all 2^\(drivers.count) submodels; beyond \(engineImportanceLimit) drivers it is not computed (name fewer drivers, or analyse a file)")])
        }
        var warnings: [DriverReport.Warning] = []
        let submodels = try engineSubmodelFits(fit.design, engine: engine, table: table)
        let analysis = try DominanceAnalysis(names: drivers, fits: submodels.fits)
        if submodels.unconverged > 0 {
            warnings.append(.init(.unfittedSubmodels, "\(submodels.unconverged) submodels fitted in the engine had not converged when their iterations ran out; their McFadden R² is the last one reached, so the values are approximate"))
        }
        if fit.converged, let note = ImportanceStage.efficiencyNote(sum: analysis.general.reduce(0, +), expected: fit.mcFaddenRSquared,
                                                                  measure: "McFadden R²", tolerance: ImportanceStage.efficiencyTolerance) {
            warnings.append(note)
        }
        for j in rows.indices {
            rows[j].importance.shapley = analysis.general[j]
            rows[j].importance.shapleyShare = analysis.general[j] / analysis.fullFit
        }
        let ranks = KeyDriverAnalysis.ranks(analysis.general)
        for j in rows.indices { rows[j].rank = ranks[j] }
        var dominance: DriverReport.DominanceSummary? = nil
        if c.methods.contains(.dominance) {
            dominance = .init(fit: "mcfadden_r2", conditional: analysis.conditional, complete: analysis.complete)
        }
        warnings.append(.init(.engineImportance, "McFadden-R² Shapley values from all \(1 << drivers.count) submodels fitted in the engine (\(submodels.queries) queries)"))
        return (dominance, warnings)
    }

    /// Every submodel fitted in the engine: exact Shapley values of McFadden R². Each submodel
    /// from a cold start with step halving (no inheritance, never 0 by fiat); the queries run
    /// and the submodels that did not converge are counted.
    static func engineSubmodelFits(_ design: EngineDesign, engine: SQLEngine, table: String) throws -> (fits: [Double], queries: Int, unconverged: Int) {
        let drivers = design.drivers
        var fits = [Double](repeating: 0, count: 1 << drivers.count)
        var queries = 0, unconverged = 0
        for mask in 1..<(1 << drivers.count) {
            let members = drivers.indices.filter { mask & (1 << $0) != 0 }
            let sub = try EngineLogistic(engine: engine, table: table, design: design.selecting(members))
            fits[mask] = sub.mcFaddenRSquared
            queries += sub.iterations + 2
            if !sub.converged { unconverged += 1 }
        }
        return (fits, queries, unconverged)
    }

    /// Each row's direction: a factor improves by moving up a level; a coefficient's sign is read
    /// against the event's good direction (lower probability unless the event is favourable).
    static func setEngineLogisticDirections(_ rows: inout [DriverReport.DriverRow], meaning: OutcomeCoding.EventMeaning, _ c: AnalysisConfiguration) {
        for j in rows.indices {
            if rows[j].kind == .factor {
                rows[j].improves = true
            } else if let coefficient = rows[j].coefficient {
                if c.isLowerBetter(rows[j].name) { rows[j].lowerIsBetter = true }
                rows[j].improves = KeyDriverAnalysis.improves(coefficient, higherIsBetter: meaning == .favourable, lowerIsBetter: rows[j].lowerIsBetter == true)
            }
        }
    }

    /// Always the what-if (as the file path): the change in the event's probability and the
    /// customers moved; with a margin and a defection, customers retained and CLV at stake. One
    /// aggregation query; returns the value summary (with a margin and a defection) and the note.
    static func engineLogisticWhatIf(_ rows: inout [DriverReport.DriverRow], fit: EngineLogistic, engine: SQLEngine, table: String,
                                     _ c: AnalysisConfiguration, meaning: OutcomeCoding.EventMeaning) throws -> (value: DriverReport.ValueSummary?, warning: DriverReport.Warning) {
        let defection = meaning == .defection
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
        var value: DriverReport.ValueSummary? = nil
        if valued, let perCustomer = result.clvPerCustomer {
            var constant: Double? = nil
            if case let .value(m) = margin { constant = m }
            value = .init(customers: result.customers, baselineChurn: result.baseline, margin: constant, discountRate: c.discountRate,
                          clvPerCustomer: perCustomer, totalCLV: perCustomer * result.customers)
        }
        let note = DriverReport.Warning(.engineWhatIf, "what-if from one aggregation query in the engine, with the file path's levers: 0/1 drivers switched the way that helps, factors moved one level up (a gap unless declared), ratings moved \(NumberFormat.significant(c.whatIfDelta)) points within their scale, other numbers one standard deviation within the observed range\(valued ? "; CLV = m·r/(1 + d − r) per customer" : defection ? " (no --margin: no lifetime value)" : " (the event is not a defection: no lifetime value)")")
        return (value, note)
    }

    /// The file path reads a number that is the product of two others (TotalCharges ≈ tenure ×
    /// MonthlyCharges) as an attribute; that check needs the rows, so here it is only said.
    static func derivedDriverWarning(_ rows: [DriverReport.DriverRow], _ c: AnalysisConfiguration) -> DriverReport.Warning? {
        let undeclared = rows.filter { $0.whatIf != nil && ($0.kind == nil || $0.kind == .numeric) && c.declaredRole(of: $0.name) == nil }.map(\.name)
        guard undeclared.count >= 1 && rows.filter({ $0.kind == nil || $0.kind == .numeric }).count >= 2 else { return nil }
        return .init(.derivedDriverUnchecked, "in the engine, numbers that are (almost) the product of two other columns are not detected (the file path reads them as attributes): \(undeclared.joined(separator: ", ")) keep their what-if — declare --role COL=attribute for any that is derived (e.g. TotalCharges ≈ tenure × MonthlyCharges)")
    }
}
