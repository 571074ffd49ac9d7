import Foundation
import LinearAlgebra

/// Shapley values of a logistic (churn) model on a pseudo-R² by permutation sampling, for more
/// players than the exact walk of ``LogisticDominance`` can afford.
///
/// Each sampled ordering of the players adds them one by one, and a player's marginal gain in
/// pseudo-R² in that ordering is one draw of its Shapley value (Castro, Gómez & Tejada 2009).
/// Orderings come in antithetic pairs — an ordering and its reverse — which cancels much of the
/// between-ordering variance (Mitchell, Cooper, Frank & Holmes 2022); the estimate is the mean over
/// the `2m` orderings and its standard error `s/√m` comes from the `m` pair means, as in
/// ``SampledShapley``. Players, controls and the fit measure are those of ``LogisticDominance``:
/// controls are in every submodel (the values sum to the pseudo-R² beyond the controls), a group
/// (or a factor's dummies) is one player.
///
/// **Fits.** The submodels of one ordering form a chain `C ⊂ C∪{π₁} ⊂ C∪{π₁,π₂} ⊂ …`; each is fitted
/// by the internal `LogisticNodeFit` warm-started from the one before it (a bordered Newton
/// step, then Newton or chord steps to 10⁻¹⁰ in ℓ). Subsets already fitted are looked up in a memo (bit mask →
/// ℓ): the controls-only, single-player, all-but-one and full models are fitted once up front and
/// shared; the others are memoised per block of pairs, and a chain resumes after a run of memo
/// hits from its last fitted model with the skipped players added together.
///
/// **Determinism.** Ordering `k` is a function of `seed` and `k` alone, the pairs are cut into
/// a fixed number of blocks (each with its own memo, fitted by one worker in order), and the
/// up-front fits each start from the controls-only model — so the values are bit-identical for any
/// number of workers. Inside the parallel region the BLAS runs single-threaded (the internal
/// `Parallel`).
///
/// Complexity: about `2m·(g − 3)` logistic fits of O(n·k²) each (fewer with memo hits), against
/// `2^g` for the exact walk; memory: per block a workspace of `n ×` columns doubles and the memo.
public struct SampledLogisticShapley: Sendable {
    /// The pseudo-R² decomposed.
    public let fit: LogisticDominance.Fit
    /// Player names: the groups, then the ungrouped drivers (controls excluded).
    public let names: [String]
    /// The drivers of each player (one name for an ungrouped driver).
    public let members: [[String]]
    /// Estimated Shapley values per player: the mean marginal pseudo-R² gain over the orderings.
    /// They sum to ``fullFit`` up to the fits' tolerance (every ordering telescopes to it).
    public let values: [Double]
    /// Monte Carlo standard error of each value, `s/√m` over the `m` antithetic-pair means.
    public let standardErrors: [Double]
    /// Antithetic pairs sampled (orderings: `2·pairs`).
    public let pairs: Int
    /// The pseudo-R² the players add beyond the controls: `R²(full) − R²(controls)`.
    public let fullFit: Double
    /// The pseudo-R² of the controls-only model (0 without controls).
    public let controlFit: Double
    /// Logistic fits made (memo hits excluded).
    public let fittedSubsets: Int
    /// Fits that failed even from a cold start with step halving, and inherited their
    /// predecessor's fit (reported by the analysis; none on any data seen so far).
    public let unfittedSubsets: Int
    /// Fits that ended with fitted probabilities numerically 0 or 1 (`|η| ≥ 30`: separated
    /// data); their `ℓ` is the supremum the fit approaches (not an increment of 0).
    public let separatedSubsets: Int

    /// Orderings sampled: `2·pairs`. O(1).
    public var permutations: Int { 2 * pairs }
    /// `values / fullFit`, summing to about 1. O(g).
    public var shares: [Double] { values.map { $0 / fullFit } }

    /// The default number of antithetic pairs (1,000 orderings).
    public static let defaultPairs = 500
    /// The largest number of players (bit masks of one machine word).
    public static let playerLimit = 62

