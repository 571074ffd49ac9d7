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
    /// - Parameters: as ``init(outcome:drivers:names:weights:fit:controls:groups:pairs:seed:progress:)``, plus
    ///   - replicates: the number of resamples.
    ///   - pairs: antithetic pairs of orderings per resample.
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
