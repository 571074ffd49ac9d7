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
        var findings = Findings(drivers: selection.drivers.count)
        if fit.kind == .logistic {
            try findings.addLogistic(fit: fit, selection: selection, configuration: c, progress: progress, cancellation: cancellation)
        } else if !c.groups.isEmpty || !c.methods.isDisjoint(with: [.shapley, .relativeWeights, .pratt, .dominance]) {
            // The correlations every linear importance measure starts from (an O(n·p²) pass):
            // only when one is asked for.
            try findings.addLinear(data: data, fit: fit, selection: selection, configuration: c,
                                   progress: progress, cancellation: cancellation)
        }
        scores = findings.scores
        shares = findings.shares
        dominance = findings.dominance
        groups = findings.groups
        warnings = findings.warnings
        shapleyEstimation = findings.estimation
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
        .init(.sampledShapley, "\(p) drivers exceed the exact limit of \(ShapleyDecomposition.defaultExactLimit): Shapley values are permutation-sampling estimates")
    }
}
