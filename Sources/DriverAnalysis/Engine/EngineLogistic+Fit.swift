import Foundation
import LinearAlgebra

/// The stages of the engine's logistic fit (``EngineLogistic/init(engine:table:design:confidenceLevel:maximumIterations:tolerance:)``):
/// the standardization query, the Newton steps with step halving, the covariance at the
/// estimate and the separation check.
extension EngineLogistic {
    /// The analysed rows' count, weighted total and events, and the terms' weighted means and
    /// standard deviations (1 for a constant term).
    struct Standardization {
        let n: Double, total: Double, events: Double
        let means: [Double], scales: [Double]
    }

    /// Where the Newton steps stopped: the standardized estimate, its sums, the steps taken and
    /// whether the stopping rule was met.
    struct NewtonFit {
        let beta: [Double]
        let current: StepSums.Result
        let iterations: Int
        let converged: Bool
    }

    /// One two-pass query over `source`: counts, weighted event rate, means and standard
    /// deviations; refuses too few rows for the terms and a constant outcome.
    static func standardization(engine: SQLEngine, source: String, design: EngineDesign) throws -> Standardization {
        let k = design.termNames.count + 1
        let t = design.termNames.indices
        let meanList = t.map { "SUM(w * x\($0)) / SUM(w) AS m\($0)" }.joined(separator: ", ")
        let spread = t.map { "SUM(src.w * (src.x\($0) - m.m\($0)) * (src.x\($0) - m.m\($0))) / MAX(m.sw) AS q\($0)" }
        let first = """
        WITH src AS (
          \(source)
        ),
        m AS (SELECT COUNT(*) AS n, SUM(w) AS sw, SUM(w * y) AS sy\(t.isEmpty ? "" : ", " + meanList) FROM src)
        SELECT MAX(m.n) AS n, MAX(m.sw) AS sw, MAX(m.sy) AS sy\(t.map { ", MAX(m.m\($0)) AS m\($0)" }.joined())\(spread.isEmpty ? "" : ", " + spread.joined(separator: ", "))
        FROM src CROSS JOIN m
        """
        let stats = try Self.row(engine.run(first), query: first, engine: engine)
        let n = stats["n"] ?? 0, total = stats["sw"] ?? 0, events = stats["sy"] ?? 0
        guard n > Double(k) else { throw ModelError.tooFewObservations(observations: Int(max(0, min(n, 1e15))), parameters: k) }
        guard events > 0, events < total else { throw ModelError.constantOutcome(value: events > 0 ? 1 : 0) }
        let means = t.map { stats["m\($0)"] ?? 0 }
        let scales = t.map { j -> Double in
            let variance = stats["q\(j)"] ?? 0
            return variance > 1e-300 ? variance.squareRoot() : 1
        }
        return Standardization(n: n, total: total, events: events, means: means, scales: scales)
    }

    /// One Newton step's sums at `beta`: one aggregation query over `source`.
    static func stepSums(at beta: [Double], sums: StepSums, source: String, engine: SQLEngine) throws -> StepSums.Result {
        let sql = sums.pointQuery(source: source, beta: beta)
        let results = try sums.read(engine.run(sql), query: sql, engine: engine)
        guard let result = results.first else { throw EngineError.emptyResult(command: engine.command, query: sql) }
        return result
    }

    /// Newton steps from `start`, each step halved (up to 30 times) while the log-likelihood
    /// falls; stops when the relative change of the log-likelihood is below `tolerance`, or
    /// after `maximumIterations` steps.
    static func newtonSteps(from start: [Double], sums: StepSums, source: String, engine: SQLEngine,
                            maximumIterations: Int, tolerance: Double) throws -> NewtonFit {
        var beta = start
        var current = try stepSums(at: beta, sums: sums, source: source, engine: engine)
        var iterations = 0, converged = false
        while iterations < maximumIterations {
            iterations += 1
            let delta = try Cholesky(current.information).solve(current.gradient)
            var factor = 1.0
            var next = current
            var candidate = beta
            for _ in 0..<30 {
                candidate = zip(beta, delta).map { $0 + factor * $1 }
                next = try stepSums(at: candidate, sums: sums, source: source, engine: engine)
                if next.logLikelihood >= current.logLikelihood - 1e-12 * abs(current.logLikelihood) { break }
                factor /= 2
            }
            let change = abs(next.logLikelihood - current.logLikelihood) / (abs(next.logLikelihood) + 0.1)
            beta = candidate
            current = next
            if change < tolerance { converged = true; break }
        }
        return NewtonFit(beta: beta, current: current, iterations: iterations, converged: converged)
    }

    /// The covariance of the standardized estimate — the inverse information, or for sampling
    /// weights the sandwich `n/(n−1)·H⁻¹ M H⁻¹` — and the inverse information itself.
    static func covariance(at current: StepSums.Result, observations n: Double) throws -> (covariance: Matrix, informationInverse: Matrix) {
        var covariance = try Cholesky(current.information).inverse()
        let informationInverse = covariance
        if let meat = current.meat {
            covariance = try covariance.multiplied(by: meat).multiplied(by: covariance)
            let factor = n / (n - 1)
            covariance.withUnsafeMutableBufferPointer { c in for i in c.indices { c[i] *= factor } }
        }
        return (covariance, informationInverse)
    }

    /// Separation, by the in-memory rule: a standardized effect above 5 whose Wald statistic has
    /// collapsed (|z| < 0.5), or no convergence with such an effect — the estimates do not exist.
    static func checkSeparation(_ beta: [Double], covariance: Matrix, converged: Bool, termNames: [String]) throws {
        let k = beta.count
        let large = (1..<k).filter { abs(beta[$0]) > 5 }
        let collapsed = large.filter { j in
            let se = covariance[j, j].squareRoot()
            return !se.isFinite || abs(beta[j]) / se < 0.5
        }
        if !collapsed.isEmpty || (!converged && !large.isEmpty) {
            let culprits = (collapsed.isEmpty ? large : collapsed).map { termNames[$0 - 1] }
            throw ModelError.separation(kind: .quasiComplete, drivers: culprits)
        }
    }
}
