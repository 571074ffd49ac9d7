import Foundation

/// A SQL engine reached through a command that reads SQL on standard input and writes CSV with a
/// header on standard output — `sqlite3 -csv -header survey.db`, `duckdb -csv warehouse.db`,
/// `spark-sql …`, `bq query --format=csv …`. The engine does every pass over the rows; the
/// library only sends queries and reads small results.
///
/// Give it to ``KeyDriverAnalysis/analyze(engine:table:_:rowKey:missing:)`` or
/// ``EngineProfile/init(engine:sources:keyCase:)``; how the queries are run stays inside the
/// library.
///
/// - Important: the command runs through `/bin/sh -c` in a process group of its own, with the
///   privileges of the calling process. Build it from your own configuration, never from text a
///   user of your service supplies.
public struct SQLEngine: Sendable {
    /// The shell command (run with `/bin/sh -c`).
    public let command: String
    /// The SQL dialect of the queries sent.
    public let dialect: SQLDialect
    /// Seconds one query may take before it is stopped (with every process the command started).
    public let timeout: Double
    /// Bytes of output one query may print: every result the library asks for is a few rows (a
    /// moments table of p² cells, one row per Newton step or replicate), far below this; an
    /// engine printing more is stopped with ``EngineError/outputTooLarge(command:limit:query:)``
    /// instead of filling memory.
    public var outputLimit: Int = 64 << 20

    /// An engine behind `command`; the dialect is inferred from the command's program when not
    /// given (`sqlite3`, `duckdb`, `spark-sql`, `bq`).
    ///
    /// - Parameters:
    ///   - command: the shell command, run with `/bin/sh -c`; it reads SQL on standard input and writes CSV
    ///     with a header.
    ///   - dialect: the SQL dialect of the queries; `nil` (default): inferred from the command's program.
    ///   - timeout: seconds one query may take before it is stopped; default 600.
    /// - Throws: ``EngineError/unknownDialect(command:)`` when it cannot be inferred.
    public init(command: String, dialect: SQLDialect? = nil, timeout: Double = 600) throws {
        self.command = command
        self.timeout = timeout
        if let dialect {
            self.dialect = dialect
        } else if let inferred = Self.inferDialect(command) {
            self.dialect = inferred
        } else {
            throw EngineError.unknownDialect(command: command)
        }
    }

    /// The dialect a command's first word names, if any.
    package static func inferDialect(_ command: String) -> SQLDialect? {
        let program = command.split(separator: " ").first.map { String($0.split(separator: "/").last ?? $0) } ?? ""
        switch program {
        case "sqlite3", "sqlite": return .sqlite
        case "duckdb": return .duckdb
        case "spark-sql", "spark-submit", "beeline": return .spark
        case "bq": return .bigquery
        default: return nil
        }
    }

    /// Runs `sql` and returns the engine's CSV output.
    ///
    /// - Throws: ``EngineError`` when the command cannot start, fails (its message and the query
    ///   are quoted back), times out, or returns nothing.
    package func run(_ sql: String) throws -> String {
        let input = Data((sql + (sql.hasSuffix(";") ? "" : ";") + "\n").utf8)
        switch try EngineProcess(command: command, outputLimit: outputLimit).run(input: input, timeout: timeout) {
        case .timedOut:
            throw EngineError.timedOut(command: command, seconds: timeout, query: sql)
        case .tooMuchOutput:
            throw EngineError.outputTooLarge(command: command, limit: outputLimit, query: sql)
        case let .finished(status, outData, errData):
            let stdout = String(decoding: outData, as: UTF8.self), stderr = String(decoding: errData, as: UTF8.self)
            guard status == 0, !stderr.lowercased().contains("error") || !stdout.isEmpty else {
                throw EngineError.failed(command: command, status: status, message: stderr.isEmpty ? stdout : stderr, query: sql)
            }
            guard !stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw EngineError.emptyResult(command: command, query: sql)
            }
            return stdout
        }
    }

    /// Checks that `columns` exist in `table` with one cheap query that names each column through a
    /// table alias — SQLite reads an unknown double-quoted name as a string literal, which would
    /// otherwise turn a misspelt column into a constant.
    ///
    /// - Throws: ``EngineError/failed(command:status:message:query:)`` with the engine's message
    ///   (`no such column`, `Referenced column … not found`, …).
    package func checkColumns(table: String, columns: [String]) throws {
        guard !columns.isEmpty else { return }
        let list = columns.map { "t." + dialect.quote($0) }.joined(separator: ", ")
        _ = try run("SELECT COUNT(*) AS n FROM (SELECT \(list) FROM \(table) AS t LIMIT 1) AS probe")
    }

    /// The weighted moments of `variables` in `table`, computed by the engine in one query
    /// (``MomentsSQL/query(table:variables:weight:dialect:)``).
    ///
    /// - Throws: ``EngineError`` from the engine, ``SurveyDataError/invalidMoments(reason:)`` for a
    ///   result of the wrong shape or with non-numeric cells.
    func moments(table: String, variables: [String], weight: String? = nil) throws -> Moments {
        let sql = MomentsSQL.query(table: table, variables: variables, aliases: variables.indices.map(String.init), weight: weight, dialect: dialect)
        let text = try run(sql)
        do {
            return try MomentsSQL.moments(fromPositionalCSV: text, names: variables)
        } catch let error as SurveyDataError {
            throw EngineError.badResult(command: command, reason: error.description, query: sql)
        }
    }
}

