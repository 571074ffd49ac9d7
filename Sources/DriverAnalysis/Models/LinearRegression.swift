import Foundation
import LinearAlgebra

/// Ordinary and weighted least-squares regression with full inference.
///
/// Model `y = Xβ + ε`, `Var(εᵢ) = σ²/wᵢ`. Coefficients come from `QRLeastSquares` on
/// `√w·X`, `√w·y` (rank-revealing QR, or refined semi-normal equations for large
/// well-conditioned designs); collinear terms are aliased — reported with `NaN`, like R's `NA`.
///
/// Conventions (those of R's `lm` / `summary.lm` / `logLik.lm`):
/// - `σ̂² = Σwᵢrᵢ²/ν`, `ν = n − rank` (``Weighting/precision``) or `Σw − rank` (``Weighting/frequency``);
/// - `R² = 1 − RSS/TSS`, TSS centred at the weighted mean with an intercept, uncentred without;
///   adjusted `R̄² = 1 − (1 − R²)(n − i)/ν` (`i` = 1 with an intercept);
/// - `F = (R²/(rank − i)) / ((1 − R²)/ν)`;
/// - `log L = ½[Σ log wᵢ − n(log 2π + 1 − log n + log RSS)]`; AIC `= −2 log L + 2(rank + 1)`
///   and BIC `= −2 log L + log(n)(rank + 1)` count σ as a parameter (R; statsmodels does not);
/// - robust covariances `(XᵀX)⁻¹ Xᵀ diag(ωᵢ) X (XᵀX)⁻¹` with `ωᵢ = rᵢ²` (HC0),
///   `·n/(n − k)` (HC1), `/(1 − hᵢ)` (HC2), `/(1 − hᵢ)²` (HC3) (MacKinnon & White 1985);
/// - standardized coefficients `βⱼ·sⱼ/s_y`; VIF `= 1/(1 − R²ⱼ)`; condition number `κ₂` of the
///   design with unit-length columns.
public struct LinearRegression: Sendable {
    /// How weights enter the variance.
    public enum Weighting: String, Sendable, Codable {
        /// Inverse-variance (analytic) weights, R `lm(weights =)`: residual df `n − rank`.
        case precision
        /// Each weight counts as that many identical observations: residual df `Σw − rank`.
        case frequency
        /// Sampling (survey) weights: design-based, linearization (sandwich) standard errors
        /// `n/(n−1) · (X'WX)⁻¹ Σ (wᵢeᵢ)² xᵢxᵢᵀ (X'WX)⁻¹` for a single-stage design, as R
        /// `survey::svyglm(design = svydesign(ids = ~1, weights = ~w))`; residual df `n − rank`.
        case sampling
    }

    /// Coefficient covariance estimator.
    public enum CovarianceType: String, Sendable, CaseIterable, Codable {
        /// `σ̂²(XᵀWX)⁻¹`, the model-based covariance of R `vcov(lm)`.
        case classical
        /// White's (1980) sandwich with `ωᵢ = rᵢ²` (R `sandwich::vcovHC(type = "HC0")`).
        case hc0
        /// HC0 scaled by `n/(n − k)` for degrees of freedom.
        case hc1
        /// `ωᵢ = rᵢ²/(1 − hᵢ)`, `hᵢ` the leverage.
        case hc2
        /// `ωᵢ = rᵢ²/(1 − hᵢ)²`, the jackknife-like estimator MacKinnon & White (1985) recommend
        /// for small samples.
        case hc3
    }

