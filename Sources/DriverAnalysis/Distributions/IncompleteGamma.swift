import Foundation

/// The regularized incomplete gamma functions `P(a, x) = γ(a, x)/Γ(a)` and `Q = 1 − P`.
///
/// Both are returned together, each computed directly where it is the smaller so that
/// neither loses relative accuracy in its tail: the power series
/// `P = D(a,x) Σₙ xⁿ/((a+1)…(a+n))` for `x < a + 1`, else Legendre's continued fraction
/// `Q = D(a,x)·a / (x + 1 − a − 1·(1−a)/(x + 3 − a − …))` evaluated by the modified Lentz
/// method (Press et al., *Numerical Recipes* 3rd ed., §6.2; DiDonato & Morris 1986), with
/// `D(a,x) = xᵃe⁻ˣ/Γ(a+1)` from ``LogGammaTerms/logPoissonTerm(_:_:)``.
///
/// Complexity: O(√a) iterations near `x ≈ a`, O(1) elsewhere.
enum IncompleteGamma {
    /// `(P(a, x), Q(a, x))` for `a > 0`, `x ≥ 0`.
    static func regularized(_ a: Double, _ x: Double) -> (lower: Double, upper: Double) {
        precondition(a > 0, "incomplete gamma needs a > 0")
        if x.isNaN { return (.nan, .nan) }
        if x <= 0 { return (0, 1) }
        if x == .infinity { return (1, 0) }
        let logD = LogGammaTerms.logPoissonTerm(a, x)
        if x < a + 1 {
            var term = 1.0, sum = 1.0, denominator = a
            for _ in 0..<100_000 {
                denominator += 1
                term *= x / denominator
                sum += term
                if term <= sum * 1e-17 { break }
            }
            let p = exp(logD + log(sum))
            return (p, 1 - p)
        }
        let q = exp(logD + log(a) + log(legendreFraction(a, x)))
        return (1 - q, q)
    }

    /// `1/(x+1−a− 1(1−a)/(x+3−a− 2(2−a)/(x+5−a− …)))` by the modified Lentz method.
    static func legendreFraction(_ a: Double, _ x: Double) -> Double {
        let tiny = 1e-300
        var b = x + 1 - a
        var c = 1 / tiny
        var d = 1 / b
        var h = d
        var i = 1.0
        while i < 100_000 {
            let an = -i * (i - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) <= 1e-16 { break }
            i += 1
        }
        return h
    }
}
