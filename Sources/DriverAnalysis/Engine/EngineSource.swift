import Foundation

/// The table as an engine analysis reads it, under the file path's data rules: every named
/// column with its missing cells set to `NULL` — blank, the missing tokens (`NA`, `N/A`, `NaN`,
/// `null`, any case, after trimming) and the declared `--na-values` codes (numeric codes match
/// numerically, others as trimmed text) — so that no engine casts `'NA'` or `' '` to 0, and one
/// profiling pass that types each column as the file reader would (text, numbers or both).
///
/// Every later query reads ``relation`` instead of the table (the columns keep their names,
/// quoted for the dialect; the row id is `kda_rowid`); the profiling query's result columns are
/// positional (`p0`, `t0`, …) and its text comes back hexadecimal, so no name or value can break
/// the parsing of its result.
struct EngineSource: Sendable {
    /// What one pass found in a named column (after missing cells became `NULL`).
    struct ColumnProfile: Sendable {
        /// Cells present.
        var present = 0
        /// Present cells that are text, not numbers.
        var texts = 0
        /// One text cell, as spelt in the table (the smallest in byte order).
        var exampleText: String? = nil
        /// The smallest and largest number present.
        var minimum: Double? = nil, maximum: Double? = nil
        /// The sum of the numbers present (unweighted).
        var sum: Double? = nil
        /// Numbers that are not whole.
        var fractional = 0
        /// Distinct present values (asked for the row key only).
        var distinct: Int? = nil
        /// Both numbers and text: unusable as either (the reader's `mixed`).
        var isMixed: Bool { texts > 0 && texts < present }
        /// Text only (a factor or a Yes/No column).
        var isText: Bool { texts > 0 && texts == present }
    }

    /// The table named by the user, quoted for the dialect.
    let table: String
    /// A `FROM` item: the named columns cleaned of missing codes, plus `kda_rowid` where the
    /// dialect has a row id.
    let relation: String
    /// Rows in the table.
    let rows: Int
    /// Per named column, what the profiling pass found.
    let profiles: [String: ColumnProfile]

    /// Builds the cleaned relation over `table` for `columns` and profiles them in one query;
    /// `rowid` carries the engine's row id as `kda_rowid` (a bootstrap without a row key needs
    /// it; a view has none, so it is asked for only then).
    ///
    /// - Throws: ``EngineError`` from the engine or for a malformed result.
    init(engine: SQLEngine, table: String, columns: [String], missing: CSVOptions, rowKey: String?, rowid: Bool) throws {
        let d = engine.dialect
        var unique: [String] = []
        for name in columns where !unique.contains(name) { unique.append(name) }
        let cleaned = unique.map { name in
            "CASE WHEN \(Self.isMissing(name, dialect: d, missing: missing)) THEN NULL ELSE \(d.quote(name)) END AS \(d.quote(name))"
        }
        let rowid = rowid && SQLDialect.rowidDialects.contains(d) ? ", rowid AS kda_rowid" : ""
        self.table = table
        relation = "(SELECT \(cleaned.joined(separator: ", "))\(rowid) FROM \(table) AS kda_src) AS kda_t"
        var select = ["COUNT(*) AS n"]
        for (k, name) in unique.enumerated() {
            let q = d.quote(name), text = d.isNonNumericText(name)
            select.append("COUNT(\(q)) AS p\(k)")
            select.append("SUM(CASE WHEN \(text) THEN 1 ELSE 0 END) AS t\(k)")
            select.append("MIN(CASE WHEN \(text) THEN \(d.hex(d.text(name))) END) AS x\(k)")
            select.append("MIN(CASE WHEN NOT \(text) THEN \(d.tryNumeric(name)) END) AS lo\(k)")
            select.append("MAX(CASE WHEN NOT \(text) THEN \(d.tryNumeric(name)) END) AS hi\(k)")
            select.append("SUM(CASE WHEN NOT \(text) THEN \(d.tryNumeric(name)) END) AS s\(k)")
            select.append("SUM(CASE WHEN NOT \(text) AND \(d.tryNumeric(name)) <> ROUND(\(d.tryNumeric(name))) THEN 1 ELSE 0 END) AS f\(k)")
            if name == rowKey { select.append("COUNT(DISTINCT \(q)) AS d\(k)") }
        }
        let sql = "SELECT " + select.joined(separator: ", ") + " FROM " + relation
        let fields = try Self.textRow(engine.run(sql), query: sql, engine: engine)
        let expected = ["n"] + unique.indices.flatMap { k in ["p\(k)", "t\(k)", "f\(k)"] }
        if let absent = expected.first(where: { fields[$0].flatMap { Double($0) } == nil }) {
            throw EngineError.badResult(command: engine.command, reason: "the profile's count '\(absent)' is \(fields[absent].map { "'\($0)'" } ?? "missing"), not a number", query: sql)
        }
        func number(_ key: String) -> Double? { fields[key].flatMap { $0.isEmpty ? nil : Double($0) } }
        func count(_ key: String) -> Int { number(key).map { $0.isFinite && $0 >= 0 && $0 < 1e15 ? Int($0) : 0 } ?? 0 }
        rows = count("n")
        var profiles: [String: ColumnProfile] = [:]
        for (k, name) in unique.enumerated() {
            var profile = ColumnProfile()
            profile.present = count("p\(k)")
            profile.texts = count("t\(k)")
            profile.exampleText = fields["x\(k)"].flatMap { $0.isEmpty ? nil : Self.unhex($0) }
            profile.minimum = number("lo\(k)")
            profile.maximum = number("hi\(k)")
            profile.fractional = count("f\(k)")
            profile.sum = number("s\(k)")
            profile.distinct = name == rowKey ? count("d\(k)") : nil
            profiles[name] = profile
        }
        self.profiles = profiles
    }

