import Foundation

/// Stage 3: every importance measure the configuration asks for — Shapley/LMG (exact, or
/// sampled beyond the exact limit), relative weights, Pratt/first/last/β², dominance, group
/// importance, controls partialled out — for linear models from the correlation matrix, for
/// logistic models on McFadden R² over all submodels.
public struct ImportanceStage: Sendable {
    /// Per driver, in selection order.
    public let scores: [ImportanceScores]
    /// The shares that rank the drivers (Shapley, else relative weights); `nil` when neither was computed.
    public let shares: [Double]?
    /// Dominance analysis, when asked for and affordable.
    public let dominance: DriverReport.DominanceSummary?
    /// Group importance (`groups`).
    public let groups: [GroupImportance.Group]
    /// Notes raised (sampled Shapley, limits, pairwise deletion, controls).
    public let warnings: [DriverReport.Warning]

    /// Computes importance for the drivers of `fit`.
    ///
    /// - Parameters:
    ///   - data: the survey (read again for pairwise-complete correlations).
    ///   - fit: the fitted model and its complete rows.
    ///   - selection: the drivers, in report order.
    ///   - c: the configuration: methods, missing-data policy, controls, groups and seed.
    ///   - progress: called with (step, fraction) during exact Shapley at 22+ drivers and
    ///     logistic dominance.
    ///   - cancellation: polled during the long steps.
    /// - Throws: ``ImportanceError``, ``SurveyDataError`` (pairwise input), ``ModelError``;
    ///   ``ImportanceError/cancelled`` once `cancellation` is set.
    public init(data: SurveyData, fit: ModelStage, selection: DriverSelection, configuration c: AnalysisConfiguration,
                progress: KeyDriverAnalysis.Progress? = nil, cancellation: CancellationToken? = nil) throws {
        let drivers = selection.drivers
        let p = drivers.count
        var scores = [ImportanceScores](repeating: .init(), count: p)
        var warnings: [DriverReport.Warning] = []
        var dominance: DriverReport.DominanceSummary? = nil
        var shares: [Double]? = nil
        var groups: [GroupImportance.Group] = []
        if fit.kind == .logistic && (!c.controls.isEmpty || !c.groups.isEmpty) {
            warnings.append(.init("not_computed", "controls and predictor groups are supported for linear models; for this logistic model importance is not computed (null)"))
        } else if fit.kind == .logistic {
            let sample = fit.sample
            if c.methods.contains(.shapley) || c.methods.contains(.dominance) {
                if p <= LogisticDominance.exactLimit {
                    progress?("logistic dominance (\(1 << p) submodels)", 0)
                    try cancellation?.check()
                    let analysis = try LogisticDominance(outcome: sample.outcome, drivers: sample.drivers, names: drivers)
                    progress?("logistic dominance", 1)
                    for j in 0..<p {
                        scores[j].shapley = analysis.values[j]
                        scores[j].shapleyShare = analysis.shares[j]
                    }
                    shares = analysis.shares
                    if c.methods.contains(.dominance) {
                        dominance = .init(fit: "mcfadden_r2", conditional: analysis.dominance.conditional, complete: analysis.dominance.complete)
                    }
                    if analysis.unfittedSubsets > 0 {
                        warnings.append(.init("near_separation", "\(analysis.unfittedSubsets) submodels could not be fitted (near-separation); their increments count as 0"))
                    }
                } else {
                    warnings.append(.init("not_computed", "logistic Shapley/dominance enumerate 2^\(p) logistic fits; beyond \(LogisticDominance.exactLimit) drivers they are not computed (null)"))
                }
            }
            if c.methods.contains(.relativeWeights) {
                let rw = try RelativeWeights(logisticOutcome: sample.outcome, drivers: sample.drivers, names: drivers)
                for j in 0..<p {
                    scores[j].relativeWeight = rw.weights[j]
                    scores[j].relativeWeightShare = rw.shares[j]
                }
                if shares == nil { shares = rw.shares }
            }
        } else {
            var input: ImportanceInput
            if c.missing == .pairwise {
                // Correlation-based importance on pairwise-complete correlations (every respondent
                // who answered both questions); the regression itself stays listwise.
                let names = drivers + c.controls + [c.outcome]
                let columns = try names.map { try data.numericValues($0) }
                let weights = try c.weight.map { try data.numericValues($0) }.map { w in w.map { $0.isNaN ? 0 : $0 } }
                let pairwise = try PairwiseMoments(names: names, columns: columns, weights: weights)
                input = try ImportanceInput(correlation: pairwise.correlation(), names: names, outcome: c.outcome)
                warnings.append(.init("pairwise_deletion", "importance uses pairwise-complete correlations; the regression model uses the \(fit.sample.count) complete rows"))
            } else {
                input = try ImportanceInput(sample: fit.sample)
            }
            if !c.controls.isEmpty {
                let partial = try input.controlling(for: c.controls)
                input = partial.input
                warnings.append(.init("controls", String(format: "importance decomposes the %.4g of R² the drivers add beyond the controls (%@), which explain %.4g alone",
                                                          input.rSquared(), c.controls.joined(separator: ", "), partial.controlRSquared)))
            }
            if !c.groups.isEmpty {
                groups = try GroupImportance(input, groups: c.groups.map { ($0.name, $0.members) }).groups
            }
            if c.methods.contains(.shapley) {
                var shapleyProgress: (@Sendable (Double) -> Bool)? = nil
                if p >= 22, progress != nil || cancellation != nil {
                    let label = "exact Shapley (2^\(p) subsets)"
                    shapleyProgress = { fraction in
                        progress?(label, fraction)
                        return cancellation?.isCancelled != true
                    }
                }
                let estimate = try ShapleyEstimate(input, allowSampling: true, seed: c.seed, progress: shapleyProgress)
                if case .sampled = estimate {
                    warnings.append(.init("sampled_shapley", "\(p) drivers exceed the exact limit of \(ShapleyDecomposition.defaultExactLimit): Shapley values are permutation-sampling estimates"))
                }
                let values = estimate.values, total = values.reduce(0, +)
                for j in 0..<p {
                    scores[j].shapley = values[j]
                    scores[j].shapleyShare = values[j] / total
                }
                shares = values.map { $0 / total }
            }
            if c.methods.contains(.relativeWeights) {
                let rw = try RelativeWeights(input)
                for j in 0..<p {
                    scores[j].relativeWeight = rw.weights[j]
                    scores[j].relativeWeightShare = rw.shares[j]
                }
                if shares == nil { shares = rw.shares }
            }
            if c.methods.contains(.pratt) {
                let classic = try ClassicImportance(input)
                for j in 0..<p {
                    scores[j].pratt = classic.pratt[j]
                    scores[j].first = classic.first[j]
                    scores[j].last = classic.last[j]
                    scores[j].betaSquared = classic.betaSquared[j]
                }
            }
            if c.methods.contains(.dominance) {
                if p <= DominanceAnalysis.exactLimit {
                    let analysis = try DominanceAnalysis(input)
                    dominance = .init(fit: "r2", conditional: analysis.conditional, complete: analysis.complete)
                } else {
                    warnings.append(.init("not_computed", "complete dominance needs all 2^\(p) subset fits; beyond \(DominanceAnalysis.exactLimit) drivers it is not computed"))
                }
            }
        }
        self.scores = scores
        self.shares = shares
        self.dominance = dominance
        self.groups = groups
        self.warnings = warnings
    }

    /// 1-based ranks of ``shares``, largest first (ties by position); `nil` without shares.
    public var ranks: [Int]? { shares.map(KeyDriverAnalysis.ranks) }
}
