import Foundation
import LinearAlgebra

/// SQL dialects for ``MomentsSQL``.
public enum SQLDialect: String, Sendable, CaseIterable {
    /// DuckDB: `"quoted"` identifiers, `DOUBLE`.
    case duckdb
    /// Spark SQL / Databricks: backtick-quoted identifiers, `DOUBLE`.
    case spark
    /// SQLite: `"quoted"` identifiers, `REAL`; empty strings (CSV imports) count as missing.
    case sqlite
    /// BigQuery: backtick-quoted identifiers, `FLOAT64`.
    case bigquery

    func quote(_ identifier: String) -> String {
        switch self {
        case .duckdb, .sqlite: return "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        case .spark: return "`" + identifier.replacingOccurrences(of: "`", with: "``") + "`"
        case .bigquery:
            // GoogleSQL quoted identifiers take backslash escapes (a doubled backtick is not one).
            return "`" + identifier.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "`", with: "\\`") + "`"
        }
    }

    /// `text` (`--table`) as a table reference for this dialect: a name or a qualified name
    /// (`schema.table`, `project.dataset.table`), each part either a plain identifier (letters,
    /// digits, `_`, `$`, and `-` in BigQuery project names) or already quoted with the dialect's
    /// quote character; each part is quoted. Anything else — a subquery, a second statement — is
    /// refused: to analyse a query, create a view of it and name the view.
    ///
    /// - Parameter text: the table name, optionally qualified with dots; each part plain or already quoted.
    /// - Throws: ``AnalysisError/invalidOption(option:value:reason:)`` naming the part that is not an identifier.
    public func tableReference(_ text: String) throws -> String {
        let quoteCharacter: Character = (self == .spark || self == .bigquery) ? "`" : "\""
        var parts: [String] = [], current = "", quoted = false, wasQuoted = false
        var characters = Array(text)[...]
        func refuse(_ why: String) -> AnalysisError {
            .invalidOption(option: "--table", value: Escaping.truncated(text, limit: 80),
                           reason: "\(why); --table takes a table or view name, optionally qualified (schema.table); to analyse a query, create a view of it (CREATE VIEW v AS SELECT …) and give --table v")
        }
        while let ch = characters.popFirst() {
            if quoted {
                if ch == quoteCharacter {
                    if self != .bigquery, characters.first == quoteCharacter { current.append(ch); characters.removeFirst() } else { quoted = false }
                } else if ch == "\\" && self == .bigquery, let next = characters.popFirst() {
                    current.append(next)
                } else {
                    current.append(ch)
                }
            } else if ch == quoteCharacter && current.isEmpty && !wasQuoted {
                quoted = true
                wasQuoted = true
            } else if ch == "." {
                guard !current.isEmpty else { throw refuse("an empty name part") }
                parts.append(current)
                current = ""
                wasQuoted = false
            } else {
                guard !wasQuoted else { throw refuse("text after a quoted name") }
                let allowed = ch == "_" || ch == "$" || (ch == "-" && self == .bigquery) || (ch.isASCII && (ch.isLetter || ch.isNumber))
                guard allowed else { throw refuse("'\(ch)' cannot appear in an unquoted name") }
                current.append(ch)
            }
        }
        guard !quoted else { throw refuse("a quoted name is never closed") }
        guard !current.isEmpty else { throw refuse("an empty name part") }
        parts.append(current)
        guard parts.count <= 3 else { throw refuse("more than three name parts") }
        return parts.map(quote).joined(separator: ".")
    }

    var doubleType: String {
        switch self {
        case .duckdb, .spark: return "DOUBLE"
        case .sqlite: return "REAL"
        case .bigquery: return "FLOAT64"
        }
    }

    /// A numeric expression for a column; SQLite tables loaded from CSV hold '' for missing.
    func numeric(_ column: String) -> String {
        self == .sqlite ? "CAST(NULLIF(\(quote(column)), '') AS REAL)" : "CAST(\(quote(column)) AS \(doubleType))"
    }
}

/// Computes ``Moments`` where the data lives: SQL for a warehouse or a distributed engine, and
/// a reader for its one-row result.
///
/// The query is two-pass, like ``Moments`` itself: first the weighted means, then the sums of
/// centred products, so it keeps its accuracy on large tables (one-pass raw sums lose digits
/// to cancellation). Rows with a missing value in any variable or the weight are skipped
/// (listwise). Result columns: `n`, `weight_sum`, `weight_squared_sum`, `mean__<name>` per
/// variable and `cp__<a>__<b>` for each pair `a ≤ b` in the given order — the format
/// ``moments(fromCSV:)`` and `kda analyze --from-moments` read.
public enum MomentsSQL {
    /// The query for `variables` of `table` (a table name, already qualified as the engine wants).
    ///
    /// - Parameters:
    ///   - table: the table reference, already qualified and quoted as the engine wants (see
    ///     ``SQLDialect/tableReference(_:)``).
    ///   - variables: the numeric column names, in the order of the moments.
    ///   - weight: the column of row weights; `nil` (the default) for unweighted.
    ///   - dialect: the SQL engine, which decides quoting and numeric casts.
    public static func query(table: String, variables: [String], weight: String? = nil, dialect: SQLDialect) -> String {
        query(table: table, variables: variables, aliases: variables, weight: weight, dialect: dialect)
    }

