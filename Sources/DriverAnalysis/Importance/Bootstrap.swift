import Foundation
import LinearAlgebra

/// A bootstrap confidence interval for one quantity.
public struct BootstrapInterval: Sendable, Equatable {
    /// The estimate on the original data.
    public let estimate: Double
    /// Percentile interval.
    public let percentile: ClosedInterval
    /// Bias-corrected and accelerated interval (Efron 1987), `nil` when undefined (every
    /// replicate on one side of the estimate).
    public let bca: ClosedInterval?
    /// Bootstrap standard error.
    public let standardError: Double
}

/// The nonparametric bootstrap for any statistic that accepts frequency weights.
///
/// A resample of `n` rows drawn with replacement is the same as the original rows weighted by
/// how many times each was drawn, so a replicate is the statistic evaluated with those
/// multiplicities as frequency weights — no data are copied, and ``Moments`` (hence every
/// correlation-based importance measure) takes them directly. Replicate `b` draws its rows from
/// its own counter-based stream (SplitMix64 of the seed, `b` and the draw), so the results are
/// identical for a given seed whatever the thread count.
///
/// Intervals: percentile, and BCa with the acceleration from a delete-a-group jackknife
/// (`groups` contiguous groups; the delete-one jackknife would need `n` more evaluations).
///
/// Degenerate resamples: when the statistic throws on a resample although it succeeded on the
/// data (a rare 0/1 driver drawn constant, a singular resample), the resample is redrawn from
/// the next stream of the same replicate — up to ``maximumRedraws`` times per replicate — and
/// counted in ``redrawnResamples``; a replicate that never succeeds rethrows its error.
/// ``ImportanceError/cancelled`` is never redrawn.
public struct Bootstrap: Sendable {
    /// `replicates[b][k]`: statistic `k` in replicate `b`.
    public let replicates: [[Double]]
    /// Resamples that were redrawn because the statistic could not be computed on them.
    public let redrawnResamples: Int
    /// Redraws allowed per replicate.
    public static let maximumRedraws = 100
    /// The most replicates one bootstrap runs (each is kept in memory).
    public static let maximumReplicates = 1_000_000
    /// The statistics on the original data (all weights 1).
    public let estimates: [Double]
    /// One interval per statistic; replicates where a statistic is `NaN` are left out of its interval.
    public let intervals: [BootstrapInterval]
    /// Level of the intervals. Default `0.95`.
    public let confidenceLevel: Double

    /// Runs `replicates` resamples of `rowCount` rows.
    ///
    /// - Parameters:
    ///   - n: the number of rows resampled.
    ///   - count: the number of bootstrap replicates.
    ///   - seed: the seed; replicate `b` uses the stream of `(seed, b)`.
    ///   - confidenceLevel: level of the intervals.
    ///   - groups: groups of the delete-a-group jackknife (BCa acceleration).
    ///   - progress: called with the fraction of replicates done (from worker threads, one call
    ///     at a time).
    ///   - statistic: computes the statistics from row weights (all 1 for the original
    ///     data; multiplicities for a replicate; 0 for rows left out by the jackknife).
    /// - Throws: ``ImportanceError/dimensionMismatch(_:)`` for no row, a replicate count beyond
    ///   ``maximumReplicates``, or a statistic whose length changes between resamples;
    ///   ``AnalysisError/invalidOption(option:value:reason:)`` for a level outside (0, 1); what
    ///   `statistic` throws on the full data (or ``ImportanceError/cancelled``).
    public init(rowCount n: Int, replicates count: Int, seed: UInt64, confidenceLevel: Double = 0.95, groups: Int = 20,
                progress: (@Sendable (Double) -> Void)? = nil, statistic: @Sendable ([Double]) throws -> [Double]) throws {
        guard n >= 1 else { throw ImportanceError.dimensionMismatch("the bootstrap needs at least one row") }
        guard confidenceLevel > 0, confidenceLevel < 1 else {
            throw AnalysisError.invalidOption(option: "confidenceLevel", value: "\(confidenceLevel)", reason: "a confidence level lies strictly between 0 and 1")
        }
        guard count >= 0, count <= Self.maximumReplicates else {
            throw ImportanceError.dimensionMismatch("\(count) bootstrap replicates: the number must lie between 0 and \(Self.maximumReplicates)")
        }
        let estimates = try statistic([Double](repeating: 1, count: n))
        let counter = ProgressCounter(total: count, report: progress)
        let stopped = StopFlag()
        let results: [(Result<[Double], Error>, redraws: Int)] = Parallel.map(count) { b in
            defer { counter.step() }
            // Once one replicate saw the cancellation, the rest return at once (no resampling).
            if stopped.isSet { return (.failure(ImportanceError.cancelled), 0) }
            var weights = [Double](repeating: 0, count: n)
            var attempt = 0
            while true {
                // Attempt 0 is the replicate's usual stream; redraws use the following ones.
                let stream = attempt == 0 ? seed : SyntheticSurvey.hash(seed, UInt64(b), 0xDEAD_0000 &+ UInt64(attempt))
                for i in 0..<n { weights[i] = 0 }
                for i in 0..<n {
                    let draw = SyntheticSurvey.hash(stream, UInt64(b), UInt64(i) &+ 0xB007)
                    weights[Int(draw % UInt64(n))] += 1
                }
                let result = Result { try statistic(weights) }
                if case let .failure(error) = result, Self.isCancellation(error) { stopped.set() }
                if case let .failure(error) = result, attempt < Self.maximumRedraws, !Self.isCancellation(error) {
                    attempt += 1
                    continue
                }
                return (result, attempt)
            }
        }
        let replicates = try results.map { try $0.0.get() }
        // A statistic whose length changes between resamples cannot be summarized per position.
        if let bad = replicates.firstIndex(where: { $0.count != estimates.count }) {
            throw ImportanceError.dimensionMismatch("replicate \(bad + 1) returned \(replicates[bad].count) statistics where the full sample gave \(estimates.count)")
        }
        redrawnResamples = results.reduce(0) { $0 + $1.redraws }
        let groupCount = max(2, min(groups, n))
        let jackknife: [Result<[Double], Error>] = Parallel.map(groupCount) { g in
            var weights = [Double](repeating: 1, count: n)
            for i in (n * g / groupCount)..<(n * (g + 1) / groupCount) { weights[i] = 0 }
            return Result { try statistic(weights) }
        }
        // A group whose removal leaves the statistic undefined (a rare level left out) only drops
        // out of the acceleration.
        let jack = try jackknife.map { result -> [Double] in
            if case let .failure(error) = result, !Self.isCancellation(error) { return [Double](repeating: .nan, count: estimates.count) }
            let values = try result.get()
            return values.count == estimates.count ? values : [Double](repeating: .nan, count: estimates.count)
        }
        self.replicates = replicates
        self.estimates = estimates
        self.confidenceLevel = confidenceLevel
        // Replicates where the statistic is undefined (NaN) are left out of that statistic's interval.
        intervals = estimates.indices.map { k in
            Self.interval(estimate: estimates[k], values: replicates.map { $0[k] }.filter { !$0.isNaN },
                          jackknife: jack.map { $0[k] }.filter { !$0.isNaN }, level: confidenceLevel)
        }
    }

