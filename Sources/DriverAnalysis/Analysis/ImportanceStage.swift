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
    /// How the Shapley values were computed (set for logistic models and sampled linear ones).
    public let shapleyEstimation: DriverReport.ShapleyEstimation?

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
        var estimation: DriverReport.ShapleyEstimation? = nil
        let design = fit.design
        if fit.kind == .logistic {
            let sample = fit.sample
            if !c.groups.isEmpty {
                groups = try Self.logisticGroups(fit: fit, selection: selection, configuration: c)
            }
            let work = pow(2, Double(p)) * Double(sample.count) * Double(max(1, sample.driverNames.count))
            let exact = p <= LogisticDominance.exactLimit && work <= c.logisticWorkBudget
            if (c.methods.contains(.shapley) || c.methods.contains(.dominance)) && exact {
                let label = "logistic dominance (\(1 << p) submodels)"
                progress?(label, 0)
                try cancellation?.check()
                let analysis = try Self.logisticDominance(outcome: sample.outcome, columns: sample.drivers, names: sample.driverNames,
                                                          weights: sample.weights, drivers: drivers, design: design, controls: selection.controls,
                                                          progress: { fraction in
                                                              progress?(label, fraction)
                                                              return cancellation?.isCancelled != true
                                                          })
                progress?(label, 1)
                for j in 0..<p {
                    scores[j].shapley = analysis.values[j]
                    scores[j].shapleyShare = analysis.shares[j]
                }
                shares = analysis.shares
                estimation = .init(method: .exact)
                if c.methods.contains(.dominance) {
                    dominance = .init(fit: "mcfadden_r2", conditional: analysis.dominance.conditional, complete: analysis.dominance.complete)
                }
                warnings += Self.logisticNotes(values: analysis.values, controlFit: analysis.controlFit, unfitted: analysis.unfittedSubsets,
                                               separated: analysis.separatedSubsets, model: fit.logistic)
            } else if c.methods.contains(.shapley) {
                let pairs = Self.logisticPairs(players: p, rows: sample.count, terms: sample.driverNames.count, budget: c.logisticWorkBudget)
                let label = "sampled logistic Shapley (\(2 * pairs) permutations)"
                progress?(label, 0)
                try cancellation?.check()
                let sampled = try Self.sampledLogisticShapley(outcome: sample.outcome, columns: sample.drivers, names: sample.driverNames,
                                                              weights: sample.weights, drivers: drivers, design: design, controls: selection.controls,
                                                              pairs: pairs, seed: c.seed,
                                                              progress: { fraction in
                                                                  progress?(label, fraction)
                                                                  return cancellation?.isCancelled != true
                                                              })
                progress?(label, 1)
                let total = sampled.values.reduce(0, +)
                for j in 0..<p {
                    scores[j].shapley = sampled.values[j]
                    scores[j].shapleyShare = sampled.values[j] / total
                    scores[j].shapleyStandardError = sampled.standardErrors[j]
                }
                shares = sampled.values.map { $0 / total }
                estimation = .init(method: .sampled, permutations: sampled.permutations)
                let why = p > LogisticDominance.exactLimit
                    ? "beyond \(LogisticDominance.exactLimit) drivers exact enumeration is not offered"
                    : "exact values fit 2^\(p) = \(NumberFormat.money(pow(2, Double(p)))) submodels on \(NumberFormat.money(Double(sample.count))) rows, beyond the work budget (pass --exhaustive to compute them)"
                warnings.append(.init("sampled_shapley", "logistic Shapley values for \(p) drivers are permutation-sampling estimates from \(NumberFormat.count(sampled.permutations)) orderings, each ± its Monte Carlo standard error: \(why)"))
                if c.methods.contains(.dominance) {
                    warnings.append(.init("not_computed", "logistic dominance needs all 2^\(p) submodels; beyond the work budget it is not computed"))
                }
                warnings += Self.logisticNotes(values: sampled.values, controlFit: sampled.controlFit, unfitted: sampled.unfittedSubsets,
                                               separated: sampled.separatedSubsets, model: fit.logistic)
            } else if c.methods.contains(.dominance) {
                warnings.append(.init("not_computed", "logistic dominance for \(p) drivers fits 2^\(p) = \(NumberFormat.money(pow(2, Double(p)))) submodels on \(NumberFormat.money(Double(sample.count))) rows — beyond the work budget, so it is not computed; name fewer drivers, or pass --exhaustive (up to \(LogisticDominance.exactLimit) drivers)"))
            }
            if c.methods.contains(.relativeWeights) && selection.controls.isEmpty {
                // Aliased dummies (collinear with earlier columns) add nothing and would make the
                // correlation matrix singular: the weights are computed without them.
                let usable = Self.estimableTerms(fit)
                let rw = try RelativeWeights(logisticOutcome: sample.outcome, drivers: usable.map { fit.termColumns[$0] },
                                             names: usable.map { fit.termNames[$0] })
                let weights = Self.summed(Self.expanded(rw.weights, at: usable, count: design.termCount), over: design.termRanges)
                let total = weights.reduce(0, +)
                for j in 0..<p {
                    scores[j].relativeWeight = weights[j]
                    scores[j].relativeWeightShare = weights[j] / total
                }
                if shares == nil { shares = weights.map { $0 / total } }
            } else if c.methods.contains(.relativeWeights) {
                warnings.append(.init("not_computed", "logistic relative weights decompose the whole model and cannot hold controls (\(selection.controls.joined(separator: ", "))) apart: they are not computed; Shapley values on McFadden R² beyond the controls are (--methods shapley)"))
            }
        } else if !c.groups.isEmpty || !c.methods.isDisjoint(with: [.shapley, .relativeWeights, .pratt, .dominance]) {
            // The correlations every linear importance measure starts from (an O(n·p²) pass):
            // only when one is asked for.
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
                let expanded = c.groups.map { group in
                    (group.name, group.members.flatMap { member in drivers.firstIndex(of: member).map { design.termNames($0) } ?? [member] })
                }
                groups = try Self.userGroups(input, groups: expanded, budget: c.linearWorkBudget, seed: c.seed, warnings: &warnings)
            }
            // General dominance is the Shapley value: asking for dominance computes it too.
            let wantsShapley = c.methods.contains(.shapley) || c.methods.contains(.dominance)
            // Exact walks over 2^22 subsets and more report progress and poll cancellation.
            let walkLabel = "exact Shapley (2^\(p) subsets)"
            var shapleyProgress: (@Sendable (Double) -> Bool)? = nil
            if p >= 22, progress != nil || cancellation != nil {
                shapleyProgress = { fraction in
                    progress?(walkLabel, fraction)
                    return cancellation?.isCancelled != true
                }
            }
            if wantsShapley && design.hasMultiTermDrivers {
                let grouped = try Self.linearShapley(input, design: design, drivers: drivers, budget: c.linearWorkBudget, seed: c.seed,
                                                     progress: shapleyProgress)
                if p >= 22 && grouped.permutations == nil { progress?(walkLabel, 1) }
                let values = grouped.values, total = values.reduce(0, +)
                for j in 0..<p {
                    scores[j].shapley = values[j]
                    scores[j].shapleyShare = values[j] / total
                    scores[j].shapleyStandardError = grouped.standardErrors?[j]
                }
                shares = values.map { $0 / total }
                if let permutations = grouped.permutations {
                    estimation = .init(method: .sampled, permutations: permutations)
                    warnings.append(Self.sampledGroupShapleyWarning(players: p, columns: input.driverCount, permutations: permutations))
                    if c.methods.contains(.dominance) {
                        let how = p > GroupImportance.playerLimit ? "name at most \(GroupImportance.playerLimit) drivers" : "pass --exhaustive"
                        warnings.append(.init("not_computed", "dominance for \(p) drivers with \(input.driverCount) design columns needs all 2^\(p) subsets, beyond the work budget: not computed (\(how))"))
                    }
                }
                if c.methods.contains(.dominance), let analysis = grouped.dominance {
                    dominance = .init(fit: "r2", conditional: analysis.conditional, complete: analysis.complete)
                }
            } else if wantsShapley {
                let estimate = try ShapleyEstimate(input, allowSampling: true, seed: c.seed, progress: shapleyProgress)
                if p >= 22, case .exact = estimate { progress?(walkLabel, 1) }
                if case let .sampled(sampled) = estimate {
                    estimation = .init(method: .sampled, permutations: 2 * sampled.pairs)
                    for j in 0..<p { scores[j].shapleyStandardError = sampled.standardErrors[j] }
                    warnings.append(Self.sampledShapleyWarning(drivers: p))
                }
                let values = estimate.values, total = values.reduce(0, +)
                for j in 0..<p {
                    scores[j].shapley = values[j]
                    scores[j].shapleyShare = values[j] / total
                }
                shares = values.map { $0 / total }
            }
            if wantsShapley {
                let values = scores.compactMap(\.shapley)
                let model = c.missing == .listwise && c.controls.isEmpty && c.intercept ? fit.linear : nil
                if values.count == p, let note = Self.linearEfficiencyNote(values: values, input: input, model: model) { warnings.append(note) }
            }
            if c.methods.contains(.relativeWeights) {
                let usable = Self.estimableTerms(fit)
                let rw = try RelativeWeights(usable.count == input.driverCount ? input : input.subset(usable))
                let weights = Self.summed(Self.expanded(rw.weights, at: usable, count: design.termCount), over: design.termRanges)
                let total = weights.reduce(0, +)
                let direct = !design.hasMultiTermDrivers && usable.count == design.termCount   // one weight per driver as computed
                for j in 0..<p {
                    scores[j].relativeWeight = weights[j]
                    scores[j].relativeWeightShare = direct ? rw.shares[j] : weights[j] / total
                }
                if shares == nil { shares = direct ? rw.shares : weights.map { $0 / total } }
            }
            if c.methods.contains(.pratt) {
                let classic = try ClassicImportance(input)
                let pratt = Self.summed(classic.pratt, over: design.termRanges)
                let full = classic.rSquared
                for j in 0..<p {
                    let range = design.termRanges[j]
                    scores[j].pratt = pratt[j]
                    if range.count == 1 {
                        scores[j].first = classic.first[range.lowerBound]
                        scores[j].last = classic.last[range.lowerBound]
                        scores[j].betaSquared = classic.betaSquared[range.lowerBound]
                    } else {
                        let others = (0..<input.driverCount).filter { !range.contains($0) }
                        scores[j].first = try input.subset(Array(range)).rSquaredBySolve()
                        scores[j].last = full - (others.isEmpty ? 0 : try input.subset(others).rSquaredBySolve())
                    }
                }
            }
            if c.methods.contains(.dominance) && !design.hasMultiTermDrivers {
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
        shapleyEstimation = estimation
    }

    /// The terms (controls excluded) whose coefficient is estimable (not aliased).
    static func estimableTerms(_ fit: ModelStage) -> [Int] {
        let offset = (fit.linear?.options.intercept ?? fit.logistic?.options.intercept ?? true) ? 1 : 0
        let coefficients = fit.model?.coefficients ?? []
        return (0..<fit.design.termCount).filter { t in t + offset < coefficients.count ? !coefficients[t + offset].isAliased : true }
    }

    /// `values` (one per index in `positions`) spread over `count` slots, 0 elsewhere.
    static func expanded(_ values: [Double], at positions: [Int], count: Int) -> [Double] {
        var out = [Double](repeating: 0, count: count)
        for (k, j) in positions.enumerated() { out[j] = values[k] }
        return out
    }

    /// Per driver, the sum of its terms' values (a factor's dummies add up; Pratt and relative
    /// weights are additive over variables).
    static func summed(_ values: [Double], over ranges: [Range<Int>]) -> [Double] {
        ranges.map { range in range.reduce(0) { $0 + values[$1] } }
    }

    /// Group importance for a logistic model: each predictor group (its drivers' terms together)
    /// and each remaining driver is one player of a logistic dominance analysis on McFadden R².
    static func logisticGroups(fit: ModelStage, selection: DriverSelection, configuration c: AnalysisConfiguration) throws
        -> [GroupImportance.Group] {
        let design = fit.design
        var grouped = Set<String>()
        var players: [(name: String, members: [String])] = []
        for group in c.groups {
            let terms = group.members.flatMap { member -> [String] in
                guard let j = selection.drivers.firstIndex(of: member) else { return [member] }
                grouped.insert(member)
                return design.termNames(j)
            }
            players.append((group.name, terms))
        }
        for (j, driver) in selection.drivers.enumerated() where !grouped.contains(driver) {
            players.append((driver, design.termNames(j)))
        }
        let names = fit.sample.driverNames
        let analysis = try LogisticDominance(outcome: fit.sample.outcome, drivers: fit.sample.drivers,
                                             names: names, controls: selection.controls, groups: players)
        let memberNames = c.groups.map(\.members) + selection.drivers.filter { !grouped.contains($0) }.map { [$0] }
        return players.indices.map { k in
            GroupImportance.Group(name: players[k].name, members: memberNames[k], shapley: analysis.values[k], share: analysis.shares[k])
        }
    }

    /// Logistic dominance on McFadden R² with each driver's terms as one player and the controls
    /// in every submodel. Every term stays in its player, aliased ones included (Telco's "No
    /// internet service" dummies, a credit limit that is the sum of a balance and the open-to-buy
    /// amount): each submodel drops the columns that lie in the span of its own (as R's `glm`
    /// does for that submodel's formula), so a submodel holding one copy of a column keeps it and
    /// one holding two counts it once — no double counting, and no player without columns.
    static func logisticDominance(outcome: [Double], columns: [[Double]], names: [String], weights: [Double]?, drivers: [String],
                                  design: DriverDesign, controls: [String],
                                  progress: (@Sendable (Double) -> Bool)? = nil) throws -> LogisticDominance {
        try LogisticDominance(outcome: outcome, drivers: columns, names: names, weights: weights, controls: controls,
                              groups: logisticPlayerGroups(drivers: drivers, design: design), progress: progress)
    }

    /// Sampled logistic Shapley values on McFadden R², players as in
    /// ``logisticDominance(outcome:columns:names:weights:drivers:design:controls:progress:)``.
    static func sampledLogisticShapley(outcome: [Double], columns: [[Double]], names: [String], weights: [Double]?, drivers: [String],
                                       design: DriverDesign, controls: [String], pairs: Int, seed: UInt64,
                                       progress: (@Sendable (Double) -> Bool)? = nil) throws -> SampledLogisticShapley {
        try SampledLogisticShapley(outcome: outcome, drivers: columns, names: names, weights: weights, controls: controls,
                                   groups: logisticPlayerGroups(drivers: drivers, design: design), pairs: pairs, seed: seed, progress: progress)
    }

    /// For multi-term drivers, each driver's terms as one group (none when every driver has one term).
    static func logisticPlayerGroups(drivers: [String], design: DriverDesign) -> [(name: String, members: [String])] {
        design.hasMultiTermDrivers ? driverTermGroups(drivers: drivers, design: design) : []
    }

    /// Antithetic pairs for sampled logistic Shapley: as many as fit in the work budget at about
    /// `2·g·n·terms` units per pair, between 100 and ``SampledLogisticShapley/defaultPairs``.
    static func logisticPairs(players g: Int, rows n: Int, terms: Int, budget: Double) -> Int {
        let affordable = budget / (2 * Double(max(1, g)) * Double(max(1, n)) * Double(max(1, terms)))
        return affordable >= Double(SampledLogisticShapley.defaultPairs) ? SampledLogisticShapley.defaultPairs : max(100, Int(affordable))
    }

    /// 1-based ranks of ``shares``, largest first (ties by position); `nil` without shares.
    public var ranks: [Int]? { shares.map(KeyDriverAnalysis.ranks) }

    /// The note of linear Shapley values estimated by permutation sampling (beyond the exact limit).
    static func sampledShapleyWarning(drivers p: Int) -> DriverReport.Warning {
        .init("sampled_shapley", "\(p) drivers exceed the exact limit of \(ShapleyDecomposition.defaultExactLimit): Shapley values are permutation-sampling estimates")
    }
}
