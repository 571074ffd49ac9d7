import Foundation
import LinearAlgebra

/// One fitted submodel on the walk's stack: its active columns, estimate, the Cholesky factor of
/// its (possibly slightly stale) Hessian, its fitted probabilities and log-likelihood.
final class LogisticNode {
    var columns: [Int] = []
    /// Columns whose addition failed on the way here (separation, no convergence): every
    /// descendant tries them again, so a later fit is never missing a driver it should have.
    var pending: [Int] = []
    var beta: [Double]
    /// `capacity × capacity`, lower triangle.
    let factor: UnsafeMutablePointer<Double>
    /// The Cholesky factor of the design's `XᵀWX` (frequency weights) on ``columns``
    /// (`capacity × capacity`, lower triangle): exact, never stale; the alias test's basis.
    let structure: UnsafeMutablePointer<Double>
    let mu: UnsafeMutablePointer<Double>
    var logLikelihood = 0.0
    var fitted = true
    /// Fitted, but some fitted probabilities are numerically 0 or 1 (`|η| ≥ 30`): the data are
    /// (quasi-)separated and ``logLikelihood`` is the supremum the fit approaches.
    var separated = false

    init(capacity: Int, rows: Int) {
        beta = [Double](repeating: 0, count: capacity)
        factor = .allocate(capacity: capacity * capacity)
        factor.initialize(repeating: 0, count: capacity * capacity)
        structure = .allocate(capacity: capacity * capacity)
        structure.initialize(repeating: 0, count: capacity * capacity)
        mu = .allocate(capacity: max(1, rows))
        mu.initialize(repeating: 0, count: max(1, rows))
    }

    deinit {
        factor.deallocate()
        structure.deallocate()
        mu.deallocate()
    }

    /// Becomes a copy of `other` (the fit a failed child inherits).
    func copy(from other: LogisticNode, capacity: Int, rows: Int) {
        columns = other.columns
        pending = other.pending
        beta = other.beta
        factor.update(from: other.factor, count: capacity * capacity)
        structure.update(from: other.structure, count: capacity * capacity)
        mu.update(from: other.mu, count: rows)
        logLikelihood = other.logLikelihood
        fitted = other.fitted
        separated = other.separated
    }
}

