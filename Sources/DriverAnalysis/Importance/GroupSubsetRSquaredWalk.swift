import Foundation
import LinearAlgebra

/// The depth-first walk over all `2^g` subsets of `g` players, each player a block of design
/// columns (a factor's dummies, a user-defined group), that powers exact group Shapley values
/// and dominance. ``SubsetRSquaredWalk`` is the one-column case.
///
/// The columns are ordered so that each player's columns are contiguous and players follow one
/// another. A node (subset `S`, largest member `m`) carries the Schur complement of the columns
/// of the players after `m` given `S`'s columns: `A = R_CC − R_CS R_SS⁻¹ R_SC`,
/// `b = r_C − R_CS R_SS⁻¹ r_S`. Adding player `j` with columns `J` raises R² by `b_Jᵀ A_JJ⁻¹ b_J`,
/// computed by eliminating `J`'s columns one at a time (`b_t²/A_tt`, then the rank-1 update of the
/// columns after `t`); a pivot `A_tt ≤ 10⁻¹²` (the correlations' scale) is a column in the span of
/// the subset's (aliased) and adds nothing, as R's `lm` reports `NA`. What is left after `J` is
/// the child's complement on the players after `j`. A child costs about
/// `|J|·(c_J + c_after)²/2` multiply-adds, so the walk costs about ``work(widths:)``.
///
/// Like the one-column walk it aggregates R² by subset size and by member and size (no table of
/// `2^g` values), in parallel over the subtrees below a fixed depth (a partition that does not
/// depend on the thread count), and — for dominance — can record `R²(S)` of every subset.
struct GroupSubsetRSquaredWalk {
    /// `k × k` column-major correlations, players' columns contiguous in player order.
    let correlation: [Double]
    let outcome: [Double]
    /// `start[j]` = the first column of player `j`; `start[g] = k`.
    let start: [Int]
    var g: Int { start.count - 1 }
    var k: Int { start[g] }
    static let collinearityTolerance = SubsetRSquaredWalk.collinearityTolerance

    struct Totals {
        /// `bySize[s] = Σ_{|S|=s} R²(S)`, s = 0…g.
        var bySize: [Double]
        /// `byMember[j * (g+1) + s] = Σ_{|S|=s, j∈S} R²(S)`.
        var byMember: [Double]
        /// Columns (in the walk's order) found aliased in some subset.
        var collinear: Set<Int>
        /// `R²(S)` by player mask when requested.
        var table: [Double]?
    }

    /// Multiply-adds of a walk with players of these column counts: each of the `2^{g−1−j}`
    /// nodes that add player `j` as their largest member eliminates its `w_j` columns against
    /// the columns after it, on average `w_j·(w_j/2 + c_{>j})²` where `c_{>j}` counts the columns
    /// of the later players, plus copying the child's complement.
    static func work(widths: [Int]) -> Double {
        var total = 0.0, after = 0.0
        for j in stride(from: widths.count - 1, through: 0, by: -1) {
            let w = Double(widths[j])
            let span = w / 2 + after
            let nodes = pow(2.0, Double(j))   // subsets whose largest member is j
            total += nodes * (w * span * span + after * after / 2 + 1)
            after += w
        }
        return total
    }

    /// Per-depth scratch for one worker.
    final class Workspace {
        let a: [UnsafeMutablePointer<Double>]
        let b: [UnsafeMutablePointer<Double>]
        let sums: [UnsafeMutablePointer<Double>]
        let scratch: UnsafeMutablePointer<Double>
        let scratchB: UnsafeMutablePointer<Double>
        let byMember: UnsafeMutablePointer<Double>
        let g: Int
        var collinear: Set<Int> = []

