import DriverAnalysis
import Fixtures
import Foundation
import Testing

/// `kda analyze --engine COMMAND --table T`: the moments are computed by a real engine (SQLite's
/// `sqlite3`, installed by `.ci/run`; DuckDB through its Python package when present) and the
/// analysis matches the in-memory analysis of the same rows.
@Suite("kda with a SQL engine")
struct EngineTests {
    static func shell(_ command: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    static func available(_ command: String) -> Bool { (try? shell(command + " >/dev/null 2>&1")) == 0 }

    static func drivers(_ json: [String: Any]) -> [String: [String: Any]] {
        var out: [String: [String: Any]] = [:]
        for row in json["drivers"] as? [[String: Any]] ?? [] { if let name = row["name"] as? String { out[name] = row } }
        return out
    }

    static func compare(engine: [String: Any], memory: [String: Any]) {
        let a = drivers(engine), b = drivers(memory)
        #expect(a.count == b.count && !a.isEmpty)
        for (name, row) in b {
            for key in ["estimate", "std_error", "p_value", "pearson"] {
                expectClose((a[name]?[key] as? Double) ?? .nan, (row[key] as? Double) ?? .nan, relative: 1e-8, "\(name).\(key)")
            }
            let share = { (r: [String: Any]?) in ((r?["importance"] as? [String: Any])?["shapley"] as? Double) ?? .nan }
            expectClose(share(a[name]), share(row), relative: 1e-8, "\(name).shapley")
        }
        expectClose(((engine["model"] as? [String: Any])?["r2"] as? Double) ?? .nan, ((memory["model"] as? [String: Any])?["r2"] as? Double) ?? .nan,
                    relative: 1e-10)
    }

    @Test(.enabled(if: EngineTests.available("command -v sqlite3"), "needs sqlite3"))
    func sqliteMatchesTheInMemoryAnalysis() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kda-engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = directory.appendingPathComponent("survey.csv").path, db = directory.appendingPathComponent("survey.db").path
        let survey = try SyntheticSurvey(respondents: 4_000, touchpoints: 6, seed: 17, missingRate: 0.03)
        try survey.writeCSV(to: csv)
        #expect(try Self.shell("sqlite3 '\(db)' \".import --csv '\(csv)' survey\"") == 0)
        let drivers = survey.touchpointNames.joined(separator: ",")
        let engine = try KDARun.run(["analyze", "--engine", "sqlite3 -csv -header '\(db)'", "--table", "survey", "--outcome", "satisfaction",
                                     "--drivers", drivers, "--format", "json", "--quiet"])
        #expect(engine.status == 0, "\(engine.stderr)")
        let memory = try KDARun.run(["analyze", csv, "--outcome", "satisfaction", "--drivers", drivers, "--format", "json", "--quiet",
                                     "--methods", "correlation,shapley,relative-weights,dominance,pratt"])
        #expect(memory.status == 0, "\(memory.stderr)")
        Self.compare(engine: try KDATests.json(engine.stdout), memory: try KDATests.json(memory.stdout))

        // Errors: a missing table is the engine's message with the query (exit 3); a command that
        // does not exist, a missing --table and an ordinal request are refused.
        let missing = try KDARun.run(["analyze", "--engine", "sqlite3 -csv -header '\(db)'", "--table", "nope", "--outcome", "satisfaction",
                                      "--drivers", drivers])
        #expect(missing.status == 3 && missing.stderr.contains("no such table") && missing.stderr.contains("the query was"), "\(missing.stderr)")
        let absent = try KDARun.run(["analyze", "--engine", "kda-no-such-engine --csv", "--dialect", "sqlite", "--table", "survey",
                                     "--outcome", "satisfaction", "--drivers", drivers])
        #expect(absent.status == 3 && absent.stderr.contains("kda-no-such-engine"), "\(absent.stderr)")
        let scratch = directory.appendingPathComponent("x.db").path
        #expect(try KDARun.run(["analyze", "--engine", "sqlite3 -csv -header '\(scratch)'", "--outcome", "y", "--drivers", "a"]).status == 2)
        #expect(try KDARun.run(["analyze", "--engine", "mystery-db", "--table", "t", "--outcome", "y", "--drivers", "a"]).status == 2)
        #expect(try KDARun.run(["analyze", "--engine", "sqlite3 -csv -header '\(scratch)'", "--table", "t", "--outcome", "y", "--drivers", "a",
                                "--model", "ordinal"]).status == 2)
    }

    /// Churn inside the engine: IRLS with one aggregation query per Newton step, matched to the
    /// in-memory logistic regression (estimates and standard errors at 1e-8), and the McFadden
    /// Shapley values from every submodel fitted in the engine.
    @Test(.enabled(if: EngineTests.available("command -v sqlite3"), "needs sqlite3"))
    func logisticRegressionInsideSQLite() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kda-irls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = FixtureData.url("telco/Telco-Customer-Churn.csv").path, db = directory.appendingPathComponent("telco.db").path
        #expect(try Self.shell("sqlite3 '\(db)' \".import --csv '\(csv)' telco\"") == 0)
        let common = ["--outcome", "Churn", "--event", "Yes", "--drivers", "tenure,MonthlyCharges,SeniorCitizen", "--methods", "regression,shapley",
                      "--format", "json", "--quiet"]
        let engine = try KDARun.run(["analyze", "--engine", "sqlite3 -csv -header '\(db)'", "--table", "telco"] + common)
        #expect(engine.status == 0, "\(engine.stderr)")
        let memory = try KDARun.run(["analyze", csv] + common)
        let a = Self.drivers(try KDATests.json(engine.stdout)), b = Self.drivers(try KDATests.json(memory.stdout))
        for (name, row) in b {
            for key in ["estimate", "std_error", "odds_ratio"] {
                expectClose((a[name]?[key] as? Double) ?? .nan, (row[key] as? Double) ?? .nan, relative: 1e-8, "\(name).\(key)")
            }
            // McFadden-R² Shapley values from every submodel fitted in the engine.
            let shapley = { (r: [String: Any]?) in ((r?["importance"] as? [String: Any])?["shapley"] as? Double) ?? .nan }
            expectClose(shapley(a[name]), shapley(row), relative: 1e-8, "\(name).shapley")
        }
        let model = { (json: [String: Any]) in (json["model"] as? [String: Any])?["log_likelihood"] as? Double ?? .nan }
        expectClose(model(try KDATests.json(engine.stdout)), model(try KDATests.json(memory.stdout)), relative: 1e-10)

        // The churn → CLV path: the what-if from one aggregation query (the margin is a driver too).
        let value = ["--margin", "MonthlyCharges", "--discount-rate", "0.01", "--what-if-delta", "6"]
        let engineValue = try KDARun.run(["analyze", "--engine", "sqlite3 -csv -header '\(db)'", "--table", "telco"] + common + value)
        #expect(engineValue.status == 0, "\(engineValue.stderr)")
        let memoryValue = try KDARun.run(["analyze", csv] + common + value)
        let c = try KDATests.json(engineValue.stdout), d = try KDATests.json(memoryValue.stdout)
        for (name, row) in Self.drivers(d) where row["what_if"] is [String: Any] {   // profile attributes have none
            for key in ["churn_change", "customers_retained", "clv_at_stake"] {
                let x = (Self.drivers(c)[name]?["what_if"] as? [String: Any])?[key] as? Double ?? .nan
                expectClose(x, (row["what_if"] as? [String: Any])?[key] as? Double ?? .nan, relative: 1e-8, "\(name).\(key)")
            }
        }
        let total = { (json: [String: Any]) in (json["value"] as? [String: Any])?["total_clv"] as? Double ?? .nan }
        expectClose(total(c), total(d), relative: 1e-8)     // the estimates agree to ~1e-10; sums inherit it
        #expect((c["order"] as? [String: Any])?["drivers"] as? [String] == (d["order"] as? [String: Any])?["drivers"] as? [String])
    }

    /// Segments and NPS in one GROUP BY query of the engine: every segment's analysis and NPS
    /// match the in-memory analysis of the same rows.
    @Test(.enabled(if: EngineTests.available("command -v sqlite3"), "needs sqlite3"))
    func segmentsAndNPSInOneGroupByPass() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kda-seg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = KDARun.folder("Golden").appendingPathComponent("report_survey.csv").path
        let db = directory.appendingPathComponent("survey.db").path
        #expect(try Self.shell("sqlite3 '\(db)' \".import --csv '\(csv)' survey\"") == 0)
        let common = ["--outcome", "satisfaction", "--drivers", "wifi,check_in,billing,support,app", "--segment", "region", "--nps", "recommend",
                      "--methods", "correlation,shapley,relative-weights,pratt", "--format", "json", "--quiet"]
        let engine = try KDARun.run(["analyze", "--engine", "sqlite3 -csv -header '\(db)'", "--table", "survey"] + common)
        #expect(engine.status == 0, "\(engine.stderr)")
        let memory = try KDARun.run(["analyze", csv] + common)
        let a = try KDATests.json(engine.stdout), b = try KDATests.json(memory.stdout)
        Self.compare(engine: a, memory: b)
        let segmentsA = a["segments"] as? [[String: Any]] ?? [], segmentsB = b["segments"] as? [[String: Any]] ?? []
        #expect(segmentsA.count == 4 && segmentsA.count == segmentsB.count)
        for (x, y) in zip(segmentsA, segmentsB) {
            #expect(x["name"] as? String == y["name"] as? String)
            Self.compare(engine: x, memory: y)
            let score = { (s: [String: Any]) in (s["nps"] as? [String: Any])?["score"] as? Double ?? .nan }
            expectClose(score(x), score(y), relative: 1e-12, "NPS of \(x["name"] ?? "")")
        }
        let overall = { (s: [String: Any]) in (s["nps"] as? [String: Any])?["std_error"] as? Double ?? .nan }
        expectClose(overall(a), overall(b), relative: 1e-12)
        #expect(a["segment_test"] != nil)
    }

    /// The Poisson bootstrap in the engine: B replicate moment sets from one scan, deterministic
    /// (same seed, same output), with intervals that agree in distribution with the in-memory
    /// bootstrap (centres within a quarter of the interval width, widths within a factor 1.6).
    @Test(.enabled(if: EngineTests.available("command -v sqlite3"), "needs sqlite3"))
    func poissonBootstrapInTheEngine() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kda-boot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = KDARun.folder("Golden").appendingPathComponent("report_survey.csv").path
        let db = directory.appendingPathComponent("survey.db").path
        #expect(try Self.shell("sqlite3 '\(db)' \".import --csv '\(csv)' survey\"") == 0)
        let common = ["--outcome", "satisfaction", "--drivers", "wifi,check_in,billing,support,app", "--bootstrap", "300", "--seed", "5",
                      "--format", "json", "--quiet"]
        let args = ["analyze", "--engine", "sqlite3 -csv -header '\(db)'", "--table", "survey"] + common
        let engine = try KDARun.run(args), again = try KDARun.run(args)
        #expect(engine.status == 0 && engine.stdout == again.stdout, "\(engine.stderr)")
        let memory = try KDARun.run(["analyze", csv, "--methods", "correlation,shapley,relative-weights,pratt"] + common)
        let a = Self.drivers(try KDATests.json(engine.stdout)), b = Self.drivers(try KDATests.json(memory.stdout))
        for (name, row) in b {
            let x = (a[name]?["importance_ci"] as? [String: Any])?["shapley"] as? [Double] ?? []
            let y = (row["importance_ci"] as? [String: Any])?["shapley"] as? [Double] ?? []
            #expect(x.count == 2 && y.count == 2, "\(name)")
            guard x.count == 2, y.count == 2 else { continue }
            let widthX = x[1] - x[0], widthY = y[1] - y[0]
            #expect(abs((x[0] + x[1]) / 2 - (y[0] + y[1]) / 2) < widthY / 4, "\(name): centres \(x) vs \(y)")
            #expect(widthX / widthY > 1 / 1.6 && widthX / widthY < 1.6, "\(name): widths \(x) vs \(y)")
        }
        #expect((a["wifi"]?["rank_probability"] as? Double ?? 0) > 0.9)
    }

    @Test(.enabled(if: EngineTests.available("python3 -c 'import duckdb'"), "needs the duckdb Python package"))
    func duckdbMatchesTheInMemoryAnalysis() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kda-duck-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = directory.appendingPathComponent("survey.csv").path, db = directory.appendingPathComponent("survey.duckdb").path
        let script = directory.appendingPathComponent("duck.py").path
        // An engine command in the required shape: SQL on standard input, CSV with a header out.
        try """
        import csv, sys, duckdb
        con = duckdb.connect(sys.argv[1])
        cur = con.execute(sys.stdin.read())
        out = csv.writer(sys.stdout)
        out.writerow([d[0] for d in cur.description])
        out.writerows(cur.fetchall())
        """.write(toFile: script, atomically: true, encoding: .utf8)
        let survey = try SyntheticSurvey(respondents: 3_000, touchpoints: 5, seed: 23)
        try survey.writeCSV(to: csv)
        #expect(try Self.shell("python3 -c \"import duckdb; duckdb.connect('\(db)').execute(\\\"CREATE TABLE survey AS SELECT * FROM read_csv_auto('\(csv)')\\\")\"") == 0)
        let drivers = survey.touchpointNames.joined(separator: ",")
        let engine = try KDARun.run(["analyze", "--engine", "python3 '\(script)' '\(db)'", "--dialect", "duckdb", "--table", "survey",
                                     "--outcome", "satisfaction", "--drivers", drivers, "--format", "json", "--quiet"])
        #expect(engine.status == 0, "\(engine.stderr)")
        let memory = try KDARun.run(["analyze", csv, "--outcome", "satisfaction", "--drivers", drivers, "--format", "json", "--quiet",
                                     "--methods", "correlation,shapley,relative-weights,dominance,pratt"])
        Self.compare(engine: try KDATests.json(engine.stdout), memory: try KDATests.json(memory.stdout))
    }
}
