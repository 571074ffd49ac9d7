import Foundation
import LinearAlgebra

/// The log-likelihoods along sampled orderings of the players — the chains of nested submodels
/// behind ``SampledLogisticShapley`` — each fit warm-started from the previous one in its chain.
///
/// 1. The controls-only model, every single-player and all-but-one model and the full model are
///    fitted up front, each from the controls-only fit (so each is a function of its subset
///    alone), in parallel; they form the shared memo.
/// 2. The pairs are cut into ``blocks`` fixed blocks (pair `k` in block `k mod blocks`); a block
///    runs on one worker, in order, with its own memo of the subsets it has fitted. A chain looks
///    each subset up (shared memo, then its block's) and fits only the misses, from its last
///    fitted model with every player added since.
///
/// Nothing depends on which worker runs what, so the log-likelihoods are bit-identical for any
/// number of workers. Complexity: per ordering at most `g − 3` fits of O(n·k²).
struct LogisticChainFits: Sendable {
    let design: LogisticDesign
    /// Design columns always in the model (the controls).
    let base: [Int]
    /// Design columns of each player.
    let players: [[Int]]

    /// Blocks of pairs, each with its own memo (a constant: results must not depend on the workers).
    static let blocks = 16

    /// One ordering and the log-likelihood after each of its players entered.
    struct Chain: Sendable {
        let order: [Int]
        let logLikelihood: [Double]
    }

    struct Result: Sendable {
        /// Per pair: the forward ordering's chain and the reverse one's.
        var chains: [[Chain]]
        /// ℓ of the controls-only model, of the full model, of the intercept-only model (closed form).
        var controls: Double
        var full: Double
        var interceptOnly: Double
        /// Fits made, fits that failed (even from a cold start), and separated fits (`ℓ` the supremum).
        var fitted: Int
        var unfitted: Int
        var separated: Int
    }

    /// Fits the chains of every pair of `orderings`. `progress` receives the fraction of pairs done;
    /// returning `false` cancels.
    ///
    /// - Throws: ``ImportanceError/cancelled``; ``ImportanceError/dimensionMismatch(_:)`` when the controls-only
    ///   model cannot be fitted.
    func run(orderings: SampledLogisticShapley.Orderings, progress: (@Sendable (Double) -> Bool)?) throws -> Result {
        let g = players.count, n = design.n
        var wy = 0.0, wt = 0.0
        for i in 0..<n { let wi = design.w[i]; wy += wi * design.y[i]; wt += wi }
        let rate = wy / wt
        let interceptOnly = wt * (rate * log(rate) + (1 - rate) * log1p(-rate))
        let full: UInt64 = g == 64 ? ~0 : (1 << UInt64(g)) - 1
        // 1. The shared memo: sizes 1, g − 1 and g, each fitted from the controls-only model.
        var shared = Set<UInt64>([full])
        for j in 0..<g {
            shared.insert(1 << UInt64(j))
            shared.insert(full & ~(1 << UInt64(j)))
        }
        shared.remove(0)
        let tasks = shared.sorted()
        let chains = self
        let taskBlocks = min(tasks.count, Self.blocks)
        let upFront: [(values: [(UInt64, Double)], controls: Double?, unfitted: Int, separated: Int)] = Parallel.map(taskBlocks) { block in
            let fitter = ChainFitter(chains)
            guard fitter.controlsFitted else { return ([], nil, 0, 0) }
            var values: [(UInt64, Double)] = [], unfitted = 0, separated = 0
            for t in stride(from: block, to: tasks.count, by: taskBlocks) {
                let node = fitter.fitFromControls(adding: chains.columns(of: tasks[t]))
                if node.fitted { values.append((tasks[t], node.logLikelihood)) } else { unfitted += 1 }
                if node.separated { separated += 1 }
            }
            return (values, fitter.controls.logLikelihood, unfitted, separated)
        }
        guard let controls = upFront.first?.controls else {
            throw ImportanceError.dimensionMismatch("the model with the controls alone cannot be fitted (separation or no convergence)")
        }
        var known: [UInt64: Double] = [0: controls]
        for block in upFront { for (mask, ll) in block.values { known[mask] = ll } }
        let memo = known
        // 2. The chains, block by block.
        let pairCount = orderings.count(players: g)
        let blocks = min(pairCount, Self.blocks)
        let tracker = PairProgress(total: pairCount, progress: progress)
        let results: [(chains: [(Int, [Chain])], fitted: Int, unfitted: Int, separated: Int)] = Parallel.map(blocks) { block in
            let fitter = ChainFitter(chains)
            var local: [UInt64: Double] = [:]
            var out: [(Int, [Chain])] = []
            var k = block
            while k < pairCount, !tracker.isCancelled {
                let order = orderings.ordering(k, players: g)
                out.append((k, [order, order.reversed()].map { fitter.chain($0, shared: memo, local: &local) }))
                tracker.finished()
                k += blocks
            }
            return (out, fitter.fitted, fitter.unfitted, fitter.separated)
        }
        if tracker.isCancelled { throw ImportanceError.cancelled }
        var ordered = [[Chain]](repeating: [], count: pairCount)
        for block in results { for (k, pair) in block.chains { ordered[k] = pair } }
        let fullLL = known[full] ?? ordered[0][0].logLikelihood.last ?? controls
        return Result(chains: ordered, controls: controls, full: fullLL, interceptOnly: interceptOnly,
                      fitted: tasks.count + results.reduce(0) { $0 + $1.fitted },
                      unfitted: upFront.reduce(0) { $0 + $1.unfitted } + results.reduce(0) { $0 + $1.unfitted },
                      separated: upFront.reduce(0) { $0 + $1.separated } + results.reduce(0) { $0 + $1.separated })
    }