        /// Level `L` holds at most the columns of players `L…g−1` (a node at depth `L` has
        /// largest member ≥ `L − 1`).
        init(start: [Int]) {
            let g = start.count - 1, k = start[g]
            self.g = g
            a = (0...g).map { level in
                let c = k - start[min(level, g)]
                return UnsafeMutablePointer<Double>.allocate(capacity: max(1, c * c))
            }
            b = (0...g).map { level in UnsafeMutablePointer<Double>.allocate(capacity: max(1, k - start[min(level, g)])) }
            sums = (0...g).map { _ in UnsafeMutablePointer<Double>.allocate(capacity: g + 1) }
            scratch = .allocate(capacity: max(1, k * k))
            scratchB = .allocate(capacity: max(1, k))
            byMember = .allocate(capacity: g * (g + 1))
            byMember.initialize(repeating: 0, count: g * (g + 1))
        }

        deinit {
            for pointer in a + b + sums { pointer.deallocate() }
            scratch.deallocate()
            scratchB.deallocate()
            byMember.deallocate()
        }
    }

    /// Eliminates the first `w` of the `d` columns in `t` (`d × d`, upper triangle, leading
    /// dimension `d`) and `tb`; returns the R² gain. Collinear pivots are recorded by column
    /// (`first` = the walk's index of column 0).
    private static func eliminate(_ t: UnsafeMutablePointer<Double>, _ tb: UnsafeMutablePointer<Double>, d: Int, w: Int,
                                  first: Int, collinear: inout Set<Int>) -> Double {
        var gain = 0.0
        for s in 0..<w {
            let pivot = t[s + s * d]
            guard pivot > collinearityTolerance else { collinear.insert(first + s); continue }
            let bs = tb[s]
            gain += bs * bs / pivot
            let inverse = 1 / pivot
            for l in (s + 1)..<max(s + 1, d) {
                let f = t[s + l * d] * inverse
                tb[l] -= f * bs
                let column = t + l * d
                for r in (s + 1)...l { column[r] -= t[s + r * d] * f }
            }
        }
        return gain
    }

    /// One column (position `s` of the parent's `c × c` complement): its gain `b_s²/A_ss` and the
    /// child's complement on the columns after it by one rank-1 update, straight from the parent's
    /// (no copy), as ``SubsetRSquaredWalk`` does. Complexity: `(c − s − 1)²/2`.
    @inline(__always)
    private static func addColumn(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, c: Int, at s: Int,
                                  into childA: UnsafeMutablePointer<Double>, _ childB: UnsafeMutablePointer<Double>,
                                  column: Int, collinear: inout Set<Int>) -> Double {
        let rest = c - s - 1, pivot = a[s + s * c]
        guard pivot > collinearityTolerance else {
            collinear.insert(column)
            for l in 0..<rest {
                let source = a + (s + 1 + l) * c + s + 1, target = childA + l * rest
                for r in 0...l { target[r] = source[r] }
                childB[l] = b[s + 1 + l]
            }
            return 0
        }
        let bs = b[s], inverse = 1 / pivot
        for l in 0..<rest {
            let source = a + (s + 1 + l) * c
            let f = source[s] * inverse
            childB[l] = b[s + 1 + l] - f * bs
            let target = childA + l * rest
            for r in 0...l { target[r] = source[s + 1 + r] - a[s + (s + 1 + r) * c] * f }
        }
        return bs * bs / pivot
    }

    /// A block of `w` columns at position `s`: copies the parent's trailing block into `t`,
    /// eliminates the `w` columns, and copies what is left into the child. Complexity:
    /// `w·(c − s)²/2` plus the copies.
    private static func addBlock(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, c: Int, at s: Int, width w: Int,
                                 scratch t: UnsafeMutablePointer<Double>, _ tb: UnsafeMutablePointer<Double>,
                                 into childA: UnsafeMutablePointer<Double>, _ childB: UnsafeMutablePointer<Double>,
                                 first: Int, collinear: inout Set<Int>) -> Double {
        let d = c - s, rest = d - w
        for l in 0..<d {
            let source = a + (s + l) * c + s, target = t + l * d
            for r in 0...l { target[r] = source[r] }
            tb[l] = b[s + l]
        }
        let gain = eliminate(t, tb, d: d, w: w, first: first, collinear: &collinear)
        for l in 0..<rest {
            let source = t + (w + l) * d + w, target = childA + l * rest
            for r in 0...l { target[r] = source[r] }
            childB[l] = tb[w + l]
        }
        return gain
    }

