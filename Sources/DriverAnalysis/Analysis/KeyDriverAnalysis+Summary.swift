import Foundation
import LinearAlgebra

extension KeyDriverAnalysis {
    /// The analysis from summary statistics computed elsewhere (`kda sql` in a warehouse):
    /// a linear model with inference from the cross-products, correlations, and every
    /// correlation-based importance measure. Weighted moments use the frequency convention.
    ///
    /// - Parameters:
    ///   - moments: the means, cross-products and observation count of the drivers and the outcome (weighted or
    ///     not).
    ///   - configuration: the analysis options; its outcome and drivers name variables of `moments`.
    public static func analyze(moments: Moments, _ configuration: AnalysisConfiguration) throws -> DriverReport {
        let sds = moments.standardDeviations()
        let n = moments.weightSum.rounded()
        guard n.isFinite, n >= 0, n < 1e15 else {
            throw SurveyDataError.invalidMoments(reason: "the number of observations (weight sum \(moments.weightSum)) must be a finite count below 10^15")
        }
        return try analyze(input: ImportanceInput(moments: moments, outcome: configuration.outcome),
                           observations: Int(n),
                           means: Dictionary(zip(moments.names, moments.means), uniquingKeysWith: { first, _ in first }),
                           standardDeviations: Dictionary(zip(moments.names, sds), uniquingKeysWith: { first, _ in first }), configuration)
    }

    /// The analysis from a correlation (or covariance) matrix and the number of respondents
    /// behind it (relaimpo's `covg`, dominanceanalysis' `lmWithCov`). Coefficients are standardized.
    ///
    /// - Parameters:
    ///   - correlation: the correlation (or covariance) matrix of the drivers and the outcome, symmetric, in
    ///     the order of `names`.
    ///   - names: the variables of `correlation`, one per row, the outcome among them.
    ///   - observations: the number of respondents behind the matrix, for the model's inference; at most 2⁵³.
    ///   - configuration: the analysis options; its outcome and drivers are among `names`.
    /// - Throws: ``SurveyDataError/invalidMoments(reason:)`` for a number of respondents beyond
    ///   2⁵³ (not a count a survey has), and what ``ImportanceInput/init(correlation:names:outcome:)``
    ///   and the analysis throw.
    public static func analyze(correlation: Matrix, names: [String], observations: Int, _ configuration: AnalysisConfiguration) throws -> DriverReport {
        guard observations < 1 << 53 else {
            throw SurveyDataError.invalidMoments(reason: "\(observations) respondents: the number of observations must be a count below 2^53")
        }
        return try analyze(input: ImportanceInput(correlation: correlation, names: names, outcome: configuration.outcome),
                    observations: observations, means: nil, standardDeviations: nil, configuration)
    }

