import Foundation
import LinearAlgebra

extension LogisticNodeFit {
    /// The iterates of one submodel's Newton fit (steps 2 and 3 of ``LogisticNodeFit``).
    struct NewtonState {
        /// Columns in the fit.
        let k: Int
        var beta: [Double]
        var step: [Double]
        /// The Newton decrement `λ² = gᵀH⁻¹g` of the last step.
        var decrement: Double
        /// The parent's estimate (padded with zeros): where a careful restart begins.
        let start: [Double]
        /// `|ℓ|` of the parent: the scale of the stopping and refresh tests.
        let scale: Double
        var previousBeta: [Double]
        var previousLL: Double
        var lastDecrement: Double
        /// The fraction of `step` taken (halved in careful mode while `ℓ` falls).
        var factor = 1.0
        /// Whether the next pass must compute a fresh Hessian.
        var fresh: Bool
        /// Careful mode: `ℓ` evaluated every pass, steps halved when it falls.
        var careful = false
        /// Where the current Hessian factor was computed (`nil` for the bordered factor).
        var hessianBeta: [Double]? = nil
        var iterations = 0
        var halvings = 0
    }

    /// How one Newton pass ended.
    enum PassOutcome {
        /// Go on with the next pass.
        case next
        /// The fit failed (non-finite values, a singular Hessian, too many halvings).
        case failed
        /// Converged; `child.logLikelihood` is set; the largest `|η|` at the estimate.
        case converged(maxEta: Double)
    }

    /// The state before the first pass: the parent's estimate padded with zeros, plus the
    /// bordered factor's Newton step when it is usable (else a fresh Hessian comes first).
    func firstStep(parent: LogisticNode, child: LogisticNode, k: Int, gradient: [Double], bordered: Bool) -> NewtonState {
        let ld = workspace.capacity
        let parentK = parent.columns.count
        let beta = Array(parent.beta[0..<parentK]) + [Double](repeating: 0, count: k - parentK)
        var step = bordered ? gradient : [Double](repeating: 0, count: k)
        if bordered {
            step.withUnsafeMutableBufferPointer { SmallCholesky.solve(child.factor, k: k, ld: ld, $0.baseAddress!) }
        }
        let decrement = bordered ? zip(gradient, step).reduce(0) { $0 + $1.0 * $1.1 } : .infinity
        var stepped = beta
        for t in 0..<k { stepped[t] += step[t] }
        // Without a usable bordered factor the first pass computes a fresh Hessian at the start.
        return NewtonState(k: k, beta: stepped, step: step, decrement: decrement, start: beta, scale: abs(parent.logLikelihood),
                           previousBeta: beta, previousLL: parent.logLikelihood, lastDecrement: decrement, fresh: !bordered)
    }

    /// One Newton pass: evaluates the fit at `β` (with a fresh Hessian while the last step was
    /// large), halves a step that lowers `ℓ` in careful mode, solves for the next step, tests
    /// convergence, restarts carefully when the decrement stops shrinking, else takes the step.
    func newtonPass(_ s: inout NewtonState, parent: LogisticNode, child: LogisticNode, columns: [Int]) -> PassOutcome {
        let ws = workspace, k = s.k
        let withHessian = s.fresh || s.lastDecrement > Self.refresh * s.scale
        let (linear, etaMax) = s.beta.withUnsafeBufferPointer {
            ws.evaluate(k: k, beta: $0.baseAddress!, mu: child.mu, withHessian: withHessian)
        }
        guard linear.isFinite else { return .failed }
        var ll: Double? = nil
        if s.careful {
            let value = ws.logLikelihood(linearPart: linear)
            guard value.isFinite else { return .failed }
            if value < s.previousLL - 1e-12 * abs(s.previousLL) {
                s.halvings += 1
                guard s.halvings <= 30 else { return .failed }
                s.factor /= 2
                for t in 0..<k { s.beta[t] = s.previousBeta[t] + s.factor * s.step[t] }
                s.fresh = true
                return .next
            }
            ll = value
        }
        guard solveStep(&s, child: child, withHessian: withHessian) else { return .failed }
        let small = s.decrement / 2 * min(1, modelError(s, columns: columns)) <= Self.tolerance * s.scale
        if small {
            let value = (ll ?? ws.logLikelihood(linearPart: linear)) + s.decrement / 2
            if value.isFinite && value >= parent.logLikelihood - 1e-9 * s.scale {
                child.logLikelihood = value
                return .converged(maxEta: etaMax)
            }
        }
        if !s.careful && !(s.decrement < s.lastDecrement && !small) {
            restartCarefully(&s)
            return .next
        }
        s.previousBeta = s.beta
        if let ll { s.previousLL = ll }
        s.factor = 1
        s.lastDecrement = s.decrement
        for t in 0..<k { s.beta[t] += s.step[t] }
        return .next
    }

    /// Factors the fresh Hessian when one was computed, then solves `H·step = g` and sets the
    /// decrement `gᵀ·step`; `false` when the Hessian is not positive definite or the decrement
    /// is not finite.
    func solveStep(_ s: inout NewtonState, child: LogisticNode, withHessian: Bool) -> Bool {
        let ws = workspace, ld = ws.capacity, k = s.k
        if withHessian {
            guard SmallCholesky.factor(upper: ws.hessian, k: k, ld: ld, into: child.factor) else { return false }
            s.hessianBeta = s.beta
        }
        s.fresh = false
        for t in 0..<k { s.step[t] = ws.gradient[t] }
        s.step.withUnsafeMutableBufferPointer { SmallCholesky.solve(child.factor, k: k, ld: ld, $0.baseAddress!) }
        s.decrement = 0
        for t in 0..<k { s.decrement += ws.gradient[t] * s.step[t] }
        return s.decrement.isFinite
    }

    /// The error of `ℓ + λ²/2` relative to `λ²/2`: third order in the step, plus the staleness
    /// of the Hessian; both bounded by max |xᵢᵀv| ≤ Σⱼ |vⱼ|·max|x·ⱼ|. Infinite with the
    /// bordered factor (no Hessian of the child's own yet).
    func modelError(_ s: NewtonState, columns: [Int]) -> Double {
        guard let hessianBeta = s.hessianBeta else { return .infinity }
        var bound = 0.0
        for t in 0..<s.k { bound += (abs(s.step[t]) / 3 + abs(s.beta[t] - hessianBeta[t])) * workspace.design.columnMax[columns[t]] }
        return bound
    }

    /// Not contracting (or converged below the parent): restarts from the parent's estimate
    /// with likelihood-checked, step-halving Newton iterations.
    func restartCarefully(_ s: inout NewtonState) {
        s.careful = true
        s.hessianBeta = nil
        s.beta = s.start
        s.previousBeta = s.start
        // The parent's ℓ is its predicted maximum (ℓ + λ²/2), a little above ℓ at its
        // estimate: the first careful pass re-evaluates the start itself.
        s.previousLL = -.infinity
        s.lastDecrement = .infinity
        s.fresh = true
    }
}
