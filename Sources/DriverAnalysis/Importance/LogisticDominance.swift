import Foundation
import LinearAlgebra

/// Dominance analysis and Shapley values for a logistic (churn) model on a pseudo-R²: every one
/// of the `2^g` submodels is fitted by Newton–Raphson (Azen & Traxel 2009, Budescu 1993).
///
/// The fit measure of a subset `S` of players is McFadden's `1 − ℓ_S/ℓ₀` by default, or
/// Nagelkerke's `(1 − e^{2(ℓ₀−ℓ_S)/n})/(1 − e^{2ℓ₀/n})` (with `expm1`: no underflow at any n),
/// `ℓ₀` the intercept-only log-likelihood. With **controls** `C` (columns in every submodel, like
/// relaimpo's `always =`) the value of `S` is `R²(S ∪ C) − R²(C)`: the Shapley values sum to the
/// pseudo-R² the players add beyond the controls. With **groups** several drivers enter together
/// as one player (relaimpo's `groups =`); the players are the groups in the order given, then
/// the ungrouped drivers.
///
/// The submodels come from the internal `LogisticSubsetWalk`: a depth-first walk where each fit
/// starts from its parent's (a bordered Newton step needing no `exp`, then Newton or chord steps
/// on cache-blocked BLAS kernels, converged until the predicted gain in `ℓ` is below `10⁻¹⁰·|ℓ|`),
/// on all cores with a partition of the work that does not depend on the thread count (results
/// are bit-identical for any number of workers), and the BLAS single-threaded inside.
/// Complexity: `2^g` fits of O(n·k²) each (a bordered step and about 2.4 passes over the rows
/// per fit); measured at n = 10⁴ on two (busy) cores: 0.16 s at g = 10, 2.6 s at 14, 13 s at 16,
/// 4.5 minutes at 20 (`Docs/performance.md`). Memory: the `2^g` fits plus, per worker, a copy of
/// the active columns (n × columns).
///
/// Validated against fitting every subset with ``LogisticRegression`` and against statsmodels
/// (Telco churn, with controls and groups) to 10⁻⁹ relative.
///
/// An aliased column (in the span of the others in a submodel) is dropped there, as R's `glm`
/// reports `NA`. A submodel whose warm-started fit fails is fitted again from a cold start with
/// step halving (the internal `LogisticNodeFit`); a (quasi-)separated submodel contributes the
/// supremum of its log-likelihood, the limit its fit approaches, and is counted in
/// ``separatedSubsets``. Only
/// a submodel that fails even then inherits its parent's fit and is counted in
/// ``unfittedSubsets`` (the analysis reports it; its descendants still try its drivers).
public struct LogisticDominance: Sendable {
    /// The pseudo-R² decomposed.
    public enum Fit: String, Sendable {
        /// McFadden `1 − ℓ_S/ℓ₀` (the default).
        case mcFadden = "mcfadden_r2"
        /// Nagelkerke `(1 − e^{2(ℓ₀−ℓ_S)/n})/(1 − e^{2ℓ₀/n})`.
        case nagelkerke = "nagelkerke_r2"
    }

    /// The pseudo-R² decomposed.
    public let fit: Fit
    /// Dominance over the players (``DominanceAnalysis/names`` are the player names).
    public let dominance: DominanceAnalysis
    /// Shapley values (general dominance) per player, summing to `R²(full) − R²(controls)`.
    public var values: [Double] { dominance.general }
    /// `values / full-model pseudo-R²`, summing to 1. O(p).
    public var shares: [Double] { let total = dominance.fullFit; return dominance.general.map { $0 / total } }
    /// The number of submodels that could not be fitted even from a cold start and inherited
    /// their parent's fit.
    public let unfittedSubsets: Int
    /// The number of submodels whose fit ended with fitted probabilities numerically 0 or 1
    /// (`|η| ≥ 30`: separated data); their `ℓ` is the supremum of the likelihood.
    public let separatedSubsets: Int
    /// The drivers of each player (one name for an ungrouped driver).
    public let members: [[String]]
    /// The pseudo-R² of the controls-only model (0 without controls).
    public let controlFit: Double

    /// The largest number of players accepted (2^20 logistic fits: minutes on two cores at
    /// n = 10⁴; the progress callback reports and cancels).
    public static let exactLimit = 20