    /// The options the model was fitted with.
    public let options: LinearModelOptions
    /// Terms: `(Intercept)` (when fitted) then the drivers.
    public let coefficients: [Coefficient]
    /// Covariance of the estimates (`NaN` rows/columns for aliased terms).
    public let covariance: Matrix
    /// `(XᵀX)⁻¹` of an unweighted fit with an intercept and no aliased term (the design is the
    /// drivers' own columns), else `nil`: lets an auxiliary regression on the same drivers (the
    /// Breusch–Pagan test) skip its own `O(n·p²)` cross-product.
    let gramInverse: Matrix?
    /// `(XᵀWX)⁻¹` (`NaN` rows/columns for aliased terms): the model-based covariance up to `σ̂²`,
    /// whatever ``LinearModelOptions/covariance`` says — what the variance inflation factors read.
    let modelCovariance: Matrix
    /// Observations with non-zero weight.
    public let observationCount: Int
    /// Residual degrees of freedom `ν = n − rank`, or `Σw − rank` with ``Weighting/frequency`` weights.
    public let residualDegreesOfFreedom: Double
    /// Coefficient of determination `R² = 1 − RSS/TSS` (weighted; TSS centred at the weighted mean
    /// with an intercept, uncentred without).
    public let rSquared: Double
    /// Adjusted `R̄² = 1 − (1 − R²)(n − i)/ν`, `i` = 1 with an intercept, 0 without.
    public let adjustedRSquared: Double
    /// Overall F statistic `(R²/(rank − i)) / ((1 − R²)/ν)`; `NaN` when no driver remains or `ν = 0`.
    public let fStatistic: Double
    /// Upper-tail p-value of ``fStatistic`` on `(rank − i, ν)` degrees of freedom; `NaN` with it.
    public let fPValue: Double
    /// `σ̂ = √(RSS/ν)` (R's "Residual standard error").
    public let residualStandardError: Double
    /// Weighted residual sum of squares `RSS = Σ wᵢ rᵢ²`.
    public let residualSumOfSquares: Double
    /// Gaussian log-likelihood at the MLE of σ, as R `logLik.lm`:
    /// `½[Σ log wᵢ − n(log 2π + 1 − log n + log RSS)]` (frequency weights: `−½Σw(log 2π + 1 + log(RSS/Σw))`).
    public let logLikelihood: Double
    /// Akaike information criterion `−2 log L + 2(rank + 1)` (σ counted, as R).
    public let aic: Double
    /// Bayesian information criterion `−2 log L + log(n)(rank + 1)` (`n` is `Σw` for frequency weights).
    public let bic: Double
    /// Per driver (not the intercept): `βⱼ·sⱼ/s_y`.
    public let standardizedCoefficients: [Double]
    /// Per driver: variance inflation factor (`NaN` without an intercept or when aliased).
    public let varianceInflationFactors: [Double]
    /// 2-norm condition number of the column-equilibrated design (retained terms).
    public let conditionNumber: Double
    /// `y − ŷ` (unweighted), one per observation given.
    public let residuals: [Double]
    /// `ŷ = Xβ̂` on the original scale, one per observation given (zero-weight rows by prediction).
    public let fittedValues: [Double]
    /// How each term is computed from a survey's columns: numeric columns, and the dummies of the
    /// factors of a ``DriverDesign`` (their levels and reference), for `predict(_:)` on a ``SurveyData``.
    public internal(set) var termCoding: TermCoding
    /// Names of aliased terms.
    public var aliasedTerms: [String] { coefficients.filter(\.isAliased).map(\.name) }
    /// Names of the drivers in fitted order, without `(Intercept)`. O(p).
    public var driverNames: [String] { Array(coefficients.dropFirst(options.intercept ? 1 : 0).map(\.name)) }

    /// Fits the model on an ``AnalysisSample`` (its weights, if any, as precision weights unless
    /// `options` says otherwise).
    ///
    /// - Parameters:
    ///   - sample: the outcome, driver columns, names, optional weights and term coding to fit.
    ///   - options: intercept, covariance, interval level and weighting; R `lm`'s defaults.
    public init(_ sample: AnalysisSample, options: LinearModelOptions = .init()) throws {
        try self.init(outcome: sample.outcome, drivers: sample.drivers, names: sample.driverNames,
                      weights: sample.weights, options: options)
        if let coding = sample.termCoding { termCoding = coding }
    }

