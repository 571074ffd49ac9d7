import Foundation
import LinearAlgebra

extension SampledLogisticShapley {
    /// Sampled logistic Shapley values of `replicates` nonparametric bootstrap resamples, for
    /// intervals where exact values per resample (``LogisticDominance/bootstrapReplicates(outcome:drivers:names:weights:fit:controls:groups:replicates:seed:progress:)``)
    /// cost too much.
    ///
    /// Replicate `b` draws the same rows as ``Bootstrap`` and ``LogisticDominance``'s replicates
    /// (`SplitMix64(seed, b, i + 0xB007) mod n`) and samples its own `pairs` antithetic pairs of
    /// orderings (seed `SplitMix64(seed, b, 0x5A3D)`). Because every replicate carries its own,
    /// independent Monte Carlo error, the spread of the replicates is the sampling variance plus
    /// the Monte Carlo variance: percentile intervals from them are widened by that error rather
    /// than ignoring it. Replicates run in parallel, each on one core (its chains run inline), so the
    /// values are identical for any thread count. A replicate that cannot be fitted is a row of NaN.
    ///
    /// - Parameters:
    ///   - outcome: the 0/1 outcome, one value per row.
    ///   - drivers: driver columns (including any controls), each as long as `outcome`.
    ///   - names: driver names, one per column of `drivers`.
    ///   - weights: optional frequency weights, multiplied into each replicate's multiplicities;
    ///     `nil` = all 1.
    ///   - fit: the pseudo-R² decomposed (McFadden by default).
    ///   - controls: names of drivers kept in every submodel; they get no importance.
    ///   - groups: named sets of drivers that enter together as one player.
    ///   - count: the number of resamples (the `replicates:` argument), not negative.
    ///   - pairs: antithetic pairs of orderings per resample, at least 2 (default 100, fewer than
    ///     the point estimate's ``defaultPairs``: the replicates' spread absorbs the Monte Carlo
    ///     error).
    ///   - seed: the seed of the resampling streams (default 1); replicate `b` draws the rows of
    ///     ``Bootstrap`` with that seed and its orderings from `SplitMix64(seed, b, 0x5A3D)`.
    ///   - progress: called with the fraction of replicates done, one call at a time; return
    ///     `false` to cancel.
    /// - Returns: `values[b][j]`, player `j` in replicate `b`.
    /// - Throws: ``ModelError`` or ``ImportanceError`` for invalid data or names (checked before any
    ///   resampling), ``ImportanceError/cancelled``.
    /// Complexity: `replicates` times the initializer's (about `2·pairs·(g − 3)` fits each).
    public static func bootstrapReplicates(outcome: [Double], drivers: [[Double]], names: [String], weights: [Double]? = nil,
                                           fit: LogisticDominance.Fit = .mcFadden, controls: [String] = [],
                                           groups: [(name: String, members: [String])] = [],
                                           replicates count: Int, pairs: Int = 100, seed: UInt64 = 1,
                                           progress: (@Sendable (Double) -> Bool)? = nil) throws -> [[Double]] {
        try LogisticDominance.resampled(outcome: outcome, drivers: drivers, names: names, weights: weights, controls: controls,
                                        groups: groups, limit: Self.playerLimit, replicates: count, seed: seed,
                                        progress: progress) { multiplicity, b in
            try SampledLogisticShapley(outcome: outcome, drivers: drivers, names: names, weights: multiplicity, fit: fit,
                                       controls: controls, groups: groups, pairs: pairs,
                                       seed: SyntheticSurvey.hash(seed, UInt64(b), 0x5A3D)).values
        }
    }
}
