import Foundation

extension ConfidenceStage {
    /// Per driver: the importance and performance intervals, the sign-flip probability and (logistic) the coefficient interval.
    struct DriverIntervals {
        var importance: [ClosedInterval?]
        var performance: [ClosedInterval?]
        var signFlips: [Double?]
        var coefficients: [ClosedInterval?]
    }

    /// Reads the per-driver intervals off `boot`'s `[importance, means, signs]` statistics:
    /// importance when it was bootstrapped, performance for mean performance on the matrix, and
    /// the share of resamples whose coefficient sign differs from the reported one.
    static func driverIntervals(_ boot: Bootstrap, rows: [DriverReport.DriverRow], matrix: PriorityMatrix?, logistic: Bool,
                                logisticImportance: Bool) -> DriverIntervals {
        let p = rows.count
        var out = DriverIntervals(importance: .init(repeating: nil, count: p), performance: .init(repeating: nil, count: p),
                                  signFlips: .init(repeating: nil, count: p), coefficients: .init(repeating: nil, count: p))
        for j in 0..<p {
            if !logistic || logisticImportance { out.importance[j] = boot.intervals[j].percentile }
            out.performance[j] = matrix?.measure == .mean && rows[j].performance != nil ? boot.intervals[p + j].percentile : nil
            let reported = rows[j].coefficient?.estimate ?? .nan
            let signs = boot.replicates.map { $0[2 * p + j] }.filter { !$0.isNaN }
            if !signs.isEmpty {
                out.signFlips[j] = Double(signs.filter { ($0 > 0) != (reported > 0) }.count) / Double(signs.count)
                if logistic { out.coefficients[j] = boot.intervals[2 * p + j].percentile }
            }
        }
        return out
    }

    /// Rank and quadrant stability of the reported ranking over the usable replicates.
    struct RankStability {
        var rankProbabilities: [Double?]
        var rankIntervals: [ClosedInterval?]
        var quadrantProbabilities: [Double?]
        /// "A is more important than B" for the top five drivers.
        var comparisons: [DriverReport.ImportanceComparison]
        /// The note naming drivers that keep their quadrant in fewer than 80 % of resamples.
        var note: DriverReport.Warning?
    }

    /// How stable the reported `ranks` and quadrants are over the `usable` replicates, with the
    /// pairwise comparisons of the top five drivers and the unstable-quadrant note.
    static func rankStability(_ usable: [[Double]], ranks: [Int], rows: [DriverReport.DriverRow], drivers: [String],
                              level: Double) -> RankStability {
        let scales = rows.map { row in row.quadrant == nil ? nil : row.scale.map { $0.lower...$0.upper } ?? (0...1) }
        let stability = Self.stability(usable, ranks: ranks, quadrants: rows.map(\.quadrant), scales: scales, level: level)
        var comparisons: [DriverReport.ImportanceComparison] = []
        // "A is more important than B" for the top five drivers.
        let top = ranks.indices.sorted { ranks[$0] < ranks[$1] }.prefix(5)
        for (position, a) in top.enumerated() {
            for b in top.dropFirst(position + 1) {
                comparisons.append(.init(a: drivers[a], b: drivers[b], probability: stability.wins[a][b]))
            }
        }
        let unstable = rows.indices.filter { (stability.quadrantProbabilities[$0] ?? 1) < 0.8 }.map { rows[$0].name }
        let note: DriverReport.Warning? = unstable.isEmpty ? nil
            : .init(.quadrantUnstable, "\(unstable.joined(separator: ", ")) fall in their reported quadrant in fewer than 80 % of bootstrap resamples: treat their placement as uncertain")
        return RankStability(rankProbabilities: stability.rankProbabilities.map { $0 }, rankIntervals: stability.rankIntervals.map { $0 },
                             quadrantProbabilities: stability.quadrantProbabilities, comparisons: comparisons, note: note)
    }
}
