import Foundation

extension MomentsSQL {
    /// The dialects whose engines can run ``poissonBootstrapQuery(table:variables:weight:replicates:seed:dialect:rowKey:)``
    /// without a row key (they have a `rowid`); Spark SQL and BigQuery need one.
    package static let bootstrapDialects: Set<SQLDialect> = SQLDialect.rowidDialects

    /// The moments of `variables` in `replicates` Poisson-bootstrap resamples, from one scan of
    /// `table` (Hanley & MacGibbon 2006; Chamandy, Muralidharan, Najmi & Naidu 2012): every row
    /// gets, in replicate `b`, the weight `w·Pois(1)`, drawn by inverting the Poisson(1) CDF at a
    /// uniform `u` hashed from the row key, `b` and the seed (integer squarings and Lehmer steps on
    /// the `rowid` in SQLite and DuckDB, `xxhash64` in Spark SQL, `FARM_FINGERPRINT` in BigQuery) —
    /// deterministic, no shuffling. Result: one row per replicate (column `segment` = `b`) with
    /// the moments columns.
    ///
    /// - Parameters:
    ///   - table: the table, already qualified and quoted as the engine wants (see
    ///     ``SQLDialect/tableReference(_:)``).
    ///   - variables: the numeric columns whose moments are computed, in the order of the
    ///     `mean__<name>` and `cp__<a>__<b>` columns; a row missing any of them is skipped (listwise).
    ///   - weight: a numeric column of prior weights `w` (a row without one is skipped); `nil` for
    ///     unit weights.
    ///   - replicates: the number of resamples `B`, at least 1.
    ///   - seed: the seed hashed with the row key and `b`: the same seed, key, table and dialect
    ///     give the same resamples on every run.
    ///   - dialect: the SQL dialect the query is written in (quoting, casts and the hash).
    ///   - rowKey: a column identifying the rows (required for Spark SQL and BigQuery,
    ///     which have no `rowid`; an integer column in SQLite); `nil` uses the `rowid`.
    package static func poissonBootstrapQuery(table: String, variables: [String], weight: String? = nil, replicates: Int, seed: UInt64,
                                             dialect: SQLDialect, rowKey: String? = nil) -> String {
        let q = dialect.quote
        let source = numericSource(variables, weight: weight, dialect: dialect)
        let select = ["  SELECT \(dialect.rowKey(rowKey)) AS k, " + (weight.map { dialect.numeric($0) } ?? "1.0") + " AS w0"] + source.columns
        let notNull = source.filter + (rowKey.map { ["\(dialect.quote($0)) IS NOT NULL"] } ?? [])
        let columns = variables.indices.map { ", v\($0)" }.joined()
        return """
        -- DriverAnalysis Poisson bootstrap of the moments, \(replicates) replicates from one scan; dialect: \(dialect.rawValue)
        WITH base AS (
        \(select.joined(separator: ",\n"))
          FROM \(table)
          WHERE \(notNull.joined(separator: "\n    AND "))
        ),
        draws AS (
          SELECT reps.b AS g, base.w0\(columns), \(dialect.uniformDraw(key: "base.k", replicate: "reps.b", seed: seed)) AS u
          FROM base CROSS JOIN \(dialect.replicateTable(replicates, alias: "reps"))
        ),
        src AS (
          SELECT g, w0 * \(SQLDialect.poissonDraw("u")) AS w\(columns) FROM draws
        ),
        \(groupedMomentsTail(variables.indices.map(String.init), quote: q))
        """
    }
}

extension SQLEngine {
    /// Bootstrap intervals for a linear engine analysis: `configuration.bootstrap` Poisson
    /// replicates of the moments from one scan (``MomentsSQL/poissonBootstrapQuery(table:variables:weight:replicates:seed:dialect:rowKey:)``),
    /// each analysed here (Shapley values and mean ratings), giving percentile intervals of the
    /// importance, P(rank), the rank interval and "more important than" for the top drivers.
    ///
    /// - Parameter rowKey: the column hashed for the replicate weights (required for Spark SQL and
    ///   BigQuery); `nil` uses the `rowid`.
    /// - Throws: ``EngineError`` (``EngineError/needsRowKey(dialect:)`` for Spark SQL or BigQuery
    ///   without a row key), ``SurveyDataError`` for a malformed result.
    func bootstrap(_ report: inout DriverReport, table: String, _ c: AnalysisConfiguration, rowKey: String? = nil) throws {
        try checkBootstrapKey(rowKey)
        let drivers = report.drivers.map(\.name)
        let variables = drivers + [c.outcome]
        let sql = MomentsSQL.poissonBootstrapQuery(table: table, variables: variables, weight: c.weight, replicates: c.bootstrap, seed: c.seed,
                                                   dialect: dialect, rowKey: rowKey)
        let parts: [MomentsSQL.SegmentMoments]
        do { parts = try MomentsSQL.replicates(fromCSV: run(sql), names: variables) } catch let error as SurveyDataError {
            throw EngineError.badResult(command: command, reason: error.description, query: sql)
        }
        let p = drivers.count
        var replicates: [[Double]] = []
        for part in parts {
            guard let input = try? ImportanceInput(moments: part.moments, outcome: c.outcome),
                  let values = try? ShapleyDecomposition(input).values else { continue }
            replicates.append(values + Array(part.moments.means.prefix(p)))
        }
        if replicates.count < c.bootstrap {
            // A replicate that cannot be analysed (a resample with a constant driver) is named, never counted as 0.
            report.warnings.append(.init(.bootstrapFailures, "\(c.bootstrap - replicates.count) of \(c.bootstrap) Poisson-bootstrap replicates could not be analysed (a resample with a constant or collinear driver); the intervals rest on the other \(replicates.count)"))
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
        report.warnings.append(.init(.engineBootstrap, "intervals from \(replicates.count) Poisson-bootstrap replicates computed in the engine in one scan (each row weighted by a Poisson(1) draw hashed from its \(rowKey.map { "key '\($0)'" } ?? "rowid") and the replicate; Hanley & MacGibbon 2006, Chamandy et al. 2012)"))
    }
}

extension SQLEngine {
    /// Refuses a bootstrap in a dialect without a `rowid` when no row key is named.
    ///
    /// - Throws: ``EngineError/needsRowKey(dialect:)``.
    func checkBootstrapKey(_ rowKey: String?) throws {
        if rowKey == nil && !SQLDialect.rowidDialects.contains(dialect) { throw EngineError.needsRowKey(dialect: dialect.rawValue) }
    }
}
