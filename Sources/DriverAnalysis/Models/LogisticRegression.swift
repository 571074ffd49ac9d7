import Foundation
import LinearAlgebra

/// Logistic regression for a 0/1 outcome (churn), by Newton–Raphson / IRLS with full inference.
///
/// `logit P(yᵢ = 1) = xᵢᵀβ`, prior weights `wᵢ`. Iteration (McCullagh & Nelder 1989, §4.4):
/// R `glm`'s start `μ⁰ = (wy + ½)/(w + 1)`, then Newton steps
/// `β ← β + (XᵀWX)⁻¹Xᵀw(y − μ)` with `W = w·μ(1 − μ)`, halving a step while the deviance rises.
/// Converged when `|D − D_prev|/(|D| + 0.1) < 10⁻⁸` (R's rule; Newton's quadratic convergence
/// puts the estimate within ~1e-10 of the MLE by then); at most 25 iterations, else a warning.
/// Each iteration is one pass over the sample's own columns — `η` by BLAS `daxpy` per column, the
/// score by `ddot`, the Hessian `XᵀWX` by register-tiled kernels on the columns in place, row
/// blocks on all cores summed in a fixed order — with no `n × k` copy of the design;
/// aliased (collinear) drivers are found by rank-revealing QR and reported like R's `NA`.
///
/// Inference: Wald `z`, normal p-values and intervals, odds ratios `eᵝ` with intervals.
/// Fit: log-likelihood, null log-likelihood, deviance, AIC `= −2ℓ + 2k`, BIC `= −2ℓ + k·log n`,
/// McFadden `1 − ℓ/ℓ₀`, Cox–Snell `1 − e^{2(ℓ₀−ℓ)/n}` and Nagelkerke (Cox–Snell divided by
/// `1 − e^{2ℓ₀/n}`), both via `expm1` so they do not underflow for large n; AUC by the
/// Mann–Whitney statistic with mid-ranks for ties, O(n) by a radix sort of the scores.
///
/// Separation (Albert & Anderson 1984) is detected before fitting — a driver whose values for
/// churners and non-churners do not overlap (complete) or touch only at one value
/// (quasi-complete) — and after it, when the linear predictor diverges; both throw
/// ``ModelError/separation(kind:drivers:)`` naming the drivers.
public struct LogisticRegression: Sendable {
    /// The options the model was fitted with.
    public let options: LogisticModelOptions
    /// One row per term, `(Intercept)` first when fitted: estimate `β̂`, Wald standard error
    /// `√[Cov]ⱼⱼ`, `z = β̂/SE`, two-sided normal p-value and interval `β̂ ± z₁₋α/₂·SE`. Aliased terms
    /// have `NaN` fields and `isAliased == true` (R's `NA`).
    public let coefficients: [Coefficient]
    /// `eᵝ` per term, with the interval `[e^lower, e^upper]`.
    public let oddsRatios: [Double]
    /// `[e^lower, e^upper]` of each coefficient's Wald interval, in the order of ``coefficients``
    /// (`NaN` for aliased terms).
    public let oddsRatioIntervals: [ClosedInterval]
    /// Covariance of the estimates, terms × terms: the inverse Hessian `(XᵀWX)⁻¹`, or the sandwich
    /// when `LogisticModelOptions.samplingWeights` is set. Rows and columns of aliased terms are `NaN`.
    public let covariance: Matrix
    /// The inverse Hessian `(XᵀWX)⁻¹` (`NaN` rows/columns for aliased terms) even when
    /// ``covariance`` is the sandwich: what the variance inflation factors read.
    let modelCovariance: Matrix
    /// Observations used `n`: rows with a positive weight (all rows when unweighted).
    public let observationCount: Int
    /// Maximised log-likelihood `ℓ = −D/2` of the fitted model (weighted).
    public let logLikelihood: Double
    /// Log-likelihood `ℓ₀` of the intercept-only model, `Σ wᵢ[yᵢ log p̄ + (1 − yᵢ) log(1 − p̄)]` with
    /// `p̄` the weighted churn rate (`p̄ = ½` without intercept).
    public let nullLogLikelihood: Double
    /// Residual deviance `D = −2ℓ`.
    public let deviance: Double
    /// Null deviance `D₀ = −2ℓ₀`.
    public let nullDeviance: Double
    /// Akaike information criterion `−2ℓ + 2k`, `k` the number of non-aliased terms.
    public let aic: Double
    /// Bayesian information criterion `−2ℓ + k·log n`.
    public let bic: Double
    /// McFadden's pseudo-R² `1 − ℓ/ℓ₀` (McFadden 1974), in [0, 1); the fit measure decomposed by
    /// ``LogisticDominance``.
    public let mcFaddenRSquared: Double
    /// Cox–Snell pseudo-R² `1 − e^{2(ℓ₀−ℓ)/n}`, computed with `expm1`; its maximum is below 1.
    public let coxSnellRSquared: Double
    /// Nagelkerke pseudo-R²: Cox–Snell divided by its maximum `1 − e^{2ℓ₀/n}` (Nagelkerke 1991), in [0, 1].
    public let nagelkerkeRSquared: Double
    /// Area under the ROC curve of the fitted probabilities.
    public let auc: Double
    /// Newton iterations performed, counting the start step.
    public let iterations: Int
    /// `true` when the relative deviance change fell below `LogisticModelOptions.tolerance` within
    /// `LogisticModelOptions.maximumIterations`; otherwise ``warnings`` says so.
    public let converged: Bool
    /// Fitted probabilities, one per observation given.
    public let fittedProbabilities: [Double]
    /// Some fitted probabilities are numerically 0 or 1 (|η| > 30): near-separation.
    public let nearSeparation: Bool

