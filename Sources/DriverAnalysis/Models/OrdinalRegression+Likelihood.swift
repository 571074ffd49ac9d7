import Foundation
import LinearAlgebra

extension OrdinalRegression {
    /// The weighted log-likelihood of the proportional-odds model with its gradient and Hessian,
    /// parameters `θ = (β (p), ζ (k))`.
    struct Likelihood {
        /// The log-likelihood, gradient and Hessian at one `θ`.
        typealias Value = (ll: Double, gradient: [Double], hessian: Matrix)
        let drivers: [[Double]]
        /// Each row's outcome category, 0…K.
        let y: [Int]
        let w: [Double]
        let n: Int, p: Int, k: Int

        /// The likelihood of outcome categories `y` (`0…k`, `k` thresholds) on `drivers` with weights `w`.
        init(drivers: [[Double]], y: [Int], w: [Double], thresholds k: Int) {
            self.drivers = drivers
            self.y = y
            self.w = w
            n = y.count
            p = drivers.count
            self.k = k
        }

        /// The logistic function, without overflow on either side.
        static func logistic(_ t: Double) -> Double { t >= 0 ? 1 / (1 + exp(-t)) : exp(t) / (1 + exp(t)) }

        /// `ℓ(θ)`, with its gradient and Hessian when `derivatives` is set (else zeros); `nil`
        /// when the thresholds are not increasing or a row's probability is 0.
        func evaluate(_ theta: [Double], derivatives: Bool) -> Value? {
            for j in 1..<max(1, k) where theta[p + j] <= theta[p + j - 1] { return nil }
            var ll = 0.0
            var g = [Double](repeating: 0, count: p + k)
            var h = Matrix(uncheckedRows: p + k, columns: p + k)
            for i in 0..<n {
                var eta = 0.0
                for j in 0..<p { eta += theta[j] * drivers[j][i] }
                let upper = y[i] < k ? theta[p + y[i]] - eta : Double.infinity
                let lower = y[i] > 0 ? theta[p + y[i] - 1] - eta : -Double.infinity
                let fa = upper.isInfinite ? 1.0 : Self.logistic(upper), fb = lower.isInfinite ? 0.0 : Self.logistic(lower)
                let prob = fa - fb
                guard prob > 0 else { return nil }
                ll += w[i] * log(prob)
                guard derivatives else { continue }
                let ga = upper.isInfinite ? 0 : fa * (1 - fa), gb = lower.isInfinite ? 0 : fb * (1 - fb)
                let ha = upper.isInfinite ? 0 : ga * (1 - 2 * fa), hb = lower.isInfinite ? 0 : gb * (1 - 2 * fb)
                let wi = w[i]
                let dBeta = -(ga - gb) / prob
                let betaBeta = (ha - hb) / prob - dBeta * dBeta
                for a in 0..<p {
                    g[a] += wi * dBeta * drivers[a][i]
                    for b in 0...a { h[a, b] += wi * betaBeta * drivers[a][i] * drivers[b][i] }
                }
                if y[i] < k {
                    let u = p + y[i]
                    g[u] += wi * ga / prob
                    h[u, u] += wi * (ha / prob - (ga / prob) * (ga / prob))
                    for a in 0..<p { h[u, a] += wi * -drivers[a][i] * (ha / prob - ga * (ga - gb) / (prob * prob)) }
                }
                if y[i] > 0 {
                    let l = p + y[i] - 1
                    g[l] -= wi * gb / prob
                    h[l, l] += wi * (-hb / prob - (gb / prob) * (gb / prob))
                    for a in 0..<p { h[l, a] += wi * drivers[a][i] * (hb / prob - gb * (ga - gb) / (prob * prob)) }
                    if y[i] < k { h[p + y[i], l] += wi * ga * gb / (prob * prob) }
                }
            }
            // Mirror the lower triangle.
            for a in 0..<(p + k) { for b in (a + 1)..<max(a + 1, p + k) { h[a, b] = h[b, a] } }
            return (ll, g, h)
        }
    }

    /// Starting values: β = 0, each threshold the logit of its cumulative share (clamped to [10⁻⁶, 1 − 10⁻⁶]).
    static func startingValues(counts: [Double], total: Double, drivers p: Int) -> [Double] {
        let k = counts.count - 1
        // Parameters: β (p) then ζ (k).
        var theta = [Double](repeating: 0, count: p + k)
        var cumulative = 0.0
        for j in 0..<k {
            cumulative += counts[j]
            let share = min(max(cumulative / total, 1e-6), 1 - 1e-6)
            theta[p + j] = log(share / (1 - share))
        }
        return theta
    }

    /// Newton's method with step halving (up to 30 halvings, a step kept when `ℓ` does not
    /// fall), at most 100 iterations; converged when `ℓ`'s relative change is below 10⁻¹² and
    /// the last step below 10⁻⁹.
    static func maximize(_ likelihood: Likelihood, from start: [Double]) throws
        -> (theta: [Double], value: Likelihood.Value, iterations: Int, converged: Bool) {
        var theta = start
        guard var current = likelihood.evaluate(theta, derivatives: true) else { throw ModelError.dimensionMismatch("invalid starting values") }
        var iterations = 0, converged = false
        while iterations < 100 {
            iterations += 1
            var information = current.hessian
            information.withUnsafeMutableBufferPointer { m in for t in m.indices { m[t] = -m[t] } }
            let step = try Cholesky(information).solve(current.gradient)
            var factor = 1.0
            var accepted: Likelihood.Value? = nil
            var candidate = theta
            for _ in 0..<30 {
                candidate = zip(theta, step).map { $0 + factor * $1 }
                if let value = likelihood.evaluate(candidate, derivatives: false), value.ll >= current.ll - 1e-12 * abs(current.ll) {
                    accepted = likelihood.evaluate(candidate, derivatives: true)
                    break
                }
                factor /= 2
            }
            guard let next = accepted else { break }
            let change = abs(next.ll - current.ll) / (abs(next.ll) + 0.1)
            theta = candidate
            current = next
            if change < 1e-12 && (step.map(abs).max() ?? 0) * factor < 1e-9 { converged = true; break }
        }
        return (theta, current, iterations, converged)
    }
}
