/// One change a what-if makes to the customers' driver values — the "lever" being pulled.
///
/// - ``Move/raise(term:by:top:)``: a rating (or a number) rises by Δ, capped at `top`
///   (the scale top, or the column's maximum); values already above stay.
/// - ``Move/lower(term:by:floor:)``: a driver for which less is better (service calls, waiting
///   time) falls by Δ, floored at `floor` (the scale's bottom, or the column's minimum); values
///   already below stay.
/// - ``Move/switchOn(term:)``, ``Move/switchOff(term:)``: a 0/1 attribute becomes 1 (0) for
///   those at 0 (1).
/// - ``Move/level(terms:from:to:)``: customers at one level of a factor move to another
///   (only those at `from`); the factor's dummies change accordingly, never "+Δ to a dummy".
public struct WhatIfLever: Sendable, Equatable {
    /// The change made.
    public enum Move: Sendable, Equatable {
        /// Term `term` rises by `by`, capped at `top`.
        case raise(term: Int, by: Double, top: Double)
        /// Term `term` falls by `by` (> 0), floored at `floor`.
        case lower(term: Int, by: Double, floor: Double)
        /// Term `term` (0/1) becomes 1.
        case switchOn(term: Int)
        /// Term `term` (0/1) becomes 0.
        case switchOff(term: Int)
        /// A factor whose non-reference levels are the dummy `terms` (in level order): customers at
        /// level `from` move to level `to` (`nil` = the reference level).
        case level(terms: [Int], from: Int?, to: Int?)
    }

    /// The driver the lever belongs to.
    public let driver: String
    /// The change.
    public let move: Move
    /// For a factor move, the levels' names (from, to).
    public let levels: (from: String, to: String)?

    /// A lever on `driver`.
    ///
    /// - Parameters:
    ///   - driver: the driver's column name.
    ///   - move: the change made to its term or terms.
    ///   - levels: for a factor move, the names of the levels moved from and to; `nil` (default) otherwise.
    public init(driver: String, move: Move, levels: (from: String, to: String)? = nil) {
        self.driver = driver
        self.move = move
        self.levels = levels
    }

    /// Same driver, move and levels.
    public static func == (a: WhatIfLever, b: WhatIfLever) -> Bool {
        a.driver == b.driver && a.move == b.move && a.levels?.from == b.levels?.from && a.levels?.to == b.levels?.to
    }

    /// The signed step of a raise (+) or a lowering (−); `nil` for switches and level moves.
    public var step: Double? {
        switch move {
        case let .raise(_, by, _): return by
        case let .lower(_, by, _): return -abs(by)
        default: return nil
        }
    }

    /// The term that changes by a numeric amount (raise and switch), for a margin that is itself a driver.
    var numericTerm: Int? {
        switch move {
        case let .raise(term, _, _), let .lower(term, _, _), let .switchOn(term), let .switchOff(term): return term
        case .level: return nil
        }
    }

    /// The terms the move reads or writes.
    var terms: [Int] {
        switch move {
        case let .raise(term, _, _), let .lower(term, _, _), let .switchOn(term), let .switchOff(term): return [term]
        case let .level(terms, _, _): return terms
        }
    }

    /// The driver columns after the change, and how many customers it changed.
    ///
    /// - Parameter columns: the model's driver columns (terms), in model order, one value per customer.
    /// - Throws: ``CXError/dimensionMismatch(_:)`` when the move names a term outside
    ///   `columns`, a level outside its `terms`, or when the columns it reads differ in length.
    /// Complexity: O(n) per changed column.
    public func apply(to columns: [[Double]]) throws -> (columns: [[Double]], changed: Int) {
        if let bad = terms.first(where: { !columns.indices.contains($0) }) {
            throw CXError.dimensionMismatch("the lever on '\(driver)' names term \(bad), but there are \(columns.count) columns")
        }
        if case let .level(terms, from, to) = move, let bad = [from, to].compactMap({ $0 }).first(where: { !terms.indices.contains($0) }) {
            throw CXError.dimensionMismatch("the lever on '\(driver)' moves to or from level \(bad), but the factor has \(terms.count) dummies")
        }
        let n = columns.first?.count ?? 0
        if let ragged = terms.first(where: { columns[$0].count != n }) {
            throw CXError.dimensionMismatch("column \(ragged) has \(columns[ragged].count) values, the first has \(n)")
        }
        var out = columns
        var changed = 0
        switch move {
        case let .raise(term, delta, top):
            out[term] = columns[term].map { x in
                let y = max(x, min(x + delta, top))
                if y != x { changed += 1 }
                return y
            }
        case let .lower(term, delta, floor):
            out[term] = columns[term].map { x in
                let y = min(x, max(x - abs(delta), floor))
                if y != x { changed += 1 }
                return y
            }
        case let .switchOn(term):
            out[term] = columns[term].map { x in
                if x != 1 { changed += 1 }
                return 1
            }
        case let .switchOff(term):
            out[term] = columns[term].map { x in
                if x != 0 { changed += 1 }
                return 0
            }
        case let .level(terms, from, to):
            let n = columns.first?.count ?? 0
            for i in 0..<n {
                let atFrom: Bool
                if let from { atFrom = columns[terms[from]][i] == 1 } else { atFrom = terms.allSatisfy { columns[$0][i] == 0 } }
                guard atFrom else { continue }
                changed += 1
                if let from { out[terms[from]][i] = 0 }
                if let to { out[terms[to]][i] = 1 }
            }
        }
        return (out, changed)
    }
}