    /// Samples `pairs` antithetic pairs of orderings (at least 2) from `seed` and fits their chains.
    ///
    /// - Parameters:
    ///   - y: the 0/1 outcome.
    ///   - drivers: driver columns (including any controls).
    ///   - names: driver names.
    ///   - weights: optional frequency weights; `nil` = all 1.
    ///   - fit: the pseudo-R² decomposed.
    ///   - controls: names of drivers kept in every submodel.
    ///   - groups: named sets of drivers that enter together as one player.
    ///   - pairs: antithetic pairs of orderings.
    ///   - seed: the seed of the orderings.
    ///   - progress: called with the fraction of pairs done, one call at a time; return `false` to
    ///     cancel (the initializer then throws ``ImportanceError/cancelled``).
    /// - Throws: ``ImportanceError`` for no or more than ``playerLimit`` players and bad names,
    ///   ``ModelError`` for a non-binary or constant outcome, ``ImportanceError/cancelled``.
    public init(outcome y: [Double], drivers: [[Double]], names: [String], weights: [Double]? = nil,
                fit: LogisticDominance.Fit = .mcFadden, controls: [String] = [], groups: [(name: String, members: [String])] = [],
                pairs: Int = defaultPairs, seed: UInt64 = 1, progress: (@Sendable (Double) -> Bool)? = nil) throws {
        try self.init(outcome: y, drivers: drivers, names: names, weights: weights, fit: fit, controls: controls, groups: groups,
                      orderings: .antithetic(pairs: max(2, pairs), seed: seed), progress: progress)
    }

    /// Where the orderings come from: sampled antithetic pairs, or (tests) every permutation of
    /// the players, each paired with its reverse.
    enum Orderings {
        case antithetic(pairs: Int, seed: UInt64)
        case all

        func count(players g: Int) -> Int {
            switch self {
            case let .antithetic(pairs, _): return pairs
            case .all: return (1...max(1, g)).reduce(1, *)
            }
        }

        /// The forward ordering of pair `k`.
        func ordering(_ k: Int, players g: Int) -> [Int] {
            var order = Array(0..<g)
            switch self {
            case let .antithetic(_, seed):
                var state = SyntheticSurvey.hash(seed, UInt64(k), 0x5EED)
                for i in stride(from: g - 1, to: 0, by: -1) {     // Fisher–Yates
                    state = SyntheticSurvey.hash(state, UInt64(i), 1)
                    order.swapAt(i, Int(state % UInt64(i + 1)))
                }
            case .all:                                             // the k-th permutation (factorial number system)
                var rest = order, index = k
                order = []
                for i in stride(from: g, to: 0, by: -1) {
                    let f = (1..<i).reduce(1, *)
                    order.append(rest.remove(at: index / f))
                    index %= f
                }
            }
            return order
        }
    }

    init(outcome y: [Double], drivers: [[Double]], names: [String], weights: [Double]?, fit: LogisticDominance.Fit,
         controls: [String], groups: [(name: String, members: [String])], orderings: Orderings,
         progress: (@Sendable (Double) -> Bool)?) throws {
        let problem = try LogisticDominance.Problem(outcome: y, drivers: drivers, names: names, weights: weights, controls: controls,
                                                    groups: groups, limit: Self.playerLimit)
        let players = problem.players
        let g = players.members.count
        let chains = LogisticChainFits(design: problem.design, base: problem.base, players: problem.playerColumns)
        let result = try chains.run(orderings: orderings, progress: progress)
        let l0 = result.interceptOnly
        func measure(_ ll: Double) -> Double { problem.measure(fit, ll, null: l0) }
        let controlFit = players.controls.isEmpty ? 0 : measure(result.controls)
        // Per pair, the mean gain of each player over the ordering and its reverse.
        let means: [[Double]] = result.chains.map { pair in
            var gains = [Double](repeating: 0, count: g)
            for chain in pair {
                var previous = controlFit
                for (j, ll) in zip(chain.order, chain.logLikelihood) {
                    let value = measure(ll)
                    gains[j] += (value - previous) / 2
                    previous = value
                }
            }
            return gains
        }
        let m = Double(means.count)
        var values = [Double](repeating: 0, count: g), errors = [Double](repeating: 0, count: g)
        for j in 0..<g {
            let mean = means.reduce(0) { $0 + $1[j] } / m
            let variance = m > 1 ? means.reduce(0) { $0 + ($1[j] - mean) * ($1[j] - mean) } / (m - 1) : 0
            values[j] = mean
            errors[j] = (variance / m).squareRoot()
        }
        self.fit = fit
        self.names = players.names
        members = players.members.map { $0.map { names[$0] } }
        self.values = values
        standardErrors = errors
        pairs = means.count
        fullFit = measure(result.full) - controlFit
        self.controlFit = controlFit
        fittedSubsets = result.fitted
        unfittedSubsets = result.unfitted
        separatedSubsets = result.separated
    }
}
