import Foundation

/// The regularized incomplete beta function `Iₓ(a, b)` and its complement `1 − Iₓ(a, b)`.
///
/// The caller passes both `x` and `y = 1 − x` so that values of `x` near 1 keep their
/// accuracy (e.g. `y = t²/(ν + t²)` for a small Student t statistic). The continued fraction
/// `Iₓ(a,b) = [xᵃyᵇ/(a·B(a,b))] / (1 + d₁/(1 + d₂/(1 + …)))`,
/// `d₂ₘ₊₁ = −(a+m)(a+b+m)x / ((a+2m)(a+2m+1))`, `d₂ₘ = m(b−m)x / ((a+2m−1)(a+2m))`
/// (Abramowitz & Stegun 26.5.8) converges fast for `x < (a+1)/(a+b+2)`; otherwise the
/// symmetry `Iₓ(a,b) = 1 − I_y(b,a)` is used, so the directly computed side is always the
/// smaller tail. The prefactor comes from ``LogGammaTerms/logBetaTerm(_:_:_:_:)``.
///
/// Complexity: O(√min(a, b)) iterations near the mean, O(1) in the tails.
enum IncompleteBeta {
    /// `(Iₓ(a,b), 1 − Iₓ(a,b))` for `a, b > 0`, `0 ≤ x ≤ 1`, `y = 1 − x`.
    static func regularized(_ a: Double, _ b: Double, x: Double, y: Double) -> (lower: Double, upper: Double) {
        precondition(a > 0 && b > 0, "incomplete beta needs a, b > 0")
        if x.isNaN || y.isNaN { return (.nan, .nan) }
        if x <= 0 { return (0, 1) }
        if y <= 0 { return (1, 0) }
        if x * (a + b + 2) < a + 1 {
            let lower = tail(a, b, x, y)
            return (lower, 1 - lower)
        }
        let upper = tail(b, a, y, x)
        return (1 - upper, upper)
    }

    /// `Iₓ(a, b)` by the continued fraction, accurate when `x < (a+1)/(a+b+2)`.
    static func tail(_ a: Double, _ b: Double, _ x: Double, _ y: Double) -> Double {
        let logPrefix = LogGammaTerms.logBetaTerm(a, b, x, y) - log(a)
        if logPrefix < -745.2 { return 0 }
        // x near 1 is formed as 1 − y exactly in double-double: y carries the information.
        let xx = x <= 0.5 ? DoubleDouble(x) : DoubleDouble.twoSum(1, -y)
        return exp(logPrefix) * fraction(a, b, xx)
    }

    /// The continued fraction of A&S 26.5.8 by the modified Lentz method, in double-double.
    ///
    /// With large `a` and `x` near 1 its partial denominators `1 + aₘd` cancel to about
    /// `1/a`; double-double keeps 1e-16 relative accuracy up to `a ≈ 10¹⁵`.
    static func fraction(_ a: Double, _ b: Double, _ x: DoubleDouble) -> Double {
        let tiny = 1e-300
        let one = DoubleDouble(1)
        let qab = a + b, qap = a + 1, qam = a - 1
        var c = one
        var d = one - DoubleDouble(qab) * x / DoubleDouble(qap)
        if abs(d.high) < tiny { d = DoubleDouble(tiny) }
        d = one / d
        var h = d
        var m = 1.0
        while m < 1_000_000 {
            let m2 = 2 * m
            var aa = DoubleDouble(m * (b - m)) * x / (DoubleDouble(qam + m2) * DoubleDouble(a + m2))
            d = one + aa * d
            if abs(d.high) < tiny { d = DoubleDouble(tiny) }
            c = one + aa / c
            if abs(c.high) < tiny { c = DoubleDouble(tiny) }
            d = one / d
            h = h * d * c
            aa = -(DoubleDouble(a + m) * DoubleDouble(qab + m) * x) / (DoubleDouble(a + m2) * DoubleDouble(qap + m2))
            d = one + aa * d
            if abs(d.high) < tiny { d = DoubleDouble(tiny) }
            c = one + aa / c
            if abs(c.high) < tiny { c = DoubleDouble(tiny) }
            d = one / d
            let delta = d * c
            h = h * delta
            if abs(delta.high - 1 + delta.low) <= 1e-17 { break }
            m += 1
        }
        return h.value
    }
}