    /// The moments query with the result columns named after `aliases` (one per variable): the
    /// engine path passes positions (`0`, `1`, …), so that no column name — one holding a quote,
    /// or two whose `cp__a__b` spellings coincide — can break or confuse the result.
    static func query(table: String, variables: [String], aliases: [String], weight: String?, dialect: SQLDialect) -> String {
        let q = dialect.quote
        let source = numericSource(variables, weight: weight, dialect: dialect)
        let select = ["  SELECT " + (weight.map { dialect.numeric($0) } ?? "1.0") + " AS w"] + source.columns
        let notNull = source.filter
        var means = ["COUNT(*) AS n", "SUM(w) AS sw", "SUM(w * w) AS sww"]
        for k in variables.indices { means.append("SUM(w * v\(k)) / SUM(w) AS m\(k)") }
        var outer = [
            "  MAX(m.n) AS \(q("n"))", "  MAX(m.sw) AS \(q("weight_sum"))", "  MAX(m.sww) AS \(q("weight_squared_sum"))",
        ]
        outer += momentColumns(aliases, quote: q)
        return """
        -- DriverAnalysis moments (two-pass: means, then centred cross-products); dialect: \(dialect.rawValue)
        WITH src AS (
        \(select.joined(separator: ",\n"))
          FROM \(table)
          WHERE \(notNull.joined(separator: "\n    AND "))
        ),
        m AS (
          SELECT \(means.joined(separator: ", "))
          FROM src
        )
        SELECT
        \(outer.joined(separator: ",\n"))
        FROM src CROSS JOIN m;
        """
    }

    /// The numeric columns `v<k>` of `variables` and the filter that keeps the rows where every
    /// variable and the weight are present (listwise), shared by every moments query.
    static func numericSource(_ variables: [String], weight: String?, dialect: SQLDialect) -> (columns: [String], filter: [String]) {
        (variables.enumerated().map { k, name in "    \(dialect.numeric(name)) AS v\(k)" },
         (variables + (weight.map { [$0] } ?? [])).map { dialect.numeric($0) + " IS NOT NULL" })
    }

    /// The end of a grouped moments query over a `src` with columns `g`, `w`, `v<k>`: the means
    /// per group, then per group `segment` (= `g`), `n`, the weight sums, the moments columns and
    /// `extra` aggregates, ordered by group.
    static func groupedMomentsTail(_ variables: [String], extra: [String] = [], level: String = "src.g", quote q: (String) -> String) -> String {
        let means = ["g", "COUNT(*) AS n", "SUM(w) AS sw", "SUM(w * w) AS sww"] + variables.indices.map { "SUM(w * v\($0)) / SUM(w) AS m\($0)" }
        let outer = ["  \(level) AS \(q("segment"))", "  MAX(m.n) AS \(q("n"))", "  MAX(m.sw) AS \(q("weight_sum"))",
                     "  MAX(m.sww) AS \(q("weight_squared_sum"))"] + momentColumns(variables, quote: q) + extra
        return """
        m AS (
          SELECT \(means.joined(separator: ", "))
          FROM src
          GROUP BY g
        )
        SELECT
        \(outer.joined(separator: ",\n"))
        FROM src JOIN m ON src.g = m.g
        GROUP BY src.g
        ORDER BY src.g;
        """
    }

    /// The result columns `mean__<name>` and `cp__<a>__<b>` (centred cross-products against the
    /// means `m.m<k>`), shared by the whole-table and the per-segment queries.
    static func momentColumns(_ variables: [String], quote q: (String) -> String) -> [String] {
        var columns = variables.enumerated().map { k, name in "  MAX(m.m\(k)) AS \(q("mean__" + name))" }
        for a in variables.indices {
            for b in a..<variables.count {
                columns.append("  SUM(src.w * (src.v\(a) - m.m\(a)) * (src.v\(b) - m.m\(b))) AS \(q("cp__\(variables[a])__\(variables[b])"))")
            }
        }
        return columns
    }

