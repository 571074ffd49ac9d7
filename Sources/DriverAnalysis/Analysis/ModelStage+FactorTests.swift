import Foundation

extension DriverReport {
    /// A joint test that all of a factor's level coefficients are zero: the factor matters.
    public struct JointTest: Sendable, Equatable {
        /// `F` (linear models) or likelihood-ratio `χ²` (logistic and ordinal models).
        public enum TestKind: String, Sendable, Codable {
            /// `F = [(RSS₀ − RSS)/q] / [RSS/df]` on `q` and `df` degrees of freedom.
            case f = "F"
            /// `LR = 2(ℓ − ℓ₀)` on `q` degrees of freedom.
            case likelihoodRatio = "LR"
            /// The D2 statistic pooling one test per imputed dataset (Li, Meng, Raghunathan &
            /// Rubin 1991; `mice::D2`), referred to `F(q, ν)`.
            case pooledD2 = "D2"
        }
        /// Which test.
        public internal(set) var kind: TestKind
        /// The statistic.
        public internal(set) var statistic: Double
        /// Numerator degrees of freedom: the factor's estimable terms.
        public internal(set) var degreesOfFreedom: Int
        /// Denominator degrees of freedom (F and D2 only; infinite when the imputations agree).
        public internal(set) var residualDegreesOfFreedom: Double?
        /// The p-value.
        public internal(set) var pValue: Double
    }
}

extension ModelStage {
    /// Type II tests of the factors (R's `car::Anova`; in a model without interactions the same
    /// as `drop1`): the model refitted without each factor's dummies, then an F test on the
    /// change in the residual sum of squares (linear) or a likelihood-ratio test (logistic, ordinal),
    /// with as many degrees of freedom as the factor has estimable terms. A factor whose
    /// reduced model cannot be fitted gets no test (`nil`), never a made-up one.
    /// Complexity: one refit per factor.
    static func factorTests(sample: AnalysisSample, design: DriverDesign, variables: [DriverVariable],
                            linear: LinearRegression?, logistic: LogisticRegression?, ordinal: OrdinalRegression? = nil) -> [DriverReport.JointTest?] {
        variables.indices.map { j -> DriverReport.JointTest? in
            guard variables[j].kind == .factor else { return nil }
            let range = design.termRanges[j]
            let keep = sample.drivers.indices.filter { !range.contains($0) }
            let drivers = keep.map { sample.drivers[$0] }, names = keep.map { sample.driverNames[$0] }
            if let full = linear {
                guard let reduced = try? LinearRegression(outcome: sample.outcome, drivers: drivers, names: names, weights: sample.weights,
                                                          options: full.options) else { return nil }
                let q = reduced.residualDegreesOfFreedom - full.residualDegreesOfFreedom
                guard q >= 1, full.residualDegreesOfFreedom > 0, full.residualSumOfSquares > 0 else { return nil }
                let f = ((reduced.residualSumOfSquares - full.residualSumOfSquares) / q) / (full.residualSumOfSquares / full.residualDegreesOfFreedom)
                guard let distribution = try? FDistribution(numeratorDegreesOfFreedom: q, denominatorDegreesOfFreedom: full.residualDegreesOfFreedom) else { return nil }
                return .init(kind: .f, statistic: f, degreesOfFreedom: Int(q.rounded()), residualDegreesOfFreedom: full.residualDegreesOfFreedom,
                             pValue: distribution.survival(max(0, f)))
            }
            if let full = logistic {
                var options = full.options
                options.samplingWeights = false
                guard let reduced = try? LogisticRegression(outcome: sample.outcome, drivers: drivers, names: names, weights: sample.weights,
                                                            options: options) else { return nil }
                let estimable = { (m: LogisticRegression) in m.coefficients.filter { !$0.isAliased }.count }
                let q = estimable(full) - estimable(reduced)
                guard q >= 1 else { return nil }
                let lr = max(0, 2 * (full.logLikelihood - reduced.logLikelihood))
                guard let distribution = try? ChiSquaredDistribution(degreesOfFreedom: Double(q)) else { return nil }
                return .init(kind: .likelihoodRatio, statistic: lr, degreesOfFreedom: q, pValue: distribution.survival(lr))
            }
            if let full = ordinal {
                guard let reduced = try? OrdinalRegression(outcome: sample.outcome, drivers: drivers, names: names, weights: sample.weights) else { return nil }
                let q = full.coefficients.filter { !$0.isAliased }.count - reduced.coefficients.filter { !$0.isAliased }.count
                guard q >= 1 else { return nil }
                let lr = max(0, 2 * (full.logLikelihood - reduced.logLikelihood))
                guard let distribution = try? ChiSquaredDistribution(degreesOfFreedom: Double(q)) else { return nil }
                return .init(kind: .likelihoodRatio, statistic: lr, degreesOfFreedom: q, pValue: distribution.survival(lr))
            }
            return nil
        }
    }
}

extension DriverReport.JointTest {
    /// The D2 pooling of `tests`, one per imputed dataset (Li, Meng, Raghunathan & Rubin 1991,
    /// as `mice::D2` and `miceadds::micombine.chisquare`): each as a χ² on `q` df (an F as
    /// `q·F`), `r = (1 + 1/m)·Var(√dᵢ)`, `D2 = (d̄/q − (m+1)/(m−1)·r)/(1 + r)` (at least 0) on
    /// `F(q, q^(−3/m)(m − 1)(1 + 1/r)²)` — χ²(q)/q when `r` = 0. `nil` unless every imputation
    /// has a test on the same `q` and there are at least two.
    static func pooledD2(_ tests: [DriverReport.JointTest?]) -> DriverReport.JointTest? {
        let found = tests.compactMap { $0 }
        guard found.count == tests.count, found.count >= 2, let q = found.first?.degreesOfFreedom, q >= 1,
              found.allSatisfy({ $0.degreesOfFreedom == q && $0.statistic.isFinite && $0.statistic >= 0 }) else { return nil }
        let m = Double(found.count), k = Double(q)
        let d = found.map { $0.kind == .f ? $0.statistic * k : $0.statistic }
        let roots = d.map { $0.squareRoot() }
        let meanRoot = roots.reduce(0, +) / m
        let variance = roots.reduce(0) { $0 + ($1 - meanRoot) * ($1 - meanRoot) } / (m - 1)
        let r = (1 + 1 / m) * variance
        let dbar = d.reduce(0, +) / m
        let statistic = max(0, (dbar / k - (m + 1) / (m - 1) * r) / (1 + r))
        if r <= 0 {
            guard let chi = try? ChiSquaredDistribution(degreesOfFreedom: k) else { return nil }
            return .init(kind: .pooledD2, statistic: statistic, degreesOfFreedom: q, residualDegreesOfFreedom: .infinity,
                         pValue: chi.survival(statistic * k))
        }
        let df2 = pow(k, -3 / m) * (m - 1) * (1 + 1 / r) * (1 + 1 / r)
        guard df2.isFinite, df2 > 0, let f = try? FDistribution(numeratorDegreesOfFreedom: k, denominatorDegreesOfFreedom: df2) else { return nil }
        return .init(kind: .pooledD2, statistic: statistic, degreesOfFreedom: q, residualDegreesOfFreedom: df2, pValue: f.survival(statistic))
    }
}
