import Foundation
import LinearAlgebra

/// Dominance analysis and Shapley values for a logistic (churn) model on a pseudo-R²:
/// every one of the `2^p` submodels is fitted by Newton–Raphson (Azen & Traxel 2009).
///
/// Submodels are fitted size by size; each starts from its parent's estimate (the subset
/// without its last driver) with 0 for the new driver, which typically converges in 2–3
/// steps. Subsets of one size are fitted in parallel. McFadden `1 − ℓ_S/ℓ₀` by default;
/// Nagelkerke `(1 − e^{2(ℓ₀−ℓ_S)/n})/(1 − e^{2ℓ₀/n})` with `expm1` (no underflow at any n).
/// A submodel that cannot be fitted (separation, collinearity) is given its parent's fit, i.e.
/// the new driver adds nothing there; such subsets are counted in ``unfittedSubsets``.
public struct LogisticDominance: Sendable {
    /// The pseudo-R² decomposed.
    public enum Fit: String, Sendable {
        /// McFadden `1 − ℓ_S/ℓ₀` (the default).
        case mcFadden = "mcfadden_r2"
        /// Nagelkerke `(1 − e^{2(ℓ₀−ℓ_S)/n})/(1 − e^{2ℓ₀/n})`.
        case nagelkerke = "nagelkerke_r2"
    }

    /// The pseudo-R² decomposed.
    public let fit: Fit
    /// Conditional, general and complete dominance over the `2^p` submodel fits.
    public let dominance: DominanceAnalysis
    /// Shapley values (general dominance), summing to the full model's pseudo-R².
    public var values: [Double] { dominance.general }
    /// `values / full-model pseudo-R²`, summing to 1. O(p).
    public var shares: [Double] { let total = dominance.fullFit; return dominance.general.map { $0 / total } }
    /// Submodels that could not be fitted (separation, collinearity) and were given their parent's fit.
    public let unfittedSubsets: Int

    /// The largest driver count accepted (2^16 logistic fits).
    public static let exactLimit = 16

    /// Fits all `2^p` submodels and decomposes their pseudo-R².
    ///
    /// - Parameters:
    ///   - y: the 0/1 outcome.
    ///   - drivers: driver columns.
    ///   - names: driver names.
    ///   - weights: optional frequency weights (bootstrap multiplicities); `nil` = all 1.
    ///   - fit: the pseudo-R² decomposed.
    /// - Throws: ``ImportanceError`` for no drivers or more than ``exactLimit``; ``ModelError`` for
    ///   invalid data or a non-binary outcome.
    /// Complexity: `2^p` logistic fits of O(n·p²) each (warm-started, 2–3 steps), in parallel by size.
    public init(outcome y: [Double], drivers: [[Double]], names: [String], weights: [Double]? = nil, fit: Fit = .mcFadden) throws {
        let p = names.count
        guard p >= 1 else { throw ImportanceError.tooFewDrivers(count: 0, minimum: 1) }
        guard p <= Self.exactLimit else { throw ImportanceError.tooManyDriversForExact(count: p, limit: Self.exactLimit) }
        try ModelInput.validate(outcome: y, drivers: drivers, names: names, weights: weights)
        if let bad = y.firstIndex(where: { $0 != 0 && $0 != 1 }) { throw ModelError.outcomeNotBinary(value: y[bad], observation: bad + 1) }
        let n = y.count
        let w = weights ?? [Double](repeating: 1, count: n)
        let total = w.reduce(0, +)
        let rate = zip(w, y).reduce(0) { $0 + $1.0 * $1.1 } / total
        guard rate > 0 && rate < 1 else { throw ModelError.constantOutcome(value: y[0]) }
        let l0 = total * (rate * log(rate) + (1 - rate) * log1p(-rate))
        let ones = [Double](repeating: 1, count: n)
        var logLikelihood = [Double](repeating: l0, count: 1 << p)
        var betas = [[Double]](repeating: [], count: 1 << p)
        betas[0] = [log(rate / (1 - rate))]
        var unfitted = 0
        let options = LogisticRegression.Options()
        for size in 1...p {
            let masks = (0..<(1 << p)).filter { $0.nonzeroBitCount == size }
            let frozenBetas = betas, frozenLL = logLikelihood
            let fits: [(ll: Double, beta: [Double], ok: Bool)] = Parallel.map(masks.count) { k in
                let mask = masks[k]
                let members = (0..<p).filter { mask & (1 << $0) != 0 }
                let last = members.last!
                let parent = mask & ~(1 << last)
                do {
                    let x = try Matrix(columns: [ones] + members.map { drivers[$0] })
                    let start = frozenBetas[parent] + [0]
                    let result = try LogisticRegression.newton(x: x, y: y, w: w, options: options, start: start)
                    guard result.deviance.isFinite, result.eta.allSatisfy({ abs($0) < 30 }) else { throw ImportanceError.cancelled }
                    return (-result.deviance / 2, result.beta, true)
                } catch {
                    return (frozenLL[parent], frozenBetas[parent] + [0], false)
                }
            }
            for (k, mask) in masks.enumerated() {
                logLikelihood[mask] = fits[k].ll
                betas[mask] = fits[k].beta
                if !fits[k].ok { unfitted += 1 }
            }
        }
        let nn = total
        let table = logLikelihood.map { ll -> Double in
            switch fit {
            case .mcFadden: return 1 - ll / l0
            case .nagelkerke: return -expm1(2 * (l0 - ll) / nn) / -expm1(2 * l0 / nn)
            }
        }
        self.fit = fit
        dominance = try DominanceAnalysis(names: names, fits: table)
        unfittedSubsets = unfitted
    }
}
