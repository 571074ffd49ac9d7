import Foundation
import LinearAlgebra

/// Logistic regression fitted inside a SQL engine: iteratively reweighted least squares where
/// every Newton step is one aggregation query returning `XᵀWX`, `Xᵀ(y − p)` and the
/// log-likelihood at the current coefficients; the engine makes every pass over the rows, the
/// library solves the small `k × k` system.
///
/// Numerically careful: the drivers are centred and scaled by their mean and standard
/// deviation (from a first query), `p` is computed without overflow on both sides, and
/// `log(1 + e^η)` as `max(η, 0) + log(1 + e^{−|η|})`. Newton steps are halved while the
/// log-likelihood falls; the fit stops when the relative change of the log-likelihood is below
/// `tolerance` (default 1e-12) — matched to the in-memory ``LogisticRegression`` at 1e-8.
/// Standard errors from the inverse information at the estimate; Wald z, p and intervals.
public struct EngineLogistic: Sendable {
    /// `(Intercept)` then the drivers, on the drivers' own scale.
    public let coefficients: [Coefficient]
    /// `e^β` per term.
    public let oddsRatios: [Double]
    /// Rows used (complete outcome and drivers).
    public let observationCount: Int
    /// The maximized log-likelihood.
    public let logLikelihood: Double
    /// The log-likelihood of the intercept-only model.
    public let nullLogLikelihood: Double
    /// McFadden's `1 − ℓ/ℓ₀`.
    public var mcFaddenR2: Double { 1 - logLikelihood / nullLogLikelihood }
    /// Newton steps (queries) used.
    public let iterations: Int
    /// Whether the stopping rule was met.
    public let converged: Bool

    /// Fits `event(outcome) ~ drivers` on `table` through `engine`.
    ///
    /// - Parameters:
    ///   - event: the outcome's value coded 1 (compared as text), or `nil` for a 0/1 numeric outcome.
    /// - Throws: ``EngineError`` from the engine; ``ModelError`` for a constant outcome, too few
    ///   rows, or a singular information matrix (collinear drivers or separation).
    /// Complexity: `iterations + 2` queries, each one pass over the table.
    public init(engine: SQLEngine, table: String, outcome: String, event: String?, drivers: [String], confidenceLevel: Double = 0.95,
                maximumIterations: Int = 30, tolerance: Double = 1e-12) throws {
        let d = engine.dialect
        let k = drivers.count + 1
        let y: String
        if let event {
            y = "CASE WHEN CAST(\(d.quote(outcome)) AS \(d == .sqlite ? "TEXT" : "VARCHAR")) = '\(event.replacingOccurrences(of: "'", with: "''"))' THEN 1.0 ELSE 0.0 END"
        } else {
            y = d.numeric(outcome)
        }
        let present = ([d.numeric(outcome)] + drivers.map { d.numeric($0) }).map { $0 + " IS NOT NULL" }
        let outcomePresent = event == nil ? present[0] : "\(d.quote(outcome)) IS NOT NULL AND CAST(\(d.quote(outcome)) AS \(d == .sqlite ? "TEXT" : "VARCHAR")) <> ''"
        let filter = ([outcomePresent] + present.dropFirst()).joined(separator: "\n    AND ")
        // 1. Counts, event rate, means and standard deviations (for centring and scaling).
        var first = ["COUNT(*) AS n", "SUM(y) AS sy"]
        for j in drivers.indices { first += ["AVG(x\(j)) AS m\(j)", "AVG(x\(j) * x\(j)) AS q\(j)"] }
        let source = "SELECT \(y) AS y" + drivers.enumerated().map { ", \(d.numeric($1)) AS x\($0)" }.joined() + "\n  FROM \(table)\n  WHERE \(filter)"
        let stats = try Self.row(engine.run("WITH src AS (\n  \(source)\n)\nSELECT " + first.joined(separator: ", ") + " FROM src"))
        let n = stats["n"] ?? 0, events = stats["sy"] ?? 0
        guard n > Double(k) else { throw ModelError.tooFewObservations(observations: Int(max(0, min(n, 1e15))), parameters: k) }
        guard events > 0, events < n else { throw ModelError.constantOutcome(value: events > 0 ? 1 : 0) }
        let means = drivers.indices.map { stats["m\($0)"] ?? 0 }
        let scales = drivers.indices.map { j -> Double in
            let variance = (stats["q\(j)"] ?? 0) - means[j] * means[j]
            return variance > 1e-300 ? variance.squareRoot() : 1
        }
        let rate = events / n
        let null = events * log(rate) + (n - events) * log1p(-rate)
        // 2. Newton steps on the standardized drivers, one aggregation query each.
        var beta = [log(rate / (1 - rate))] + [Double](repeating: 0, count: drivers.count)
        var current = try Self.step(engine: engine, source: source, means: means, scales: scales, beta: beta)
        var iterations = 0, converged = false
        while iterations < maximumIterations {
            iterations += 1
            let delta = try Cholesky(current.information).solve(current.gradient)
            var factor = 1.0
            var next = current
            var candidate = beta
            for _ in 0..<30 {
                candidate = zip(beta, delta).map { $0 + factor * $1 }
                next = try Self.step(engine: engine, source: source, means: means, scales: scales, beta: candidate)
                if next.logLikelihood >= current.logLikelihood - 1e-12 * abs(current.logLikelihood) { break }
                factor /= 2
            }
            let change = abs(next.logLikelihood - current.logLikelihood) / (abs(next.logLikelihood) + 0.1)
            beta = candidate
            current = next
            if change < tolerance { converged = true; break }
        }
        // 3. Back to the drivers' own scale: β_j = b_j/s_j, β₀ = b₀ − Σ b_j m_j/s_j, Cov = J Cov_b Jᵀ.
        let covariance = try Cholesky(current.information).inverse()
        var jacobian = Matrix(rows: k, columns: k)
        jacobian[0, 0] = 1
        for j in drivers.indices {
            jacobian[0, j + 1] = -means[j] / scales[j]
            jacobian[j + 1, j + 1] = 1 / scales[j]
        }
        let original = try jacobian.multiplied(by: covariance).multiplied(by: jacobian.transposed())
        let estimates = (0..<k).map { a in (0..<k).reduce(0) { $0 + jacobian[a, $1] * beta[$1] } }
        let z = NormalDistribution.standard.quantile(0.5 + confidenceLevel / 2)
        let names = ["(Intercept)"] + drivers
        coefficients = (0..<k).map { a in
            let se = original[a, a].squareRoot(), statistic = estimates[a] / se
            return Coefficient(name: names[a], estimate: estimates[a], standardError: se, statistic: statistic,
                               pValue: 2 * NormalDistribution.standard.survival(abs(statistic)),
                               confidenceInterval: ClosedInterval(lower: estimates[a] - z * se, upper: estimates[a] + z * se), isAliased: false)
        }
        oddsRatios = estimates.map { exp($0) }
        observationCount = Int(min(n, 1e15))
        logLikelihood = current.logLikelihood
        nullLogLikelihood = null
        self.iterations = iterations
        self.converged = converged
    }

