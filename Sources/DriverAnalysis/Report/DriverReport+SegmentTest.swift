import Foundation

extension DriverReport {
    /// Cochran's Q test, per driver, that its coefficient is the same in every segment:
    /// `Q = Σ_s (b_s − b̄)²/SE_s²`, `b̄ = Σ(b_s/SE_s²)/Σ(1/SE_s²)`, χ² with `k − 1` df over the
    /// `k` segments where the driver is estimable (Cochran 1954), from the segment reports'
    /// coefficients — the test ``SegmentComparison`` runs on the data. Factors (no single
    /// coefficient) and drivers estimable in fewer than two segments get `q = NaN`.
    ///
    /// Complexity: O(p·k) for p drivers and k segments.
    public func segmentHeterogeneity() -> [SegmentComparison.Heterogeneity] {
        guard segments.count >= 2 else { return [] }
        return actionOrder.map { name in
            let usable = segments.compactMap { $0.report.driver(named: name)?.coefficient }
                .filter { !$0.isAliased && $0.standardError > 0 && $0.standardError.isFinite && $0.estimate.isFinite }
            guard usable.count >= 2, let chi = try? ChiSquaredDistribution(degreesOfFreedom: Double(usable.count - 1)) else {
                return SegmentComparison.Heterogeneity(driver: name, q: .nan, degreesOfFreedom: 0, pValue: .nan)
            }
            let w = usable.map { 1 / ($0.standardError * $0.standardError) }
            let pooled = zip(w, usable).reduce(0) { $0 + $1.0 * $1.1.estimate } / w.reduce(0, +)
            let q = zip(w, usable).reduce(0) { $0 + $1.0 * ($1.1.estimate - pooled) * ($1.1.estimate - pooled) }
            return SegmentComparison.Heterogeneity(driver: name, q: q, degreesOfFreedom: usable.count - 1, pValue: chi.survival(q))
        }
    }
}
