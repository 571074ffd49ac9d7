/// Stage 7: the order in which to act. With lifetime value at stake the drivers are sorted by
/// it (by the lower bound of its bootstrap interval when `conservative`); otherwise by the
/// priority matrix's rank (importance × performance gap); otherwise as given.
public struct ActionOrder: Sendable, Equatable {
    /// What the action list is sorted by; stated in every output format.
    public enum Basis: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
        /// Lifetime value at stake, largest first.
        case clvAtStake = "clv_at_stake"
        /// The lower end of the bootstrap interval of the CLV at stake, largest first (`conservative`).
        case clvLowerBound = "clv_at_stake_lower_bound"
        /// The priority matrix's rank: importance share times the performance gap to the scale top.
        case priority
        /// Importance alone (Shapley, else relative weights), largest first.
        case importance
        /// The order the drivers were given (no importance computed).
        case listed

        /// The rule in one line.
        public var description: String {
            switch self {
            case .clvAtStake: return "sorted by CLV at stake (the lifetime value gained by the what-if lift), largest first"
            case .clvLowerBound: return "sorted by the lower bound of the CLV at stake's bootstrap interval, largest first"
            case .priority: return "sorted by priority: importance share × gap between performance and the scale top, largest first"
            case .importance: return "sorted by importance, largest first"
            case .listed: return "in the order the drivers were given (no importance computed)"
            }
        }
    }

    /// Indices into the selected drivers, best action first.
    public let order: [Int]
    /// The rule that produced ``order``.
    public let basis: Basis

    /// Orders the drivers of `rows` (what-ifs filled in) using `matrix` when there is no value at stake.
    public init(rows: [DriverReport.DriverRow], matrix: PriorityMatrix?, conservative: Bool) {
        var order = Array(rows.indices)
        if rows.contains(where: { $0.whatIf?.clvAtStake != nil }) {
            let key: (Int) -> Double = { j in
                let w = rows[j].whatIf
                return (conservative ? w?.interval?.lower : nil) ?? w?.clvAtStake ?? -.infinity
            }
            order.sort { key($0) > key($1) }
            basis = conservative ? .clvLowerBound : .clvAtStake
        } else if let matrix {
            order.sort { matrix.drivers[$0].rank < matrix.drivers[$1].rank }
            basis = .priority
        } else {
            basis = .listed
        }
        self.order = order
    }
}
