/// Stage 7: the order in which to act. With lifetime value at stake the drivers are sorted by
/// it (by the lower bound of its bootstrap interval when `conservative`); otherwise the rating
/// drivers by the priority matrix's rank (importance × distance of performance from the scale
/// top), then the other drivers by importance. Drivers whose improvement lowers the outcome
/// come last in every order.
public struct ActionOrder: Sendable, Equatable {
    /// What the action list is sorted by; stated in every output format.
    public enum Basis: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
        /// Lifetime value at stake, largest first.
        case clvAtStake = "clv_at_stake"
        /// The lower end of the bootstrap interval of the CLV at stake, largest first (`conservative`).
        case clvLowerBound = "clv_at_stake_lower_bound"
        /// The priority matrix's rank for ratings, then importance for the other drivers.
        case priority
        /// Importance alone (Shapley, else relative weights), largest first.
        case importance
        /// The order the drivers were given (no importance computed).
        case listed

        /// The rule in one line.
        public var description: String {
            switch self {
            case .clvAtStake: return "sorted by CLV at stake (the lifetime value gained by the what-if), largest first; drivers whose improvement lowers value last"
            case .clvLowerBound: return "sorted by the lower bound of the CLV at stake's bootstrap interval, largest first; drivers whose improvement lowers value last"
            case .priority: return "ratings sorted by priority (importance share × distance of performance from the scale top), then the other drivers by importance; drivers whose improvement lowers the outcome last"
            case .importance: return "sorted by importance, largest first"
            case .listed: return "in the order the drivers were given (no importance computed)"
            }
        }
    }

    /// Indices into the selected drivers, best action first.
    public let order: [Int]
    /// The rule that produced ``order``.
    public let basis: Basis

    /// Orders the drivers of `rows` (importance, quadrants, what-ifs and directions filled in),
    /// with `placements` the priority-matrix places of the rating drivers.
    public init(rows: [DriverReport.DriverRow], placements: [PriorityMatrix.Driver?] = [], conservative: Bool) {
        let harmful = { (j: Int) in rows[j].improves == false ? 1 : 0 }
        var order = Array(rows.indices)
        if rows.contains(where: { $0.whatIf?.clvAtStake != nil }) {
            let key: (Int) -> Double = { j in
                let w = rows[j].whatIf
                return (conservative ? w?.interval?.lower : nil) ?? w?.clvAtStake ?? -.infinity
            }
            order.sort { (harmful($0), -key($0), $0) < (harmful($1), -key($1), $1) }
            basis = conservative ? .clvLowerBound : .clvAtStake
        } else if rows.contains(where: { $0.importance.rankingShare != nil }) {
            let rank: (Int) -> Int = { j in j < placements.count ? placements[j]?.rank ?? Int.max : Int.max }
            let share: (Int) -> Double = { j in rows[j].importance.rankingShare ?? -.infinity }
            order.sort { (harmful($0), rank($0), -share($0), $0) < (harmful($1), rank($1), -share($1), $1) }
            basis = placements.contains { $0 != nil } ? .priority : .importance
        } else {
            basis = .listed
        }
        self.order = order
    }
}
