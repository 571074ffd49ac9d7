import Foundation
import LinearAlgebra

extension KeyDriverAnalysis {
    /// The drivers of a summary-statistics analysis: those `c` names (checked against the
    /// roles and the input's columns), else every driver of the input.
    static func summaryDrivers(_ input: ImportanceInput, _ c: AnalysisConfiguration) throws -> [String] {
        guard let wanted = c.drivers else { return input.names }
        try DriverSelection.checkRoles(drivers: wanted, configuration: c)
        for name in wanted where !input.names.contains(name) {
            throw SurveyDataError.unknownColumn(name: name, suggestions: ColumnNameSuggestions.nearest(to: name, in: input.names))
        }
        return wanted
    }

    /// One row per driver from the correlations: coefficient (on the data's scale when the
    /// standard deviations are known), Pearson correlation and its p-value, Pratt, first, last,
    /// β² and the suppressor flag.
    static func summaryRows(_ sub: ImportanceInput, names: [String], classic: ClassicImportance, inverse: Matrix, dof: Double,
                            t: StudentTDistribution, critical: Double, observations n: Int, means: [String: Double]?,
                            standardDeviations: [String: Double]?, outcome: String) throws -> [DriverReport.DriverRow] {
        let r2 = classic.rSquared
        let sdY = standardDeviations?[outcome]
        var rows = names.map { DriverReport.DriverRow(name: $0) }
        for j in 0..<names.count {
            let beta = classic.standardizedCoefficients[j]
            let scale = (sdY != nil && standardDeviations?[names[j]] != nil) ? sdY! / standardDeviations![names[j]]! : 1
            rows[j].coefficient = summaryCoefficient(name: names[j], beta: beta, inverseDiagonal: inverse[j, j], r2: r2, dof: dof,
                                                     scale: scale, t: t, critical: critical)
            rows[j].standardizedBeta = beta
            rows[j].mean = means?[names[j]]
            rows[j].standardDeviation = standardDeviations?[names[j]]
            let r = sub.outcomeCorrelation[j]
            rows[j].pearson = r
            rows[j].pearsonPValue = try pearsonPValue(r, observations: n)
            rows[j].importance.pratt = classic.pratt[j]
            rows[j].importance.first = classic.first[j]
            rows[j].importance.last = classic.last[j]
            rows[j].importance.betaSquared = classic.betaSquared[j]
            rows[j].suppressor = beta * r < 0 || classic.pratt[j] < 0
        }
        return rows
    }

    /// A coefficient from its standardized estimate `beta`: the standard error
    /// `√((1 − R²)/dof · [R⁻¹]ⱼⱼ)`, both rescaled by `scale` (`s_y/s_x`), with its t test and interval.
    static func summaryCoefficient(name: String, beta: Double, inverseDiagonal: Double, r2: Double, dof: Double, scale: Double,
                                   t: StudentTDistribution, critical: Double) -> Coefficient {
        let seStd = ((1 - r2) / dof * inverseDiagonal).squareRoot()
        let estimate = beta * scale, se = seStd * scale, statistic = beta / seStd
        return Coefficient(name: name, estimate: estimate, standardError: se, statistic: statistic,
                           pValue: 2 * t.survival(abs(statistic)),
                           confidenceInterval: ClosedInterval(lower: estimate - critical * se, upper: estimate + critical * se),
                           isAliased: false)
    }

    /// The two-sided p-value of a Pearson correlation `r` on `n` observations (t on n − 2 degrees of freedom).
    static func pearsonPValue(_ r: Double, observations n: Int) throws -> Double {
        let tr = r * (Double(n - 2) / ((1 - r) * (1 + r))).squareRoot()
        return 2 * (try StudentTDistribution(degreesOfFreedom: Double(n - 2))).survival(abs(tr))
    }

    /// Relative weights and Shapley values, only those asked for (exact Shapley at 30 drivers
    /// walks 2^30 subsets); returns the ranking shares — Shapley's, else the relative weights',
    /// as in the row-level analysis — and how Shapley was estimated.
    static func summaryImportance(_ sub: ImportanceInput, _ c: AnalysisConfiguration, rows: inout [DriverReport.DriverRow],
                                  warnings: inout [DriverReport.Warning])
        throws -> (shares: [Double]?, estimation: DriverReport.ShapleyEstimation?) {
        let p = rows.count
        var rankingShares: [Double]? = nil
        var estimation: DriverReport.ShapleyEstimation? = nil
        if c.methods.contains(.relativeWeights) {
            let weights = try RelativeWeights(sub)
            for j in 0..<p {
                rows[j].importance.relativeWeight = weights.weights[j]
                rows[j].importance.relativeWeightShare = weights.shares[j]
            }
            rankingShares = weights.shares
        }
        if c.methods.contains(.shapley) {
            let shapley = try ShapleyEstimate(sub, allowSampling: true, seed: c.seed)
            let total = shapley.values.reduce(0, +)
            for j in 0..<p {
                rows[j].importance.shapley = shapley.values[j]
                rows[j].importance.shapleyShare = shapley.values[j] / total
            }
            rankingShares = shapley.values.map { $0 / total }
            if case let .sampled(sampled) = shapley {
                for j in 0..<p { rows[j].importance.shapleyStandardError = sampled.standardErrors[j] }
                estimation = .init(method: .sampled, permutations: 2 * sampled.pairs)
                warnings.append(ImportanceStage.sampledShapleyWarning(drivers: p))
            } else {
                estimation = .init(method: .exact)
            }
        }
        return (rankingShares, estimation)
    }

    /// Performance from the means when every driver has one, and the quadrant against the mean
    /// share and mean performance.
    static func summaryPriority(_ rows: inout [DriverReport.DriverRow], names: [String], means: [String: Double]?, shares: [Double]?) {
        guard let means, let shares else { return }
        let p = names.count
        let perf = names.map { means[$0] ?? .nan }
        guard perf.allSatisfy(\.isFinite) else { return }
        let ti = shares.reduce(0, +) / Double(p), tp = perf.reduce(0, +) / Double(p)
        for j in 0..<p {
            rows[j].performance = perf[j]
            let high = shares[j] >= ti, good = perf[j] >= tp
            rows[j].quadrant = high ? (good ? .keepUp : .fixFirst) : (good ? .possibleOverkill : .niceToHave)
        }
    }

    /// The linear model's summary from its R²: adjusted R², the overall F test on `modelDF` and
    /// `dof` degrees of freedom, and the intercept.
    static func summaryModel(observations n: Int, r2: Double, dof: Double, modelDF: Double,
                             intercept: Coefficient?) throws -> DriverReport.ModelSummary {
        let f = (r2 / modelDF) / ((1 - r2) / dof)
        return DriverReport.ModelSummary(
            kind: .linear, observationCount: n, rSquared: r2, adjustedRSquared: 1 - (1 - r2) * Double(n - 1) / dof, fStatistic: f,
            fPValue: try FDistribution(numeratorDegreesOfFreedom: modelDF, denominatorDegreesOfFreedom: dof).survival(f),
            intercept: intercept)
    }

    /// The drivers to act on (attributes left out), by rank when ranked, else in their order.
    static func actionOrder(_ rows: [DriverReport.DriverRow], names: [String], ranks: [Int]?) -> [String] {
        let actions = rows.indices.filter { rows[$0].role != .attribute }
        return ranks.map { ranks in actions.sorted { ranks[$0] < ranks[$1] }.map { names[$0] } } ?? actions.map { names[$0] }
    }
}