    /// Fits `outcome ~ drivers`.
    ///
    /// - Parameters:
    ///   - outcome: the response, one finite value per observation.
    ///   - drivers: the driver columns, one array per driver, each as long as `outcome`, finite.
    ///   - names: the drivers' names, one per column of `drivers`, unique; they become the term names.
    ///   - weights: one non-negative finite weight per observation (a zero weight drops its row); `nil`
    ///     (the default) for equal weights.
    ///   - options: intercept, covariance, interval level and weighting; R `lm`'s defaults.
    /// - Throws: ``ModelError`` for non-finite data, negative weights, a constant outcome,
    ///   `n ≤` parameters, or every driver aliased.
    /// Complexity: O(n·p²).
    public init(outcome: [Double], drivers: [[Double]], names: [String], weights: [Double]? = nil, options: LinearModelOptions = .init()) throws {
        try ModelInput.validate(outcome: outcome, drivers: drivers, names: names, weights: weights)
        self.options = options
        termCoding = .columns(names)
        let all = outcome.count
        let (fit, x, used, y, w, root) = try Self.solveOnUsedRows(outcome: outcome, drivers: drivers, names: names, weights: weights,
                                                                 options: options)
        let n = used.count
        let p = drivers.count + (options.intercept ? 1 : 0)
        let names = (options.intercept ? ["(Intercept)"] : []) + names

        // Degrees of freedom and variance.
        let weightTotal = w?.reduce(0, +) ?? Double(n)
        let dof = (options.weighting == .frequency ? weightTotal : Double(n)) - Double(fit.rank)
        let rss = fit.residualSumOfSquares
        let sigma2 = rss / dof
        residualDegreesOfFreedom = dof
        residualSumOfSquares = rss
        residualStandardError = sigma2.squareRoot()
        observationCount = n

        // Coefficient covariance.
        let cov = try Self.estimateCovariance(fit, x: x, terms: p, n: n, sigma2: sigma2, options: options)
        covariance = cov
        modelCovariance = fit.unscaledCovariance
        gramInverse = root == nil && n == all && options.intercept && fit.aliasedColumns.isEmpty ? fit.unscaledCovariance : nil

        // Coefficients with inference.
        coefficients = try Self.tCoefficients(names: names, estimates: fit.coefficients, covariance: cov, dof: dof,
                                              confidenceLevel: options.confidenceLevel)

        // Fit statistics.
        let tss = Self.totalSumOfSquares(y, weights: w, intercept: options.intercept)
        let r2 = 1 - rss / tss
        rSquared = r2
        let interceptDF = options.intercept ? 1.0 : 0
        let nEff = options.weighting == .frequency ? weightTotal : Double(n)
        adjustedRSquared = 1 - (1 - r2) * (nEff - interceptDF) / dof
        (fStatistic, fPValue) = try Self.overallFTest(rSquared: r2, modelDF: Double(fit.rank) - interceptDF, dof: dof)
        let k = Double(fit.rank + 1)
        logLikelihood = Self.gaussianLogLikelihood(rss: rss, n: n, weights: w, weightTotal: weightTotal, weighting: options.weighting)
        aic = -2 * logLikelihood + 2 * k
        bic = -2 * logLikelihood + log(nEff) * k

        (fittedValues, residuals) = Self.fittedAndResiduals(fit, outcome: outcome, drivers: drivers, used: used, rowScale: root,
                                                            intercept: options.intercept)

        // Standardized coefficients, VIF and condition number.
        (standardizedCoefficients, varianceInflationFactors) =
            Self.standardizedAndVIF(fit, drivers: drivers, used: n == all ? nil : used, weights: w, weightTotal: weightTotal,
                                    totalSquares: tss, intercept: options.intercept)
        conditionNumber = try Self.conditionNumber(x: x, unscaledCovariance: fit.unscaledCovariance,
                                                   retained: (0..<p).filter { !fit.aliasedColumns.contains($0) })
    }