    static func analyze(input: ImportanceInput, observations n: Int, means: [String: Double]?, standardDeviations: [String: Double]?,
                        _ c: AnalysisConfiguration) throws -> DriverReport {
        try c.validate()
        let names = try summaryDrivers(input, c)
        let index = names.map { input.names.firstIndex(of: $0)! }
        let sub = input.subset(index)
        let p = names.count
        guard n > p + 1 else { throw ModelError.tooFewObservations(observations: n, parameters: p + 1) }
        var warnings: [DriverReport.Warning] = [.init(.summaryInput, "computed from summary statistics: no row-level diagnostics, bootstrap or what-if")]
        let classic = try ClassicImportance(sub)
        let r2 = classic.rSquared
        let dof = Double(n - p - 1)
        let t = try StudentTDistribution(degreesOfFreedom: dof)
        let inverse = try sub.driverCorrelation.symmetricPositiveDefiniteInverse()
        let critical = t.quantile(0.5 + c.confidenceLevel / 2)
        var rows = try summaryRows(sub, names: names, classic: classic, inverse: inverse, dof: dof, t: t, critical: critical,
                                   observations: n, means: means, standardDeviations: standardDeviations, outcome: c.outcome)
        // VIF = the diagonal of the drivers' inverse correlation (one column each).
        if let inflation = try? VarianceInflation.generalized(covariance: inverse, terms: (0..<p).map { [$0] }) {
            ModelStage.attach(inflation, to: &rows)
            warnings += ModelStage.collinearityWarnings(rows)
        }
        let (rankingShares, estimation) = try summaryImportance(sub, c, rows: &rows, warnings: &warnings)
        let ranks = rankingShares.map(Self.ranks)
        for j in 0..<p { rows[j].rank = ranks?[j] }
        summaryPriority(&rows, names: names, means: means, shares: rankingShares)
        var dominance: DriverReport.DominanceSummary? = nil
        if c.methods.contains(.dominance), p <= DominanceAnalysis.exactLimit {
            let analysis = try DominanceAnalysis(sub)
            dominance = .init(fit: "r2", conditional: analysis.conditional, complete: analysis.complete)
        }
        let (holm, bh) = Multiplicity.adjust(rows.map { $0.coefficient!.pValue })
        for j in 0..<p { rows[j].pValueHolm = holm[j]; rows[j].pValueBH = bh[j] }
        let summary = try summaryModel(observations: n, r2: r2, dof: dof, modelDF: Double(p),
                                       intercept: Self.intercept(rows: rows, names: names, inverse: inverse, r2: r2, dof: dof, n: n, t: t,
                                                                 critical: critical, outcome: c.outcome, means: means,
                                                                 standardDeviations: standardDeviations))
        if c.margin != nil || c.bootstrap > 0 || c.segment != nil || c.nps != nil {
            warnings.append(.init(.notComputed, "what-if, bootstrap, segments and NPS need row-level data; they are left out"))
        }
        warnings += ActionRoles.apply(to: &rows, configuration: c)
        var report = DriverReport(outcome: c.outcome, model: summary, drivers: rows, nps: nil, value: nil, dominance: dominance,
                                  segments: [], warnings: warnings, actionOrder: actionOrder(rows, names: names, ranks: ranks),
                                  orderBasis: .importance)
        report.shapleyEstimation = estimation
        return report
    }

    /// The intercept `b₀ = ȳ − Σ b_j x̄_j` with its classical standard error
    /// `Var(b₀) = σ²/n + x̄ᵀ Cov(b) x̄`, `Cov(b) = σ² D⁻¹R⁻¹D⁻¹/(n − 1)` (`R` the drivers'
    /// correlations, `D` their standard deviations, `σ² = (1 − R²)(n − 1)s_y²/(n − p − 1)`);
    /// `nil` without means and standard deviations (a correlation matrix as input).
    static func intercept(rows: [DriverReport.DriverRow], names: [String], inverse: Matrix, r2: Double, dof: Double, n: Int,
                          t: StudentTDistribution, critical: Double, outcome: String, means: [String: Double]?,
                          standardDeviations: [String: Double]?) -> Coefficient? {
        guard let means, let sds = standardDeviations, let meanY = means[outcome], let sdY = sds[outcome] else { return nil }
        let p = names.count
        let xbar = names.map { means[$0] ?? .nan }, sd = names.map { sds[$0] ?? .nan }
        let b = rows.map { $0.coefficient?.estimate ?? .nan }
        guard (xbar + sd + b).allSatisfy(\.isFinite), sd.allSatisfy({ $0 > 0 }) else { return nil }
        let estimate = meanY - zip(b, xbar).reduce(0) { $0 + $1.0 * $1.1 }
        let sigma2 = (1 - r2) * Double(n - 1) * sdY * sdY / dof
        var quadratic = 0.0
        for j in 0..<p { for k in 0..<p { quadratic += xbar[j] / sd[j] * inverse[j, k] * xbar[k] / sd[k] } }
        let se = (sigma2 * (1 / Double(n) + quadratic / Double(n - 1))).squareRoot()
        let statistic = estimate / se
        return Coefficient(name: "(Intercept)", estimate: estimate, standardError: se, statistic: statistic,
                           pValue: 2 * t.survival(abs(statistic)),
                           confidenceInterval: ClosedInterval(lower: estimate - critical * se, upper: estimate + critical * se), isAliased: false)
    }
}
