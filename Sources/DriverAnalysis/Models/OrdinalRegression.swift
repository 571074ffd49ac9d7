import Foundation
import LinearAlgebra

/// Proportional-odds (ordered logit) regression for ordinal outcomes such as 1–5 or 0–10
/// satisfaction (McCullagh 1980), parameterized as R's `MASS::polr`:
/// `logit P(Y ≤ k) = ζₖ − xᵀβ`, k = 1…K−1, with no intercept (the cut-points ζ take its place).
///
/// Maximum likelihood by Newton–Raphson with the analytic gradient and Hessian, step-halving
/// when the log-likelihood falls or the cut-points stop being increasing; starting values β = 0
/// and ζₖ = logit of the cumulative shares. Standard errors from the inverse observed
/// information. McFadden's R² against the thresholds-only model.
public struct OrdinalRegression: Sendable {
    /// The distinct outcome values, ascending (the K + 1 ordered categories).
    public let levels: [Double]
    /// Observations used.
    public let observationCount: Int
    /// The confidence level of the coefficients' intervals.
    public let confidenceLevel: Double
    /// β per driver, with Wald inference.
    public let coefficients: [Coefficient]
    /// The K−1 cut-points ζ with their standard errors.
    public let thresholds: [Coefficient]
    /// Covariance of `(β, ζ)`, drivers first, then the cut-points.
    public let covariance: Matrix
    /// Maximised log-likelihood `log L` (weighted).
    public let logLikelihood: Double
    /// Log-likelihood of the thresholds-only model (the category shares).
    public let nullLogLikelihood: Double
    /// McFadden's pseudo-R² `1 − log L/log L₀`.
    public let mcFaddenRSquared: Double
    /// `−2 log L + 2(p + K)`.
    public let aic: Double
    /// `−2 log L + log(n)(p + K)`.
    public var bic: Double { -2 * logLikelihood + log(Double(observationCount)) * Double(coefficients.count + thresholds.count) }
    /// Newton iterations performed.
    public let iterations: Int
    /// Whether the Newton iteration met its convergence criterion before the iteration limit.
    public let converged: Bool
    /// How each driver term is computed from a survey's columns (numeric columns, factor
    /// dummies), for `predict(_:)` on a ``SurveyData``.
    public internal(set) var termCoding: TermCoding

    /// Fits the model on an ``AnalysisSample`` (its weights, and the factor coding of a
    /// ``DriverDesign``'s sample). See ``init(outcome:drivers:names:weights:confidenceLevel:)``
    /// for errors and complexity.
    ///
    /// - Parameters:
    ///   - sample: the ordered outcome, driver columns, names, optional weights and term coding to fit.
    ///   - confidenceLevel: the level of the Wald intervals, in (0, 1); 0.95 by default.
    public init(_ sample: AnalysisSample, confidenceLevel: Double = 0.95) throws {
        try self.init(outcome: sample.outcome, drivers: sample.drivers, names: sample.driverNames, weights: sample.weights,
                      confidenceLevel: confidenceLevel)
        if let coding = sample.termCoding { termCoding = coding }
    }

    /// Fits `logit P(Y ≤ k) = ζₖ − xᵀβ` with one category per distinct outcome value.
    ///
    /// A driver column in the span of the constant and the columns before it (a factor's dummy
    /// repeating another factor's, a text control's level equal to a driver) is aliased, as R's
    /// `lm`/`glm` report `NA` (rank-revealing QR at tolerance 1e-7; `MASS::polr` drops such
    /// columns with a warning): its coefficient is `NaN` with `isAliased`, its rows and columns of
    /// ``covariance`` are `NaN`, and the model is fitted without it.
    ///
    /// - Parameters:
    ///   - outcome: the ordered response, finite; each distinct value is a category, ordered by value.
    ///   - drivers: the driver columns, one array per driver, each as long as `outcome`, finite.
    ///   - names: the drivers' names, one per column of `drivers`, unique; they become the term names.
    ///   - weights: one non-negative finite weight per observation (a zero weight drops its row); `nil`
    ///     (the default) for equal weights.
    ///   - confidenceLevel: the level of the Wald intervals, in (0, 1); 0.95 by default.
    /// - Throws: ``ModelError`` for invalid data, a constant outcome, `n ≤ p + K`, or every driver aliased.
    /// Complexity: O(n·p²) for the aliasing check, O(n·(p + K)²) per Newton iteration.
    public init(outcome: [Double], drivers: [[Double]], names: [String], weights: [Double]? = nil, confidenceLevel: Double = 0.95) throws {
        try ModelInput.validate(outcome: outcome, drivers: drivers, names: names, weights: weights)
        let aliased = try Self.aliasedColumns(outcome: outcome, drivers: drivers, weights: weights)
        guard !aliased.isEmpty else {
            try self.init(fitting: outcome, drivers: drivers, names: names, weights: weights, confidenceLevel: confidenceLevel)
            return
        }
        let retained = drivers.indices.filter { !aliased.contains($0) }
        guard !retained.isEmpty else { throw ModelError.allDriversAliased(drivers: names) }
        let fit = try OrdinalRegression(fitting: outcome, drivers: retained.map { drivers[$0] }, names: retained.map { names[$0] },
                                        weights: weights, confidenceLevel: confidenceLevel)
        // Back to every driver's place: the retained ones, then the cut-points.
        let p = drivers.count, k = fit.thresholds.count
        let place = retained + (0..<k).map { p + $0 }
        var covariance = Matrix(uncheckedRows: p + k, columns: p + k, repeating: .nan)
        for (a, i) in place.enumerated() { for (b, j) in place.enumerated() { covariance[i, j] = fit.covariance[a, b] } }
        let position = Dictionary(uniqueKeysWithValues: retained.enumerated().map { ($1, $0) })
        let coefficients = names.indices.map { j in
            position[j].map { fit.coefficients[$0] }
                ?? Coefficient(name: names[j], estimate: .nan, standardError: .nan, statistic: .nan, pValue: .nan,
                               confidenceInterval: ClosedInterval(lower: .nan, upper: .nan), isAliased: true)
        }
        self.init(levels: fit.levels, observationCount: fit.observationCount, confidenceLevel: confidenceLevel, coefficients: coefficients,
                  thresholds: fit.thresholds, covariance: covariance, logLikelihood: fit.logLikelihood, nullLogLikelihood: fit.nullLogLikelihood,
                  mcFaddenRSquared: fit.mcFaddenRSquared, aic: fit.aic, iterations: fit.iterations, converged: fit.converged)
    }

