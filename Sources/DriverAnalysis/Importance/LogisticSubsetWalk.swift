import Foundation
import LinearAlgebra

/// The log-likelihood of the logistic model of every subset of players (drivers or groups of
/// drivers), always with the intercept and the control columns, by a depth-first walk in which
/// each submodel is warm-started from its parent (``LogisticNodeFit``).
///
/// **Order and parallelism.** The tree is the increasing-index subset tree: node `S` with largest
/// player `m` has children `S ∪ {j}`, `j > m`. It is cut into units that do not depend on the
/// thread count: a node whose subtree holds more than `max(32, 2^g/256)` subsets is a unit of its own and
/// its children are considered in turn; any other node is a unit with its whole subtree. Workers
/// take units in order from a shared counter; a worker re-fits the path from the root to a
/// unit's node where it differs from the path it holds (each fit is a deterministic function of
/// its parent's, so re-fitting gives the same bits). Hence the results are identical for any
/// number of workers. Complexity: `2^g` fits of O(n·k²) each (k active columns), about two
/// Hessian passes and one gradient pass per fit on survey data.
struct LogisticSubsetWalk: Sendable {
    let design: LogisticDesign
    /// Design columns always in the model (the controls).
    let base: [Int]
    /// Design columns of each player.
    let players: [[Int]]

    struct Fits: Sendable {
        /// `logLikelihood[mask]`: bit `j` set = player `j` in the model; `mask = 0` is the
        /// intercept-and-controls model.
        var logLikelihood: [Double]
        /// The subsets whose fit failed, even from a cold start, and inherited their parent's.
        var unfitted: Int
        /// The subsets whose data are (quasi-)separated: their `ℓ` is the supremum.
        var separated: Int
        /// ℓ of the intercept-only model at its closed-form estimate.
        var interceptOnly: Double
    }

    struct Unit: Sendable {
        let path: [Int]
        let subtree: Bool
        var size: Int
    }

    /// Units covering every node exactly once, in depth-first order.
    static func units(players g: Int) -> [Unit] {
        let grain = max(32, (1 << g) >> 8)
        var units: [Unit] = []
        func add(_ path: [Int], last: Int) {
            let size = 1 << (g - 1 - last)
            if size <= grain || last == g - 1 {
                units.append(Unit(path: path, subtree: true, size: size))
            } else {
                units.append(Unit(path: path, subtree: false, size: 1))
                for j in (last + 1)..<g { add(path + [j], last: j) }
            }
        }
        add([], last: -1)
        return units
    }

