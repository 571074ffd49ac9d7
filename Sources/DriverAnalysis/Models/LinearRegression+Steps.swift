import Foundation
import LinearAlgebra

extension LinearRegression {
    /// The rows of positive weight (all when unweighted) and the least-squares solution on them:
    /// `QRLeastSquares` of `√w·y` on the caller's own columns scaled by `√w` (no n × p copy; only
    /// rows of zero weight are left out). Returns the solution, the design, the rows used, their
    /// outcome, weights and square-root weights.
    ///
    /// - Throws: ``ModelError`` for `n ≤` parameters, a constant outcome, or every driver aliased.
    static func solveOnUsedRows(outcome: [Double], drivers: [[Double]], names: [String], weights: [Double]?, options: LinearModelOptions) throws
        -> (fit: LeastSquaresSolution, x: ColumnDesign, used: [Int], y: [Double], w: [Double]?, root: [Double]?) {
        let all = outcome.count
        let used = weights.map { w in (0..<all).filter { w[$0] > 0 } } ?? Array(0..<all)
        let n = used.count
        let p = drivers.count + (options.intercept ? 1 : 0)
        guard n > p else { throw ModelError.tooFewObservations(observations: n, parameters: p) }
        let y = n == all ? outcome : used.map { outcome[$0] }
        if y.allSatisfy({ $0 == y[0] }) { throw ModelError.constantOutcome(value: y[0]) }
        let w = weights.map { w in n == all ? w : used.map { w[$0] } }
        let root = w?.map { $0.squareRoot() }
        // The design is the caller's own columns (no n × p copy); only rows of zero weight are left out.
        let x = ColumnDesign(columns: n == all ? drivers : drivers.map { column in used.map { column[$0] } },
                             intercept: options.intercept, rowScale: root)
        let yw = root.map { r in zip(r, y).map { $0 * $1 } } ?? y
        let fit = try QRLeastSquares.solve(x, yw)
        if fit.rank == (options.intercept ? 1 : 0) || fit.rank == 0 {
            throw ModelError.allDriversAliased(drivers: names)
        }
        return (fit, x, used, y, w, root)
    }

    /// The coefficient covariance `options` asks for: classical `σ̂²(XᵀX)⁻¹`, or a sandwich
    /// (HC0 for sampling weights asked to be classical), times n/(n − 1) with sampling weights.
    static func estimateCovariance(_ fit: LeastSquaresSolution, x: ColumnDesign, terms p: Int, n: Int, sigma2: Double,
                                   options: LinearModelOptions) throws -> Matrix {
        var cov = fit.unscaledCovariance
        switch options.weighting == .sampling && options.covariance == .classical ? .hc0 : options.covariance {
        case .classical:
            cov.withUnsafeMutableBufferPointer { c in for k in c.indices { c[k] *= sigma2 } }
        case .hc0, .hc1, .hc2, .hc3:
            let type = options.weighting == .sampling && options.covariance == .classical ? CovarianceType.hc0 : options.covariance
            cov = try sandwich(x: x, residuals: fit.residuals, bread: fit.unscaledCovariance,
                               retained: (0..<p).filter { !fit.aliasedColumns.contains($0) }, type: type, rank: fit.rank)
            if options.weighting == .sampling {
                let factor = Double(n) / Double(n - 1)
                cov.withUnsafeMutableBufferPointer { c in for k in c.indices { c[k] *= factor } }
            }
        }
        return cov
    }

    /// One row per term: `t = β̂/SE` on `dof` degrees of freedom, its two-sided p-value and
    /// interval (`NaN` without residual degrees of freedom); aliased terms (`NaN` estimates) marked.
    static func tCoefficients(names: [String], estimates: [Double], covariance cov: Matrix, dof: Double,
                              confidenceLevel: Double) throws -> [Coefficient] {
        let t = dof > 0 ? try StudentTDistribution(degreesOfFreedom: dof) : nil
        let critical = t?.quantile(0.5 + confidenceLevel / 2) ?? .nan
        return (0..<names.count).map { j in
            let estimate = estimates[j]
            if estimate.isNaN {
                return Coefficient(name: names[j], estimate: .nan, standardError: .nan, statistic: .nan, pValue: .nan,
                                   confidenceInterval: ClosedInterval(lower: .nan, upper: .nan), isAliased: true)
            }
            let se = cov[j, j].squareRoot()
            let statistic = estimate / se
            let pValue = t.map { 2 * $0.survival(abs(statistic)) } ?? .nan
            return Coefficient(name: names[j], estimate: estimate, standardError: se, statistic: statistic, pValue: pValue,
                               confidenceInterval: ClosedInterval(lower: estimate - critical * se, upper: estimate + critical * se),
                               isAliased: false)
        }
    }