    /// Walks the subtree below a node at `level` (largest member `last`, player count `size`,
    /// R² `value`, player mask `mask`) whose complement is in `ws.a[level]`, `ws.b[level]`.
    /// Writes the subtree sums by relative size into `ws.sums[level]`.
    func visit(_ ws: Workspace, level: Int, last: Int, size: Int, value: Double, mask: Int,
               table: UnsafeMutablePointer<Double>?) {
        let base = start[last + 1], c = k - base, remaining = g - 1 - last
        let sums = ws.sums[level]
        sums[0] = value
        for t in 0..<remaining { sums[1 + t] = 0 }
        guard remaining > 0 else { return }
        let a = ws.a[level], b = ws.b[level]
        let t = ws.scratch, tb = ws.scratchB
        let childA = ws.a[level + 1], childB = ws.b[level + 1]
        for j in (last + 1)..<g {
            let s = start[j] - base, w = start[j + 1] - start[j]
            let gain = w == 1
                ? Self.addColumn(a, b, c: c, at: s, into: childA, childB, column: start[j], collinear: &ws.collinear)
                : Self.addBlock(a, b, c: c, at: s, width: w, scratch: t, tb, into: childA, childB, first: start[j],
                                collinear: &ws.collinear)
            let childMask = mask | (1 << j), childValue = value + gain
            table?[childMask] = childValue
            visit(ws, level: level + 1, last: j, size: size + 1, value: childValue, mask: childMask, table: table)
            let childSums = ws.sums[level + 1]
            let row = ws.byMember + j * (g + 1) + size + 1
            for u in 0...(g - 1 - j) {
                row[u] += childSums[u]
                sums[1 + u] += childSums[u]
            }
        }
    }

    /// Loads the node `members` (ascending players) at `level`: conditions the full matrix on the
    /// members' columns in turn and keeps the complement of the columns after the last member.
    /// Returns its R². Complexity: O(k²·|columns of S|).
    func load(_ ws: Workspace, level: Int, members: [Int]) -> Double {
        let last = members.last ?? -1
        let t = ws.scratch, tb = ws.scratchB
        // Work on the columns of the members and of every player after the last one.
        let columns = members.flatMap { Array(start[$0]..<start[$0 + 1]) } + Array(start[last + 1]..<k)
        let d = columns.count
        for (l, column) in columns.enumerated() {
            for (r, row) in columns[0...l].enumerated() { t[r + l * d] = correlation[row + column * k] }
            tb[l] = outcome[column]
        }
        let w = d - (k - start[last + 1])
        var collinearPositions = Set<Int>()
        let value = Self.eliminate(t, tb, d: d, w: w, first: 0, collinear: &collinearPositions)
        for position in collinearPositions { ws.collinear.insert(columns[position]) }
        let c = d - w, a = ws.a[level], b = ws.b[level]
        for l in 0..<c {
            let source = t + (w + l) * d + w, target = a + l * c
            for r in 0...l { target[r] = source[r] }
            b[l] = tb[w + l]
        }
        return value
    }

    /// Walks every subset; with `recordTable`, also returns `R²(S)` by player mask (`g ≤ 20`).
    /// `progress` receives the fraction of subtrees done; returning `false` cancels.
    ///
    /// - Throws: ``ImportanceError/cancelled``.
    func run(recordTable: Bool, progress: (@Sendable (Double) -> Bool)? = nil) throws -> Totals {
        let g = self.g
        let tableStorage: UnsafeMutablePointer<Double>? = recordTable ? .allocate(capacity: 1 << g) : nil
        defer { tableStorage?.deallocate() }
        tableStorage?.initialize(repeating: 0, count: 1 << g)
        let depth = g >= 12 ? 3 : (g >= 6 ? 2 : 0)
        let table = UncheckedSendable(tableStorage)
        var totals: Totals
        if depth == 0 {
            let ws = Workspace(start: start)
            let value = load(ws, level: 0, members: [])
            visit(ws, level: 0, last: -1, size: 0, value: value, mask: 0, table: tableStorage)
            totals = Totals(bySize: (0...g).map { ws.sums[0][$0] },
                            byMember: Array(UnsafeBufferPointer(start: ws.byMember, count: g * (g + 1))),
                            collinear: ws.collinear, table: nil)
        } else {
            totals = try parallelRun(depth: depth, table: table, progress: progress)
        }
        if let tableStorage { totals.table = Array(UnsafeBufferPointer(start: tableStorage, count: 1 << g)) }
        return totals
    }