extension SQLEngine {
    /// A linear analysis with `configuration.segment` computed in the engine in one `GROUP BY`
    /// query: the moments per segment; the overall analysis from the segments' moments merged
    /// (Chan's update: exactly the whole table's), one analysis per segment, and the
    /// across-segment test here. NPS is added by ``netPromoterScores(_:table:_:)``.
    ///
    /// - Throws: ``EngineError`` from the engine, ``SurveyDataError`` for a malformed result,
    ///   what ``KeyDriverAnalysis/analyze(moments:_:)`` throws.
    func analyzeSegments(table: String, _ c: AnalysisConfiguration) throws -> DriverReport {
        guard let segment = c.segment, let drivers = c.drivers else {
            throw AnalysisError.invalidOption(option: "segment", value: "", reason: "a segmented engine analysis needs the segment and the drivers")
        }
        let variables = drivers + [c.outcome]
        let sql = MomentsSQL.segmentedQuery(table: table, variables: variables, weight: c.weight, segment: segment, dialect: dialect)
        let parts: [MomentsSQL.SegmentMoments]
        do { parts = try MomentsSQL.segments(fromCSV: run(sql), names: variables, confidenceLevel: c.confidenceLevel) } catch let error as SurveyDataError {
            throw EngineError.badResult(command: command, reason: error.description, query: sql)
        }
        var inner = c
        inner.segment = nil
        inner.nps = nil
        var whole = Moments(names: variables)
        for part in parts { try whole.merge(part.moments) }
        var report = try KeyDriverAnalysis.analyze(moments: whole, inner)
        var segments: [DriverReport.Segment] = []
        for part in parts {
            do {
                segments.append(.init(name: part.level, report: try KeyDriverAnalysis.analyze(moments: part.moments, inner)))
            } catch {
                report.warnings.append(.init(.smallSegment, "segment '\(part.level)' was not analysed: \(error)"))
            }
        }
        report.segments = segments
        return report
    }

    /// The NPS of `configuration.nps` into `report`, as in the file path: from every answer (not
    /// only the rows complete in the drivers), the whole table's and each segment's.
    ///
    /// - Throws: ``EngineError`` from the engine or for a malformed result.
    func netPromoterScores(_ report: inout DriverReport, table: String, _ c: AnalysisConfiguration) throws {
        guard let nps = c.nps else { return }
        report.nps = try npsCounts(table: table, nps: nps, segment: nil, weight: c.weight)["all"]
            .flatMap { MomentsSQL.nps(counts: $0, confidenceLevel: c.confidenceLevel) }
        guard let segment = c.segment else { return }
        let counts = try npsCounts(table: table, nps: nps, segment: segment, weight: c.weight)
        for k in report.segments.indices {
            report.segments[k].report.nps = counts[report.segments[k].name].flatMap { MomentsSQL.nps(counts: $0, confidenceLevel: c.confidenceLevel) }
        }
    }
}

