import Foundation

/// Accurate building blocks for the prefactors of the incomplete gamma and beta functions.
///
/// Naively, `xᵃe⁻ˣ/Γ(a+1)` is `exp(a·log x − x − lgamma(a+1))`, whose exponent cancels
/// catastrophically for large `a` near `x ≈ a`. Loader (2000), "Fast and accurate computation
/// of binomial probabilities", rewrites it with the Stirling-series error `δ(a)` and the
/// deviance term `bd0`, each computed without cancellation.
enum LogGammaTerms {
    static let logSqrt2Pi = 0.918_938_533_204_672_741_78

    /// `δ(n) = log Γ(n+1) − [(n + ½)log n − n + ½log 2π]`, the error of Stirling's formula.
    ///
    /// For `n > 15` the asymptotic series (Abramowitz & Stegun 6.1.41), else directly.
    static func stirlingError(_ n: Double) -> Double {
        if n > 15 {
            let s0 = 1.0 / 12, s1 = 1.0 / 360, s2 = 1.0 / 1260, s3 = 1.0 / 1680, s4 = 1.0 / 1188
            let nn = n * n
            if n > 500 { return (s0 - s1 / nn) / n }
            if n > 80 { return (s0 - (s1 - s2 / nn) / nn) / n }
            if n > 35 { return (s0 - (s1 - (s2 - s3 / nn) / nn) / nn) / n }
            return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n
        }
        return lgamma(n + 1) - (n + 0.5) * log(n) + n - logSqrt2Pi
    }

    /// `bd0(x, m) = x·log(x/m) + m − x ≥ 0`, accurate when `x ≈ m` (Loader 2000).
    static func deviance(_ x: Double, _ m: Double) -> Double {
        if x == 0 { return m }
        if m == 0 { return .infinity }
        if abs(x - m) < 0.1 * (x + m) {
            // x log(x/m) + m − x = (x − m)·v + 2x Σ_{j≥1} v^{2j+1}/(2j+1),  v = (x − m)/(x + m)
            let v = (x - m) / (x + m)
            var sum = (x - m) * v
            var term = 2 * x * v
            let v2 = v * v
            var j = 1.0
            while j < 1000 {
                term *= v2
                let next = sum + term / (2 * j + 1)
                if next == sum { return next }
                sum = next
                j += 1
            }
            return sum
        }
        return x * log(x / m) + m - x
    }

    /// `log(xᵃ e⁻ˣ / Γ(a+1))`, the log Poisson "density" at real `a` with mean `x`.
    static func logPoissonTerm(_ a: Double, _ x: Double) -> Double {
        if x == 0 { return a == 0 ? 0 : -.infinity }
        if a < 10 { return a * log(x) - x - lgamma(a + 1) }
        return -stirlingError(a) - deviance(a, x) - 0.5 * log(2 * Double.pi * a)
    }

    /// `log(xᵃ yᵇ Γ(a+b) / (Γ(a)Γ(b)))` with `y = 1 − x` given separately for accuracy.
    ///
    /// Via the binomial form `dbinom(a; a+b, x) · ab/(a+b)` of Loader (2000), which
    /// keeps the exponent free of cancellation for large `a` and `b`.
    static func logBetaTerm(_ a: Double, _ b: Double, _ x: Double, _ y: Double) -> Double {
        if x == 0 || y == 0 { return -.infinity }
        let n = a + b
        if a < 10 && b < 10 {
            return a * log(x) + b * log(y) + lgamma(n) - lgamma(a) - lgamma(b)
        }
        let exponent = stirlingError(n) - stirlingError(a) - stirlingError(b)
            - deviance(a, n * x) - deviance(b, n * y)
        // sqrt(n/(2π a b)) · ab/n = sqrt(ab/(2π n))
        return exponent + 0.5 * log(a * b / (2 * Double.pi * n))
    }
}
