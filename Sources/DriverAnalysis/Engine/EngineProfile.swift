import Foundation

/// One customer profile joined inside a SQL engine from several tables (`kda analyze --engine …
/// --source TABLE:KEY …`): the warehouse counterpart of ``SurveyData/joined(_:options:)``.
///
/// Keys are matched as trimmed text (lower-cased with ``ProfileOptions/KeyCase/insensitive``);
/// a table with repeated keys is reduced by its declared ``RepeatedAnswerRule`` with a window
/// function (`ROW_NUMBER() OVER (PARTITION BY key ORDER BY …)`: `latest`/`earliest` by an ISO
/// date column, empty dates ranking before every dated row; `first`/`last` by the row id in
/// SQLite and DuckDB), never joined many-to-many; without a rule it is refused, as in memory.
/// The base table's customers are kept (left joins); columns keep their names, prefixed
/// `source.` where two sources hold one (the file path's rule, the internal
/// `ProfileAssembly.plan(_:)`).
/// ``relation`` is the whole join and reduction as one `FROM` item, so each analysis query is
/// one query over it; ``coverage`` is the file path's ``ProfileCoverage``, counted by one query.
public struct EngineProfile: Sendable {
    /// One table of the profile.
    public struct SourceTable: Sendable, Equatable {
        /// The source's name (prefix of its colliding columns).
        public let name: String
        /// The table, as `--table` takes it (validated and quoted per dialect).
        public let table: String
        /// Its customer key column.
        public let key: String
        /// How its repeated customers are reduced, if it has any.
        public let rule: RepeatedAnswerRule?

        /// A source `name` read from `table`, keyed by `key`.
        ///
        /// - Parameters:
        ///   - name: the source's name, the prefix of its colliding columns.
        ///   - table: the table, as `--table` takes it (validated and quoted per dialect).
        ///   - key: its customer key column.
        ///   - rule: how repeated customers are reduced; `nil` (default) refuses repeated keys.
        public init(name: String, table: String, key: String, rule: RepeatedAnswerRule? = nil) {
            self.name = name
            self.table = table
            self.key = key
            self.rule = rule
        }
    }

    /// The joined profile as a parenthesized `FROM` item (without an alias).
    public let relation: String
    /// Who is in which source.
    public let coverage: ProfileCoverage
    /// The profile's column names (the base's first).
    public let columns: [String]

    /// Reads each table's columns, counts the coverage and builds the join.
    ///
    /// - Parameters:
    ///   - engine: the SQL engine holding the tables.
    ///   - sources: the tables, the base (one row per customer of the profile) first; names must be distinct.
    ///   - keyCase: how keys are matched; default ``ProfileOptions/KeyCase/sensitive``.
    /// - Throws: ``ProfileError`` for repeated keys without a rule, a rule's date column that is
    ///   missing, or duplicate source names; ``AnalysisError`` for `mean` (not computed in the
    ///   engine) or `first`/`last` in an engine without row ids; ``EngineError`` from the engine.
    public init(engine: SQLEngine, sources: [SourceTable], keyCase: ProfileOptions.KeyCase = .sensitive) throws {
        guard !sources.isEmpty else { throw AnalysisError.invalidOption(option: "--source", value: "", reason: "give the sources, the base first") }
        let d = engine.dialect
        var seen = Set<String>()
        for source in sources where !seen.insert(source.name).inserted { throw ProfileError.duplicateSourceName(name: source.name) }
        let tables = try sources.map { try d.tableReference($0.table) }
        let columns = try zip(sources, tables).map { source, table in try Self.columnNames(engine: engine, table: table, source: source.name) }
        for (source, names) in zip(sources, columns) {
            guard names.contains(source.key) else {
                throw SurveyDataError.unknownColumn(name: source.key, suggestions: ColumnNameSuggestions.nearest(to: source.key, in: names))
            }
            if let date = source.rule?.dateColumn, !names.contains(date) {
                throw SurveyDataError.unknownColumn(name: date, suggestions: ColumnNameSuggestions.nearest(to: date, in: names))
            }
        }
        let keyed = zip(sources, tables).enumerated().map { s, pair in
            Self.keyed(pair.0, table: pair.1, index: s, dialect: d, keyCase: keyCase)
        }
        let counts = try EngineCoverage(engine: engine, sources: sources, keyed: keyed, columns: columns, keyCase: keyCase)
        coverage = counts.coverage
        for (s, source) in coverage.sources.enumerated() where source.repeatedCustomers > 0 && sources[s].rule == nil {
            throw ProfileError.repeatedKeys(source: source.name, customers: source.repeatedCustomers, rows: source.repeatedRows,
                                            examples: source.repeatedExamples)
        }
        let plan = ProfileAssembly.plan(zip(sources, columns).map { (name: $0.0.name, key: $0.0.key, columns: $0.1) })
        self.columns = plan.map(\.name)
        var ctes = keyed.enumerated().map { s, sql in "r\(s) AS (\(sql))" }
        for (s, source) in sources.enumerated() {
            ctes.append("u\(s) AS (\(try Self.reduced(source, index: s, dialect: d)))")
        }
        let select = plan.map { "u\($0.source).\(d.quote($0.column)) AS \(d.quote($0.name))" }
        let joins = sources.indices.dropFirst().map { "LEFT JOIN u\($0) ON u\($0).kda_k = u0.kda_k" }
        relation = "(WITH " + ctes.joined(separator: ",\n") + "\nSELECT " + select.joined(separator: ", ") + " FROM u0 "
            + joins.joined(separator: " ") + ")"
    }

