/// The importance–performance priority matrix (Martilla & James 1977).
///
/// Each driver is placed by its importance (x; Shapley share by default) and its performance
/// (y; mean rating on the driver's scale, or the top-2-box share). Both axes are split at the
/// mean (or median) over drivers:
///
/// | | low performance | high performance |
/// |---|---|---|
/// | **high importance** | `fix_first` | `keep_up` |
/// | **low importance** | `nice_to_have` | `possible_overkill` |
///
/// Drivers are ranked by the importance-weighted performance gap
/// `priority = importance × (top − performance)/(top − bottom)` (share of the scale still to win,
/// weighted by how much the driver matters) — a single, defensible ordering that agrees with
/// the quadrants at the extremes and orders drivers within them.
public struct PriorityMatrix: Sendable {
    /// The quadrant of the importance–performance grid a driver falls in.
    public enum Quadrant: String, Sendable, CaseIterable, Codable {
        /// Importance at or above the threshold, performance below it: act first.
        case fixFirst = "fix_first"
        /// Importance and performance both at or above their thresholds: maintain.
        case keepUp = "keep_up"
        /// Importance and performance both below their thresholds: improve when affordable.
        case niceToHave = "nice_to_have"
        /// Importance below, performance at or above the threshold: effort may be over-spent.
        case possibleOverkill = "possible_overkill"
    }
    /// What the performance axis measures.
    public enum PerformanceMeasure: String, Sendable {
        /// Mean of the non-missing ratings, in scale units.
        case mean
        /// Share (0–1) of non-missing ratings at or above `scale.upperBound − 1` (top-2-box).
        case topTwoBox = "top2box"
    }
    /// Where the quadrant lines sit on each axis.
    public enum Split: String, Sendable {
        /// At the arithmetic mean over drivers.
        case mean
        /// At the median over drivers (mean of the middle two for an even count).
        case median
    }

    /// One driver's place in the matrix.
    public struct Driver: Sendable, Equatable {
        /// The driver's name.
        public let name: String
        /// Importance as given (x axis), e.g. the Shapley share.
        public let importance: Double
        /// Mean rating (scale units) or top-2-box share (0–1).
        public let performance: Double
        /// The quadrant: high importance means `importance ≥ importanceThreshold`, good performance
        /// `performance ≥ performanceThreshold`.
        public let quadrant: Quadrant
        /// `importance × gap`, the gap being `(top − performance)/(top − bottom)` for the mean or
        /// `1 − performance` for top-2-box. Larger means act sooner.
        public let priority: Double
        /// 1 = act first.
        public let rank: Int
    }

    /// In input order.
    public let drivers: [Driver]
    /// Where the importance axis is split: mean or median of the importances.
    public let importanceThreshold: Double
    /// Where the performance axis is split: mean or median of the performances.
    public let performanceThreshold: Double
    /// What the performance axis measures.
    public let measure: PerformanceMeasure

    /// Places every driver in the grid and ranks them by importance-weighted performance gap.
    ///
    /// - Parameters:
    ///   - names: driver names.
    ///   - importance: importance per driver (e.g. Shapley shares).
    ///   - measure: mean rating or top-2-box share.
    ///   - split: where the quadrant lines sit: mean or median over drivers.
    ///   - ratings: each driver's ratings (`NaN` = missing).
    ///   - scale: the rating scale, e.g. `0...10`; top-2-box counts ratings ≥ upper bound − 1.
    /// - Throws: ``CXError/dimensionMismatch(_:)`` when the counts differ or are zero,
    ///   ``CXError/empty(_:)`` when a driver has no rating.
    /// Complexity: O(p·n + p log p) for p drivers of n ratings each.
    public init(names: [String], importance: [Double], ratings: [[Double]], scale: ClosedRange<Double>,
                measure: PerformanceMeasure = .mean, split: Split = .mean) throws {
        guard names.count == importance.count, names.count == ratings.count, !names.isEmpty else {
            throw CXError.dimensionMismatch("\(names.count) names, \(importance.count) importances, \(ratings.count) rating columns")
        }
        let performance = try ratings.enumerated().map { j, column -> Double in
            let present = column.filter { !$0.isNaN }
            guard !present.isEmpty else { throw CXError.empty("no ratings for '\(names[j])'") }
            switch measure {
            case .mean: return present.reduce(0, +) / Double(present.count)
            case .topTwoBox: return Double(present.filter { $0 >= scale.upperBound - 1 }.count) / Double(present.count)
            }
        }
        try self.init(names: names, importance: importance, performance: performance, scale: scale, measure: measure, split: split)
    }

    /// Places every driver in the grid from its performance already measured (mean rating on
    /// `scale`, or top-2-box share in 0…1 for ``PerformanceMeasure/topTwoBox``) — for callers that
    /// hold the means rather than the ratings (a summary, a warehouse).
    ///
    /// - Parameters:
    ///   - names: driver names.
    ///   - importance: importance per driver (e.g. Shapley shares).
    ///   - performance: performance per driver: mean rating on `scale`, or top-2-box share in 0…1.
    ///   - scale: the rating scale the means are on, e.g. `0...10` (or `0...100` for percents).
    ///   - measure: what `performance` holds; default ``PerformanceMeasure/mean``.
    ///   - split: where the quadrant lines sit: mean or median over drivers; default mean.
    /// - Throws: ``CXError/dimensionMismatch(_:)`` when the counts differ or are zero.
    /// Complexity: O(p log p).
    public init(names: [String], importance: [Double], performance: [Double], scale: ClosedRange<Double>,
                measure: PerformanceMeasure = .mean, split: Split = .mean) throws {
        guard names.count == importance.count, names.count == performance.count, !names.isEmpty else {
            throw CXError.dimensionMismatch("\(names.count) names, \(importance.count) importances, \(performance.count) performances")
        }
        func threshold(_ values: [Double]) -> Double {
            switch split {
            case .mean: return values.reduce(0, +) / Double(values.count)
            case .median:
                let s = values.sorted(), m = s.count
                return m % 2 == 1 ? s[m / 2] : (s[m / 2 - 1] + s[m / 2]) / 2
            }
        }
        let ti = threshold(importance), tp = threshold(performance)
        let span = scale.upperBound - scale.lowerBound
        let gaps = performance.map { measure == .mean ? (scale.upperBound - $0) / span : 1 - $0 }
        let priority = zip(importance, gaps).map { $0 * $1 }
        let order = priority.indices.sorted { priority[$0] > priority[$1] || (priority[$0] == priority[$1] && $0 < $1) }
        var rank = [Int](repeating: 0, count: names.count)
        for (position, j) in order.enumerated() { rank[j] = position + 1 }
        drivers = names.indices.map { j in
            let high = importance[j] >= ti, good = performance[j] >= tp
            let quadrant: Quadrant = high ? (good ? .keepUp : .fixFirst) : (good ? .possibleOverkill : .niceToHave)
            return Driver(name: names[j], importance: importance[j], performance: performance[j], quadrant: quadrant,
                          priority: priority[j], rank: rank[j])
        }
        importanceThreshold = ti
        performanceThreshold = tp
        self.measure = measure
    }

    /// Drivers in priority order (rank 1 first; ties keep input order). O(p log p).
    public var ranked: [Driver] { drivers.sorted { $0.rank < $1.rank } }
}