    /// How each term is computed from a survey's columns: numeric columns, and the dummies of the
    /// factors of a ``DriverDesign`` (their levels and reference), for `predict(_:)` on a ``SurveyData``.
    public internal(set) var termCoding: TermCoding
    /// Names of the terms dropped as collinear (their coefficients are `NaN`). O(p).
    public var aliasedTerms: [String] { coefficients.filter(\.isAliased).map(\.name) }
    /// Names of the drivers in fitted order, without `(Intercept)`. O(p).
    public var driverNames: [String] { Array(coefficients.dropFirst(options.intercept ? 1 : 0).map(\.name)) }

    /// Fits `logit P(outcome = 1) ~ drivers` on an analysis sample, using its weights.
    /// See ``init(outcome:drivers:names:weights:options:)`` for errors and complexity.
    ///
    /// - Parameters:
    ///   - sample: the 0/1 outcome, driver columns, names, optional weights and term coding to fit.
    ///   - options: intercept, interval level, iteration limit, tolerance and weight meaning; R `glm`'s
    ///     defaults.
    public init(_ sample: AnalysisSample, options: LogisticModelOptions = .init()) throws {
        try self.init(outcome: sample.outcome, drivers: sample.drivers, names: sample.driverNames, weights: sample.weights, options: options)
        if let coding = sample.termCoding { termCoding = coding }
    }