    static func isCancellation(_ error: Error) -> Bool {
        (error as? ImportanceError) == .cancelled
    }

    static func interval(estimate: Double, values: [Double], jackknife: [Double], level: Double) -> BootstrapInterval {
        let sorted = values.sorted()
        let alpha = (1 - level) / 2
        let mean = values.reduce(0, +) / Double(values.count)
        let se = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(1, values.count - 1))).squareRoot()
        let percentile = ClosedInterval(lower: quantile(sorted, alpha), upper: quantile(sorted, 1 - alpha))
        let below = Double(values.filter { $0 < estimate }.count) + 0.5 * Double(values.filter { $0 == estimate }.count)
        let fraction = below / Double(values.count)
        var bca: ClosedInterval? = nil
        if fraction > 0 && fraction < 1 {
            let normal = NormalDistribution.standard
            let z0 = normal.quantile(fraction)
            let jm = jackknife.reduce(0, +) / Double(jackknife.count)
            let num = jackknife.reduce(0) { $0 + pow(jm - $1, 3) }
            let den = 6 * pow(jackknife.reduce(0) { $0 + (jm - $1) * (jm - $1) }, 1.5)
            let a = den > 0 ? num / den : 0
            func adjusted(_ p: Double) -> Double {
                let z = normal.quantile(p)
                return normal.cdf(z0 + (z0 + z) / (1 - a * (z0 + z)))
            }
            bca = ClosedInterval(lower: quantile(sorted, adjusted(alpha)), upper: quantile(sorted, adjusted(1 - alpha)))
        }
        return BootstrapInterval(estimate: estimate, percentile: percentile, bca: bca, standardError: se)
    }

    /// Type-7 (linear interpolation) sample quantile of sorted values.
    static func quantile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let h = Double(sorted.count - 1) * min(1, max(0, p))
        let lo = Int(h.rounded(.down)), hi = min(sorted.count - 1, lo + 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }
}

extension Bootstrap {
    /// Bootstraps exact Shapley values (raw, in R² units) of a sample's drivers.
    ///
    /// - Parameters:
    ///   - sample: the analysed rows; its weights, if any, multiply each replicate's resampling weights.
    ///   - replicates: bootstrap resamples; default 1,000.
    ///   - seed: the seed of the resamples, so runs reproduce; default 1.
    ///   - confidenceLevel: the level of the percentile intervals, in (0, 1); default 0.95.
    public static func shapley(_ sample: AnalysisSample, replicates: Int = 1_000, seed: UInt64 = 1,
                               confidenceLevel: Double = 0.95) throws -> Bootstrap {
        let names = sample.driverNames + [sample.outcomeName]
        let columns = sample.drivers + [sample.outcome]
        let base = sample.weights
        return try Bootstrap(rowCount: sample.observationCount, replicates: replicates, seed: seed, confidenceLevel: confidenceLevel) { weights in
            let w = base.map { zip($0, weights).map { $0 * $1 } } ?? weights
            let moments = try Moments(names: names, columns: columns, weights: w)
            return try ShapleyDecomposition(ImportanceInput(moments: moments, outcome: sample.outcomeName)).values
        }
    }
}

/// Counts finished work items across worker threads and reports the fraction done.
final class ProgressCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var done = 0
    private let total: Int
    private let report: (@Sendable (Double) -> Void)?

    init(total: Int, report: (@Sendable (Double) -> Void)?) {
        self.total = max(1, total)
        self.report = report
    }

    /// One more item done; reports the new fraction.
    func step() {
        guard let report else { return }
        lock.lock()
        defer { lock.unlock() }
        done += 1
        report(Double(done) / Double(total))
    }
}

/// A flag any worker may raise and every worker can read.
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false

    /// Whether the flag is raised.
    var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return raised
    }

    /// Raises the flag.
    func set() {
        lock.lock()
        raised = true
        lock.unlock()
    }
}