    /// A model from its parts.
    private init(levels: [Double], observationCount: Int, confidenceLevel: Double, coefficients: [Coefficient], thresholds: [Coefficient],
                 covariance: Matrix, logLikelihood: Double, nullLogLikelihood: Double, mcFaddenRSquared: Double, aic: Double, iterations: Int,
                 converged: Bool) {
        self.levels = levels
        self.observationCount = observationCount
        self.confidenceLevel = confidenceLevel
        self.coefficients = coefficients
        self.thresholds = thresholds
        self.covariance = covariance
        self.logLikelihood = logLikelihood
        self.nullLogLikelihood = nullLogLikelihood
        self.mcFaddenRSquared = mcFaddenRSquared
        self.aic = aic
        self.iterations = iterations
        self.converged = converged
        termCoding = .columns(coefficients.map(\.name))
    }

    /// The driver columns (0-based) in the span of the constant and the columns before them,
    /// among the rows of positive weight (R's rule; see ``QRLeastSquares``).
    static func aliasedColumns(outcome: [Double], drivers: [[Double]], weights: [Double]?) throws -> Set<Int> {
        guard !drivers.isEmpty else { return [] }
        let used = weights.map { w in w.indices.filter { w[$0] > 0 } }
        let columns = used.map { rows in drivers.map { column in rows.map { column[$0] } } } ?? drivers
        let y = used.map { rows in rows.map { outcome[$0] } } ?? outcome
        guard y.count > drivers.count + 1 else { return [] }   // too few rows: the fit says so
        let solution = try QRLeastSquares.solve(ColumnDesign(columns: columns, intercept: true), y,
                                                options: .init(rankTolerance: 1e-7, method: .qr))
        return Set(solution.aliasedColumns.filter { $0 > 0 }.map { $0 - 1 })
    }

    /// The Newton fit on columns of full rank.
    private init(fitting outcome: [Double], drivers: [[Double]], names: [String], weights: [Double]?, confidenceLevel: Double) throws {
        let levels = Array(Set(outcome)).sorted()
        guard levels.count >= 2 else { throw ModelError.constantOutcome(value: outcome.first ?? .nan) }
        let n = outcome.count, p = drivers.count, k = levels.count - 1
        guard n > p + k else { throw ModelError.tooFewObservations(observations: n, parameters: p + k) }
        let index = Dictionary(uniqueKeysWithValues: levels.enumerated().map { ($1, $0) })
        let y = outcome.map { index[$0]! }                      // 0…K
        let w = weights ?? [Double](repeating: 1, count: n)
        let total = w.reduce(0, +)
        var counts = [Double](repeating: 0, count: k + 1)
        for i in 0..<n { counts[y[i]] += w[i] }
        let null = counts.reduce(0) { $0 + ($1 > 0 ? $1 * log($1 / total) : 0) }
        let likelihood = Likelihood(drivers: drivers, y: y, w: w, thresholds: k)
        let fit = try Self.maximize(likelihood, from: Self.startingValues(counts: counts, total: total, drivers: p))
        let theta = fit.theta, current = fit.value, iterations = fit.iterations, converged = fit.converged
        var information = current.hessian
        information.withUnsafeMutableBufferPointer { m in for t in m.indices { m[t] = -m[t] } }
        let covariance = try Cholesky(information).inverse()
        let z = NormalDistribution.standard.quantile(0.5 + confidenceLevel / 2)
        func coefficient(_ name: String, _ j: Int) -> Coefficient {
            let se = covariance[j, j].squareRoot(), statistic = theta[j] / se
            return Coefficient(name: name, estimate: theta[j], standardError: se, statistic: statistic,
                               pValue: 2 * NormalDistribution.standard.survival(abs(statistic)),
                               confidenceInterval: ClosedInterval(lower: theta[j] - z * se, upper: theta[j] + z * se), isAliased: false)
        }
        self.levels = levels
        self.observationCount = n
        self.confidenceLevel = confidenceLevel
        self.covariance = covariance
        coefficients = names.enumerated().map { coefficient($1, $0) }
        thresholds = (0..<k).map { coefficient("\(Self.label(levels[$0]))|\(Self.label(levels[$0 + 1]))", p + $0) }
        logLikelihood = current.ll
        nullLogLikelihood = null
        mcFaddenRSquared = 1 - current.ll / null
        aic = -2 * current.ll + 2 * Double(p + k)
        self.iterations = iterations
        self.converged = converged
        termCoding = .columns(names)
    }

    static func label(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x) }
}
