import Foundation

extension ImportanceStage {
    /// Shapley values of a linear model's drivers, each driver's terms one player.
    struct LinearShapley {
        /// Per driver, in R² units.
        let values: [Double]
        /// Monte Carlo standard errors when sampled, else `nil`.
        let standardErrors: [Double]?
        /// The dominance tables when every subset was fitted (multi-term drivers, exact).
        let dominance: DominanceAnalysis?
        /// Orderings sampled when the values are estimates, else `nil`.
        let permutations: Int?
    }

    /// The work of exact group Shapley values, in multiply-adds: `2^g` subsets, each a Cholesky
    /// solve of its columns, on average `k/2` of the design's `k` columns: `2^g·(k/2)³/3`. It
    /// counts the design's columns, not the players: 20 factors of 20 levels are 380 columns.
    static func groupWork(players g: Int, columns k: Int) -> Double {
        let half: Double = Double(k) / 2
        let subsets: Double = pow(2.0, Double(g))
        return subsets * half * half * half / 3
    }

    /// Antithetic pairs for sampled group Shapley: as many as `budget` affords at `2·k³/3`
    /// multiply-adds per pair (two sweeps of the k × k correlations), between 100 and 1,000.
    static func groupPairs(columns k: Int, budget: Double) -> Int {
        let columns: Double = Double(max(1, k))
        let perPair: Double = 2 * columns * columns * columns / 3
        let affordable: Double = budget / perPair
        if !(affordable < 1_000) { return 1_000 }
        return max(100, Int(affordable))
    }

    /// Shapley values (R² units) per driver, each driver's terms one player.
    ///
    /// - One term per driver: ``ShapleyEstimate`` — exact to 30 drivers, sampled beyond.
    /// - Multi-term drivers (factors): general dominance over the driver coalitions
    ///   (``GroupImportance``, with the dominance tables) when there are at most
    ///   ``GroupImportance/playerLimit`` players and ``groupWork(players:columns:)`` is within
    ///   `budget`; else antithetic permutation sampling over the players (``SampledShapley``),
    ///   with standard errors — never a refusal, never unbounded work.
    static func linearShapley(_ input: ImportanceInput, design: DriverDesign, drivers: [String], budget: Double, seed: UInt64,
                              progress: (@Sendable (Double) -> Bool)? = nil) throws -> LinearShapley {
        guard design.hasMultiTermDrivers else {
            let estimate = try ShapleyEstimate(input, allowSampling: true, seed: seed, progress: progress)
            if case let .sampled(sampled) = estimate {
                return .init(values: sampled.values, standardErrors: sampled.standardErrors, dominance: nil, permutations: 2 * sampled.pairs)
            }
            return .init(values: estimate.values, standardErrors: nil, dominance: nil, permutations: nil)
        }
        let g = design.termRanges.count, k = input.driverCount
        if g <= GroupImportance.playerLimit && groupWork(players: g, columns: k) <= budget {
            let importance = try GroupImportance(input, groups: driverTermGroups(drivers: drivers, design: design))
            return .init(values: importance.groups.map(\.shapley), standardErrors: nil, dominance: importance.dominance, permutations: nil)
        }
        var players: [(name: String, members: [Int])] = []
        for group in driverTermGroups(drivers: drivers, design: design) {
            var members: [Int] = []
            for term in group.members {
                guard let index = input.names.firstIndex(of: term) else {
                    throw ImportanceError.dimensionMismatch("the term '\(term)' of driver '\(group.name)' is not among the correlations")
                }
                members.append(index)
            }
            players.append((name: group.name, members: members))
        }
        let sampled = try SampledShapley(input, players: players, pairs: groupPairs(columns: k, budget: budget), seed: seed)
        return .init(values: sampled.values, standardErrors: sampled.standardErrors, dominance: nil, permutations: 2 * sampled.pairs)
    }

    /// The note of group Shapley values estimated by permutation sampling.
    static func sampledGroupShapleyWarning(players g: Int, columns k: Int, permutations: Int) -> DriverReport.Warning {
        let why = g > GroupImportance.playerLimit
            ? "exact values for more than \(GroupImportance.playerLimit) drivers with factors are not enumerated"
            : "exact values fit 2^\(g) subsets of up to \(k) design columns, beyond the work budget (pass --exhaustive to compute them)"
        return .init("sampled_shapley", "Shapley values for \(g) drivers (\(k) design columns) are permutation-sampling estimates from \(NumberFormat.count(permutations)) orderings, each ± its Monte Carlo standard error: \(why)")
    }
}
