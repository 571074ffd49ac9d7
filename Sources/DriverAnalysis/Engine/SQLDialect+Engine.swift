import Foundation

extension SQLDialect {
    /// The dialect's text type for casts (`TEXT`, `VARCHAR`, `STRING`).
    var textType: String {
        switch self {
        case .sqlite: return "TEXT"
        case .duckdb: return "VARCHAR"
        case .spark, .bigquery: return "STRING"
        }
    }

    /// A column as text (for levels and events).
    func text(_ column: String) -> String { "CAST(\(quote(column)) AS \(textType))" }

    /// A column as a double where it holds a number, else `NULL` (never an error): the engine's
    /// safe cast; SQLite's `CAST` (which never fails) after ``isNonNumericText(_:)`` ruled text out.
    func tryNumeric(_ column: String) -> String {
        switch self {
        case .sqlite: return numeric(column)
        case .duckdb: return "TRY_CAST(\(quote(column)) AS DOUBLE)"
        case .spark: return "try_cast(\(quote(column)) AS DOUBLE)"
        case .bigquery: return "SAFE_CAST(\(quote(column)) AS FLOAT64)"
        }
    }

    /// The hexadecimal UTF-8 bytes of a text expression: how user text comes back in results,
    /// so that no quote, delimiter or line break in a value can break their parsing.
    func hex(_ expression: String) -> String {
        switch self {
        case .sqlite, .spark: return "hex(\(expression))"
        case .duckdb: return "hex(\(expression))"
        case .bigquery: return "TO_HEX(CAST(\(expression) AS BYTES))"
        }
    }

    /// A string literal: quotes doubled in SQLite and DuckDB; backslash escapes in Spark SQL and
    /// BigQuery, whose literals read `\` as an escape.
    func string(_ value: String) -> String {
        switch self {
        case .sqlite, .duckdb: return "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
        case .spark, .bigquery:
            return "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
        }
    }

    /// A double literal with all 17 significant digits (Spark reads `0.1` as a DECIMAL, so its
    /// literals carry the `D` suffix).
    func number(_ x: Double) -> String {
        let digits = String(format: "%.17g", x)
        return self == .spark ? digits + "D" : digits
    }

    /// Whether a present value of `column` is text that is not a number: the engine's own safe
    /// cast where it has one; SQLite (which casts any text to a number) by a pattern — a value
    /// with no digit, or with a character that no number holds.
    func isNonNumericText(_ column: String) -> String {
        let q = quote(column)
        switch self {
        case .sqlite:
            return "(typeof(\(q)) = 'text' AND trim(\(q)) <> '' AND (trim(\(q)) NOT GLOB '*[0-9]*' OR trim(\(q)) GLOB '*[^0-9.eE+-]*'))"
        case .duckdb: return "(\(q) IS NOT NULL AND CAST(\(q) AS VARCHAR) <> '' AND TRY_CAST(\(q) AS DOUBLE) IS NULL)"
        case .spark: return "(\(q) IS NOT NULL AND CAST(\(q) AS STRING) <> '' AND try_cast(\(q) AS DOUBLE) IS NULL)"
        case .bigquery: return "(\(q) IS NOT NULL AND CAST(\(q) AS STRING) <> '' AND SAFE_CAST(\(q) AS FLOAT64) IS NULL)"
        }
    }

    /// A table of literal rows with the named columns, as a `FROM` item (`VALUES` in SQLite and
    /// DuckDB — not bound by SQLite's limit on compound selects — an inline table in Spark SQL,
    /// `UNNEST` of structs in BigQuery).
    func inlineTable(columns: [String], rows: [[String]], alias: String) -> String {
        switch self {
        case .sqlite:
            // SQLite names VALUES columns column1, column2, …: rename them in a subquery.
            let renamed = columns.enumerated().map { "column\($0 + 1) AS \($1)" }.joined(separator: ", ")
            return "(SELECT \(renamed) FROM (VALUES " + rows.map { "(" + $0.joined(separator: ", ") + ")" }.joined(separator: ", ") + ")) AS \(alias)"
        case .duckdb:
            return "(VALUES " + rows.map { "(" + $0.joined(separator: ", ") + ")" }.joined(separator: ", ") + ") AS \(alias)(\(columns.joined(separator: ", ")))"
        case .spark:
            return "VALUES " + rows.map { "(" + $0.joined(separator: ", ") + ")" }.joined(separator: ", ") + " AS \(alias)(\(columns.joined(separator: ", ")))"
        case .bigquery:
            return "UNNEST([" + rows.map { row in
                "STRUCT(" + zip(row, columns).map { "\($0) AS \($1)" }.joined(separator: ", ") + ")"
            }.joined(separator: ", ") + "]) AS \(alias)"
        }
    }