    /// The total sum of squares: centred at the weighted mean with an intercept, uncentred without.
    static func totalSumOfSquares(_ y: [Double], weights w: [Double]?, intercept: Bool) -> Double {
        if intercept {
            return weightedMeanAndSquares(y, used: nil, weights: w).1
        }
        return y.indices.reduce(0.0) { $0 + (w?[$1] ?? 1) * y[$1] * y[$1] }
    }

    /// The overall F test `(R²/modelDF) / ((1 − R²)/dof)` and its p-value; `NaN` for both
    /// without model or residual degrees of freedom.
    static func overallFTest(rSquared r2: Double, modelDF: Double, dof: Double) throws -> (Double, Double) {
        guard modelDF > 0, dof > 0 else { return (.nan, .nan) }
        let f = (r2 / modelDF) / ((1 - r2) / dof)
        return (f, try FDistribution(numeratorDegreesOfFreedom: modelDF, denominatorDegreesOfFreedom: dof).survival(f))
    }

    /// The Gaussian log-likelihood at the fit (R's `logLik.lm`; frequency weights count rows).
    static func gaussianLogLikelihood(rss: Double, n: Int, weights w: [Double]?, weightTotal: Double, weighting: Weighting) -> Double {
        if weighting == .frequency {
            return -0.5 * weightTotal * (log(2 * Double.pi) + 1 + log(rss / weightTotal))
        }
        let sumLogW = w?.reduce(0) { $0 + log($1) } ?? 0
        return 0.5 * (sumLogW - Double(n) * (log(2 * Double.pi) + 1 - log(Double(n)) + log(rss)))
    }

    /// Fitted values and residuals on the original scale, for every observation given: from
    /// the solver's residuals (`r̃ = √w·r`) for the rows used, by prediction for zero-weight rows.
    static func fittedAndResiduals(_ fit: LeastSquaresSolution, outcome: [Double], drivers: [[Double]], used: [Int],
                                   rowScale root: [Double]?, intercept: Bool) -> ([Double], [Double]) {
        let all = outcome.count
        var fitted = [Double](repeating: 0, count: all)
        var modelResiduals = [Double](repeating: 0, count: all)
        for (k, i) in used.enumerated() {
            let r = root.map { fit.residuals[k] / $0[k] } ?? fit.residuals[k]
            modelResiduals[i] = r
            fitted[i] = outcome[i] - r
        }
        if used.count < all {
            let offset = intercept ? 1 : 0
            let beta = fit.coefficients.map { $0.isNaN ? 0 : $0 }
            let usedSet = Set(used)
            for i in 0..<all where !usedSet.contains(i) {
                var value = intercept ? beta[0] : 0
                for (j, column) in drivers.enumerated() { value += beta[j + offset] * column[i] }
                fitted[i] = value
                modelResiduals[i] = outcome[i] - value
            }
        }
        return (fitted, modelResiduals)
    }

    /// Standardized coefficients `βⱼ·sⱼ/s_y` and variance inflation factors (`NaN` without an
    /// intercept), from each driver's centred sum of squares over the `used` rows (all when nil).
    static func standardizedAndVIF(_ fit: LeastSquaresSolution, drivers: [[Double]], used: [Int]?, weights w: [Double]?,
                                   weightTotal: Double, totalSquares tss: Double, intercept: Bool) -> ([Double], [Double]) {
        let sdY = (tss / weightTotal).squareRoot()
        var standardized: [Double] = [], vif: [Double] = []
        let offset = intercept ? 1 : 0
        // Each driver's centred sum of squares, drivers in parallel.
        let squares = Parallel.map(drivers.count) { j in
            weightedMeanAndSquares(drivers[j], used: used, weights: w).1
        }
        for j in drivers.indices {
            let ss = squares[j]
            standardized.append(fit.coefficients[j + offset] * (ss / weightTotal).squareRoot() / sdY)
            vif.append(intercept ? fit.unscaledCovariance[j + offset, j + offset] * ss : .nan)
        }
        return (standardized, vif)
    }
}