    /// The information matrix, score and log-likelihood at `beta` (standardized drivers), from one query.
    static func step(engine: SQLEngine, source: String, means: [Double], scales: [Double], beta: [Double]) throws
        -> (information: Matrix, gradient: [Double], logLikelihood: Double) {
        let p = means.count, k = p + 1
        func literal(_ x: Double) -> String { String(format: "%.17g", x) }
        let z = (0..<p).map { "((x\($0) - \(literal(means[$0]))) / \(literal(scales[$0])))" }
        let eta = ([literal(beta[0])] + (0..<p).map { "\(literal(beta[$0 + 1])) * \(z[$0])" }).joined(separator: " + ")
        var select = ["SUM(y * eta - (CASE WHEN eta > 0 THEN eta + ln(1 + exp(-eta)) ELSE ln(1 + exp(eta)) END)) AS ll"]
        let column = ["1.0"] + (0..<p).map { "z\($0)" }
        for a in 0..<k { select.append("SUM((y - pr) * \(column[a])) AS g\(a)") }
        for a in 0..<k { for b in a..<k { select.append("SUM(pr * (1 - pr) * \(column[a]) * \(column[b])) AS h\(a)_\(b)") } }
        let sql = """
        WITH src AS (
          \(source)
        ),
        lin AS (
          SELECT y\((0..<p).map { ", \(z[$0]) AS z\($0)" }.joined()), \(eta) AS eta FROM src
        ),
        fit AS (
          SELECT *, CASE WHEN eta >= 0 THEN 1 / (1 + exp(-eta)) ELSE exp(eta) / (1 + exp(eta)) END AS pr FROM lin
        )
        SELECT \(select.joined(separator: ",\n  ")) FROM fit
        """
        let row = try row(engine.run(sql))
        var information = Matrix(rows: k, columns: k)
        for a in 0..<k {
            for b in a..<k {
                let value = row["h\(a)_\(b)"] ?? .nan
                information[a, b] = value
                information[b, a] = value
            }
        }
        let gradient = (0..<k).map { row["g\($0)"] ?? .nan }
        guard let ll = row["ll"], ll.isFinite, gradient.allSatisfy(\.isFinite) else {
            throw ModelError.separation(kind: .quasiComplete, drivers: [])
        }
        return (information, gradient, ll)
    }

    /// The one data row of an engine's CSV result, by column name.
    static func row(_ text: String) throws -> [String: Double] {
        let lines = text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        guard lines.count >= 2 else { throw SurveyDataError.invalidMoments(reason: "expected a header row and one data row") }
        let header = MomentsSQL.splitCSVLine(lines[0]).map { $0.trimmingCharacters(in: .whitespaces) }
        let values = MomentsSQL.splitCSVLine(lines[1]).map { $0.trimmingCharacters(in: .whitespaces) }
        guard header.count == values.count else { throw SurveyDataError.invalidMoments(reason: "the header has \(header.count) fields but the data row \(values.count)") }
        var out: [String: Double] = [:]
        for (name, text) in zip(header, values) {
            guard let value = Double(text) else { throw SurveyDataError.invalidMoments(reason: "field '\(name)' is '\(text)', not a number") }
            out[name] = value
        }
        return out
    }
}
