import Foundation

/// Stage 5: how sure the decision is. Resamples the respondents (seeded, reproducible whatever
/// the thread count) and recomputes importance, mean ratings and coefficient signs in each
/// replicate, giving percentile intervals on both axes of the priority matrix, the
/// probability that each driver keeps its rank and its quadrant, the probability that its
/// coefficient's sign flips, and "A is more important than B" for the top five drivers.
///
/// Importance is bootstrapped as Shapley values for linear models and as McFadden-R² Shapley
/// values for logistic models up to `KeyDriverAnalysis.logisticBootstrapLimit` (20) drivers.
public struct ConfidenceStage: Sendable {
    /// Per driver: the importance interval (Shapley), when bootstrapped.
    public let importanceIntervals: [ClosedInterval?]
    /// Per driver: the interval of the mean rating (mean performance only).
    public let performanceIntervals: [ClosedInterval?]
    /// Per driver: share of resamples whose coefficient sign differs from the reported one.
    public let signFlipProbabilities: [Double?]
    /// Per single-term driver of a logistic model: the percentile interval of its coefficient.
    public let coefficientIntervals: [ClosedInterval?]
    /// Per driver: share of resamples in which it holds its reported rank.
    public let rankProbabilities: [Double?]
    /// Per driver: the interval of its rank.
    public let rankIntervals: [ClosedInterval?]
    /// Per driver: share of resamples that put it in its reported quadrant.
    public let quadrantProbabilities: [Double?]
    /// Pairwise comparisons among the five most important drivers.
    public let comparisons: [DriverReport.ImportanceComparison]
    /// Notes raised.
    public let warnings: [DriverReport.Warning]
    /// How each resample's Shapley values were computed (`nil` when importance was not bootstrapped).
    public let importanceMethod: DriverReport.ShapleyEstimation.Algorithm?
    /// Orderings per resample when ``importanceMethod`` is `.sampled`.
    public let importancePermutations: Int?

    /// Bootstraps `configuration.bootstrap` replicates of the analysis of `fit`.
    ///
    /// - Parameters:
    ///   - fit: the fitted model and its analysis sample, resampled by row.
    ///   - rows: the report rows so far (coefficients, quadrants, whether Shapley was computed).
    ///   - ranks: the reported importance ranks.
    ///   - matrix: the reported priority matrix, for performance intervals and quadrant stability.
    ///   - selection: the drivers and controls.
    ///   - c: the configuration: replicates, seed, confidence level and the importance methods.
    ///   - progress: called when the bootstrap starts (0) and ends (1).
    ///   - cancellation: polled in every replicate.
    /// - Throws: what the per-replicate computations throw; ``ImportanceError/cancelled``
    ///   once `cancellation` is set.
    /// Complexity: `B` times the importance computation.
    public init(fit: ModelStage, rows: [DriverReport.DriverRow], ranks: [Int]?, matrix: PriorityMatrix?, selection: DriverSelection,
                configuration c: AnalysisConfiguration, progress: KeyDriverAnalysis.Progress? = nil,
                cancellation: CancellationToken? = nil) throws {
        let p = rows.count
        let sample = fit.sample
        let logistic = fit.kind == .logistic
        var warnings: [DriverReport.Warning] = []
        let logisticImportance = logistic && p <= KeyDriverAnalysis.logisticBootstrapLimit && rows[0].importance.shapley != nil
        if logistic && !logisticImportance && rows[0].importance.shapley != nil {
            warnings.append(.init(.bootstrapPartial, "importance intervals for logistic models are bootstrapped up to \(KeyDriverAnalysis.logisticBootstrapLimit) drivers; here only the what-if intervals and coefficient signs are"))
        }
        // Exact Shapley in every resample when B·2^p fits fit the work budget, else sampled
        // Shapley with its own orderings per resample (their Monte Carlo error widens the interval).
        let exactWork = Double(c.bootstrap) * pow(2, Double(p)) * Double(sample.observationCount) * Double(max(1, sample.driverNames.count))
        let exactReplicates = p <= LogisticDominance.exactLimit && exactWork <= c.logisticWorkBudget
        let replicatePairs = KeyDriverAnalysis.logisticReplicatePairs
        if logisticImportance {
            importanceMethod = exactReplicates ? .exact : .sampled
            importancePermutations = exactReplicates ? nil : 2 * replicatePairs
        } else {
            importanceMethod = logistic ? nil : .exact
            importancePermutations = nil
        }
        let label = ProgressStep.bootstrap(replicates: c.bootstrap)
        progress?(label, 0)
        let replicate = Replicate(fit: fit, selection: selection, configuration: c, logisticImportance: logisticImportance,
                                  exactReplicates: exactReplicates, replicatePairs: replicatePairs)
        var replicateProgress: (@Sendable (Double) -> Void)? = nil
        if let progress { replicateProgress = { fraction in progress(label, fraction) } }
        let boot = try Bootstrap(rowCount: sample.observationCount, replicates: c.bootstrap, seed: c.seed, confidenceLevel: c.confidenceLevel,
                                 progress: replicateProgress) { weights in
            try cancellation?.check()
            return try replicate.statistics(weights)
        }
        progress?(label, 1)
        if boot.redrawnResamples > 0 {
            warnings.append(.init(.bootstrapRedrawn, "\(boot.redrawnResamples) of \(c.bootstrap) bootstrap resamples could not be analysed (a rare driver was constant in them) and were redrawn"))
        }
        let intervals = Self.driverIntervals(boot, rows: rows, matrix: matrix, logistic: logistic, logisticImportance: logisticImportance)
        importanceIntervals = intervals.importance
        performanceIntervals = intervals.performance
        signFlipProbabilities = intervals.signFlips
        coefficientIntervals = intervals.coefficients
        let usable = boot.replicates.filter { !$0[0].isNaN }
        if let ranks, !usable.isEmpty {
            let ranking = Self.rankStability(usable, ranks: ranks, rows: rows, drivers: selection.drivers, level: c.confidenceLevel)
            rankProbabilities = ranking.rankProbabilities
            rankIntervals = ranking.rankIntervals
            quadrantProbabilities = ranking.quadrantProbabilities
            comparisons = ranking.comparisons
            if let note = ranking.note { warnings.append(note) }
        } else {
            rankProbabilities = [Double?](repeating: nil, count: p)
            rankIntervals = [ClosedInterval?](repeating: nil, count: p)
            quadrantProbabilities = [Double?](repeating: nil, count: p)
            comparisons = []
        }
        self.warnings = warnings
    }