extension SQLEngine {
    /// The weighted NPS counts `[w, ww, promoters, passives, detractors, n]` of every answer of
    /// `nps`, per level of `segment` (one group `all` without), from one `GROUP BY` query; the
    /// levels come back hexadecimal.
    func npsCounts(table: String, nps: String, segment: String?, weight: String?) throws -> [String: [Double]] {
        let d = dialect, r = d.numeric(nps), w = weight.map(d.numeric) ?? "1.0"
        let g = segment.map { d.hex(d.text($0)) } ?? d.hex("'all'")
        var filter = ["\(r) IS NOT NULL"]
        if let segment { filter.append("\(d.quote(segment)) IS NOT NULL") }
        if let weight { filter.append("\(d.numeric(weight)) IS NOT NULL") }
        let sql = """
        SELECT \(g) AS lv, SUM(\(w)) AS a0, SUM(\(w) * \(w)) AS a1, SUM(CASE WHEN \(r) >= 9 THEN \(w) ELSE 0 END) AS a2,
          SUM(CASE WHEN \(r) >= 7 AND \(r) < 9 THEN \(w) ELSE 0 END) AS a3, SUM(CASE WHEN \(r) < 7 THEN \(w) ELSE 0 END) AS a4, COUNT(*) AS a5
        FROM \(table) WHERE \(filter.joined(separator: " AND ")) GROUP BY \(g)
        """
        var out: [String: [Double]] = [:]
        for row in try EngineSource.textRows(run(sql), query: sql, engine: self) {
            guard let level = row["lv"].flatMap(EngineSource.unhex) else {
                throw EngineError.badResult(command: command, reason: "an NPS row has no hexadecimal level: \(row)", query: sql)
            }
            let values = (0..<6).compactMap { row["a\($0)"].flatMap(Double.init) }
            guard values.count == 6 else { throw EngineError.badResult(command: command, reason: "an NPS row holds a non-number: \(row)", query: sql) }
            out[level] = values
        }
        return out
    }
}

/// Why a query sent to an engine command did not give a result.
public enum EngineError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The dialect cannot be inferred from the command: say it.
    case unknownDialect(command: String)
    /// The command could not be started.
    case cannotStart(command: String, reason: String)
    /// The command exited with an error; its message and the query are quoted.
    case failed(command: String, status: Int32, message: String, query: String)
    /// The query ran longer than the timeout.
    case timedOut(command: String, seconds: Double, query: String)
    /// The command printed nothing.
    case emptyResult(command: String, query: String)
    /// The command printed more than the output limit (it was stopped).
    case outputTooLarge(command: String, limit: Int, query: String)
    /// The result is not the moments table (wrong shape, non-numeric cells).
    case badResult(command: String, reason: String, query: String)
    /// A bootstrap in a dialect without a `rowid` (Spark SQL, BigQuery) needs a row key column.
    case needsRowKey(dialect: String)

    /// A column of the engine's table that breaks the file path's data rules (text in a number
    /// column, a negative weight, a duplicated row key…); `reason` says what was found.
    case data(table: String, column: String, reason: String)

    /// The message, naming the command and quoting the engine and the query.
    public var description: String {
        func excerpt(_ query: String) -> String { Escaping.truncated(query, limit: 600) }
        switch self {
        case let .unknownDialect(command):
            return "cannot tell the SQL dialect of '\(command)': say --dialect duckdb, sqlite, spark or bigquery"
        case let .cannotStart(command, reason): return "the engine command '\(command)' could not be started: \(reason)"
        case let .failed(command, status, message, query):
            return "the engine command '\(command)' failed (exit \(status)): \(Escaping.truncated(message.trimmingCharacters(in: .whitespacesAndNewlines), limit: 800))\nthe query was:\n\(excerpt(query))"
        case let .timedOut(command, seconds, query):
            return "the engine command '\(command)' took longer than \(NumberFormat.significant(seconds)) s and was stopped\nthe query was:\n\(excerpt(query))"
        case let .outputTooLarge(command, limit, query):
            return "the engine command '\(command)' printed more than \(limit >> 20) MB for one query and was stopped — every result kda asks for is a few rows: is the command printing the table itself?\nthe query was:\n\(excerpt(query))"
        case let .emptyResult(command, query):
            return "the engine command '\(command)' returned no rows (does the table hold data?)\nthe query was:\n\(excerpt(query))"
        case let .badResult(command, reason, query):
            return "the result of '\(command)' is not the moments table: \(reason)\nthe query was:\n\(excerpt(query))"
        case let .data(table, column, reason):
            return "table \(table), column '\(Escaping.truncated(column, limit: 120))': \(reason)"
        case let .needsRowKey(dialect):
            return "the bootstrap in \(dialect) needs a row key to hash (the dialect has no rowid): name a column that identifies the rows with --row-key COL"
        }
    }
}

extension EngineError: DriverAnalysisError {}