    /// Fits all `2^p` submodels and decomposes their pseudo-R².
    ///
    /// - Parameters:
    ///   - y: the 0/1 outcome.
    ///   - drivers: driver columns (including any controls).
    ///   - names: driver names.
    ///   - weights: optional frequency weights (bootstrap multiplicities); `nil` = all 1.
    ///   - fit: the pseudo-R² decomposed.
    ///   - controls: names of drivers kept in every submodel; they get no importance.
    ///   - groups: named sets of drivers that enter together as one player.
    ///   - progress: called with the fraction of submodels fitted, from worker threads, one call
    ///     at a time; return `false` to cancel (the initializer then throws ``ImportanceError/cancelled``).
    /// - Throws: ``ImportanceError`` for too few or too many players, unknown or repeated names;
    ///   ``ModelError`` for a non-binary or constant outcome or invalid data; ``ImportanceError/cancelled``.
    public init(outcome y: [Double], drivers: [[Double]], names: [String], weights: [Double]? = nil, fit: Fit = .mcFadden,
                controls: [String] = [], groups: [(name: String, members: [String])] = [],
                progress: (@Sendable (Double) -> Bool)? = nil) throws {
        let problem = try Problem(outcome: y, drivers: drivers, names: names, weights: weights, controls: controls, groups: groups,
                                  limit: Self.exactLimit)
        let players = problem.players
        let walk = LogisticSubsetWalk(design: problem.design, base: problem.base, players: problem.playerColumns)
        let result = try walk.run(progress: progress)
        let l0 = result.interceptOnly
        func measure(_ ll: Double) -> Double { problem.measure(fit, ll, null: l0) }
        var ll = result.logLikelihood
        if players.controls.isEmpty { ll[0] = l0 }
        let controlFit = measure(ll[0])
        let table = ll.map { measure($0) - controlFit }
        self.fit = fit
        dominance = try DominanceAnalysis(names: players.names, fits: table)
        unfittedSubsets = result.unfitted
        separatedSubsets = result.separated
        members = players.members.map { $0.map { names[$0] } }
        self.controlFit = players.controls.isEmpty ? 0 : controlFit
    }

    /// Resolves control and group names to driver indices; players are the groups, then the
    /// ungrouped drivers, in order.
    static func players(names: [String], controls: [String], groups: [(name: String, members: [String])]) throws
        -> (names: [String], members: [[Int]], controls: [Int]) {
        var used = Set<Int>()
        func index(_ name: String, _ role: String) throws -> Int {
            guard let k = names.firstIndex(of: name) else { throw ImportanceError.dimensionMismatch("\(role): there is no driver '\(name)'") }
            guard used.insert(k).inserted else { throw ImportanceError.dimensionMismatch("driver '\(name)' is used more than once among controls and groups") }
            return k
        }
        let controlIndices = try controls.map { try index($0, "controls") }
        var playerNames: [String] = [], members: [[Int]] = []
        for group in groups {
            let indices = try group.members.map { try index($0, "group '\(group.name)'") }
            guard !indices.isEmpty else { throw ImportanceError.dimensionMismatch("group '\(group.name)' has no members") }
            playerNames.append(group.name)
            members.append(indices)
        }
        for k in names.indices where !used.contains(k) {
            playerNames.append(names[k])
            members.append([k])
        }
        return (playerNames, members, controlIndices)
    }
}

extension LogisticDominance {
    /// The checks and the design shared by the exact subset walk and the sampled chains
    /// (``SampledLogisticShapley``): valid 0/1 data, players within `limit`, both outcomes present.
    struct Problem {
        /// Players (groups, then ungrouped drivers) and controls, as driver indices.
        let players: (names: [String], members: [[Int]], controls: [Int])
        /// The design (intercept in column 0) with the weights.
        let design: LogisticDesign
        /// Σ w, the weighted count (Nagelkerke's `n`).
        let weightTotal: Double

        /// - Throws: ``ModelError`` for invalid, non-binary or constant outcomes;
        ///   ``ImportanceError`` for no players, more than `limit`, unknown or repeated names.
        init(outcome y: [Double], drivers: [[Double]], names: [String], weights: [Double]?, controls: [String],
             groups: [(name: String, members: [String])], limit: Int) throws {
            try ModelInput.validate(outcome: y, drivers: drivers, names: names, weights: weights)
            if let bad = y.firstIndex(where: { $0 != 0 && $0 != 1 }) { throw ModelError.outcomeNotBinary(value: y[bad], observation: bad + 1) }
            players = try LogisticDominance.players(names: names, controls: controls, groups: groups)
            guard !players.members.isEmpty else { throw ImportanceError.tooFewDrivers(count: 0, minimum: 1) }
            guard players.members.count <= limit else {
                throw ImportanceError.tooManyDriversForExact(count: players.members.count, limit: limit)
            }
            design = LogisticDesign(outcome: y, columns: drivers, weights: weights)
            var wy = 0.0, wt = 0.0
            for i in 0..<design.n { let wi = design.w[i]; wy += wi * design.y[i]; wt += wi }
            guard wt > 0, wy > 0, wy < wt else { throw ModelError.constantOutcome(value: y.first ?? 0) }
            weightTotal = wt
        }

        /// Control columns in the design (every submodel holds them).
        var base: [Int] { players.controls.map { $0 + 1 } }
        /// Each player's design columns.
        var playerColumns: [[Int]] { players.members.map { $0.map { $0 + 1 } } }

        /// The pseudo-R² of a submodel with log-likelihood `ll`, given the intercept-only `l0`.
        func measure(_ fit: Fit, _ ll: Double, null l0: Double) -> Double {
            switch fit {
            case .mcFadden: return 1 - ll / l0
            case .nagelkerke: return -expm1(2 * (l0 - ll) / weightTotal) / -expm1(2 * l0 / weightTotal)
            }
        }
    }
}