    /// Whether a cell of `column` is missing as the file reader reads it.
    static func isMissing(_ column: String, dialect d: SQLDialect, missing: CSVOptions) -> String {
        let q = d.quote(column)
        let tokens = ([""] + missing.missingTokens).map { d.string($0.lowercased()) }
        var tests = ["\(q) IS NULL", "lower(trim(\(d.text(column)))) IN (\(tokens.joined(separator: ", ")))"]
        let codes = (missing.missingCodes + (missing.columnMissingCodes[column] ?? [])).map { $0.trimmingCharacters(in: .whitespaces) }
        let numeric = codes.compactMap { DecimalParser.parse($0) }.filter(\.isFinite)
        let text = codes.filter { DecimalParser.parse($0) == nil }
        if !text.isEmpty { tests.append("trim(\(d.text(column))) IN (\(text.map(d.string).joined(separator: ", ")))") }
        if !numeric.isEmpty {
            tests.append("(NOT \(d.isNonNumericText(column)) AND \(d.tryNumeric(column)) IN (\(numeric.map(d.number).joined(separator: ", "))))")
        }
        return "(" + tests.joined(separator: " OR ") + ")"
    }

    /// The one data row of a result whose cells may be text, by column name (empty for `NULL`).
    static func textRow(_ text: String, query: String, engine: SQLEngine) throws -> [String: String] {
        let rows = try textRows(text, query: query, engine: engine)
        guard rows.count == 1 else {
            throw EngineError.badResult(command: engine.command, reason: "expected a header row and one data row, got \(rows.count) data rows", query: query)
        }
        return rows[0]
    }

    /// The data rows of a result (a header, then any number of rows; cells may be text), each by
    /// column name, trimmed (empty for `NULL`) — the one reader of the engine path's small
    /// results (profile, levels, NPS counts, segment answers, coverage examples). User text in them
    /// is hexadecimal, so a row is one line.
    static func textRows(_ text: String, query: String, engine: SQLEngine) throws -> [[String: String]] {
        let lines = text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        guard let headerLine = lines.first else {
            throw EngineError.badResult(command: engine.command, reason: "expected a header row, got nothing", query: query)
        }
        let header = MomentsSQL.splitCSVLine(headerLine).map { $0.trimmingCharacters(in: .whitespaces) }
        return try lines.dropFirst().map { line in
            let values = MomentsSQL.splitCSVLine(line).map { $0.trimmingCharacters(in: .whitespaces) }
            guard header.count == values.count else {
                throw EngineError.badResult(command: engine.command, reason: "the header has \(header.count) fields but a data row \(values.count): '\(line)'", query: query)
            }
            return Dictionary(zip(header, values), uniquingKeysWith: { first, _ in first })
        }
    }

    /// Text from its hexadecimal UTF-8 bytes (how the queries return user text, so that no
    /// quote, comma or line break in it can break the result's parsing); `nil` if malformed.
    static func unhex(_ hex: String) -> String? {
        let digits = Array(hex.utf8)
        guard digits.count.isMultiple(of: 2) else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var i = 0
        while i < digits.count {
            guard let high = Self.nibble(digits[i]), let low = Self.nibble(digits[i + 1]) else { return nil }
            bytes.append(high << 4 | low)
            i += 2
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
