import Foundation

extension DriverReport {
    /// A joint test that all of a factor's level coefficients are zero: the factor matters.
    public struct JointTest: Sendable, Equatable {
        /// `F` (linear models) or likelihood-ratio `χ²` (logistic and ordinal models).
        public enum Kind: String, Sendable, Codable {
            /// `F = [(RSS₀ − RSS)/q] / [RSS/df]` on `q` and `df` degrees of freedom.
            case f = "F"
            /// `LR = 2(ℓ − ℓ₀)` on `q` degrees of freedom.
            case likelihoodRatio = "LR"
        }
        /// Which test.
        public var kind: Kind
        /// The statistic.
        public var statistic: Double
        /// Numerator degrees of freedom: the factor's estimable terms.
        public var degreesOfFreedom: Int
        /// Denominator degrees of freedom (F only).
        public var residualDegreesOfFreedom: Double?
        /// The p-value.
        public var pValue: Double
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