    /// Rank and quadrant stability over replicates laid out as `[importance (p), means (p), …]`.
    /// Quadrants are recomputed for the drivers on the priority matrix (a non-`nil` scale), with
    /// performance as percent of each driver's scale and both splits at the matrix drivers' means.
    static func stability(_ replicates: [[Double]], ranks: [Int], quadrants: [PriorityMatrix.Quadrant?], scales: [ClosedRange<Double>?],
                          level: Double)
        -> (rankProbabilities: [Double], rankIntervals: [ClosedInterval], quadrantProbabilities: [Double?], wins: [[Double]]) {
        let p = ranks.count
        let onMatrix = (0..<p).filter { scales[$0] != nil }
        var sameRank = [Int](repeating: 0, count: p), sameQuadrant = [Int](repeating: 0, count: p)
        var rankSamples = [[Double]](repeating: [], count: p)
        var wins = [[Int]](repeating: [Int](repeating: 0, count: p), count: p)
        for replicate in replicates {
            let values = Array(replicate[0..<p]), total = values.reduce(0, +)
            let shares = values.map { $0 / total }
            let r = KeyDriverAnalysis.ranks(shares)
            let percent = (0..<p).map { j in scales[j].map { 100 * (replicate[p + j] - $0.lowerBound) / ($0.upperBound - $0.lowerBound) } ?? .nan }
            let m = Double(max(1, onMatrix.count))
            let ti = onMatrix.reduce(0) { $0 + shares[$1] } / m, tp = onMatrix.reduce(0) { $0 + percent[$1] } / m
            for j in 0..<p {
                rankSamples[j].append(Double(r[j]))
                if r[j] == ranks[j] { sameRank[j] += 1 }
                if scales[j] != nil {
                    let high = shares[j] >= ti, good = percent[j] >= tp
                    let quadrant: PriorityMatrix.Quadrant = high ? (good ? .keepUp : .fixFirst) : (good ? .possibleOverkill : .niceToHave)
                    if quadrant == quadrants[j] { sameQuadrant[j] += 1 }
                }
                for k in 0..<p where values[j] > values[k] { wins[j][k] += 1 }
            }
        }
        let count = Double(replicates.count)
        let intervals = rankSamples.map { samples -> ClosedInterval in
            let sorted = samples.sorted()
            return ClosedInterval(lower: Bootstrap.quantile(sorted, (1 - level) / 2), upper: Bootstrap.quantile(sorted, (1 + level) / 2))
        }
        return (sameRank.map { Double($0) / count }, intervals,
                (0..<p).map { scales[$0] == nil ? nil : Double(sameQuadrant[$0]) / count },
                wins.map { $0.map { Double($0) / count } })
    }

    /// Writes the intervals and probabilities into the report rows.
    func apply(to rows: inout [DriverReport.DriverRow]) {
        for j in rows.indices {
            if let interval = importanceIntervals[j] { rows[j].importanceIntervals[.shapley] = interval }
            rows[j].performanceInterval = performanceIntervals[j]
            rows[j].signFlipProbability = signFlipProbabilities[j]
            rows[j].coefficientBootstrapInterval = coefficientIntervals[j]
            rows[j].rankProbability = rankProbabilities[j]
            rows[j].rankInterval = rankIntervals[j]
            rows[j].quadrantProbability = quadrantProbabilities[j]
            rows[j].quadrantUnstable = quadrantProbabilities[j].map { $0 < 0.8 }
        }
    }
}
