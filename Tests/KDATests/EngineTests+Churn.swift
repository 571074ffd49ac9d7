import DriverAnalysis
import Fixtures
import Foundation
import Testing

/// The churn path in real engines: factors and weights in the engine's IRLS (matched to the
/// in-memory fit of the same rows at 1e-8), the logistic Poisson bootstrap (matched in
/// distribution), and the same on DuckDB through its Python package.
extension EngineTests {
    static let duckAvailable = EngineTests.available("python3 -c 'import duckdb'")

    /// A scratch folder, removed by the caller.
    static func scratch(_ label: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kda-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// The Telco churn fixture with two added columns: a weight `w` (0.5 … 2.5, deterministic)
    /// and an integer row key `rid`.
    static func weightedTelco(in directory: URL) throws -> String {
        let text = try String(contentsOf: FixtureData.url("telco/Telco-Customer-Churn.csv"), encoding: .utf8)
        var lines = text.split(whereSeparator: \.isNewline).map(String.init)
        lines[0] += ",w,rid"
        for i in 1..<lines.count { lines[i] += String(format: ",%.2f,%d", 0.5 + Double((i * 7919) % 13) / 6, i) }
        let path = directory.appendingPathComponent("telco_w.csv").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// An engine command in the required shape backed by DuckDB's Python package, with `csv`
    /// loaded as `table` in a database file of `directory`.
    static func duckEngine(csv: String, table: String, in directory: URL) throws -> String {
        let script = directory.appendingPathComponent("duck.py").path, db = directory.appendingPathComponent("survey.duckdb").path
        try """
        import csv, sys, duckdb
        con = duckdb.connect(sys.argv[1])
        cur = con.execute(sys.stdin.read())
        out = csv.writer(sys.stdout)
        out.writerow([d[0] for d in cur.description])
        out.writerows(cur.fetchall())
        """.write(toFile: script, atomically: true, encoding: .utf8)
        let load = directory.appendingPathComponent("load.py").path
        try "import duckdb\nduckdb.connect('\(db)').execute(\"CREATE TABLE \(table) AS SELECT * FROM read_csv_auto('\(csv)')\")\n"
            .write(toFile: load, atomically: true, encoding: .utf8)
        #expect(try shell("python3 '\(load)'") == 0)
        return "python3 '\(script)' '\(db)'"
    }

    /// Every driver's (and factor level's) estimate and standard error, and the model's
    /// log-likelihood, agree at `tolerance`; so do the Shapley values when present.
    /// With `booleans`, Yes/No columns are BOOLEAN in the engine (DuckDB's CSV reader): their
    /// what-if is the same switch, but the engine cannot know the file's labels.
    static func compareLogistic(_ engine: [String: Any], _ memory: [String: Any], tolerance: Double = 1e-8, booleans: Bool = false) {
        let a = drivers(engine), b = drivers(memory)
        #expect(a.count == b.count && !a.isEmpty)
        for (name, row) in b {
            for key in ["estimate", "std_error", "odds_ratio"] where row[key] is Double {
                expectClose((a[name]?[key] as? Double) ?? .nan, (row[key] as? Double) ?? .nan, relative: tolerance, "\(name).\(key)")
            }
            let levelsA = a[name]?["levels"] as? [[String: Any]] ?? [], levelsB = row["levels"] as? [[String: Any]] ?? []
            #expect(levelsA.count == levelsB.count, "\(name) levels")
            #expect(a[name]?["reference"] as? String == row["reference"] as? String, "\(name) reference")
            for (x, y) in zip(levelsA, levelsB) {
                #expect(x["level"] as? String == y["level"] as? String && x["n"] as? Double == y["n"] as? Double)
                for key in ["estimate", "std_error"] where y[key] is Double {
                    expectClose((x[key] as? Double) ?? .nan, (y[key] as? Double) ?? .nan, relative: tolerance, "\(name)[\(y["level"] ?? "")].\(key)")
                }
            }
            let shapley = { (r: [String: Any]?) in ((r?["importance"] as? [String: Any])?["shapley"] as? Double) }
            if let expected = shapley(row) { expectClose(shapley(a[name]) ?? .nan, expected, relative: tolerance, "\(name).shapley") }
            // The what-if: lifts, switches and a factor's move one level up.
            if let expected = row["what_if"] as? [String: Any] {
                let actual = a[name]?["what_if"] as? [String: Any] ?? [:]
                let labelled = !booleans || row["kind"] as? String == "factor"
                for key in ["churn_change", "clv_at_stake", "customers_moved"] where expected[key] is Double && (labelled || key != "customers_moved") {
                    expectClose(actual[key] as? Double ?? .nan, expected[key] as? Double ?? .nan, relative: tolerance, "\(name).what_if.\(key)")
                }
                if labelled {
                    #expect(actual["from"] as? String == expected["from"] as? String && actual["to"] as? String == expected["to"] as? String, "\(name) move")
                }
            }
        }
        let order = { (json: [String: Any]) in (json["order"] as? [String: Any])?["drivers"] as? [String] ?? [] }
        #expect(order(engine) == order(memory))
        let ll = { (json: [String: Any]) in (json["model"] as? [String: Any])?["log_likelihood"] as? Double ?? .nan }
        expectClose(ll(engine), ll(memory), relative: 1e-10)
    }

    /// Bootstrap intervals agree in distribution: centres within a quarter of the in-memory
    /// width, widths within a factor 1.6 (the same rule as the linear engine bootstrap).
    static func compareIntervals(_ x: [Double], _ y: [Double], _ label: String) {
        #expect(x.count == 2 && y.count == 2, "\(label): \(x) vs \(y)")
        guard x.count == 2, y.count == 2 else { return }
        let widthX = x[1] - x[0], widthY = y[1] - y[0]
        #expect(abs((x[0] + x[1]) / 2 - (y[0] + y[1]) / 2) < widthY / 4, "\(label): centres \(x) vs \(y)")
        #expect(widthX / widthY > 1 / 1.6 && widthX / widthY < 1.6, "\(label): widths \(x) vs \(y)")
    }

    /// The weighted factor model of the tests fitted in memory to full convergence (relative
    /// change 1e-15 instead of R's 1e-8, which with weights summing to ~10⁴ stops ~1e-7 short):
    /// `(term, estimate, standard error)`, intercept first.
    static func convergedReference(csv: String, drivers: [String], sampling: Bool) throws -> [(String, Double, Double)] {
        let data = try SurveyData.load(csv: csv)
        var c = AnalysisConfiguration(outcome: "Churn", drivers: drivers, event: "Yes", model: .logistic, weight: "w")
        c.weightKind = sampling ? .sampling : .frequency
        let selection = try DriverSelection(data: data, configuration: c)
        let design = try DriverDesign(data: data, selection: selection, configuration: c)
        var options = LogisticModelOptions(maximumIterations: 100, tolerance: 1e-15)
        options.samplingWeights = sampling
        let model = try LogisticRegression(design.sample, options: options)
        return model.coefficients.map { ($0.name, $0.estimate, $0.standardError) }
    }

    /// Every term of the engine's report (numeric drivers and factor levels) against `reference`.
    static func compareTerms(_ engine: [String: Any], _ reference: [(String, Double, Double)], tolerance: Double) {
        var terms: [(String, Double, Double)] = []
        for row in engine["drivers"] as? [[String: Any]] ?? [] {
            let name = row["name"] as? String ?? ""
            if let levels = row["levels"] as? [[String: Any]], !levels.isEmpty {
                for level in levels.dropFirst() {
                    terms.append(("\(name)[\(level["level"] as? String ?? "")]", level["estimate"] as? Double ?? .nan, level["std_error"] as? Double ?? .nan))
                }
            } else {
                terms.append((name, row["estimate"] as? Double ?? .nan, row["std_error"] as? Double ?? .nan))
            }
        }
        #expect(terms.count == reference.count - 1)
        for (name, estimate, se) in reference.dropFirst() {
            let found = terms.first { $0.0 == name }
            #expect(found != nil, "term \(name)")
            expectClose(found?.1 ?? .nan, estimate, relative: tolerance, "\(name) estimate")
            expectClose(found?.2 ?? .nan, se, relative: tolerance, "\(name) std_error")
        }
    }

    /// Factors (Contract: three levels; Partner: Yes/No) and a weight column in the engine's
    /// logistic path, with sampling and frequency weights: every term's estimate and standard
    /// error match the fully converged in-memory fit of the same rows at 1e-8, and the `kda`
    /// in-memory report (R's stopping rule) at 1e-6, Shapley values included.
    @Test(.enabled(if: EngineTests.available("command -v sqlite3"), "needs sqlite3"))
    func factorsAndWeightsInSQLite() throws {
        let directory = try Self.scratch("factors")
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = try Self.weightedTelco(in: directory), db = directory.appendingPathComponent("telco.db").path
        #expect(try Self.shell("sqlite3 '\(db)' \".import --csv '\(csv)' telco\"") == 0)
        try Self.checkFactorsAndWeights(engine: "sqlite3 -csv -header '\(db)'", dialect: "sqlite", csv: csv)
    }

    static func checkFactorsAndWeights(engine command: String, dialect: String, csv: String) throws {
        let drivers = ["tenure", "Contract", "Partner"]
        for (kind, methods) in [("sampling", "regression,shapley"), ("frequency", "regression")] {
            let common = ["--outcome", "Churn", "--event", "Yes", "--drivers", drivers.joined(separator: ","), "--weight", "w", "--weight-kind", kind,
                          "--methods", methods, "--format", "json", "--quiet"]
            let engine = try KDARun.run(["analyze", "--engine", command, "--dialect", dialect, "--table", "telco"] + common)
            #expect(engine.status == 0, "\(engine.stderr)")
            let memory = try KDARun.run(["analyze", csv] + common)
            #expect(memory.status == 0, "\(memory.stderr)")
            let report = try KDATests.json(engine.stdout)
            compareLogistic(report, try KDATests.json(memory.stdout), tolerance: 1e-6)
            compareTerms(report, try convergedReference(csv: csv, drivers: drivers, sampling: kind == "sampling"), tolerance: 1e-8)
        }
        // Unweighted, the in-memory report itself matches at 1e-8: Shapley values, and the what-if
        // with factors moved one level up and a Yes/No driver switched on.
        let plain = ["--outcome", "Churn", "--event", "Yes", "--drivers", "tenure,Contract,PaymentMethod,PaperlessBilling", "--methods", "regression,shapley",
                     "--margin", "MonthlyCharges", "--discount-rate", "0.01", "--format", "json", "--quiet"]
        let engine = try KDARun.run(["analyze", "--engine", command, "--dialect", dialect, "--table", "telco"] + plain)
        #expect(engine.status == 0, "\(engine.stderr)")
        compareLogistic(try KDATests.json(engine.stdout), try KDATests.json(KDARun.run(["analyze", csv] + plain).stdout), booleans: dialect == "duckdb")
    }

    /// The logistic Poisson bootstrap in SQLite: replicate coefficients and CLV-at-stake
    /// intervals agree in distribution with the in-memory bootstrap of the same rows.
    @Test(.enabled(if: EngineTests.available("command -v sqlite3"), "needs sqlite3"))
    func logisticBootstrapInSQLite() throws {
        let directory = try Self.scratch("lboot")
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = FixtureData.url("telco/Telco-Customer-Churn.csv").path, db = directory.appendingPathComponent("telco.db").path
        #expect(try Self.shell("sqlite3 '\(db)' \".import --csv '\(csv)' telco\"") == 0)
        try Self.checkLogisticBootstrap(engine: "sqlite3 -csv -header '\(db)'", dialect: "sqlite", table: "telco", csv: csv)
    }

    /// Runs the bootstrap through `engine` and in memory and compares the intervals.
    static func checkLogisticBootstrap(engine command: String, dialect: String, table: String, csv: String, rowKey: [String] = []) throws {
        let common = ["--outcome", "Churn", "--event", "Yes", "--drivers", "tenure,MonthlyCharges,SeniorCitizen", "--methods", "regression",
                      "--margin", "MonthlyCharges", "--discount-rate", "0.01", "--what-if-delta", "6", "--bootstrap", "120", "--seed", "11",
                      "--format", "json", "--quiet"]
        let engine = try KDARun.run(["analyze", "--engine", command, "--dialect", dialect, "--table", table] + rowKey + common)
        #expect(engine.status == 0, "\(engine.stderr)")
        let memory = try KDARun.run(["analyze", csv] + common)
        let a = drivers(try KDATests.json(engine.stdout)), b = drivers(try KDATests.json(memory.stdout))
        for (name, row) in b {
            compareIntervals(a[name]?["estimate_bootstrap_ci"] as? [Double] ?? [], row["estimate_bootstrap_ci"] as? [Double] ?? [], "\(name) β")
            let clv = { (r: [String: Any]?) -> [Double] in
                guard let w = r?["what_if"] as? [String: Any], let lo = w["ci_lower"] as? Double, let hi = w["ci_upper"] as? Double else { return [] }
                return [lo, hi]
            }
            if row["what_if"] is [String: Any] { compareIntervals(clv(a[name]), clv(row), "\(name) CLV at stake") }   // attributes have no what-if
            #expect((a[name]?["sign_flip_probability"] as? Double) == (row["sign_flip_probability"] as? Double), "\(name) sign flips")
        }
        let warnings = (try KDATests.json(engine.stdout))["warnings"] as? [[String: Any]] ?? []
        #expect(warnings.contains { ($0["message"] as? String ?? "").contains("Hanley & MacGibbon 2006") })
    }

    /// DuckDB (Python package): the factor/weight logistic fit, the logistic bootstrap (row key
    /// hashed by DuckDB), segments with NPS, and the linear bootstrap.
    @Test(.enabled(if: EngineTests.duckAvailable, "needs the duckdb Python package"))
    func churnPathInDuckDB() throws {
        let directory = try Self.scratch("duck-churn")
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = try Self.weightedTelco(in: directory)
        let engine = try Self.duckEngine(csv: csv, table: "telco", in: directory)
        try Self.checkFactorsAndWeights(engine: engine, dialect: "duckdb", csv: csv)
        // The bootstrap, its draws hashed from a text key by DuckDB's hash(); deterministic.
        try Self.checkLogisticBootstrap(engine: engine, dialect: "duckdb", table: "telco", csv: csv, rowKey: ["--row-key", "customerID"])
    }

    /// Segments and NPS in one GROUP BY, and the linear Poisson bootstrap, in DuckDB.
    @Test(.enabled(if: EngineTests.duckAvailable, "needs the duckdb Python package"))
    func segmentsAndBootstrapInDuckDB() throws {
        let directory = try Self.scratch("duck-seg")
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = KDARun.folder("Golden").appendingPathComponent("report_survey.csv").path
        let engine = try Self.duckEngine(csv: csv, table: "survey", in: directory)
        let common = ["--outcome", "satisfaction", "--drivers", "wifi,check_in,billing,support,app", "--segment", "region", "--nps", "recommend",
                      "--methods", "correlation,shapley,relative-weights,pratt", "--format", "json", "--quiet"]
        let segmented = try KDARun.run(["analyze", "--engine", engine, "--dialect", "duckdb", "--table", "survey"] + common)
        #expect(segmented.status == 0, "\(segmented.stderr)")
        let memory = try KDARun.run(["analyze", csv] + common)
        let a = try KDATests.json(segmented.stdout), b = try KDATests.json(memory.stdout)
        Self.compare(engine: a, memory: b)
        let segmentsA = a["segments"] as? [[String: Any]] ?? [], segmentsB = b["segments"] as? [[String: Any]] ?? []
        #expect(segmentsA.count == 4 && segmentsA.count == segmentsB.count)
        for (x, y) in zip(segmentsA, segmentsB) {
            #expect(x["name"] as? String == y["name"] as? String)
            Self.compare(engine: x, memory: y)
            let score = { (s: [String: Any]) in (s["nps"] as? [String: Any])?["score"] as? Double ?? .nan }
            expectClose(score(x), score(y), relative: 1e-12, "NPS of \(x["name"] ?? "")")
        }
        let boot = ["--outcome", "satisfaction", "--drivers", "wifi,check_in,billing,support,app", "--bootstrap", "300", "--seed", "5",
                    "--format", "json", "--quiet"]
        let args = ["analyze", "--engine", engine, "--dialect", "duckdb", "--table", "survey"] + boot
        let first = try KDARun.run(args), again = try KDARun.run(args)
        #expect(first.status == 0, "\(first.stderr)")
        let inMemory = try KDARun.run(["analyze", csv, "--methods", "correlation,shapley,relative-weights,pratt"] + boot)
        let x = Self.drivers(try KDATests.json(first.stdout)), y = Self.drivers(try KDATests.json(inMemory.stdout))
        let z = Self.drivers(try KDATests.json(again.stdout))
        for (name, row) in y {
            // Same draws each run; DuckDB's parallel sums may differ in the last bits only.
            let shapley = { (r: [String: Any]?) in (r?["importance_ci"] as? [String: Any])?["shapley"] as? [Double] ?? [.nan, .nan] }
            for (u, v) in zip(shapley(x[name]), shapley(z[name])) { expectClose(u, v, relative: 1e-9, "\(name) rerun") }
            Self.compareIntervals((x[name]?["importance_ci"] as? [String: Any])?["shapley"] as? [Double] ?? [],
                                  (row["importance_ci"] as? [String: Any])?["shapley"] as? [Double] ?? [], "\(name) Shapley")
        }
    }
}

extension EngineTests {
    /// Bad input on the churn path: a missing column, a failing engine, a result of the wrong
    /// shape or with text cells are exit 3 with the engine's message and no partial report; a
    /// bootstrap in Spark SQL or BigQuery without --row-key is exit 2.
    @Test(.enabled(if: EngineTests.available("command -v sqlite3"), "needs sqlite3"))
    func badInputOnTheChurnPath() throws {
        let directory = try Self.scratch("bad")
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = FixtureData.url("telco/Telco-Customer-Churn.csv").path, db = directory.appendingPathComponent("telco.db").path
        #expect(try Self.shell("sqlite3 '\(db)' \".import --csv '\(csv)' telco\"") == 0)
        let sqlite = ["analyze", "--engine", "sqlite3 -csv -header '\(db)'", "--table", "telco", "--format", "json"]
        let churn = ["--outcome", "Churn", "--event", "Yes"]
        for extra in [churn + ["--drivers", "tenure,Nope"], ["--outcome", "MonthlyCharges", "--drivers", "tenure,Nope"]] {
            let missing = try KDARun.run(sqlite + extra)
            #expect(missing.status == 3 && missing.stderr.contains("no such column") && missing.stderr.contains("the query was"), "\(missing.stderr)")
            #expect(missing.stdout.isEmpty)
        }
        let failing = try KDARun.run(["analyze", "--engine", "cat >/dev/null; echo 'engine exploded' >&2; exit 4", "--dialect", "sqlite",
                                      "--table", "telco", "--drivers", "tenure"] + churn)
        #expect(failing.status == 3 && failing.stderr.contains("engine exploded") && failing.stdout.isEmpty, "\(failing.stderr)")
        for output in ["printf 'x,y\\n1\\n'", "printf 'n,sy\\nabc,1\\n'", "true"] {
            for outcome in [churn, ["--outcome", "MonthlyCharges"]] {
                let bad = try KDARun.run(["analyze", "--engine", "cat >/dev/null; \(output)", "--dialect", "duckdb", "--table", "t",
                                          "--drivers", "tenure"] + outcome)
                #expect(bad.status == 3 && bad.stdout.isEmpty, "\(output): \(bad.stderr)")
                #expect(bad.stderr.contains("the query was"), "\(output): \(bad.stderr)")
            }
        }
        for dialect in ["spark", "bigquery"] {
            let keyless = try KDARun.run(["analyze", "--engine", "cat", "--dialect", dialect, "--table", "t", "--drivers", "tenure",
                                          "--bootstrap", "10"] + churn)
            #expect(keyless.status == 2 && keyless.stderr.contains("--row-key"), "\(keyless.stderr)")
        }
    }

    /// The Spark SQL and BigQuery bootstrap queries hash the row key with the engine's own
    /// function and use no rowid, recursive CTE or `%` (which BigQuery lacks).
    @Test func sparkAndBigQueryBootstrapQueries() {
        let spark = MomentsSQL.poissonBootstrapQuery(table: "db.survey", variables: ["wifi", "sat"], replicates: 50, seed: 9, dialect: .spark,
                                                     rowKey: "customer id")
        #expect(spark.contains("xxhash64(base.k, reps.b") && spark.contains("`customer id` AS k") && spark.contains("sequence(1, 50)"))
        #expect(!spark.contains("rowid") && !spark.contains("RECURSIVE"))
        let bigquery = MomentsSQL.poissonBootstrapQuery(table: "`p.d.survey`", variables: ["wifi", "sat"], replicates: 50, seed: 9,
                                                        dialect: .bigquery, rowKey: "id")
        #expect(bigquery.contains("FARM_FINGERPRINT(CONCAT(CAST(base.k AS STRING)") && bigquery.contains("GENERATE_ARRAY(1, 50)"))
        #expect(!bigquery.contains("rowid") && !bigquery.contains("%") && !bigquery.contains("RECURSIVE"))
        let sqlite = MomentsSQL.poissonBootstrapQuery(table: "survey", variables: ["wifi", "sat"], replicates: 50, seed: 9, dialect: .sqlite)
        #expect(sqlite.contains("rowid AS k"))
    }
}