    /// Fits `logit P(outcome = 1) ~ drivers`.
    ///
    /// - Parameters:
    ///   - outcome: the event indicator, 0 or 1 for every observation, with both values present.
    ///   - drivers: the driver columns, one array per driver, each as long as `outcome`, finite.
    ///   - names: the drivers' names, one per column of `drivers`, unique; they become the term names.
    ///   - weights: one non-negative finite weight per observation (a zero weight drops its row); `nil`
    ///     (the default) for equal weights.
    ///   - options: intercept, interval level, iteration limit, tolerance and weight meaning; R `glm`'s
    ///     defaults.
    /// - Throws: ``ModelError`` for a non-binary or constant outcome, non-finite data, negative
    ///   weights, too few observations, every driver aliased, or separation.
    /// Complexity: O(n·p²) per iteration, typically 4–8 iterations.
    public init(outcome: [Double], drivers: [[Double]], names: [String], weights: [Double]? = nil, options: LogisticModelOptions = .init()) throws {
        try ModelInput.validate(outcome: outcome, drivers: drivers, names: names, weights: weights)
        if let bad = outcome.firstIndex(where: { $0 != 0 && $0 != 1 }) {
            throw ModelError.outcomeNotBinary(value: outcome[bad], observation: bad + 1)
        }
        self.options = options
        termCoding = .columns(names)
        let all = outcome.count
        let termNames = (options.intercept ? ["(Intercept)"] : []) + names
        let (used, y, w, columns) = try Self.usedRows(outcome: outcome, drivers: drivers, names: names, weights: weights,
                                                      parameters: termNames.count)
        let n = used.count

        let (fit, design, retained) = try Self.fitDroppingAliased(columns: columns, y: y, w: w, names: names,
                                                                  termCount: termNames.count, options: options)
        let k = retained.count
        nearSeparation = fit.maxAbsEta > 30
        if fit.maxAbsEta > 30 {
            try Self.checkFittedSeparation(fit, design: design, n: n, names: names, termNames: termNames,
                                           retained: retained, options: options)
        }

        // Inference.
        let normal = NormalDistribution.standard
        let critical = normal.quantile(0.5 + options.confidenceLevel / 2)
        let fitted = try Self.estimateCovariance(fit, design: design, y: y, w: w, n: n, options: options)
        let cov = Self.spread(fitted, over: retained, count: termNames.count)
        covariance = cov
        modelCovariance = Self.spread(fit.covariance, over: retained, count: termNames.count)
        var estimates = [Double](repeating: .nan, count: termNames.count)
        for (a, j) in retained.enumerated() { estimates[j] = fit.beta[a] }
        coefficients = Self.waldCoefficients(names: termNames, estimates: estimates, covariance: cov, critical: critical)
        oddsRatios = coefficients.map { exp($0.estimate) }
        oddsRatioIntervals = coefficients.map { ClosedInterval(lower: exp($0.confidenceInterval.lower), upper: exp($0.confidenceInterval.upper)) }

        // Fit statistics.
        observationCount = n
        iterations = fit.iterations
        converged = fit.converged
        let l1 = -fit.deviance / 2
        let l0 = Self.interceptOnlyLogLikelihood(y: y, w: w, intercept: options.intercept)
        logLikelihood = l1
        nullLogLikelihood = l0
        deviance = fit.deviance
        nullDeviance = -2 * l0
        aic = -2 * l1 + 2 * Double(k)
        bic = -2 * l1 + log(Double(n)) * Double(k)
        mcFaddenRSquared = 1 - l1 / l0
        let nn = Double(n)
        coxSnellRSquared = -expm1(2 * (l0 - l1) / nn)
        nagelkerkeRSquared = coxSnellRSquared / -expm1(2 * l0 / nn)

        fittedProbabilities = Self.probabilitiesForAllRows(eta: fit.eta, used: used, all: all, estimates: estimates,
                                                           drivers: drivers, intercept: options.intercept)
        auc = Self.areaUnderCurve(scores: fit.eta, labels: y, weights: weights == nil ? nil : w)   // η orders like μ
    }

