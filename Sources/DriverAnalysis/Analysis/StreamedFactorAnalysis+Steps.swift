import Foundation
import LinearAlgebra

extension StreamedFactorAnalysis {
    /// The linear model of the design's terms fitted from their moments: aliased terms found,
    /// the rest fitted, each term's coefficient on the data's scale.
    struct TermModel {
        let input: ImportanceInput
        /// Observations: the moments' weight sum, rounded.
        let n: Int
        /// Terms in the span of earlier ones, fitted without.
        let aliased: [Int]
        /// The other terms, in order.
        let estimable: [Int]
        /// Classic measures of the estimable terms.
        let classic: ClassicImportance
        let r2: Double
        let dof: Double
        let t: StudentTDistribution
        let critical: Double
        /// The inverse of the estimable terms' correlations.
        let inverse: Matrix
        let sd: [String: Double]
        let mean: [String: Double]
        /// Per term: its coefficient on the data's scale (NaN and aliased for an aliased term).
        let termRows: [DriverReport.DriverRow]

        /// Fits the terms of `moments` to `c`'s outcome.
        init(moments: Moments, configuration c: AnalysisConfiguration) throws {
            let input = try ImportanceInput(moments: moments, outcome: c.outcome)
            self.input = input
            n = Int(moments.weightSum.rounded())
            // Terms in the span of earlier ones (a "No internet service" dummy shared by several
            // factors) are aliased, as R's `lm` reports NA: the model is fitted without them.
            let aliased = StreamedFactorAnalysis.aliasedTerms(input)
            self.aliased = aliased
            estimable = (0..<input.driverCount).filter { !aliased.contains($0) }
            let fitted = input.subset(estimable)
            guard n > estimable.count + 1 else { throw ModelError.tooFewObservations(observations: n, parameters: estimable.count + 1) }
            classic = try ClassicImportance(fitted)
            r2 = classic.rSquared
            dof = Double(n - estimable.count - 1)
            t = try StudentTDistribution(degreesOfFreedom: dof)
            critical = t.quantile(0.5 + c.confidenceLevel / 2)
            inverse = try fitted.driverCorrelation.symmetricPositiveDefiniteInverse()
            let sds = moments.standardDeviations()
            sd = Dictionary(zip(moments.names, sds), uniquingKeysWith: { first, _ in first })
            mean = Dictionary(zip(moments.names, moments.means), uniquingKeysWith: { first, _ in first })
            var termRows = input.names.map { DriverReport.DriverRow(name: $0) }
            for k in aliased {
                termRows[k].coefficient = Coefficient(name: input.names[k], estimate: .nan, standardError: .nan, statistic: .nan, pValue: .nan,
                                                      confidenceInterval: ClosedInterval(lower: .nan, upper: .nan), isAliased: true)
            }
            for (e, k) in estimable.enumerated() {
                let beta = classic.standardizedCoefficients[e]
                let scale = (sd[c.outcome] ?? 1) / (sd[input.names[k]] ?? 1)
                termRows[k].coefficient = KeyDriverAnalysis.summaryCoefficient(name: input.names[k], beta: beta, inverseDiagonal: inverse[e, e],
                                                                               r2: r2, dof: dof, scale: scale, t: t, critical: critical)
                termRows[k].standardizedBeta = beta
            }
            self.termRows = termRows
        }

        /// The model summary: R², adjusted R², the F test on the estimable terms and the intercept.
        func summary(outcome: String) throws -> DriverReport.ModelSummary {
            try KeyDriverAnalysis.summaryModel(
                observations: n, r2: r2, dof: dof, modelDF: Double(estimable.count),
                intercept: KeyDriverAnalysis.intercept(rows: estimable.map { termRows[$0] }, names: estimable.map { input.names[$0] },
                                                       inverse: inverse, r2: r2, dof: dof, n: n, t: t,
                                                       critical: critical, outcome: outcome, means: mean, standardDeviations: sd))
        }
    }

    /// One row per driver: a factor's levels with their coefficients, its Pratt measure and the
    /// R² of its terms alone (first) and beyond the others (last); a single-term driver's
    /// coefficient, mean, Pearson correlation and classic measures.
    static func driverRows(_ design: StreamedDesign, model: TermModel, ranges: [Range<Int>], pratt: [Double]) throws -> [DriverReport.DriverRow] {
        let input = model.input, terms = input.driverCount
        let position = Dictionary(model.estimable.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var rows = design.drivers.map { DriverReport.DriverRow(name: $0.variable.name) }
        for (j, driver) in design.drivers.enumerated() {
            let range = ranges[j]
            if driver.variable.kind == .factor {
                rows[j].reference = driver.levels.first?.level
                rows[j].levels = driver.levels.map { .init(level: $0.level, count: $0.count) }
                for (l, k) in range.enumerated() where l + 1 < rows[j].levels.count { rows[j].levels[l + 1].coefficient = model.termRows[k].coefficient }
                rows[j].importance.pratt = range.reduce(0) { $0 + pratt[$1] }
                let others = (0..<terms).filter { !range.contains($0) }
                rows[j].importance.first = try input.subset(Array(range)).rSquaredBySolve()
                rows[j].importance.last = model.r2 - (others.isEmpty ? 0 : try input.subset(others).rSquaredBySolve())
            } else if let k = range.first {
                let r = input.outcomeCorrelation[k]
                rows[j].coefficient = model.termRows[k].coefficient
                rows[j].standardizedBeta = model.termRows[k].standardizedBeta
                rows[j].mean = model.mean[input.names[k]]
                rows[j].standardDeviation = model.sd[input.names[k]]
                rows[j].pearson = r
                rows[j].pearsonPValue = try KeyDriverAnalysis.pearsonPValue(r, observations: model.n)
                rows[j].importance.pratt = pratt[k]
                rows[j].importance.first = r * r
                if let e = position[k] {
                    rows[j].importance.last = model.classic.last[e]
                    rows[j].importance.betaSquared = model.classic.betaSquared[e]
                    rows[j].suppressor = model.classic.standardizedCoefficients[e] * r < 0 || model.classic.pratt[e] < 0
                }
            }
        }
        return rows
    }

    /// Attaches the (G)VIFs from the terms' correlation — its inverse is proportional to the
    /// covariance of the standardized estimates, and the Fox–Monette ratio does not see the
    /// scale — and returns the collinearity notes (none when they cannot be computed).
    static func attachInflation(to rows: inout [DriverReport.DriverRow], model: TermModel, ranges: [Range<Int>]) -> [DriverReport.Warning] {
        let terms = model.input.driverCount
        var covariance = Matrix(uncheckedRows: terms, columns: terms, repeating: .nan)
        for (a, ka) in model.estimable.enumerated() { for (b, kb) in model.estimable.enumerated() { covariance[ka, kb] = model.inverse[a, b] } }
        guard let inflation = try? VarianceInflation.generalized(covariance: covariance, terms: ranges.map { Array($0) }) else { return [] }
        ModelStage.attach(inflation, to: &rows)
        return ModelStage.collinearityWarnings(rows)
    }

    /// Removes Pratt, first, last and β² (computed on the way, not asked for).
    static func clearClassicMeasures(_ rows: inout [DriverReport.DriverRow]) {
        for j in rows.indices {
            rows[j].importance.pratt = nil
            rows[j].importance.first = nil
            rows[j].importance.last = nil
            rows[j].importance.betaSquared = nil
        }
    }
}