/// Newton's method for one submodel, warm-started from its parent (the submodel with one player
/// fewer).
///
/// 1. **Bordered first step.** At the parent's fit, the child's Hessian is the parent's with the
///    new columns' rows appended, `[[H_S, h], [hᵀ, h_jj]]`, `h = X_Sᵀ W x_j`, and the gradient is
///    zero but for the new entries. One pass over the rows gives `h`, `h_jj` and the gradient (no
///    `exp`); the Cholesky factor is extended by a row (`l = L⁻¹h`, `d² = h_jj − lᵀl`), and the
///    first Newton step is free of transcendental functions. A new column in the span of the
///    others (aliased) is dropped, as R's `glm` reports `NA`; that test runs on the design's own
///    `XᵀWX` (exact), never on the parent's possibly stale Hessian.
/// 2. **Newton steps** `β ← β + H⁻¹g` with a fresh Hessian while the last step was large
///    (Newton decrement `λ² = gᵀH⁻¹g` above `refresh·|ℓ|`), else with the previous factor (a
///    chord step: nearly as fast near the optimum, and one `O(n·k²)` product cheaper). These
///    passes need no `log`: `ℓ` itself is evaluated once, at the end. Should the decrement stop
///    shrinking, the fit restarts from the parent's estimate in a careful mode that evaluates
///    `ℓ` every pass and halves a step that lowers it (up to 30 times), as R's `glm` does.
/// 3. **Stop** when the error of the reported maximum `ℓ(β) + λ²/2` (the maximum of the
///    quadratic model at the final `β`; `λ²/2` is the predicted remaining gain) is at most
///    `tolerance·|ℓ|` (10⁻¹⁰). That error is `λ²/2` times a relative error of the model, of the
///    order of `max_i |xᵢᵀΔ|/3` (third order in the step `Δ`) plus `max_i |xᵢᵀ(β − β_H)|` (the
///    Hessian's staleness, `β_H` where it was computed), both bounded through the columns' largest
///    absolute values; with the bordered factor (no Hessian of the child's own yet) the test is
///    `λ²/2 ≤ tolerance·|ℓ|` itself.
///
/// 4. **Robust refit.** A warm-started fit that fails (non-finite `ℓ`, a step that cannot be
///    made to increase `ℓ`, no convergence in ``maximumIterations``, or `|η| ≥ 30`) is fitted
///    again from a cold start — the intercept-only estimate — by Newton's method with a fresh
///    Hessian every pass and step halving whenever `ℓ` falls, as R's `glm.fit` halves on the
///    deviance (``robustFit(child:parent:)``; the columns are already standardized). A
///    (quasi-)separated submodel has no maximum: its `ℓ` rises towards a supremum while
///    `|β| → ∞`, and the predicted gain `λ²/2` falls geometrically, so the same stopping rule
///    ends at the supremum to within the tolerance; such a node is marked
///    ``LogisticNode/separated``. Only when that fails too does a node inherit its parent's fit
///    (``LogisticNode/fitted`` false), which the caller reports — it is never silent.
struct LogisticNodeFit {
    static let tolerance = 1e-11
    static let refresh = 1e-4
    static let maximumIterations = 60
    /// A candidate whose residual on the columns already in has `e² ≤ aliasTolerance·‖x‖²`
    /// (relative residual norm 10⁻⁶) is aliased.
    static let aliasTolerance = 1e-12
    /// A bordered pivot `d² ≤ borderTolerance·h_jj` is too small to trust the bordered factor.
    static let borderTolerance = 1e-9
    /// `|η|` beyond which a fitted probability is numerically 0 or 1 (e^{−30} ≈ 10⁻¹³).
    static let separationEta = 30.0

    let workspace: LogisticWorkspace

    /// Fits `child` = `parent` plus `added` columns. Returns `false` when the fit failed.
    @discardableResult
    func fit(parent: LogisticNode, child: LogisticNode, adding added: [Int]) -> Bool {
        let ws = workspace, ld = ws.capacity, n = ws.design.n
        let (columns, gradient, bordered) = borderedFactor(parent: parent, child: child, candidates: parent.pending + added)
        child.columns = columns
        child.pending = []
        var state = firstStep(parent: parent, child: child, k: columns.count, gradient: gradient, bordered: bordered)
        var maxEta: Double? = nil
        passes: while state.iterations < Self.maximumIterations {
            state.iterations += 1
            switch newtonPass(&state, parent: parent, child: child, columns: columns) {
            case .next: continue
            case .failed: break passes
            case let .converged(etaMax):
                maxEta = etaMax
                break passes
            }
        }
        guard let maxEta, maxEta < Self.separationEta else {
            if robustFit(child: child, parent: parent) { return true }
            child.copy(from: parent, capacity: ld, rows: n)
            child.pending = parent.pending + added
            child.fitted = false
            child.separated = false
            return false
        }
        for t in 0..<state.k { child.beta[t] = state.beta[t] }
        child.fitted = true
        child.separated = false
        return true
    }

