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

    /// Antithetic pairs for sampled group Shapley: as many as `budget` affords at `2·k³/3`
    /// multiply-adds per pair (two sweeps of the k × k correlations), between 100 and 1,000.
    static func groupPairs(columns k: Int, budget: Double) -> Int {
        let columns: Double = Double(max(1, k))
        let perPair: Double = 2 * columns * columns * columns / 3
        let affordable: Double = budget / perPair
        if !(affordable < 1_000) { return 1_000 }
        return max(100, Int(affordable))
    }

    /// Whether exact group Shapley values fit: at most ``GroupImportance/playerLimit`` players
    /// and the walk's multiply-adds (``GroupImportance/work(columnsPerPlayer:)``, which counts
    /// the design's columns, not the players) within `budget`.
    static func exactGroupShapley(players widths: [Int], budget: Double) -> Bool {
        widths.count <= GroupImportance.playerLimit && GroupImportance.work(columnsPerPlayer: widths) <= budget
    }

    /// Shapley values (R² units) per driver, each driver's terms one player.
    ///
    /// - One term per driver: ``ShapleyEstimate`` — exact to 30 drivers, sampled beyond.
    /// - Multi-term drivers (factors): general dominance over the driver coalitions
    ///   (``GroupImportance``, with the dominance tables up to 20 players) when
    ///   ``exactGroupShapley(players:budget:)``; else antithetic permutation sampling over the players (``SampledShapley``),
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
        if exactGroupShapley(players: players.map(\.members.count), budget: budget) {
            let importance = try GroupImportance(input, players: players, progress: g >= 22 ? progress : nil)
            return .init(values: importance.groups.map(\.shapley), standardErrors: nil, dominance: importance.dominance, permutations: nil)
        }
        let sampled = try SampledShapley(input, players: players, pairs: groupPairs(columns: k, budget: budget), seed: seed)
        return .init(values: sampled.values, standardErrors: sampled.standardErrors, dominance: nil, permutations: 2 * sampled.pairs)
    }

    /// The Shapley values of user-defined groups (`--group`): exact within the work budget and
    /// ``GroupImportance/playerLimit`` players, else sampled over the players with a note giving
    /// the largest standard error.
    static func userGroups(_ input: ImportanceInput, groups: [(name: String, members: [String])], budget: Double, seed: UInt64,
                           warnings: inout [DriverReport.Warning]) throws -> [GroupImportance.Group] {
        let players = try GroupImportance.players(input, groups: groups)
        if exactGroupShapley(players: players.map(\.members.count), budget: budget) {
            return try GroupImportance(input, players: players, progress: nil).groups
        }
        let sampled = try SampledShapley(input, players: players, pairs: groupPairs(columns: input.driverCount, budget: budget), seed: seed)
        let total = sampled.values.reduce(0, +)
        let largest = sampled.standardErrors.max() ?? 0
        warnings.append(.init(.sampledShapley, "group Shapley values for \(players.count) players (\(input.driverCount) design columns) are permutation-sampling estimates from \(NumberFormat.count(2 * sampled.pairs)) orderings (largest standard error \(String(format: "%.2g", largest))): exact values are beyond the work budget or \(GroupImportance.playerLimit) players (pass --exhaustive to compute them within that limit)"))
        return players.enumerated().map { j, player in
            GroupImportance.Group(name: player.name, members: player.members.map { input.names[$0] }, shapley: sampled.values[j],
                                  share: sampled.values[j] / total)
        }
    }

    /// The note of group Shapley values estimated by permutation sampling.
    static func sampledGroupShapleyWarning(players g: Int, columns k: Int, permutations: Int) -> DriverReport.Warning {
        let why = g > GroupImportance.playerLimit
            ? "exact values for more than \(GroupImportance.playerLimit) drivers with factors are not enumerated"
            : "exact values fit 2^\(g) subsets of up to \(k) design columns, beyond the work budget (pass --exhaustive to compute them)"
        return .init(.sampledShapley, "Shapley values for \(g) drivers (\(k) design columns) are permutation-sampling estimates from \(NumberFormat.count(permutations)) orderings, each ± its Monte Carlo standard error: \(why)")
    }
}
