import Foundation
import LinearAlgebra

/// Logistic regression fitted inside a SQL engine: iteratively reweighted least squares where
/// every Newton step is one aggregation query returning `XᵀWX`, `Xᵀ(y − p)` and the
/// log-likelihood at the current coefficients; the engine makes every pass over the rows, the
/// library solves the small `k × k` system.
///
/// Numerically careful: the terms are centred and scaled by their weighted mean and standard
/// deviation (from a first, two-pass query), `p` is computed without overflow on both sides, and
/// `log(1 + e^η)` as `max(η, 0) + log(1 + e^{−|η|})`. Newton steps are halved while the
/// log-likelihood falls; the fit stops when the relative change of the log-likelihood is below
/// `tolerance` (default 1e-12) — matched to the in-memory ``LogisticRegression`` at 1e-8.
/// Factors enter as treatment-coded dummies and a weight column as prior weights (``EngineDesign``);
/// sampling weights get the design-based sandwich covariance `n/(n−1)·H⁻¹ M H⁻¹`, as in memory.
/// Standard errors from the inverse information at the estimate; Wald z, p and intervals.
package struct EngineLogistic: Sendable {
    /// `(Intercept)` then the design's terms, on the terms' own scale.
    package let coefficients: [Coefficient]
    /// `e^β` per term.
    package let oddsRatios: [Double]
    /// Rows used (complete outcome, drivers and weight; positive weight).
    package let observationCount: Int
    /// The maximized (weighted) log-likelihood.
    package let logLikelihood: Double
    /// The log-likelihood of the intercept-only model.
    package let nullLogLikelihood: Double
    /// McFadden's `1 − ℓ/ℓ₀`.
    package var mcFaddenRSquared: Double { 1 - logLikelihood / nullLogLikelihood }
    /// Newton steps (queries) used.
    package let iterations: Int
    /// Whether the stopping rule was met.
    package let converged: Bool
    /// The design fitted.
    package let design: EngineDesign
    /// The centring and scaling of the terms, and the estimate on the standardized terms.
    let means: [Double], scales: [Double], standardized: [Double]
    /// The inverse information on the standardized terms (intercept first), before any sandwich:
    /// the variance inflation factors read its slopes' block (the Fox–Monette ratio ignores scale).
    let informationInverse: Matrix

    /// Fits `event(outcome) ~ drivers` on `table` through `engine`, with no weight and no declared
    /// factor or reference level (for those, build an ``EngineDesign`` from a configuration).
    ///
    /// - Parameters:
    ///   - engine: the engine holding `table`; every pass over the rows is one of its queries.
    ///   - table: the table or view, already quoted for the engine when it needs quoting (see
    ///     ``SQLDialect/tableReference(_:)``).
    ///   - outcome: the outcome column.
    ///   - event: the outcome's value coded 1 (compared as text), or `nil` for a 0/1 numeric outcome.
    ///   - drivers: the driver columns, in the order of the terms; one holding text is coded as
    ///     ``EngineDesign`` codes it (Yes/No as one 0/1 term, else dummies against the most
    ///     frequent level).
    ///   - confidenceLevel: the level of the Wald intervals, in (0, 1) (default 0.95).
    ///   - maximumIterations: the Newton steps allowed (default 30); the fit reports
    ///     ``converged`` `false` when they run out.
    ///   - tolerance: the fit stops when the relative change of the log-likelihood,
    ///     `|ℓ − ℓ_prev| / (|ℓ| + 0.1)`, is below it (default 1e-12).
    /// - Throws: see ``init(engine:table:design:confidenceLevel:maximumIterations:tolerance:)``.
    package init(engine: SQLEngine, table: String, outcome: String, event: String?, drivers: [String], confidenceLevel: Double = 0.95,
                maximumIterations: Int = 30, tolerance: Double = 1e-12) throws {
        var c = AnalysisConfiguration(outcome: outcome)
        c.event = event
        c.drivers = drivers
        try self.init(engine: engine, table: table, design: EngineDesign(engine: engine, table: table, configuration: c),
                      confidenceLevel: confidenceLevel, maximumIterations: maximumIterations, tolerance: tolerance)
    }

    /// Fits the logistic model of `design` on `table` through `engine`.
    ///
    /// - Throws: ``EngineError`` from the engine; ``ModelError`` for a constant outcome, too few
    ///   rows, or a singular information matrix (collinear drivers or separation).
    /// Complexity: `iterations + 2` queries (more with step-halving), each one pass over the table.
    package init(engine: SQLEngine, table: String, design: EngineDesign, confidenceLevel: Double = 0.95,
                maximumIterations: Int = 30, tolerance: Double = 1e-12) throws {
        let source = design.source(table: table)
        // 1. Counts, weighted event rate, means and standard deviations (two-pass, for centring and scaling).
        let start = try Self.standardization(engine: engine, source: source, design: design)
        let n = start.n, events = start.events, total = start.total
        let means = start.means, scales = start.scales
        let rate = events / total
        let null = events * log(rate) + (total - events) * log1p(-rate)
        // 2. Newton steps on the standardized terms, one aggregation query each.
        let sums = StepSums(dialect: design.dialect, means: means, scales: scales, sandwich: design.samplingWeights)
        let initial = [log(rate / (1 - rate))] + [Double](repeating: 0, count: design.termNames.count)
        let newton = try Self.newtonSteps(from: initial, sums: sums, source: source, engine: engine,
                                          maximumIterations: maximumIterations, tolerance: tolerance)
        let beta = newton.beta, current = newton.current
        // 3. Back to the terms' own scale: β_j = b_j/s_j, β₀ = b₀ − Σ b_j m_j/s_j, Cov = J Cov_b Jᵀ.
        let variance = try Self.covariance(at: current, observations: n)
        let covariance = variance.covariance
        informationInverse = variance.informationInverse
        try Self.checkSeparation(beta, covariance: covariance, converged: newton.converged, termNames: design.termNames)
        let jacobian = Self.jacobian(means: means, scales: scales)
        let original = try jacobian.multiplied(by: covariance).multiplied(by: jacobian.transposed())
        let estimates = Self.original(beta, means: means, scales: scales)
        coefficients = Coefficient.waldTable(names: ["(Intercept)"] + design.termNames, estimates: estimates, covariance: original,
                                             confidenceLevel: confidenceLevel)
        oddsRatios = estimates.map { exp($0) }
        observationCount = Int(min(n, 1e15))
        logLikelihood = current.logLikelihood
        nullLogLikelihood = null
        iterations = newton.iterations
        converged = newton.converged
        self.design = design
        self.means = means
        self.scales = scales
        standardized = beta
    }

    /// `J` with `β = J b`: the intercept row `(1, −m_j/s_j)`, the diagonal `1/s_j`.
    static func jacobian(means: [Double], scales: [Double]) -> Matrix {
        let k = means.count + 1
        var jacobian = Matrix(uncheckedRows: k, columns: k)
        jacobian[0, 0] = 1
        for j in means.indices {
            jacobian[0, j + 1] = -means[j] / scales[j]
            jacobian[j + 1, j + 1] = 1 / scales[j]
        }
        return jacobian
    }

    /// Coefficients on the terms' own scale from those on the standardized terms.
    static func original(_ b: [Double], means: [Double], scales: [Double]) -> [Double] {
        [b[0] - means.indices.reduce(0) { $0 + b[$1 + 1] * means[$1] / scales[$1] }] + means.indices.map { b[$0 + 1] / scales[$0] }
    }

    /// The one data row of an engine's CSV result, by column name; a malformed result is an
    /// ``EngineError/badResult(command:reason:query:)`` quoting `query`.
    static func row(_ text: String, query: String, engine: SQLEngine) throws -> [String: Double] {
        do { return try row(text) } catch let error as SurveyDataError {
            throw EngineError.badResult(command: engine.command, reason: error.description, query: query)
        }
    }

    /// The one data row of an engine's CSV result, by column name.
    static func row(_ text: String) throws -> [String: Double] {
        guard let first = try rows(text).first else { throw SurveyDataError.invalidMoments(reason: "expected a header row and one data row") }
        return first
    }

    /// The data rows of an engine's CSV result, by column name (the query's own aliases).
    static func rows(_ text: String) throws -> [[String: Double]] {
        let lines = text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        guard lines.count >= 2 else { throw SurveyDataError.invalidMoments(reason: "expected a header row and one data row") }
        let header = MomentsSQL.splitCSVLine(lines[0]).map { $0.trimmingCharacters(in: .whitespaces) }
        return try lines.dropFirst().map { line in
            let values = MomentsSQL.splitCSVLine(line).map { $0.trimmingCharacters(in: .whitespaces) }
            guard header.count == values.count else { throw SurveyDataError.invalidMoments(reason: "the header has \(header.count) fields but a data row \(values.count)") }
            var out: [String: Double] = [:]
            for (name, text) in zip(header, values) {
                guard let value = Double(text) else { throw SurveyDataError.invalidMoments(reason: "field '\(name)' is '\(text)', not a number") }
                out[name] = value
            }
            return out
        }
    }
}
