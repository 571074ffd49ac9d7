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
            case .clvAtStake: return "sorted by CLV at stake (the lifetime value gained by the what-if), largest first — drivers with a significant effect first, then those whose effect is not significant (p ≥ 0.05), then those whose what-if loses value"
            case .clvLowerBound: return "sorted by the lower bound of the CLV at stake's bootstrap interval, largest first — significant effects first, then non-significant ones, then those whose what-if loses value"
            case .priority: return "ratings sorted by priority (importance share × distance of performance from the scale top), then the other drivers by importance — significant effects first, then non-significant ones (p ≥ 0.05), then drivers whose improvement worsens the outcome"
            case .importance: return "sorted by importance, largest first — significant effects first, then non-significant ones (p ≥ 0.05), then drivers whose improvement worsens the outcome"
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
    ///
    /// - Parameters:
    ///   - rows: the drivers' report rows in selection order, with importance, quadrants, what-ifs and
    ///     directions filled in; attributes and factor gaps are left out of the order.
    ///   - placements: per row, its place on the priority matrix (`nil` for a non-rating); default empty: no
    ///     priority ranks.
    ///   - conservative: whether CLV at stake is ranked by the lower bound of its bootstrap interval rather
    ///     than its point value (used only when rows carry CLV at stake).
    public init(rows: [DriverReport.DriverRow], placements: [PriorityMatrix.Driver?] = [], conservative: Bool) {
        // Tiers: 0 an established effect, 1 an effect that is not significant (p ≥ 0.05 for every
        // term), 2 a driver whose improvement lowers the outcome.
        // A suppressor (its coefficient's sign against its own correlation) matters only through
        // what it shares with the others: never ranked above a driver with a direct effect.
        let tier = { (j: Int) -> Int in
            if rows[j].improves == false { return 2 }
            return Self.isSignificant(rows[j]) && rows[j].suppressor != true ? 0 : 1
        }
        // Profile attributes and the gaps between a factor's levels are not actions.
        var order = rows.indices.filter { rows[$0].role != .attribute && rows[$0].whatIf?.framing != .gap }
        if rows.contains(where: { $0.whatIf?.clvAtStake != nil }) {
            let key: (Int) -> Double = { j in
                let w = rows[j].whatIf
                return (conservative ? w?.interval?.lower : nil) ?? w?.clvAtStake ?? -.infinity
            }
            // With value at stake, what lowers value is a negative CLV, whatever the coefficient.
            let clvTier = { (j: Int) -> Int in key(j) < 0 ? 2 : (Self.isSignificant(rows[j]) && rows[j].suppressor != true ? 0 : 1) }
            order.sort { (clvTier($0), -key($0), $0) < (clvTier($1), -key($1), $1) }
            basis = conservative ? .clvLowerBound : .clvAtStake
        } else if rows.contains(where: { $0.importance.rankingShare != nil }) {
            let rank: (Int) -> Int = { j in j < placements.count ? placements[j]?.rank ?? Int.max : Int.max }
            let share: (Int) -> Double = { j in rows[j].importance.rankingShare ?? -.infinity }
            order.sort { (tier($0), rank($0), -share($0), $0) < (tier($1), rank($1), -share($1), $1) }
            basis = placements.contains { $0 != nil } ? .priority : .importance
        } else {
            basis = .listed
        }
        self.order = order
    }

    /// Whether the driver's effect is established: its coefficient has p < 0.05 — for a factor,
    /// its joint test (Type II F or likelihood ratio; any level's coefficient when there is no
    /// joint test); drivers without a coefficient count as established.
    static func isSignificant(_ row: DriverReport.DriverRow) -> Bool {
        if row.kind == .factor {
            if let test = row.jointTest, test.pValue.isFinite { return test.pValue < 0.05 }
            return row.levels.contains { ($0.coefficient?.pValue ?? 1) < 0.05 }
        }
        guard let p = row.coefficient?.pValue, p.isFinite else { return true }
        return p < 0.05
    }
}
