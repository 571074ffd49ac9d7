import LinearAlgebra

/// The depth-first walk over all `2^p` driver subsets that powers exact Shapley values and
/// dominance analysis.
///
/// From the driver correlation matrix `R` and the driver–outcome correlations `r`, each node
/// (subset `S`, largest member `m`) carries the Schur complement of the remaining candidates
/// `k > m` given `S`: `A = R_CC − R_CS R_SS⁻¹ R_SC` and `b = r_C − R_CS R_SS⁻¹ r_S`. Adding
/// candidate `j` raises R² by `b_j²/A_jj`; the child's complement is the rank-1 update
/// `A'_kl = A_kl − A_kj A_jl / A_jj`, `b'_k = b_k − A_kj b_j / A_jj` restricted to `k, l > j`.
/// A subset with `c` candidates costs O(c²), and since most subsets have few candidates the
/// whole walk costs about `3·2^p` multiply-adds, with O(p²) memory per depth level.
///
/// The walk aggregates R² by subset size (`A_k`) and by member and size (`B_jk`, through the
/// subtree sums a node returns: every subset containing `j` lies in the subtree of exactly one
/// node whose largest member is `j`). Subtrees below a fixed depth are walked in parallel; the
/// partition does not depend on the number of threads.
struct SubsetRSquaredWalk {
    let p: Int
    let correlation: [Double]     // p × p column-major driver correlations
    let outcome: [Double]         // p driver–outcome correlations
    /// Pivots `A_jj` at or below this are collinear with the current subset and add nothing.
    static let collinearityTolerance = 1e-12

    struct Totals {
        /// `bySize[k] = Σ_{|S|=k} R²(S)`, k = 0…p.
        var bySize: [Double]
        /// `byMember[j * (p+1) + k] = Σ_{|S|=k, j∈S} R²(S)`.
        var byMember: [Double]
        /// Drivers found collinear with some subset of the others.
        var collinear: Set<Int>
    }

    /// Per-depth scratch for one worker.
    final class Workspace {
        let p: Int
        var a: [UnsafeMutablePointer<Double>]
        var b: [UnsafeMutablePointer<Double>]
        var sums: [UnsafeMutablePointer<Double>]
        var index: [UnsafeMutablePointer<Int>]
        var byMember: UnsafeMutablePointer<Double>
        var collinear: Set<Int> = []
        init(p: Int) {
            self.p = p
            a = (0...p).map { _ in UnsafeMutablePointer<Double>.allocate(capacity: max(1, p * p)) }
            b = (0...p).map { _ in UnsafeMutablePointer<Double>.allocate(capacity: max(1, p)) }
            sums = (0...p).map { _ in UnsafeMutablePointer<Double>.allocate(capacity: p + 1) }
            index = (0...p).map { _ in UnsafeMutablePointer<Int>.allocate(capacity: max(1, p)) }
            byMember = UnsafeMutablePointer<Double>.allocate(capacity: p * (p + 1))
            byMember.initialize(repeating: 0, count: p * (p + 1))
        }
        deinit {
            for buffer in a { buffer.deallocate() }
            for buffer in b { buffer.deallocate() }
            for buffer in sums { buffer.deallocate() }
            for buffer in index { buffer.deallocate() }
            byMember.deallocate()
        }
    }

    /// Walks the subtree of a node at `level` whose state is in `ws.a[level]` (c × c),
    /// `ws.b[level]`, `ws.index[level]` (original indices of the c candidates), subset size
    /// `size` and R² `value`. Writes the subtree sums by relative size into `ws.sums[level][0…c]`.
    static func visit(_ ws: Workspace, level: Int, c: Int, size: Int, value: Double) {
        let sums = ws.sums[level]
        sums[0] = value
        for t in 1...max(1, c) where t <= c { sums[t] = 0 }
        if c == 0 { return }
        let a = ws.a[level], b = ws.b[level], index = ws.index[level]
        let childA = ws.a[level + 1], childB = ws.b[level + 1], childIndex = ws.index[level + 1]
        let p = ws.p
        for j in 0..<c {
            let pivot = a[j + j * c]
            let original = index[j]
            let childC = c - j - 1
            var childValue = value
            if pivot > collinearityTolerance {
                let bj = b[j]
                childValue = value + bj * bj / pivot
                let inverse = 1 / pivot
                // Rank-1 update restricted to candidates after j (upper triangle, column-major).
                for l in 0..<childC {
                    let column = j + 1 + l
                    let ajl = a[j + column * c] * inverse
                    childB[l] = b[column] - ajl * bj
                    childIndex[l] = index[column]
                    let target = childA + l * childC
                    let source = a + column * c
                    for k in 0...l {
                        target[k] = source[j + 1 + k] - a[j + (j + 1 + k) * c] * ajl
                    }
                }
            } else {
                ws.collinear.insert(original)
                for l in 0..<childC {
                    let column = j + 1 + l
                    childB[l] = b[column]
                    childIndex[l] = index[column]
                    let target = childA + l * childC
                    let source = a + column * c
                    for k in 0...l { target[k] = source[j + 1 + k] }
                }
            }
            visit(ws, level: level + 1, c: childC, size: size + 1, value: childValue)
            let childSums = ws.sums[level + 1]
            let row = ws.byMember + original * (p + 1) + size + 1
            for t in 0...childC {
                row[t] += childSums[t]
                sums[1 + t] += childSums[t]
            }
        }
    }