    /// The coverage lines and the profile's shape, as one report note.
    public var note: DriverReport.Warning {
        .init(.profileCoverage, "joined in the engine: " + coverage.lines.joined(separator: "; "))
    }

    /// A table's column names, from the header of a one-row result.
    static func columnNames(engine: SQLEngine, table: String, source: String) throws -> [String] {
        let sql = "SELECT * FROM \(table) LIMIT 1"
        let text = try engine.run(sql)
        guard let header = text.split(whereSeparator: \.isNewline).first else { throw ProfileError.noCustomers(source: source) }
        let names = MomentsSQL.splitCSVLine(String(header)).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !names.isEmpty, !names.contains(where: \.isEmpty) else {
            throw EngineError.badResult(command: engine.command, reason: "the header of '\(source)' has an empty column name", query: sql)
        }
        return names
    }

    /// A table's rows with the matching key `kda_k` (trimmed text, lower-cased when keys ignore
    /// case) and the row id `kda_row` where the dialect has one.
    static func keyed(_ source: SourceTable, table: String, index: Int, dialect d: SQLDialect, keyCase: ProfileOptions.KeyCase) -> String {
        var key = "trim(\(d.text(source.key)))"
        if keyCase == .insensitive { key = "lower(\(key))" }
        let row = SQLDialect.rowidDialects.contains(d) ? ", t.rowid AS kda_row" : ""
        return "SELECT \(key) AS kda_k\(row), t.* FROM \(table) AS t"
    }

    /// One row per customer of source `s`: its only row, or the one its rule keeps.
    static func reduced(_ source: SourceTable, index s: Int, dialect d: SQLDialect) throws -> String {
        let present = "kda_k IS NOT NULL AND kda_k <> ''"
        guard let rule = source.rule else { return "SELECT * FROM r\(s) WHERE \(present)" }
        let hasRows = SQLDialect.rowidDialects.contains(d)
        func dated(_ column: String, descending: Bool) -> String {
            let empty = "CASE WHEN \(d.quote(column)) IS NULL OR trim(\(d.text(column))) = '' THEN 0 ELSE 1 END"
            let order = descending ? "DESC" : "ASC"
            return "\(empty) \(order), trim(\(d.text(column))) \(order)" + (hasRows ? ", kda_row \(order)" : "")
        }
        let order: String
        switch rule {
        case let .latest(column): order = dated(column, descending: true)
        case let .earliest(column): order = dated(column, descending: false)
        case .first, .last:
            guard hasRows else {
                throw AnalysisError.invalidOption(option: "--repeated", value: rule.description,
                    reason: "\(d.rawValue) tables have no row order: reduce '\(source.name)' by a date (latest:DATECOL or earliest:DATECOL)")
            }
            order = rule == .first ? "kda_row ASC" : "kda_row DESC"
        case .mean:
            throw AnalysisError.invalidOption(option: "--repeated", value: rule.description,
                reason: "the mean of repeated answers is not computed in the engine: reduce '\(source.name)' by latest:DATECOL, earliest:DATECOL, first or last, or build the profile from exports with kda profile")
        }
        return "SELECT * FROM (SELECT q.*, ROW_NUMBER() OVER (PARTITION BY kda_k ORDER BY \(order)) AS kda_rn FROM r\(s) AS q WHERE \(present)) AS ranked WHERE kda_rn = 1"
    }
}
