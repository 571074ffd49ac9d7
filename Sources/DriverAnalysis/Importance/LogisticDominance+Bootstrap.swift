import Foundation
import LinearAlgebra

extension LogisticDominance {
    /// Logistic Shapley values of `replicates` nonparametric bootstrap resamples, for
    /// ``Bootstrap``-style intervals.
    ///
    /// Replicate `b` draws `n` rows with replacement from its own counter-based stream — the same
    /// draws as ``Bootstrap`` (`SplitMix64(seed, b, i + 0xB007) mod n`), so the two agree on which
    /// rows a replicate holds — and evaluates ``LogisticDominance`` with the multiplicities as
    /// frequency weights (times `weights`, if given); rows drawn zero times drop out of every fit.
    /// Replicates run in parallel, each walk on one core, so the values are identical for any
    /// thread count. A replicate whose model cannot be fitted (say, a resample without churners)
    /// is a row of NaN, which ``Bootstrap``'s intervals leave out.
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
    ///   - seed: the seed of the resampling streams (default 1); a seed draws the same rows as
    ///     ``Bootstrap`` with that seed.
    ///   - progress: called with the fraction of replicates done; return `false` to cancel.
    /// - Returns: `values[b][j]`, player `j` in replicate `b` (players as in ``members``).
    /// - Throws: ``ModelError`` or ``ImportanceError`` for invalid data or names (checked before any
    ///   resampling), ``ImportanceError/cancelled``.
    /// Complexity: `replicates` times the initializer's (`2^g` logistic fits each).
    public static func bootstrapReplicates(outcome: [Double], drivers: [[Double]], names: [String], weights: [Double]? = nil,
                                           fit: Fit = .mcFadden, controls: [String] = [],
                                           groups: [(name: String, members: [String])] = [],
                                           replicates count: Int, seed: UInt64 = 1,
                                           progress: (@Sendable (Double) -> Bool)? = nil) throws -> [[Double]] {
        try resampled(outcome: outcome, drivers: drivers, names: names, weights: weights, controls: controls, groups: groups,
                      limit: Self.exactLimit, replicates: count, seed: seed, progress: progress) { multiplicity, _ in
            try LogisticDominance(outcome: outcome, drivers: drivers, names: names, weights: multiplicity, fit: fit,
                                  controls: controls, groups: groups).values
        }
    }

    /// The replicate loop shared by the exact and the sampled logistic bootstraps: checks the data
    /// and names once, then per replicate `b` (in parallel, results independent of the worker
    /// count) the row multiplicities of ``resampleWeights(seed:replicate:rows:weights:)`` go to
    /// `estimate`; a replicate that cannot be estimated (separation) is a row of `NaN`.
    static func resampled(outcome: [Double], drivers: [[Double]], names: [String], weights: [Double]?, controls: [String],
                          groups: [(name: String, members: [String])], limit: Int, replicates count: Int, seed: UInt64,
                          progress: (@Sendable (Double) -> Bool)?,
                          estimate: @Sendable (_ multiplicity: [Double], _ replicate: Int) throws -> [Double]) throws -> [[Double]] {
        try ModelInput.validate(outcome: outcome, drivers: drivers, names: names, weights: weights)
        guard count >= 0, count <= AnalysisConfiguration.bootstrapLimit else {
            throw AnalysisError.invalidOption(option: "replicates", value: "\(count)", reason: "the bootstrap takes 0 to \(AnalysisConfiguration.bootstrapLimit) replicates")
        }
        let players = try Self.players(names: names, controls: controls, groups: groups)
        guard players.members.count <= limit else {
            throw ImportanceError.tooManyDriversForExact(count: players.members.count, limit: limit)
        }
        let n = outcome.count
        let tracker = ReplicateProgress(total: count, progress: progress)
        let rows: [[Double]] = Parallel.map(count) { b in
            if tracker.isCancelled { return [] }
            let multiplicity = resampleWeights(seed: seed, replicate: b, rows: n, weights: weights)
            let values = try? estimate(multiplicity, b)
            tracker.finished()
            return values ?? [Double](repeating: .nan, count: players.members.count)
        }
        if tracker.isCancelled { throw ImportanceError.cancelled }
        return rows
    }
}

/// Counts finished replicates and forwards the fraction, one call at a time.
final class ReplicateProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let total: Int
    private let progress: (@Sendable (Double) -> Bool)?
    private var done = 0
    private var cancelled = false

    init(total: Int, progress: (@Sendable (Double) -> Bool)?) {
        self.total = total
        self.progress = progress
    }

    var isCancelled: Bool { lock.withLock { cancelled } }

    func finished() {
        lock.withLock {
            done += 1
            if let progress, !cancelled, !progress(Double(done) / Double(max(1, total))) { cancelled = true }
        }
    }
}

extension LogisticDominance {
    /// Replicate `b`'s row multiplicities — the draws of ``Bootstrap`` (`SplitMix64(seed, b, i +
    /// 0xB007) mod n`) counted per row — times the rows' own weights.
    static func resampleWeights(seed: UInt64, replicate b: Int, rows n: Int, weights: [Double]?) -> [Double] {
        var multiplicity = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let draw = SyntheticSurvey.hash(seed, UInt64(b), UInt64(i) &+ 0xB007)
            multiplicity[Int(draw % UInt64(n))] += 1
        }
        if let weights { for i in 0..<n { multiplicity[i] *= weights[i] } }
        return multiplicity
    }
}
