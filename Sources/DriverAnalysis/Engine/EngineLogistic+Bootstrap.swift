import Foundation
import LinearAlgebra

extension EngineLogistic {
    /// The coefficients of `replicates` Poisson-bootstrap refits of this model, all fitted inside
    /// the engine together (Hanley & MacGibbon 2006; Chamandy, Muralidharan, Najmi & Naidu 2012):
    /// in replicate `b` every row carries the weight `w·Pois(1)`, its draw hashed from the row key,
    /// `b` and `seed` exactly as in the linear engine bootstrap, so the resample is the same in every
    /// query. Each query is one Newton step for every replicate still iterating — their
    /// coefficients sent as an inline table joined to the rows, one `GROUP BY` replicate returning
    /// each replicate's `XᵀWX`, score and log-likelihood — with the point fit's stopping rule and
    /// step-halving applied per replicate, starting from the point estimate.
    ///
    /// - Parameters:
    ///   - engine: the engine holding `table` (the one this model was fitted through).
    ///   - table: the table or view this model was fitted on, quoted for the engine as at the fit.
    ///   - replicates: the number of resamples `B`; zero or fewer returns no replicates and no query.
    ///   - seed: the seed of the row hash: the same seed, key and table give the same resamples.
    ///   - rowKey: the column hashed for the draws (required for Spark SQL and BigQuery); `nil`
    ///     uses the `rowid`.
    ///   - maximumIterations: the Newton steps allowed per replicate (default 30, as the point
    ///     fit); a replicate still changing after them counts as failed.
    ///   - tolerance: a replicate has converged when the relative change of its log-likelihood,
    ///     `|ℓ − ℓ_prev| / (|ℓ| + 0.1)`, is below it (default 1e-12, as the point fit).
    /// - Returns: per converged replicate, `(Intercept)` then the terms on their own scale; the
    ///   replicates that could not be fitted (separation in the resample, no convergence) are left
    ///   out and counted in `failed`.
    /// - Throws: ``EngineError`` from the engine (``EngineError/needsRowKey(dialect:)`` without a key
    ///   where there is no `rowid`).
    /// Complexity: about as many queries as the point fit's Newton steps (plus step-halvings), each
    /// one pass over `table × replicates` rows.
    package func bootstrapCoefficients(engine: SQLEngine, table: String, replicates: Int, seed: UInt64, rowKey: String? = nil,
                                      maximumIterations: Int = 30, tolerance: Double = 1e-12) throws
        -> (replicates: [[Double]], failed: Int, queries: Int) {
        try engine.checkBootstrapKey(rowKey)
        guard replicates > 0 else { return ([], 0, 0) }
        let sums = StepSums(dialect: engine.dialect, means: means, scales: scales, sandwich: false)
        struct State {
            var beta: [Double]
            var candidate: [Double]
            var current: StepSums.Result?
            var delta: [Double] = []
            var factor = 1.0
            var halvings = 0
            var iterations = 0
            var finished = false
            var converged = false
        }
        var states = (0..<replicates).map { _ in State(beta: standardized, candidate: standardized) }
        func prepareStep(_ s: inout State) {
            guard let current = s.current, let delta = try? Cholesky(current.information).solve(current.gradient) else {
                s.finished = true
                return
            }
            s.delta = delta
            s.factor = 1
            s.halvings = 0
            s.candidate = zip(s.beta, delta).map { $0 + $1 }
        }
        var queries = 0
        while queries < 4 * (maximumIterations + 1) {
            let pending = states.indices.filter { !states[$0].finished }
            if pending.isEmpty { break }
            let sql = sums.replicateQuery(table: table, design: design, rowKey: rowKey, seed: seed,
                                          candidates: pending.map { ($0 + 1, states[$0].candidate) })
            let results = try sums.read(engine.run(sql), query: sql, engine: engine)
            queries += 1
            var byReplicate = [StepSums.Result?](repeating: nil, count: replicates)
            for result in results {
                if let g = result.group, g >= 1, g <= replicates { byReplicate[g - 1] = result }
            }
            for r in pending {
                guard let result = byReplicate[r], result.logLikelihood.isFinite else {
                    states[r].finished = true
                    continue
                }
                guard let current = states[r].current else {
                    states[r].current = result
                    prepareStep(&states[r])
                    continue
                }
                if result.logLikelihood >= current.logLikelihood - 1e-12 * abs(current.logLikelihood) || states[r].halvings >= 30 {
                    let change = abs(result.logLikelihood - current.logLikelihood) / (abs(result.logLikelihood) + 0.1)
                    states[r].beta = states[r].candidate
                    states[r].current = result
                    states[r].iterations += 1
                    if change < tolerance {
                        states[r].finished = true
                        states[r].converged = true
                    } else if states[r].iterations >= maximumIterations {
                        states[r].finished = true
                    } else {
                        prepareStep(&states[r])
                    }
                } else {
                    states[r].factor /= 2
                    states[r].halvings += 1
                    states[r].candidate = zip(states[r].beta, states[r].delta).map { $0 + states[r].factor * $1 }
                }
            }
        }
        let fitted = states.filter(\.converged).map { Self.original($0.beta, means: means, scales: scales) }
        return (fitted, replicates - fitted.count, queries)
    }

    /// The CLV at stake of every lever in each replicate: the what-if of
    /// ``whatIf(engine:table:delta:margin:discountRate:higherIsBetter:moves:configuration:)``
    /// over all analysed customers at each replicate's coefficients, from one `GROUP BY` query (as
    /// in memory, the refitted model predicts for every customer, unweighted).
    ///
    /// - Returns: per replicate, per driver, the CLV at stake (`NaN` for a driver without a lever).
    /// - Throws: ``EngineError`` from the engine.
    /// Complexity: two queries, the second over `table × replicates` rows.
    package func whatIfReplicates(engine: SQLEngine, table: String, coefficients replicates: [[Double]], delta: Double,
                                 margin: AnalysisConfiguration.MarginSource, discountRate: Double, higherIsBetter: Bool = false,
                                 moves: [AnalysisConfiguration.LevelMove] = [], configuration: AnalysisConfiguration? = nil) throws -> [[Double]] {
        guard !replicates.isEmpty else { return [] }
        let plan = try whatIfPlan(engine: engine, table: table, delta: delta, margin: margin, discountRate: discountRate,
                                  higherIsBetter: higherIsBetter, moves: moves, configuration: configuration)
        let k = coefficients.count
        let columns = ["b"] + (0..<k).map { "c\($0)" }
        let rows = replicates.enumerated().map { ["\($0 + 1)"] + $1.map { engine.dialect.number($0) } }
        let sql = plan.query(beta: (0..<k).map { "c\($0)" }, replicates: (columns, rows))
        let results: [[String: Double]]
        do { results = try Self.rows(engine.run(sql)) } catch let error as SurveyDataError {
            throw EngineError.badResult(command: engine.command, reason: error.description, query: sql)
        }
        return results.map { row in
            design.drivers.indices.map { j in plan.levers[j] == nil ? .nan : (row["v\(j)"] ?? .nan) - (row["v"] ?? .nan) }
        }
    }
}
