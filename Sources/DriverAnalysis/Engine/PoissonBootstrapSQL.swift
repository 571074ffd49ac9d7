import Foundation

extension MomentsSQL {
    /// The dialects whose engines can run ``poissonBootstrapQuery(table:variables:weight:replicates:seed:dialect:)``
    /// (a `rowid`, 64-bit integer arithmetic, recursive CTEs).
    public static let bootstrapDialects: Set<SQLDialect> = [.sqlite, .duckdb]

    /// The moments of `variables` in `replicates` Poisson-bootstrap resamples, from one scan of
    /// `table` (Hanley & MacGibbon 2006; Chamandy, Muralidharan, Najmi & Naidu 2012): every row
    /// gets, in replicate `b`, the weight `w·Pois(1)`, drawn by inverting the Poisson(1) CDF at
    /// `u = hash(rowid, b, seed)` — three Lehmer steps modulo 2³¹ − 1, deterministic, no shuffling.
    /// Result: one row per replicate (column `segment` = `b`) with the moments columns.
    public static func poissonBootstrapQuery(table: String, variables: [String], weight: String? = nil, replicates: Int, seed: UInt64,
                                             dialect: SQLDialect) -> String {
        let q = dialect.quote
        let modulus = 2_147_483_647
        let salt = Int(seed % UInt64(modulus - 1)) + 1
        let source = numericSource(variables, weight: weight, dialect: dialect)
        let select = ["  SELECT rowid AS k, " + (weight.map { dialect.numeric($0) } ?? "1.0") + " AS w0"] + source.columns
        let notNull = source.filter
        // u ∈ (0, 1) from (row, replicate, seed); Poisson(1) by its cumulative probabilities.
        let x0 = "(((k % \(modulus)) * 16807 + b * 48271 + \(salt)) % \(modulus))"
        let x1 = "((\(x0) * 48271) % \(modulus))"
        let x2 = "(((\(x1) * 48271) % \(modulus)) + 1)"
        let cdf = [0.36787944117144233, 0.7357588823428847, 0.9196986029286058, 0.9810118431238462, 0.9963401531726563,
                   0.9994058151824183, 0.9999167588507691, 0.9999898508033902]
        let draw = "CASE " + cdf.enumerated().map { "WHEN u < \(String(format: "%.17g", $1)) THEN \($0)" }.joined(separator: " ") + " ELSE 8 END"
        let columns = variables.indices.map { ", v\($0)" }.joined()
        return """
        -- DriverAnalysis Poisson bootstrap of the moments, \(replicates) replicates from one scan; dialect: \(dialect.rawValue)
        WITH RECURSIVE reps(b) AS (SELECT 1 UNION ALL SELECT b + 1 FROM reps WHERE b < \(replicates)),
        base AS (
        \(select.joined(separator: ",\n"))
          FROM \(table)
          WHERE \(notNull.joined(separator: "\n    AND "))
        ),
        draws AS (
          SELECT reps.b AS g, base.w0\(columns), CAST(\(x2) AS \(dialect.doubleType)) / \(modulus + 1).0 AS u
          FROM base CROSS JOIN reps
        ),
        src AS (
          SELECT g, w0 * (\(draw)) AS w\(columns) FROM draws
        ),
        \(groupedMomentsTail(variables, quote: q))
        """
    }
}

extension SQLEngine {
    /// Bootstrap intervals for a linear engine analysis: `configuration.bootstrap` Poisson
    /// replicates of the moments from one scan (``MomentsSQL/poissonBootstrapQuery(table:variables:weight:replicates:seed:dialect:)``),
    /// each analysed here (Shapley values and mean ratings), giving percentile intervals of the
    /// importance, P(rank), the rank interval and "more important than" for the top drivers.
    ///
    /// - Throws: ``EngineError`` (also for a dialect without the needed functions), ``SurveyDataError``
    ///   for a malformed result.
    public func bootstrap(_ report: inout DriverReport, table: String, _ c: AnalysisConfiguration) throws {
        guard MomentsSQL.bootstrapDialects.contains(dialect) else {
            throw EngineError.cannotStart(command: command, reason: "the bootstrap in the engine needs the \(MomentsSQL.bootstrapDialects.map(\.rawValue).sorted().joined(separator: " or ")) dialect")
        }
        let drivers = report.drivers.map(\.name)
        let variables = drivers + [c.outcome]
        let sql = MomentsSQL.poissonBootstrapQuery(table: table, variables: variables, weight: c.weight, replicates: c.bootstrap, seed: c.seed,
                                                   dialect: dialect)
        let parts: [MomentsSQL.SegmentMoments]
        do { parts = try MomentsSQL.segments(fromCSV: run(sql)) } catch let error as SurveyDataError {
            throw EngineError.badResult(command: command, reason: error.description, query: sql)
        }
        let p = drivers.count
        var replicates: [[Double]] = []
        for part in parts {
            guard let input = try? ImportanceInput(moments: part.moments, outcome: c.outcome),
                  let values = try? ShapleyDecomposition(input).values else { continue }
            replicates.append(values + Array(part.moments.means.prefix(p)))
        }
        guard !replicates.isEmpty, let ranks = report.drivers.map(\.rank) as? [Int] else { return }
        let level = c.confidenceLevel
        for j in 0..<p {
            let sorted = replicates.map { $0[j] }.sorted()
            report.drivers[j].importanceIntervals[.shapley] = ClosedInterval(lower: Bootstrap.quantile(sorted, (1 - level) / 2),
                                                                              upper: Bootstrap.quantile(sorted, (1 + level) / 2))
        }
        let stability = ConfidenceStage.stability(replicates, ranks: ranks, quadrants: report.drivers.map { _ in nil },
                                                  scales: report.drivers.map { _ in nil }, level: level)
        for j in 0..<p {
            report.drivers[j].rankProbability = stability.rankProbabilities[j]
            report.drivers[j].rankInterval = stability.rankIntervals[j]
        }
        let top = ranks.indices.sorted { ranks[$0] < ranks[$1] }.prefix(5)
        report.importanceComparisons = []
        for (position, a) in top.enumerated() {
            for b in top.dropFirst(position + 1) {
                report.importanceComparisons.append(.init(a: drivers[a], b: drivers[b], probability: stability.wins[a][b]))
            }
        }
        report.warnings.append(.init("engine_bootstrap", "intervals from \(replicates.count) Poisson-bootstrap replicates computed in the engine in one scan (each row weighted by a Poisson(1) draw hashed from its rowid and the replicate; Hanley & MacGibbon 2006, Chamandy et al. 2012)"))
    }
}