    /// Phase 1: the subtrees of every node at `depth`, in parallel; phase 2: the top of the tree
    /// (subsets smaller than `depth`), in order, combining phase 1's sums.
    private func parallelRun(depth: Int, table: UncheckedSendable<UnsafeMutablePointer<Double>?>,
                             progress: (@Sendable (Double) -> Bool)?) throws -> Totals {
        let g = self.g
        let tasks = SubsetRSquaredWalk.combinations(g, depth)
        let taskCount = tasks.count
        let workers = min(taskCount, 64)
        let results = UnsafeMutablePointer<Double>.allocate(capacity: taskCount * (g + 1))
        results.initialize(repeating: 0, count: taskCount * (g + 1))
        defer { results.deallocate() }
        let slots = UncheckedSendable(results)
        let cancelled = UncheckedSendable(UnsafeMutablePointer<Bool>.allocate(capacity: 1))
        cancelled.value.initialize(to: false)
        defer { cancelled.value.deallocate() }
        let walker = self
        let partials: [(byMember: [Double], collinear: Set<Int>)] = Parallel.map(workers) { worker in
            let ws = Workspace(start: walker.start)
            var t = worker
            while t < taskCount {
                if cancelled.value.pointee { break }
                let members = tasks[t]
                let mask = members.reduce(0) { $0 | (1 << $1) }
                let value = walker.load(ws, level: depth, members: members)
                table.value?[mask] = value
                walker.visit(ws, level: depth, last: members[depth - 1], size: depth, value: value, mask: mask, table: table.value)
                for u in 0...(g - 1 - members[depth - 1]) { slots.value[t * (g + 1) + u] = ws.sums[depth][u] }
                if worker == 0, let progress, !progress(Double(t) / Double(taskCount)) { cancelled.value.pointee = true }
                t += workers
            }
            return (Array(UnsafeBufferPointer(start: ws.byMember, count: g * (g + 1))), ws.collinear)
        }
        if cancelled.value.pointee { throw ImportanceError.cancelled }
        var byMember = [Double](repeating: 0, count: g * (g + 1))
        var collinear = Set<Int>()
        for partial in partials {
            for u in byMember.indices { byMember[u] += partial.byMember[u] }
            collinear.formUnion(partial.collinear)
        }
        var taskIndex = 0
        let ws = Workspace(start: start)
        func top(_ members: [Int]) -> [Double] {
            let value = load(ws, level: 0, members: members)
            let mask = members.reduce(0) { $0 | (1 << $1) }
            table.value?[mask] = value
            let last = members.last ?? -1
            var sums = [Double](repeating: 0, count: g - members.count + 1)
            sums[0] = value
            for j in (last + 1)..<g {
                let child = members + [j]
                let childSums: [Double]
                if child.count == depth {
                    childSums = (0...(g - 1 - j)).map { results[taskIndex * (g + 1) + $0] }
                    taskIndex += 1
                } else {
                    childSums = top(child)
                }
                for u in childSums.indices {
                    byMember[j * (g + 1) + child.count + u] += childSums[u]
                    sums[1 + u + (child.count - members.count - 1)] += childSums[u]
                }
            }
            return sums
        }
        let rootSums = top([])
        collinear.formUnion(ws.collinear)
        return Totals(bySize: rootSums, byMember: byMember, collinear: collinear, table: nil)
    }
}
