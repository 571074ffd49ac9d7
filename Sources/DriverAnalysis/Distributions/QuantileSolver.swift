import Foundation

/// Inverts a tail probability on `(0, ∞)` by safeguarded Newton iteration.
///
/// Newton runs on `h(u) = log G(eᵘ) − log target` with `u = log x`: power-law tails
/// (Student t, F, small chi-squared quantiles) are then nearly linear and exponential tails
/// nearly quadratic, so it converges in a handful of steps from a rough guess. A bracket
/// `[lo, hi]` in `u` guards every step (bisection when Newton leaves it). Two final Newton
/// steps on `G(x) − target` in `x` itself remove the rounding of `x = eᵘ`, giving quantiles
/// to a few ulps of what the tail function's accuracy allows.
enum QuantileSolver {
    /// Solves `tail(x) = target` for `x > 0`.
    ///
    /// - Parameters:
    ///   - increasing: `true` when `tail` is the lower tail (a CDF), `false` for a survival function.
    ///   - density: the derivative of the CDF.
    ///   - guess: a positive starting point.
    static func solve(
        target: Double, increasing: Bool, guess: Double,
        tail: (Double) -> Double, density: (Double) -> Double
    ) -> Double {
        let sign: Double = increasing ? 1 : -1
        // A lower-tail quantile below the smallest subnormal is 0.
        if increasing && tail(Double.leastNonzeroMagnitude) >= target { return 0 }
        let logTarget = log(target)
        var u = log(guess.isFinite && guess > 0 ? guess : 1)
        var lo = -Double.infinity, hi = Double.infinity
        for _ in 0..<400 {
            let x = exp(u)
            let g = tail(x)
            let h = log(g) - logTarget
            if h == 0 { return polish(x, target: target, sign: sign, tail: tail, density: density) }
            let tooLarge = increasing ? h > 0 : h < 0
            if tooLarge { hi = u } else { lo = u }
            let slope = sign * x * density(x) / g
            var next = u - h / slope
            if !next.isFinite || next <= lo || next >= hi {
                if lo.isFinite && hi.isFinite {
                    next = 0.5 * (lo + hi)
                } else if tooLarge {
                    next = u - max(1, abs(u))
                } else {
                    next = u + max(1, abs(u))
                }
            }
            if abs(next - u) <= 4 * Double.ulpOfOne * max(1, abs(u)) || (hi - lo) <= 4 * Double.ulpOfOne * max(1, abs(u)) {
                return polish(exp(next), target: target, sign: sign, tail: tail, density: density)
            }
            u = next
        }
        return polish(exp(u), target: target, sign: sign, tail: tail, density: density)
    }

    /// Up to two Newton steps on `tail(x) − target` in `x`, kept only while they reduce the error.
    static func polish(
        _ start: Double, target: Double, sign: Double, tail: (Double) -> Double, density: (Double) -> Double
    ) -> Double {
        var x = start
        var error = tail(x) - target
        for _ in 0..<2 {
            let f = density(x)
            guard f > 0, f.isFinite, error != 0 else { break }
            let candidate = x - error / (sign * f)
            guard candidate > 0, candidate.isFinite else { break }
            let candidateError = tail(candidate) - target
            guard abs(candidateError) < abs(error) else { break }
            x = candidate
            error = candidateError
        }
        return x
    }
}