    /// Predicted event probabilities `1/(1 + e^−xᵀβ)` for new term values given column-wise, one
    /// array per term in ``driverNames`` order (aliased terms contribute 0); the same as
    /// ``predict(columns:)``.
    ///
    /// - Parameter drivers: the term values column-wise: `drivers[j][i]` is term `j` (in ``driverNames``
    ///   order) of new observation `i`; all columns of one length.
    /// - Throws: ``ModelError/dimensionMismatch(_:)`` unless there is one column per term, all of
    ///   one length.
    /// Complexity: O(observations × terms).
    public func predictProbabilities(_ drivers: [[Double]]) throws -> [Double] {
        try ModelInput.checkPredictionColumns(drivers, names: driverNames)
        let n = drivers.first?.count ?? 0
        let offset = options.intercept ? 1 : 0
        let beta = coefficients.map { $0.isAliased ? 0 : $0.estimate }
        return (0..<n).map { i in
            let eta = drivers.enumerated().reduce(options.intercept ? beta[0] : 0) { $0 + beta[$1.offset + offset] * $1.element[i] }
            return 1 / (1 + exp(-eta))
        }
    }

    // MARK: Separation and AUC

    static func checkUnivariateSeparation(y: [Double], drivers: [[Double]], names: [String]) throws {
        var complete: [String] = [], quasi: [String] = []
        // Per driver, the range of its values among churners and among the others (row lists
        // built once; a branch on the label per cell would mispredict), drivers in parallel.
        let ones = y.indices.filter { y[$0] == 1 }, zeros = y.indices.filter { y[$0] != 1 }
        @Sendable func range(_ x: UnsafeBufferPointer<Double>, _ rows: [Int]) -> (Double, Double) {
            var low = Double.infinity, high = -Double.infinity
            for i in rows {
                let v = x[i]
                low = v < low ? v : low
                high = v > high ? v : high
            }
            return (low, high)
        }
        let ranges = Parallel.map(drivers.count) { j -> (min0: Double, max0: Double, min1: Double, max1: Double) in
            let ((min0, max0), (min1, max1)) = drivers[j].withUnsafeBufferPointer { (range($0, zeros), range($0, ones)) }
            return (min0, max0, min1, max1)
        }
        for (name, (min0, max0, min1, max1)) in zip(names, ranges) {
            if min0 == max0 && min1 == max1 && min0 == min1 { continue }   // constant driver: no information, no separation
            if max0 < min1 || max1 < min0 { complete.append(name) } else if max0 == min1 || max1 == min0 {
                // Touching at one value: quasi-complete only if that value holds both classes while
                // the rest is separated, i.e. one class lies entirely at the boundary or beyond.
                quasi.append(name)
            }
        }
        if !complete.isEmpty { throw ModelError.separation(kind: .complete, drivers: complete) }
        if !quasi.isEmpty { throw ModelError.separation(kind: .quasiComplete, drivers: quasi) }
    }

    /// Weighted Mann–Whitney AUC with mid-ranks for tied scores. O(n) by ``RadixSort`` (O(n log n) below its comparison limit).
    static func areaUnderCurve(scores: [Double], labels: [Double], weights: [Double]?) -> Double {
        // Scores sorted by radix with signed weights — positives carry +w, negatives −w.
        let signed = (0..<scores.count).map { i -> Double in
            let weight = weights?[i] ?? 1
            return labels[i] == 1 ? weight : -weight
        }
        let (sortedScores, sortedWeights) = RadixSort.sorted(scores: scores, payloads: signed)
        var positiveWeight = 0.0, negativeWeight = 0.0, concordant = 0.0
        var negativesBelow = 0.0
        var i = 0
        while i < sortedScores.count {
            var j = i
            var groupPositive = 0.0, groupNegative = 0.0
            // Zero weights count in neither class.
            while j < sortedScores.count && sortedScores[j] == sortedScores[i] {
                if sortedWeights[j] > 0 { groupPositive += sortedWeights[j] } else { groupNegative -= sortedWeights[j] }
                j += 1
            }
            concordant += groupPositive * (negativesBelow + 0.5 * groupNegative)
            negativesBelow += groupNegative
            positiveWeight += groupPositive
            negativeWeight += groupNegative
            i = j
        }
        return concordant / (positiveWeight * negativeWeight)
    }
}
