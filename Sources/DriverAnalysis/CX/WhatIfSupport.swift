import Foundation

/// Whether a what-if moves customers where the data (almost) never are: a 0/1 switch or a
/// factor move puts each moved customer beside the customers already at the target value, and
/// if their other drivers are values those customers (almost) never have — a voice-mail plan
/// switched on for customers with 0 voice-mail messages, which 1 customer in 5,000 has — the
/// model is extrapolating, and the value of the move is not what the data show.
///
/// Per other term: a discrete term (at most 20 distinct values) is off-support at a value held
/// by fewer than 0.5 % of the target customers; a continuous one outside their 0.5–99.5 %
/// quantiles. Steps of ratings and numbers stay within the observed range and are not checked.
struct WhatIfSupport {
    /// Moved customers, those off-support, and the term that put most of them there.
    let moved: Int
    let offSupport: Int
    let term: String
    /// Where the worst term's moved values lie against the target customers', in words
    /// (`vmail_messages = 0: 0.07 % of them`, `MonthlyCharges = 99.65, outside their 0.5–99.5 % range 20.1–94.8`).
    let detail: String

    /// The check of `lever` on the design `columns` named `names`; `nil` for steps, or when no
    /// customer moves or fewer than 20 customers are at the target.
    /// Complexity: O(rows × terms).
    init?(lever: WhatIfLever, columns: [[Double]], names: [String]) {
        let n = columns.first?.count ?? 0
        func level(_ terms: [Int], _ i: Int) -> Int? { terms.indices.first { columns[terms[$0]][i] == 1 } }
        let source: (Int) -> Bool, target: (Int) -> Bool
        switch lever.move {
        case let .switchOn(t): source = { columns[t][$0] == 0 }; target = { columns[t][$0] == 1 }
        case let .switchOff(t): source = { columns[t][$0] == 1 }; target = { columns[t][$0] == 0 }
        case let .level(terms, from, to): source = { level(terms, $0) == from }; target = { level(terms, $0) == to }
        case .raise, .lower: return nil
        }
        guard lever.terms.allSatisfy(columns.indices.contains), columns.allSatisfy({ $0.count == n }) else { return nil }
        let movedRows = (0..<n).filter(source), targetRows = (0..<n).filter(target)
        guard !movedRows.isEmpty, targetRows.count >= 20 else { return nil }
        var offRow = [Bool](repeating: false, count: n)
        var worst: (term: Int, count: Int, detail: String)? = nil
        for u in columns.indices where !lever.terms.contains(u) {
            let column = columns[u]
            let targetValues = targetRows.map { column[$0] }.filter { !$0.isNaN }
            guard targetValues.count >= 20 else { continue }
            var distinct = Set<Double>()
            for x in column where !x.isNaN { distinct.insert(x); if distinct.count > 20 { break } }
            let name = names.indices.contains(u) ? names[u] : "term \(u)"
            let off: (Double) -> Bool
            let describe: (Double) -> String
            if distinct.count <= 20 {
                var counts: [Double: Int] = [:]
                for x in targetValues { counts[x, default: 0] += 1 }
                let total = Double(targetValues.count)
                off = { Double(counts[$0] ?? 0) / total < 0.005 }
                describe = { "\(name) = \(NumberFormat.significant($0)): \(NumberFormat.percent(Double(counts[$0] ?? 0) / total, decimals: 2)) of them" }
            } else {
                let sorted = targetValues.sorted()
                let low = sorted[Int((Double(sorted.count - 1) * 0.005).rounded())], high = sorted[Int((Double(sorted.count - 1) * 0.995).rounded())]
                off = { $0 < low || $0 > high }
                describe = { "\(name) = \(NumberFormat.significant($0)), outside their 0.5–99.5 % range \(NumberFormat.significant(low))–\(NumberFormat.significant(high))" }
            }
            var count = 0, example = Double.nan
            for i in movedRows where !column[i].isNaN && off(column[i]) {
                count += 1
                offRow[i] = true
                if example.isNaN { example = column[i] }
            }
            if count > (worst?.count ?? 0) { worst = (u, count, describe(example)) }
        }
        guard let worst else { return nil }
        moved = movedRows.count
        offSupport = movedRows.reduce(0) { offRow[$1] ? $0 + 1 : $0 }
        term = names.indices.contains(worst.term) ? names[worst.term] : "term \(worst.term)"
        detail = worst.detail
    }

    /// One note for the levers that put at least a quarter of their customers off-support.
    static func note(_ checks: [(driver: String, move: String, support: WhatIfSupport)]) -> DriverReport.Warning? {
        let flagged = checks.filter { Double($0.support.offSupport) >= 0.25 * Double($0.support.moved) }
        guard !flagged.isEmpty else { return nil }
        let parts = flagged.map { c in
            "\(c.move) puts \(NumberFormat.money(Double(c.support.offSupport))) of the \(NumberFormat.money(Double(c.support.moved))) customers it moves where customers already there almost never are (\(c.support.detail))"
        }
        return .init(.whatIfOffSupport, parts.joined(separator: "; ") + " — the model extrapolates beyond the data there, so read the value of that move with care (or declare a move the business can make with --what-if-move)")
    }
}