    /// Runs the walk. `progress` receives the fraction of subsets fitted (from any worker, one
    /// call at a time); returning `false` cancels.
    ///
    /// - Throws: ``ImportanceError/cancelled`` when cancelled; ``ModelError/separation(kind:drivers:)``-free:
    ///   a failing controls-only model throws ``ImportanceError/dimensionMismatch(_:)``.
    func run(progress: (@Sendable (Double) -> Bool)?) throws -> Fits {
        let g = players.count, n = design.n
        let capacity = 1 + base.count + players.reduce(0) { $0 + $1.count }
        let total = 1 << g
        let shared = WalkShared(total: total)
        defer { shared.release() }
        let units = Self.units(players: g)
        let interceptOnly = design.nullLogLikelihood
        let workers = max(1, min(units.count, Parallel.workers ?? ProcessInfo.processInfo.activeProcessorCount))
        let walk = self
        Parallel.forEach(workers) { _ in
            guard let first = shared.next(units.count) else { return }
            let ws = LogisticWorkspace(design: walk.design, capacity: capacity)
            let fitter = LogisticNodeFit(workspace: ws)
            let levels = (0...(g + 1)).map { _ in LogisticNode(capacity: capacity, rows: n) }
            // Level 0: intercept only (exact estimate logit(rate)); level 1: with the controls.
            fitter.prepareRoot(levels[0])
            if !fitter.fit(parent: levels[0], child: levels[1], adding: walk.base) { shared.failControls() }
            var loaded: [Int] = []
            var index: Int? = first
            while let u = index, !shared.isStopped {
                let unit = units[u]
                var depth = 0
                while depth < min(loaded.count, unit.path.count) && loaded[depth] == unit.path[depth] { depth += 1 }
                for d in depth..<unit.path.count {
                    fitter.fit(parent: levels[d + 1], child: levels[d + 2], adding: walk.players[unit.path[d]])
                }
                loaded = unit.path
                let mask = unit.path.reduce(0) { $0 | (1 << $1) }
                let node = levels[unit.path.count + 1]
                shared.record(mask, node)
                if unit.subtree {
                    walk.descend(fitter, levels, level: unit.path.count + 1, last: unit.path.last ?? -1, mask: mask, shared: shared)
                }
                shared.finished(unit.size, progress: progress)
                index = shared.next(units.count)
            }
        }
        if shared.controlsFailed {
            throw ImportanceError.dimensionMismatch("the model with the controls alone cannot be fitted (separation or no convergence)")
        }
        if shared.cancelled { throw ImportanceError.cancelled }
        return Fits(logLikelihood: Array(UnsafeBufferPointer(start: shared.table, count: total)),
                    unfitted: (0..<total).reduce(0) { $0 + (shared.failed[$1] == 1 ? 1 : 0) },
                    separated: (0..<total).reduce(0) { $0 + (shared.failed[$1] == 2 ? 1 : 0) }, interceptOnly: interceptOnly)
    }

    /// Fits and records every proper descendant of the node at `level` (largest player `last`).
    private func descend(_ fitter: LogisticNodeFit, _ levels: [LogisticNode], level: Int, last: Int, mask: Int, shared: WalkShared) {
        for j in (last + 1)..<players.count {
            let child = levels[level + 1]
            fitter.fit(parent: levels[level], child: child, adding: players[j])
            shared.record(mask | (1 << j), child)
            descend(fitter, levels, level: level + 1, last: j, mask: mask | (1 << j), shared: shared)
        }
    }
}

/// The walk's shared state: the next unit, the result table (each entry written by exactly one
/// unit), progress and cancellation.
private final class WalkShared: @unchecked Sendable {
    let total: Int
    let table: UnsafeMutablePointer<Double>
    let failed: UnsafeMutablePointer<UInt8>
    private let lock = NSLock()
    private var nextUnit = 0
    private var done = 0
    private var reported = 0
    private(set) var cancelled = false
    private(set) var controlsFailed = false

    init(total: Int) {
        self.total = total
        table = .allocate(capacity: total)
        table.initialize(repeating: .nan, count: total)
        failed = .allocate(capacity: total)
        failed.initialize(repeating: 0, count: total)
    }

    func release() {
        table.deallocate()
        failed.deallocate()
    }

    var isStopped: Bool { lock.withLock { cancelled || controlsFailed } }

    func next(_ count: Int) -> Int? {
        lock.withLock {
            guard nextUnit < count, !cancelled, !controlsFailed else { return nil }
            defer { nextUnit += 1 }
            return nextUnit
        }
    }

    func failControls() { lock.withLock { controlsFailed = true } }

    /// Records a node's `ℓ` and its state: 0 fitted, 1 unfitted (inherited), 2 separated.
    @inline(__always)
    func record(_ mask: Int, _ node: LogisticNode) {
        table[mask] = node.logLikelihood
        failed[mask] = !node.fitted ? 1 : node.separated ? 2 : 0
    }

    /// Adds `count` fitted subsets; reports every 0.5 % (and at the end), one call at a time.
    func finished(_ count: Int, progress: (@Sendable (Double) -> Bool)?) {
        lock.withLock {
            done += count
            guard let progress, done - reported >= max(1, total / 200) || done == total else { return }
            reported = done
            if !progress(Double(done) / Double(total)) { cancelled = true }
        }
    }
}