    /// Step 1: places the candidate columns after the parent's and decides which enter.
    ///
    /// - **Alias test** on the design's structure: the Cholesky factor of `XᵀWX` (frequency
    ///   weights, ``LogisticNode/structure``) is extended by one row per candidate, `s = R⁻¹g`,
    ///   `e² = g_jj − sᵀs`; a candidate with `e² ≤ aliasTolerance·g_jj` lies in the span of the
    ///   columns already in (its residual norm is under 10⁻⁶ of its own) and is dropped, as R's
    ///   `glm` reports `NA`. The factor is exact, so an exact duplicate (a "No internet service"
    ///   dummy shared by six factors, `1 − PhoneService`) never enters a fit.
    /// - **Bordered Hessian** at the parent's fit: the parent's Cholesky factor extended by
    ///   `l = L⁻¹h`, `d² = h_jj − lᵀl` per accepted candidate. When a `d²` is not clearly positive
    ///   (the parent's factor is from an earlier iterate, or its working weights underflow), the
    ///   bordered factor is not used: `bordered` is `false` and the fit starts with a fresh Hessian.
    ///
    /// Returns the child's columns, its gradient at the parent's fit, and whether
    /// `child.factor` holds a usable bordered factor. O(n·k·added) + O(k²·added).
    private func borderedFactor(parent: LogisticNode, child: LogisticNode, candidates: [Int])
        -> (columns: [Int], gradient: [Double], bordered: Bool) {
        let ws = workspace, ld = ws.capacity, design = ws.design, p = design.columns
        let parentK = parent.columns.count
        for (t, column) in candidates.enumerated() { ws.place(column, at: parentK + t) }
        ws.border(k: parentK + candidates.count, added: candidates.count, mu: parent.mu)
        child.factor.update(from: parent.factor, count: ld * ld)
        child.structure.update(from: parent.structure, count: ld * ld)
        var columns = parent.columns
        var positions = Array(0..<parentK)          // accepted columns' positions in the bordering pass
        var gradient = (0..<parentK).map { ws.cross[$0 + candidates.count * ld] }
        var l = [Double](repeating: 0, count: ld), r = [Double](repeating: 0, count: ld)
        var bordered = true
        for (t, candidate) in candidates.enumerated() {
            let k = columns.count
            let own = design.gram[candidate + candidate * p]
            for (s, column) in columns.enumerated() { r[s] = design.gram[column + candidate * p] }
            r.withUnsafeMutableBufferPointer { SmallCholesky.forward(child.structure, k: k, ld: ld, $0.baseAddress!) }
            var e2 = own
            for s in 0..<k { e2 -= r[s] * r[s] }
            guard own > 0, e2 > Self.aliasTolerance * own, e2.isFinite else { continue }
            for s in 0..<k { child.structure[k + s * ld] = r[s] }
            child.structure[k + k * ld] = e2.squareRoot()
            if bordered {
                let diagonal = ws.cross[parentK + t + t * ld]
                for (s, position) in positions.enumerated() { l[s] = ws.cross[position + t * ld] }
                l.withUnsafeMutableBufferPointer { SmallCholesky.forward(child.factor, k: k, ld: ld, $0.baseAddress!) }
                var d2 = diagonal
                for s in 0..<k { d2 -= l[s] * l[s] }
                if diagonal > 0, d2 > Self.borderTolerance * diagonal, d2.isFinite {
                    for s in 0..<k { child.factor[k + s * ld] = l[s] }
                    child.factor[k + k * ld] = d2.squareRoot()
                } else {
                    bordered = false
                }
            }
            if k != parentK + t { ws.move(parentK + t, to: k) }
            columns.append(candidate)
            positions.append(parentK + t)
            gradient.append(ws.cross[parentK + t + candidates.count * ld])
        }
        return (columns, gradient, bordered)
    }

    /// Makes `root` the intercept-only model at its closed-form estimate `logit(Σwy/Σw)`: its
    /// column, `ℓ`, fitted values, Hessian factor and structure factor. Every walk starts here.
    func prepareRoot(_ root: LogisticNode) {
        let ws = workspace, design = ws.design
        root.columns = [0]
        root.pending = []
        root.beta[0] = design.nullIntercept
        ws.place(0, at: 0)
        let (linear, _) = root.beta.withUnsafeBufferPointer {
            ws.evaluate(k: 1, beta: $0.baseAddress!, mu: root.mu, withHessian: true)
        }
        root.logLikelihood = ws.logLikelihood(linearPart: linear)
        root.fitted = true
        root.separated = false
        _ = SmallCholesky.factor(upper: ws.hessian, k: 1, ld: ws.capacity, into: root.factor)
        root.structure[0] = design.gram[0].squareRoot()
    }
}