    /// Reads the query's result (a header and one data row, comma-separated) into ``Moments``.
    ///
    /// - Parameter text: the query's result as CSV: the header line and one data row, comma-separated.
    /// - Throws: ``SurveyDataError/invalidMoments(reason:)`` naming what is missing or malformed.
    public static func moments(fromCSV text: String) throws -> Moments {
        let lines = text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        guard lines.count >= 2 else { throw SurveyDataError.invalidMoments(reason: "expected a header row and one data row") }
        let header = splitCSVLine(lines[0]), values = splitCSVLine(lines[1])
        guard header.count == values.count else {
            throw SurveyDataError.invalidMoments(reason: "the header has \(header.count) fields but the data row \(values.count)")
        }
        var fields: [String: Double] = [:]
        for (name, text) in zip(header, values) {
            guard let value = DecimalParser.parse(text.trimmingCharacters(in: .whitespaces)) else {
                throw SurveyDataError.invalidMoments(reason: "field '\(name)' is '\(text)', not a number (no complete rows?)")
            }
            guard value.isFinite else { throw SurveyDataError.invalidMoments(reason: "field '\(name)' is \(text), not a finite number") }
            guard fields[name] == nil else { throw SurveyDataError.invalidMoments(reason: "column '\(name)' appears more than once") }
            fields[name] = value
        }
        let names = header.filter { $0.hasPrefix("mean__") }.map { String($0.dropFirst(6)) }
        guard !names.isEmpty else { throw SurveyDataError.invalidMoments(reason: "no mean__<name> columns") }
        guard names.count <= 5_000 else { throw SurveyDataError.invalidMoments(reason: "\(names.count) variables, beyond the limit of 5,000") }
        func field(_ key: String) throws -> Double {
            guard let value = fields[key] else { throw SurveyDataError.invalidMoments(reason: "missing column '\(key)'") }
            return value
        }
        let d = names.count
        var cross = Matrix(uncheckedRows: d, columns: d)
        for a in 0..<d {
            for b in a..<d {
                let value = try field("cp__\(names[a])__\(names[b])")
                if a == b && value < 0 {
                    throw SurveyDataError.invalidMoments(reason: "cp__\(names[a])__\(names[b]) = \(value): a sum of squares cannot be negative")
                }
                cross[a, b] = value
                cross[b, a] = value
            }
        }
        let n = try field("n")
        guard n >= 1, n == n.rounded() else { throw SurveyDataError.invalidMoments(reason: "n = \(n) is not a positive count") }
        // Counts and weight totals beyond 2^53 are not exact in a Double (and not an Int on 32-bit).
        guard n <= countLimit else { throw SurveyDataError.invalidMoments(reason: "n = \(n) is beyond 2^53 rows") }
        let weightSum = try field("weight_sum")
        guard weightSum > 0, weightSum <= countLimit else {
            throw SurveyDataError.invalidMoments(reason: "weight_sum = \(weightSum) must be positive and at most 2^53 (rescale the weights)")
        }
        if let squares = fields["weight_squared_sum"], !(squares > 0) {
            throw SurveyDataError.invalidMoments(reason: "weight_squared_sum = \(squares) must be positive")
        }
        return try Moments(names: names, count: Int(n), weightSum: weightSum,
                           weightSquaredSum: fields["weight_squared_sum"], means: try names.map { try field("mean__" + $0) },
                           crossProducts: cross)
    }

    /// The largest count or weight total accepted: 2^53, beyond which a Double no longer holds
    /// every whole number.
    static let countLimit = 9_007_199_254_740_992.0

    /// Moments read from a result whose columns are positional (`mean__0`, `cp__0__1`, …), named
    /// `names` in that order.
    static func moments(fromPositionalCSV text: String, names: [String]) throws -> Moments {
        try renamed(moments(fromCSV: text), names)
    }

    /// `moments` (read with positional names `0`, `1`, …) with the variables' real names.
    static func renamed(_ moments: Moments, _ names: [String]) throws -> Moments {
        guard moments.names == names.indices.map(String.init) else {
            throw SurveyDataError.invalidMoments(reason: "expected the columns of \(names.count) variables, found \(moments.names.count)")
        }
        return try Moments(names: names, count: moments.count, weightSum: moments.weightSum, weightSquaredSum: moments.weightSquaredSum,
                           means: moments.means, crossProducts: moments.crossProducts)
    }

    /// Moments as the same one-row CSV (what `kda sql` users get from their engine).
    ///
    /// - Parameter moments: the moments to write.
    public static func csv(_ moments: Moments) -> String {
        var header = ["n", "weight_sum", "weight_squared_sum"], row = [String(moments.count), "\(moments.weightSum)", "\(moments.weightSquaredSum)"]
        for (k, name) in moments.names.enumerated() { header.append("mean__" + name); row.append("\(moments.means[k])") }
        for a in moments.names.indices {
            for b in a..<moments.names.count {
                header.append("cp__\(moments.names[a])__\(moments.names[b])")
                row.append("\(moments.crossProducts[a, b])")
            }
        }
        func escape(_ s: String) -> String { s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s }
        return header.map(escape).joined(separator: ",") + "\n" + row.joined(separator: ",") + "\n"
    }

    /// Splits one CSV line, honouring double quotes.
    static func splitCSVLine(_ line: String) -> [String] {
        var fields: [String] = [], current = "", inQuotes = false
        var iterator = line.makeIterator()
        var pending: Character? = nil
        while let c = pending ?? iterator.next() {
            pending = nil
            if inQuotes {
                if c == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { current.append("\"") } else { inQuotes = false; pending = next }
                    } else { inQuotes = false }
                } else { current.append(c) }
            } else if c == "\"" { inQuotes = true } else if c == "," { fields.append(current); current = "" } else { current.append(c) }
        }
        fields.append(current)
        return fields.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\r")) }
    }
}
