import Foundation

/// ``ProfileCoverage`` of tables in a SQL engine, counted as the file path counts it: rows,
/// distinct non-empty keys, empty keys, repeated customers, matches with the base and with every
/// other source, keys that match nothing and case-only matches — all numbers from one query of
/// scalar subqueries over the sources' distinct keys, the examples (hexadecimal, so no key can
/// break the result) from one more.
struct EngineCoverage {
    let coverage: ProfileCoverage

    init(engine: SQLEngine, sources: [EngineProfile.SourceTable], keyed: [String], columns: [[String]], keyCase: ProfileOptions.KeyCase,
         limit: Int = 5) throws {
        let d = engine.dialect, count = sources.count
        var ctes: [String] = []
        for s in 0..<count {
            ctes.append("r\(s) AS (\(keyed[s]))")
            ctes.append("k\(s) AS (SELECT DISTINCT kda_k FROM r\(s) WHERE kda_k IS NOT NULL AND kda_k <> '')")
            ctes.append("x\(s) AS (SELECT kda_k, COUNT(*) AS n FROM r\(s) WHERE kda_k IS NOT NULL AND kda_k <> '' GROUP BY kda_k HAVING COUNT(*) > 1)")
        }
        func inSource(_ t: Int, _ alias: String) -> String { "EXISTS (SELECT 1 FROM k\(t) WHERE k\(t).kda_k = \(alias).kda_k)" }
        func others(_ s: Int, _ alias: String) -> String {
            let tests = (0..<count).filter { $0 != s }.map { inSource($0, alias) }
            return tests.isEmpty ? "1 = 1" : "NOT (" + tests.joined(separator: " OR ") + ")"
        }
        var numbers: [String] = []
        for s in 0..<count {
            numbers += [
                "(SELECT COUNT(*) FROM r\(s)) AS rows\(s)",
                "(SELECT COUNT(*) FROM k\(s)) AS customers\(s)",
                "(SELECT COUNT(*) FROM r\(s) WHERE kda_k IS NULL OR kda_k = '') AS empty\(s)",
                "(SELECT COUNT(*) FROM x\(s)) AS repeated\(s)",
                "(SELECT COALESCE(SUM(n - 1), 0) FROM x\(s)) AS extra\(s)",
                "(SELECT COUNT(*) FROM k\(s) AS a WHERE \(inSource(0, "a"))) AS base\(s)",
                "(SELECT COUNT(*) FROM k\(s) AS a WHERE \(others(s, "a"))) AS alone\(s)",
            ]
            if keyCase == .sensitive && s > 0 {
                numbers.append("(SELECT COUNT(*) FROM k\(s) AS a WHERE NOT \(inSource(0, "a")) AND EXISTS (SELECT 1 FROM k0 WHERE lower(k0.kda_k) = lower(a.kda_k))) AS folded\(s)")
            }
            for t in (s + 1)..<max(s + 1, count) { numbers.append("(SELECT COUNT(*) FROM k\(s) AS a WHERE \(inSource(t, "a"))) AS pair\(s)_\(t)") }
        }
        let all = (1..<max(1, count)).map { inSource($0, "a") }
        numbers.append("(SELECT COUNT(*) FROM k0 AS a\(all.isEmpty ? "" : " WHERE " + all.joined(separator: " AND "))) AS everywhere")
        let with = "WITH " + ctes.joined(separator: ",\n")
        let sql = with + "\nSELECT " + numbers.joined(separator: ",\n  ")
        let row = try EngineSource.textRow(engine.run(sql), query: sql, engine: engine)
        func value(_ key: String) throws -> Int {
            guard let n = row[key].flatMap(Double.init), n >= 0, n < 1e15 else {
                throw EngineError.badResult(command: engine.command, reason: "the coverage count '\(key)' is \(row[key] ?? "missing")", query: sql)
            }
            return Int(n)
        }
        // Examples: repeated keys, keys not in the base, keys in no other source, rows with an empty key.
        var parts: [String] = []
        for s in 0..<count {
            parts.append("SELECT * FROM (SELECT \(s) AS s, 'repeated' AS what, \(d.hex("kda_k")) AS v FROM x\(s) ORDER BY kda_k LIMIT \(limit)) AS e\(s)a")
            if s > 0 { parts.append("SELECT * FROM (SELECT \(s) AS s, 'outside' AS what, \(d.hex("a.kda_k")) AS v FROM k\(s) AS a WHERE NOT \(inSource(0, "a")) ORDER BY a.kda_k LIMIT \(limit)) AS e\(s)b") }
            parts.append("SELECT * FROM (SELECT \(s) AS s, 'alone' AS what, \(d.hex("a.kda_k")) AS v FROM k\(s) AS a WHERE \(others(s, "a")) ORDER BY a.kda_k LIMIT \(limit)) AS e\(s)c")
            if SQLDialect.rowidDialects.contains(d) {
                parts.append("SELECT * FROM (SELECT \(s) AS s, 'empty' AS what, \(d.hex("CAST(kda_row + 1 AS \(d.textType))")) AS v FROM r\(s) WHERE kda_k IS NULL OR kda_k = '' ORDER BY kda_row LIMIT \(limit)) AS e\(s)d")
            }
        }
        // A first row always, so that sources with nothing to exemplify still print a header
        // (sqlite3 prints nothing for an empty result, which would read as a failed engine).
        parts.insert("SELECT -1 AS s, 'none' AS what, '' AS v", at: 0)
        let exampleSQL = with + "\n" + parts.joined(separator: "\nUNION ALL\n")
        var examples: [Int: [String: [String]]] = [:]
        for row in try EngineSource.textRows(engine.run(exampleSQL), query: exampleSQL, engine: engine) {
            guard let s = row["s"].flatMap({ Int($0) }), let what = row["what"], let text = row["v"].flatMap(EngineSource.unhex) else {
                throw EngineError.badResult(command: engine.command, reason: "an example row is not (source, kind, hexadecimal key): \(row)", query: exampleSQL)
            }
            if s >= 0 { examples[s, default: [:]][what, default: []].append(text) }
        }
        var out: [ProfileCoverage.Source] = []
        for (s, source) in sources.enumerated() {
            let customers = try value("customers\(s)"), base = try value("base\(s)")
            let mine = examples[s] ?? [:]
            out.append(ProfileCoverage.Source(
                name: source.name, path: source.table, key: source.key, rows: try value("rows\(s)"), customers: customers,
                emptyKeys: try value("empty\(s)"), emptyKeyRows: (mine["empty"] ?? []).compactMap { Int($0) },
                repeatedCustomers: try value("repeated\(s)"), repeatedRows: try value("extra\(s)"), repeatedExamples: mine["repeated"] ?? [],
                rule: source.rule?.description, matchedWithBase: base, notInBase: customers - base, notInBaseExamples: mine["outside"] ?? [],
                caseOnlyMatches: keyCase == .sensitive && s > 0 ? try value("folded\(s)") : 0,
                matchedNothing: try value("alone\(s)"), matchedNothingExamples: mine["alone"] ?? []))
        }
        var pairs: [ProfileCoverage.Pair] = []
        for a in 0..<count {
            for b in (a + 1)..<max(a + 1, count) { pairs.append(.init(first: sources[a].name, second: sources[b].name, matched: try value("pair\(a)_\(b)"))) }
        }
        coverage = ProfileCoverage(baseCustomers: try value("customers0"), presentInAll: try value("everywhere"), sources: out, pairs: pairs)
    }
}
