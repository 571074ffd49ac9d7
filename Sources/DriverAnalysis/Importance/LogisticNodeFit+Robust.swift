import Foundation

extension LogisticNodeFit {
    /// The most passes of a robust refit: enough for a separated submodel's `ℓ` to reach its
    /// supremum (its remaining gain shrinks about e-fold per Newton step).
    static let robustIterations = 200

    /// Fits `child` (its columns already placed by the bordering step) from a cold start: the
    /// intercept at the logit of the weighted event rate, every other coefficient 0 — the
    /// intercept-only estimate, since the columns are centred. Each pass evaluates `ℓ`, the
    /// gradient and a fresh Hessian; a step that lowers `ℓ` is halved (up to 40 times); a Hessian
    /// that is not numerically positive definite (weights `μ(1 − μ)` underflowing on separated
    /// rows) is factored with a small ridge, which only shortens the step. Stops when the
    /// predicted gain `λ²/2 = gᵀH⁻¹g/2` is at most `tolerance·|ℓ₀|` (`ℓ₀` the intercept-only
    /// log-likelihood, a scale that does not vanish when a separated `ℓ` tends to 0) and reports
    /// `ℓ + λ²/2`, as the warm-started path does.
    ///
    /// - Returns: `false` when no such point was reached (then `child` is left for the caller).
    /// Complexity: O(n·k²) per pass; only submodels whose warm start failed come here.
    func robustFit(child: LogisticNode, parent: LogisticNode) -> Bool {
        let ws = workspace, ld = ws.capacity, design = ws.design
        let k = child.columns.count
        guard k > 0 else { return false }
        let scale = abs(design.nullLogLikelihood)
        var beta = [Double](repeating: 0, count: k)
        beta[0] = design.nullIntercept
        var previousBeta = beta, step = [Double](repeating: 0, count: k)
        var previousLL = -Double.infinity, factor = 1.0, halvings = 0
        for _ in 0..<Self.robustIterations {
            let (linear, etaMax) = beta.withUnsafeBufferPointer {
                ws.evaluate(k: k, beta: $0.baseAddress!, mu: child.mu, withHessian: true)
            }
            let ll = linear.isFinite ? ws.logLikelihood(linearPart: linear) : -.infinity
            if !(ll >= previousLL - 1e-12 * scale) {
                // ℓ fell (or is not finite): halve the step from the last accepted point.
                halvings += 1
                guard halvings <= 40, previousLL > -.infinity else { return false }
                factor /= 2
                for t in 0..<k { beta[t] = previousBeta[t] + factor * step[t] }
                continue
            }
            halvings = 0
            guard Self.factorWithRidge(ws.hessian, k: k, ld: ld, into: child.factor) else { return false }
            for t in 0..<k { step[t] = ws.gradient[t] }
            step.withUnsafeMutableBufferPointer { SmallCholesky.solve(child.factor, k: k, ld: ld, $0.baseAddress!) }
            var decrement = 0.0
            for t in 0..<k { decrement += ws.gradient[t] * step[t] }
            guard decrement.isFinite else { return false }
            if decrement / 2 <= Self.tolerance * scale {
                let value = ll + max(0, decrement) / 2
                // A nested model cannot fit worse than its parent (up to the tolerance).
                guard value >= parent.logLikelihood - 1e-9 * scale else { return false }
                child.logLikelihood = value
                for t in 0..<k { child.beta[t] = beta[t] }
                child.pending = []
                child.fitted = true
                child.separated = etaMax >= Self.separationEta
                return true
            }
            previousBeta = beta
            previousLL = ll
            factor = 1
            for t in 0..<k { beta[t] += step[t] }
        }
        return false
    }

    /// Cholesky of the Hessian whose upper triangle is in `hessian`, retrying with a ridge
    /// `δ·max diag` (δ = 10⁻¹², ×100 per try up to 10⁻⁴) on the diagonal when a pivot fails.
    static func factorWithRidge(_ hessian: UnsafeMutablePointer<Double>, k: Int, ld: Int,
                                into factor: UnsafeMutablePointer<Double>) -> Bool {
        if SmallCholesky.factor(upper: hessian, k: k, ld: ld, into: factor) { return true }
        var top = 0.0
        for t in 0..<k { top = max(top, hessian[t + t * ld]) }
        guard top > 0, top.isFinite else { return false }
        var delta = 1e-12, added = 0.0
        while delta <= 1e-4 {
            let ridge = delta * top
            for t in 0..<k { hessian[t + t * ld] += ridge - added }
            added = ridge
            if SmallCholesky.factor(upper: hessian, k: k, ld: ld, into: factor) { return true }
            delta *= 100
        }
        return false
    }
}