    /// Loads the root-relative state of the node `members` (ascending) into `ws` at `level`,
    /// returning (candidates count, R²). Pivots by repeated rank-1 updates from the root.
    func load(_ ws: Workspace, level: Int, members: [Int]) -> (c: Int, value: Double) {
        // Start from the full matrix, then condition on each member in turn.
        var current = correlation
        var vector = outcome
        var value = 0.0
        var alive = Array(0..<p)
        for m in members {
            guard let position = alive.firstIndex(of: m) else { continue }
            let pivot = current[m + m * p]
            if pivot > Self.collinearityTolerance {
                let bm = vector[m]
                value += bm * bm / pivot
                let column = (0..<p).map { current[$0 + m * p] }
                for l in alive where l != m {
                    let factor = current[m + l * p] / pivot
                    vector[l] -= factor * bm
                    for k in alive { current[k + l * p] -= column[k] * factor }
                }
            } else {
                ws.collinear.insert(m)
            }
            alive.remove(at: position)
        }
        let last = members.last ?? -1
        let candidates = alive.filter { $0 > last }
        let c = candidates.count
        let a = ws.a[level], b = ws.b[level], index = ws.index[level]
        for (l, column) in candidates.enumerated() {
            b[l] = vector[column]
            index[l] = column
            for (k, row) in candidates.enumerated() { a[k + l * c] = current[row + column * p] }
        }
        return (c, value)
    }

    /// Walks every subset. Complexity: about `3·2^p` multiply-adds, on all cores.
    func run(progress: (@Sendable (Double) -> Bool)? = nil) throws -> Totals {
        let depth = p >= 12 ? 3 : (p >= 6 ? 2 : 0)
        if depth == 0 {
            let ws = Workspace(p: p)
            let root = load(ws, level: 0, members: [])
            Self.visit(ws, level: 0, c: root.c, size: 0, value: root.value)
            let bySize = (0...p).map { ws.sums[0][$0] }
            return Totals(bySize: bySize, byMember: Array(UnsafeBufferPointer(start: ws.byMember, count: p * (p + 1))),
                          collinear: ws.collinear)
        }
        // Phase 1: subtrees of every node at `depth`, in parallel.
        let tasks = Self.combinations(p, depth)
        let taskCount = tasks.count
        let workers = min(taskCount, 64)
        let results = UnsafeMutablePointer<Double>.allocate(capacity: taskCount * (p + 1))
        results.initialize(repeating: 0, count: taskCount * (p + 1))
        defer { results.deallocate() }
        let slots = UncheckedSendable(results)
        let walker = self
        let cancelled = UncheckedSendable(UnsafeMutablePointer<Bool>.allocate(capacity: 1))
        cancelled.value.initialize(to: false)
        defer { cancelled.value.deallocate() }
        let partials: [(byMember: [Double], collinear: Set<Int>)] = Parallel.map(workers) { worker in
            let ws = Workspace(p: walker.p)
            var k = worker
            while k < taskCount {
                if cancelled.value.pointee { break }
                let members = tasks[k]
                let node = walker.load(ws, level: depth, members: members)
                Self.visit(ws, level: depth, c: node.c, size: depth, value: node.value)
                for t in 0...node.c { slots.value[k * (walker.p + 1) + t] = ws.sums[depth][t] }
                if worker == 0, let progress, !progress(Double(k) / Double(taskCount)) { cancelled.value.pointee = true }
                k += workers
            }
            return (Array(UnsafeBufferPointer(start: ws.byMember, count: walker.p * (walker.p + 1))), ws.collinear)
        }
        if cancelled.value.pointee { throw ImportanceError.cancelled }
        // Phase 2: the top of the tree (subsets smaller than `depth`), in order.
        var byMember = [Double](repeating: 0, count: p * (p + 1))
        var collinear = Set<Int>()
        for partial in partials {
            for k in byMember.indices { byMember[k] += partial.byMember[k] }
            collinear.formUnion(partial.collinear)
        }
        var taskIndex = 0
        let ws = Workspace(p: p)
        func top(_ members: [Int]) -> [Double] {
            let node = load(ws, level: 0, members: members)
            let last = members.last ?? -1
            var sums = [Double](repeating: 0, count: p - members.count + 1)
            sums[0] = node.value
            for j in (last + 1)..<p {
                let child = members + [j]
                let childSums: [Double]
                if child.count == depth {
                    let c = p - 1 - j
                    childSums = (0...c).map { results[taskIndex * (p + 1) + $0] }
                    taskIndex += 1
                } else {
                    childSums = top(child)
                }
                for t in childSums.indices {
                    byMember[j * (p + 1) + child.count + t] += childSums[t]
                    sums[1 + t + (child.count - members.count - 1)] += childSums[t]
                }
            }
            return sums
        }
        let rootSums = top([])
        collinear.formUnion(ws.collinear)
        return Totals(bySize: rootSums, byMember: byMember, collinear: collinear)
    }

    /// All `k`-subsets of `0..<n` in lexicographic order (the walk's order).
    static func combinations(_ n: Int, _ k: Int) -> [[Int]] {
        var result: [[Int]] = []
        var current: [Int] = []
        func extend(_ start: Int) {
            if current.count == k { result.append(current); return }
            guard start < n else { return }
            for i in start..<n {
                current.append(i)
                extend(i + 1)
                current.removeLast()
            }
        }
        extend(0)
        return result
    }
}