    /// The replicates `1…count` as a `FROM` item with column `b`.
    func replicateTable(_ count: Int, alias: String) -> String {
        switch self {
        case .sqlite, .duckdb:
            return "(WITH RECURSIVE r(b) AS (SELECT 1 UNION ALL SELECT b + 1 FROM r WHERE b < \(count)) SELECT b FROM r) AS \(alias)"
        case .spark: return "(SELECT explode(sequence(1, \(count))) AS b) AS \(alias)"
        case .bigquery: return "(SELECT b FROM UNNEST(GENERATE_ARRAY(1, \(count))) AS b) AS \(alias)"
        }
    }

    /// `MATERIALIZED ` after a CTE's `AS` in SQLite, which otherwise inlines the IRLS queries'
    /// chained CTEs and re-evaluates every expression in every sum (eight times slower). DuckDB
    /// inlines them well (materializing made a bootstrap step 3.5 times slower) and the other
    /// engines plan CTEs themselves.
    var materialized: String { self == .sqlite ? "MATERIALIZED " : "" }

    /// The dialects that can draw Poisson-bootstrap weights without a row key (they have a `rowid`).
    package static let rowidDialects: Set<SQLDialect> = [.sqlite, .duckdb]

    /// The expression for a row's key `k` in the bootstrap's `base` table: the `rowid` (SQLite,
    /// DuckDB) or the named key column — hashed by DuckDB's `hash` and taken as an integer in
    /// SQLite; in Spark SQL and BigQuery the column as is (it is hashed with the replicate).
    func rowKey(_ column: String?) -> String {
        guard let column else { return "kda_rowid" }
        switch self {
        case .sqlite: return "CAST(\(quote(column)) AS INTEGER)"
        case .duckdb: return "CAST(hash(\(quote(column))) % 2147483647 AS BIGINT)"
        case .spark, .bigquery: return quote(column)
        }
    }

    /// A uniform draw in (0, 1) from a row key `k` (see ``rowKey(_:)``), the replicate `b` and
    /// the seed — deterministic, no shuffling. SQLite and DuckDB: a linear step, then two
    /// squarings with Lehmer steps, modulo 2³¹ − 1 (integer arithmetic only); Spark SQL:
    /// `xxhash64(k, b, seed)`; BigQuery: `FARM_FINGERPRINT` of the three as text; both taken
    /// modulo 2⁵³.
    func uniformDraw(key k: String, replicate b: String, seed: UInt64) -> String {
        switch self {
        case .sqlite, .duckdb:
            let modulus = 2_147_483_647
            let salt = Int(seed % UInt64(modulus - 1)) + 1
            // A linear start, then two rounds of squaring (non-linear: consecutive rowids would
            // otherwise fall on a lattice whose draws sum to almost exactly n) and a Lehmer step;
            // every product stays below 2⁶² (no overflow in SQLite or DuckDB).
            let x0 = "((((\(k)) % \(modulus)) * 16807 + \(b) * 48271 + \(salt)) % \(modulus))"
            let x1 = "(((\(x0) * \(x0) + 12345) % \(modulus)) * 48271 % \(modulus))"
            let x2 = "((((\(x1) * \(x1) + 54321) % \(modulus)) * 16807 % \(modulus)) + 1)"
            return "(CAST(\(x2) AS \(doubleType)) / \(modulus + 1).0)"
        case .spark:
            let s = Int64(bitPattern: seed)
            return "((CAST(pmod(xxhash64(\(k), \(b), CAST(\(s) AS BIGINT)), 9007199254740992) AS DOUBLE) + 0.5D) / 9007199254740992.0D)"
        case .bigquery:
            let hash = "FARM_FINGERPRINT(CONCAT(CAST(\(k) AS STRING), ':', CAST(\(b) AS STRING), ':\(seed)'))"
            return "((CAST(MOD(MOD(\(hash), 9007199254740992) + 9007199254740992, 9007199254740992) AS FLOAT64) + 0.5) / 9007199254740992.0)"
        }
    }

    /// A Poisson(1) draw by inverting its CDF at the uniform `u` (0…8; P(> 8) ≈ 1e-6).
    static func poissonDraw(_ u: String) -> String {
        let cdf = [0.36787944117144233, 0.7357588823428847, 0.9196986029286058, 0.9810118431238462, 0.9963401531726563,
                   0.9994058151824183, 0.9999167588507691, 0.9999898508033902]
        return "(CASE " + cdf.enumerated().map { "WHEN \(u) < \(String(format: "%.17g", $1)) THEN \($0)" }.joined(separator: " ") + " ELSE 8 END)"
    }
}