    /// Weighted mean and centred sum of squares of `column[used]` (all rows when `used` is nil).
    static func weightedMeanAndSquares(_ column: [Double], used: [Int]?, weights: [Double]?) -> (Double, Double) {
        let values = used.map { u in u.map { column[$0] } } ?? column
        return values.withUnsafeBufferPointer { v in
            var total = 0.0, sum = 0.0
            if let weights {
                for i in 0..<v.count { total += weights[i]; sum += weights[i] * v[i] }
            } else {
                total = Double(v.count)
                for i in 0..<v.count { sum += v[i] }
            }
            let mean = sum / total
            var ss = 0.0
            if let weights {
                for i in 0..<v.count { let d = v[i] - mean; ss += weights[i] * d * d }
            } else {
                for i in 0..<v.count { let d = v[i] - mean; ss += d * d }
            }
            return (mean, ss)
        }
    }

    /// Predictions `Xβ` for new term values given column-wise, one array per term in
    /// ``driverNames`` order (aliased terms contribute 0, as R's `predict`); ``predict(rows:)``
    /// takes rows and `predict(_:)` a ``SurveyData``.
    ///
    /// - Parameter drivers: the term values column-wise: `drivers[j][i]` is term `j` (in ``driverNames``
    ///   order) of new observation `i`; all columns of one length.
    /// - Throws: ``ModelError/dimensionMismatch(_:)`` unless there is one column per term, all of
    ///   one length.
    /// Complexity: O(observations × terms).
    public func predict(columns drivers: [[Double]]) throws -> [Double] {
        try ModelInput.checkPredictionColumns(drivers, names: driverNames)
        let n = drivers.first?.count ?? 0
        let offset = options.intercept ? 1 : 0
        let beta = coefficients.map { $0.isAliased ? 0 : $0.estimate }
        return (0..<n).map { i in
            drivers.enumerated().reduce(options.intercept ? beta[0] : 0) { $0 + beta[$1.offset + offset] * $1.element[i] }
        }
    }

    /// Heteroscedasticity-consistent covariance (White 1980; MacKinnon & White 1985).
    static func sandwich(x: ColumnDesign, residuals: [Double], bread: Matrix, retained: [Int], type: CovarianceType, rank: Int) throws -> Matrix {
        let n = x.rows, p = x.columnCount
        var c = Matrix(uncheckedRows: retained.count, columns: retained.count)
        for (a, ja) in retained.enumerated() { for (b, jb) in retained.enumerated() { c[a, b] = bread[ja, jb] } }
        var omega = residuals.map { $0 * $0 }
        if type == .hc1 {
            let factor = Double(n) / Double(n - rank)
            omega = omega.map { $0 * factor }
        } else if type == .hc2 || type == .hc3 {
            let leverage = try x.quadraticForms(c, retained: retained)
            for i in 0..<n { omega[i] /= type == .hc2 ? (1 - leverage[i]) : (1 - leverage[i]) * (1 - leverage[i]) }
        }
        let scaled = x.selecting(retained).scalingRows(by: omega.map { $0.squareRoot() })
        let meat = try scaled.crossProduct()
        let inner = try c.multiplied(by: meat).multiplied(by: c)
        var full = Matrix(uncheckedRows: p, columns: p, repeating: .nan)
        for (a, ja) in retained.enumerated() { for (b, jb) in retained.enumerated() { full[ja, jb] = inner[a, b] } }
        return full
    }

    /// κ₂ of the design with unit-norm columns: `√(λmax/λmin)` of `D(XᵀX)⁻¹D`, `D` = column norms.
    static func conditionNumber(x: ColumnDesign, unscaledCovariance: Matrix, retained: [Int]) throws -> Double {
        let k = retained.count
        let norms = retained.map { x.columnNorm($0) }
        var m = Matrix(uncheckedRows: k, columns: k)
        for a in 0..<k { for b in 0..<k { m[a, b] = unscaledCovariance[retained[a], retained[b]] * norms[a] * norms[b] } }
        let values = try SymmetricEigen(m).values
        guard let low = values.first, let high = values.last, low > 0 else { return .infinity }
        return (high / low).squareRoot()
    }
}