    /// The design columns of the players in `mask`, in player order.
    func columns(of mask: UInt64) -> [Int] {
        (0..<players.count).filter { mask & (1 << UInt64($0)) != 0 }.flatMap { players[$0] }
    }
}

/// One worker's fitting state for chains: a workspace, the intercept-only and controls-only
/// models, and two nodes the chain alternates between.
final class ChainFitter {
    let chains: LogisticChainFits
    let fitter: LogisticNodeFit
    let root: LogisticNode
    let controls: LogisticNode
    private let a: LogisticNode
    private let b: LogisticNode
    private(set) var controlsFitted = true
    private(set) var fitted = 0
    private(set) var unfitted = 0
    private(set) var separated = 0

    init(_ chains: LogisticChainFits) {
        self.chains = chains
        let design = chains.design, n = design.n
        let capacity = 1 + chains.base.count + chains.players.reduce(0) { $0 + $1.count }
        let ws = LogisticWorkspace(design: design, capacity: capacity)
        fitter = LogisticNodeFit(workspace: ws)
        root = LogisticNode(capacity: capacity, rows: n)
        controls = LogisticNode(capacity: capacity, rows: n)
        a = LogisticNode(capacity: capacity, rows: n)
        b = LogisticNode(capacity: capacity, rows: n)
        // The intercept-only model at its closed form (as the subset walk starts), then the controls.
        fitter.prepareRoot(root)
        controlsFitted = fitter.fit(parent: root, child: controls, adding: chains.base)
    }

    /// Fits the controls plus `columns` from the controls-only model (into a scratch node).
    func fitFromControls(adding columns: [Int]) -> LogisticNode {
        fitter.fit(parent: controls, child: a, adding: columns)
        return a
    }

    /// ℓ after each player of `order` entered: looked up in `shared`, then `local`, else fitted from
    /// the chain's last fitted model with the players added since (and memoised in `local`).
    func chain(_ order: [Int], shared: [UInt64: Double], local: inout [UInt64: Double]) -> LogisticChainFits.Chain {
        var current = controls
        var mask: UInt64 = 0
        var waiting: [Int] = []
        var values: [Double] = []
        values.reserveCapacity(order.count)
        for j in order {
            mask |= 1 << UInt64(j)
            waiting.append(contentsOf: chains.players[j])
            if let ll = shared[mask] ?? local[mask] {
                values.append(ll)
                continue
            }
            let child = current === a ? b : a
            fitted += 1
            if fitter.fit(parent: current, child: child, adding: waiting) {
                local[mask] = child.logLikelihood
                if child.separated { separated += 1 }
            } else {
                unfitted += 1
            }
            waiting = []
            current = child
            values.append(child.logLikelihood)
        }
        return .init(order: order, logLikelihood: values)
    }
}

/// Counts finished pairs and forwards the fraction every 0.5 %, one call at a time.
private final class PairProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let total: Int
    private let progress: (@Sendable (Double) -> Bool)?
    private var done = 0
    private var reported = 0
    private var cancelled = false

    init(total: Int, progress: (@Sendable (Double) -> Bool)?) {
        self.total = max(1, total)
        self.progress = progress
    }

    var isCancelled: Bool { lock.withLock { cancelled } }

    func finished() {
        lock.withLock {
            done += 1
            guard let progress, !cancelled, done - reported >= max(1, total / 200) || done == total else { return }
            reported = done
            if !progress(Double(done) / Double(total)) { cancelled = true }
        }
    }
}
