import Foundation

extension ActionOrder {
    /// Share of the explained fit above which drivers left out of the action list get a note.
    static let leftOutShareLimit = 0.5

    /// The note saying that the action list misses most of what drives the outcome: when the
    /// drivers left out of it — profile attributes and the gaps between a factor's levels — hold
    /// more than half of the importance (Shapley, else relative-weight shares), the list of
    /// actions, however ordered, is not where the outcome is decided. It names the largest of
    /// them and how to make one an action. `nil` otherwise, or without importance shares.
    ///
    /// - Parameter rows: the report rows, with importance, roles and what-ifs filled in.
    /// Complexity: O(drivers · log drivers).
    static func leftOutNote(_ rows: [DriverReport.DriverRow]) -> DriverReport.Warning? {
        let shares = rows.map(\.importance.rankingShare)
        guard !rows.isEmpty, shares.allSatisfy({ $0 != nil }) else { return nil }
        let isAction = { (j: Int) in rows[j].role != .attribute && rows[j].whatIf?.framing != .gap }
        let leftOut = rows.indices.filter { !isAction($0) }.sorted { (shares[$0] ?? 0, -$0) > (shares[$1] ?? 0, -$1) }
        let leftOutShare = leftOut.reduce(0) { $0 + max(0, shares[$1] ?? 0) }
        let total = shares.reduce(0) { $0 + max(0, $1 ?? 0) }
        guard total > 0, leftOutShare / total > leftOutShareLimit else { return nil }
        let named = leftOut.prefix(3).map { j -> String in
            let what = rows[j].role == .attribute ? "a profile attribute" : "a factor gap"
            return "\(Escaping.message(rows[j].name, limit: 40)) (\(NumberFormat.percent(shares[j] ?? 0)), \(what))"
        }
        let actions = rows.indices.filter(isAction).count
        return .init(.actionsLeaveOutMost, "the drivers that are not actions hold \(NumberFormat.percent(leftOutShare / total)) of the explained fit, "
            + "the \(actions) action\(actions == 1 ? "" : "s") listed \(NumberFormat.percent(1 - leftOutShare / total)); the largest left out: "
            + named.joined(separator: ", ") + " — declare a move the business can make (--what-if-move COL=FROM>TO) or a lever "
            + "(--role COL=lever) to value them, or read the list as the best of the minor levers")
    }
}
