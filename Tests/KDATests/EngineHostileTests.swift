import DriverAnalysis
import Fixtures
import Foundation
import Testing

/// The red team's warehouse cases, built again here and run through SQLite's `sqlite3`: text
/// cells never become 0, the file path's data checks are made by queries, names and levels with
/// quotes, commas and `__` never break a result, and `--table` is an identifier, never SQL.
@Suite("Engine path against hostile tables")
struct EngineHostileTests {
    static let hasSQLite = EngineTests.available("command -v sqlite3")

    /// A table `t` holding `csv` in a fresh SQLite file; returns the engine arguments.
    static func table(_ csv: String, in directory: URL) throws -> [String] {
        // A fresh database each time (importing into an existing table would append the header as a row).
        let stem = UUID().uuidString
        let path = directory.appendingPathComponent("t.csv").path, db = directory.appendingPathComponent("\(stem).db").path
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try EngineTests.shell("sqlite3 '\(db)' \".import --csv '\(path)' t\"") == 0)
        return ["--engine", "sqlite3 -csv -header '\(db)'", "--table", "t"]
    }

    /// Rows `y, wifi, a, b, churn, w, rec, id` with wifi's every 5th cell one of `missing`.
    static func csv(missing: [String], header: String = "y,wifi,a,b,churn,w,rec,id", weight: (Int) -> String = { _ in "1" },
                    rec: (Int) -> String = { String($0 % 11) }, id: (Int) -> String = { String($0) }) -> String {
        var random = SplitMix(seed: 77)
        var lines = [header]
        for i in 0..<300 {
            let wifi = Int(random.next() % 7) + 1, a = Int(random.next() % 9) + 1, b = Int(random.next() % 9) + 1
            let y = 0.4 * Double(wifi) + 0.2 * Double(a) + random.uniform()
            let cell = i % 5 == 0 ? missing[(i / 5) % missing.count] : String(wifi)
            lines.append("\(y),\(cell),\(a),\(b),\(random.next() % 2),\(weight(i)),\(rec(i)),\(id(i))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test(.enabled(if: hasSQLite, "needs sqlite3"))
    func missingCodesAreNeverZero() throws {
        let directory = try EngineTests.scratch("hostile-na")
        defer { try? FileManager.default.removeItem(at: directory) }
        let text = Self.csv(missing: ["NA", " ", "N/A", "null", ""])
        let engine = try Self.table(text, in: directory)
        let file = directory.appendingPathComponent("t.csv").path
        let args = ["--outcome", "y", "--drivers", "wifi,a,b", "--format", "json", "--quiet"]
        let viaEngine = try KDARun.run(["analyze"] + engine + args), viaFile = try KDARun.run(["analyze", file] + args)
        #expect(viaEngine.status == 0 && viaFile.status == 0, "\(viaEngine.stderr) \(viaFile.stderr)")
        let e = try KDATests.json(viaEngine.stdout), f = try KDATests.json(viaFile.stdout)
        let n = { (j: [String: Any]) in (j["model"] as? [String: Any])?["n"] as? Double ?? .nan }
        #expect(n(e) == 240 && n(f) == 240)
        EngineTests.compare(engine: e, memory: f)
        // '-' and '.' are text, as in the file: refused naming the column, unless declared missing.
        let dashed = try Self.table(Self.csv(missing: ["-", "."]), in: directory)
        let refused = try KDARun.run(["analyze"] + dashed + args)
        #expect(refused.status == 3 && refused.stderr.contains("'wifi'") && refused.stderr.contains("expected a number"), "\(refused.stderr)")
        let declared = try KDARun.run(["analyze"] + dashed + args + ["--na-values", "-,."])
        #expect(declared.status == 0, "\(declared.stderr)")
    }

    @Test(.enabled(if: hasSQLite, "needs sqlite3"))
    func theFilePathsChecksAreMadeByQueries() throws {
        let directory = try EngineTests.scratch("hostile-checks")
        defer { try? FileManager.default.removeItem(at: directory) }
        let base = ["--drivers", "wifi,a", "--quiet"]
        let negative = try Self.table(Self.csv(missing: ["NA"], weight: { $0 == 9 ? "-1" : "1" }), in: directory)
        let weighted = try KDARun.run(["analyze"] + negative + ["--outcome", "churn", "--weight", "w"] + base)
        #expect(weighted.status == 3 && weighted.stderr.contains("must not be negative"), "\(weighted.stderr)")
        let tiny = try Self.table(Self.csv(missing: ["NA"], weight: { _ in "1e-170" }), in: directory)
        let underflow = try KDARun.run(["analyze"] + tiny + ["--outcome", "churn", "--weight", "w"] + base)
        #expect(underflow.status == 3 && underflow.stderr.contains("1e-150"), "\(underflow.stderr)")
        let nps = try Self.table(Self.csv(missing: ["NA"], rec: { String(Double($0 % 11) * 1.57) }), in: directory)
        let outside = try KDARun.run(["analyze"] + nps + ["--outcome", "y", "--nps", "rec"] + base)
        #expect(outside.status == 3 && outside.stderr.contains("0–10"), "\(outside.stderr)")
        let repeated = try Self.table(Self.csv(missing: ["NA"], id: { String($0 / 2) }), in: directory)
        let key = try KDARun.run(["analyze"] + repeated + ["--outcome", "y", "--bootstrap", "10", "--row-key", "id"] + base)
        #expect(key.status == 3 && key.stderr.contains("not unique"), "\(key.stderr)")
        let textKey = try Self.table(Self.csv(missing: ["NA"], id: { "c\($0)" }), in: directory)
        let hashed = try KDARun.run(["analyze"] + textKey + ["--outcome", "y", "--bootstrap", "10", "--row-key", "id"] + base)
        #expect(hashed.status == 3 && hashed.stderr.contains("whole-number"), "\(hashed.stderr)")
        // A 0/1 outcome under --model auto is a logistic model, as in the file path.
        let auto = try KDARun.run(["analyze"] + textKey + ["--outcome", "churn", "--format", "json"] + base)
        #expect(auto.status == 0, "\(auto.stderr)")
        let kind = auto.status == 0 ? ((try KDATests.json(auto.stdout)["model"] as? [String: Any])?["kind"] as? String) : nil
        #expect(kind == "logistic")
    }

    @Test(.enabled(if: hasSQLite, "needs sqlite3"))
    func namesAndTablesCannotBreakTheQueries() throws {
        let directory = try EngineTests.scratch("hostile-names")
        defer { try? FileManager.default.removeItem(at: directory) }
        // wi"fi with segments and the bootstrap; a,b__c and a__b,c whose cp__ spellings coincide.
        let header = "y,\"wi\"\"fi\",\"a,b__c\",\"a__b,c\",churn,w,rec,id"
        let engine = try Self.table(Self.csv(missing: ["NA"], header: header), in: directory)
        let file = directory.appendingPathComponent("t.csv").path
        for extra in [["--segment", "churn"], ["--bootstrap", "20"]] {
            let args = ["--outcome", "y", "--drivers", "\"wi\"\"fi\",\"a,b__c\",\"a__b,c\"", "--format", "json", "--quiet"] + extra
            let viaEngine = try KDARun.run(["analyze"] + engine + args)
            #expect(viaEngine.status == 0, "\(viaEngine.stderr)")
            let viaFile = try KDARun.run(["analyze", file] + args.filter { $0 != "--bootstrap" && $0 != "20" })
            if viaEngine.status == 0 { EngineTests.compare(engine: try KDATests.json(viaEngine.stdout), memory: try KDATests.json(viaFile.stdout)) }
        }
        for table in ["t; DROP TABLE t", "(SELECT 1) AS x", "h AS t LIMIT 1) AS probe; DROP TABLE victim; SELECT (1", "a.b.c.d", "\"t"] {
            let bad = try KDARun.run(["analyze", engine[0], engine[1], "--table", table, "--outcome", "y", "--drivers", "a__b,c"])
            #expect(bad.status == 2 && bad.stderr.contains("--table"), "\(table): \(bad.stderr)")
        }
        #expect(try KDARun.run(["analyze", engine[0], engine[1], "--table", "main.t", "--outcome", "y", "--drivers", "\"a,b__c\"", "--quiet"]).status == 0)
        #expect(try SQLDialect.bigquery.tableReference("my-project.cx.survey") == "`my-project`.`cx`.`survey`")
        #expect(try SQLDialect.bigquery.tableReference("`we\\`ird`.t") == "`we\\`ird`.`t`")
        #expect(try SQLDialect.spark.tableReference("db.`we``ird`") == "`db`.`we``ird`")
    }
}
