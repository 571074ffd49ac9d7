import Fixtures
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// End-to-end tests of the built `kda` executable: exit codes, golden JSON, malformed files.
struct KDARun {
    let status: Int32
    let stdout: String
    let stderr: String

    static var executable: URL {
        // The test bundle sits in the build products directory, next to `kda`.
        var url = Bundle.main.bundleURL
        for _ in 0..<3 {
            let candidate = url.appendingPathComponent("kda")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            url.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/kda")
    }

    static func run(_ arguments: [String]) throws -> KDARun {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return KDARun(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func folder(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(name)
    }
}

@Suite("kda executable", .serialized)
struct KDATests {
    static func json(_ text: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Compares two JSON trees: numbers to 1e-9 relative, everything else exactly.
    static func same(_ a: Any, _ b: Any, path: String = "$") -> [String] {
        switch (a, b) {
        case let (x as [String: Any], y as [String: Any]):
            if Set(x.keys) != Set(y.keys) { return ["\(path): keys \(x.keys.sorted()) vs \(y.keys.sorted())"] }
            return x.keys.flatMap { same(x[$0]!, y[$0]!, path: path + "." + $0) }
        case let (x as [Any], y as [Any]):
            if x.count != y.count { return ["\(path): \(x.count) vs \(y.count) items"] }
            return zip(x, y).enumerated().flatMap { same($1.0, $1.1, path: path + "[\($0)]") }
        case let (x as NSNumber, y as NSNumber):
            let u = x.doubleValue, v = y.doubleValue
            return u == v || abs(u - v) <= 1e-9 * max(abs(u), abs(v)) ? [] : ["\(path): \(u) vs \(v)"]
        case let (x as String, y as String): return x == y ? [] : ["\(path): \(x) vs \(y)"]
        case (is NSNull, is NSNull): return []
        default: return ["\(path): \(a) vs \(b)"]
        }
    }

    @Test func goldenJSONForTheYellowPagesSurvey() throws {
        let file = FixtureData.url("yellow-pages/customerSat.csv").path
        let run = try KDARun.run(["analyze", file, "--outcome", "q1", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let actual = try Self.json(run.stdout)
        let golden = try Self.json(String(contentsOf: KDARun.folder("Golden").appendingPathComponent("yellow_pages.json"), encoding: .utf8))
        let differences = Self.same(actual, golden)
        #expect(differences.isEmpty, "\(differences.prefix(5))")
        #expect(actual["schema"] as? String == "kda.analysis/1")
        let drivers = try #require(actual["drivers"] as? [[String: Any]])
        let keys = ["name", "mean", "std_dev", "estimate", "std_error", "statistic", "p_value", "ci_lower", "ci_upper",
                    "standardized_beta", "vif", "odds_ratio", "pearson", "pearson_p_value", "spearman", "importance", "importance_ci",
                    "p_value_holm", "p_value_bh", "performance", "quadrant", "performance_ci", "quadrant_probability",
                    "quadrant_unstable", "rank", "rank_probability", "rank_ci", "sign_flip_probability", "suppressor", "what_if",
                    "kind", "scale", "performance_percent", "improves",     // additive keys of the real-data round
                    "role", "lower_is_better", "odds_ratio_ci_lower", "odds_ratio_ci_upper",     // and of the declarations round
                    "gvif",     // and of the (generalized) VIF for every model
                    "odds_ratio_per_sd"]     // and of the engine/API round
        #expect(Set(drivers[0].keys) == Set(keys))
        let shares = drivers.map { (($0["importance"] as? [String: Any])?["shapley_share"] as? Double) ?? 0 }
        #expect(abs(shares.reduce(0, +) - 1) < 1e-12)
    }

    @Test func churnWithValueBootstrapAndEveryFormat() throws {
        let file = FixtureData.url("telco/Telco-Customer-Churn.csv").path
        let args = ["analyze", file, "--outcome", "Churn", "--drivers", "tenure,MonthlyCharges,SeniorCitizen", "--role", "tenure=lever",
                    "--margin", "MonthlyCharges", "--discount-rate", "0.01", "--what-if-delta", "6", "--bootstrap", "20", "--quiet"]
        let run = try KDARun.run(args + ["--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try Self.json(run.stdout)
        let model = try #require(json["model"] as? [String: Any])
        #expect(model["kind"] as? String == "logistic")
        #expect(json["value"] != nil && json["dominance"] != nil)
        let first = try #require((json["drivers"] as? [[String: Any]])?.first)
        let whatIf = try #require(first["what_if"] as? [String: Any])
        #expect(whatIf["clv_at_stake"] is Double && whatIf["ci_lower"] is Double)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kda-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for format in ["table", "csv", "markdown", "html"] {
            let output = directory.appendingPathComponent("report.\(format)").path
            let chart = directory.appendingPathComponent("chart-\(format).svg").path
            let result = try KDARun.run(args + ["--format", format, "--output", output, "--chart", chart])
            #expect(result.status == 0, "\(format): \(result.stderr)")
            let text = try String(contentsOfFile: output, encoding: .utf8)
            #expect(text.contains("tenure"), "\(format)")
            let svg = try String(contentsOfFile: chart, encoding: .utf8)
            #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>\n"))
            #expect(XMLParser(data: Data(svg.utf8)).parse(), "the chart is well-formed XML")
        }
        let csv = try String(contentsOfFile: directory.appendingPathComponent("report.csv").path, encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 4)
        #expect(try String(contentsOfFile: directory.appendingPathComponent("report.html").path, encoding: .utf8).contains("<svg"))
    }

    @Test func summaryInputsAndSQL() throws {
        let sql = try KDARun.run(["sql", "--table", "cx.survey", "--outcome", "sat", "--drivers", "wifi,billing", "--dialect", "spark"])
        #expect(sql.status == 0 && sql.stdout.contains("`mean__wifi`"))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kda-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let survey = directory.appendingPathComponent("survey.csv").path
        #expect(try KDARun.run(["generate", "--respondents", "3000", "--touchpoints", "4", "--seed", "3", "--output", survey]).status == 0)
        // Moments computed by SQLite from the generated file, then analysed from the summary.
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3") {
            let query = try KDARun.run(["sql", "--table", "s", "--outcome", "satisfaction", "--drivers", "wifi,check_in,billing,support", "--dialect", "sqlite"]).stdout
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
            let input = Pipe(), output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            try process.run()
            input.fileHandleForWriting.write(Data(".mode csv\n.import \(survey) s\n.headers on\n\(query)\n".utf8))
            try input.fileHandleForWriting.close()
            let moments = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            let momentsFile = directory.appendingPathComponent("moments.csv")
            try moments.write(to: momentsFile)
            let fromMoments = try KDARun.run(["analyze", "--from-moments", momentsFile.path, "--outcome", "satisfaction", "--format", "json"])
            #expect(fromMoments.status == 0, "\(fromMoments.stderr)")
            let direct = try KDARun.run(["analyze", survey, "--outcome", "satisfaction", "--drivers", "wifi,check_in,billing,support", "--format", "json"])
            let a = try Self.json(fromMoments.stdout), b = try Self.json(direct.stdout)
            let shapleyA = (a["drivers"] as! [[String: Any]]).map { ($0["importance"] as! [String: Any])["shapley"] as! Double }
            let shapleyB = (b["drivers"] as! [[String: Any]]).map { ($0["importance"] as! [String: Any])["shapley"] as! Double }
            for (x, y) in zip(shapleyA, shapleyB) { #expect(abs(x - y) <= 1e-9 * abs(y)) }
        }
    }

    /// Every malformed file gives a clear message and the contract's exit code.
    static let corpus: [(file: String, arguments: [String], status: Int32, message: String)] = [
        ("01-empty.csv", ["--outcome", "sat"], 3, "empty"),
        ("02-header-only.csv", ["--outcome", "sat"], 3, "no data rows"),
        ("03-ragged-short.csv", ["--outcome", "sat"], 3, "row 3: expected 3 fields"),
        ("04-ragged-long.csv", ["--outcome", "sat"], 3, "row 3: expected 3 fields as in the header, found 4"),
        ("05-unterminated-quote.csv", ["--outcome", "sat"], 3, "never closed"),
        ("06-stray-quote.csv", ["--outcome", "sat"], 3, "stray quote"),
        ("07-duplicate-header.csv", ["--outcome", "sat"], 3, "appears more than once"),
        ("08-text-in-driver.csv", ["--outcome", "sat", "--drivers", "wifi,billing"], 3, "row 3, column 'billing': expected a number, found 'x'"),
        ("09-infinity.csv", ["--outcome", "sat", "--drivers", "wifi,billing"], 3, "row 3, column 'billing': expected a finite number"),
        ("10-constant-outcome.csv", ["--outcome", "sat"], 3, "constant"),
        ("11-constant-driver.csv", ["--outcome", "sat", "--drivers", "wifi,billing"], 3, "column 'wifi' is constant"),
        ("12-all-missing-driver.csv", ["--outcome", "sat", "--drivers", "wifi,billing"], 3, "column 'wifi' has no non-missing values"),
        ("13-too-few-rows.csv", ["--outcome", "sat"], 3, "needs at least 4 complete rows, found 2"),
        ("14-separation.csv", ["--outcome", "churn"], 3, "separation"),
        ("15-negative-weight.csv", ["--outcome", "sat", "--weight", "w"], 3, "row 3, weight column 'w'"),
        ("16-zero-weights.csv", ["--outcome", "sat", "--weight", "w"], 3, "every weight is zero"),
        ("17-nps-out-of-range.csv", ["--outcome", "sat", "--drivers", "wifi,billing", "--nps", "nps"], 3, "row 2: likelihood to recommend"),
        ("19-bad-moments.csv", ["--outcome", "sat", "--from-moments"], 3, "invalid moments"),
        ("20-not-psd-correlation.csv", ["--outcome", "y", "--n", "100", "--from-correlation"], 3, "not positive semidefinite"),
        ("21-bom-and-blank-lines.csv", ["--outcome", "sat"], 3, "empty"),
        ("22-invalid-utf8.csv", ["--outcome", "sat"], 3, "row 4, column 'sat': expected a number"),
        ("missing-file.csv", ["--outcome", "sat"], 3, "no such file"),
    ]

    @Test("malformed input", arguments: KDATests.corpus.indices)
    func malformed(index: Int) throws {
        let entry = Self.corpus[index]
        let path = KDARun.folder("Malformed").appendingPathComponent(entry.file).path
        let arguments = entry.arguments.last!.hasPrefix("--from") ? ["analyze"] + entry.arguments + [path] : ["analyze", path] + entry.arguments
        let run = try KDARun.run(arguments)
        #expect(run.status == entry.status, "\(entry.file): \(run.stderr)")
        #expect(run.stderr.contains(entry.message), "\(entry.file): \(run.stderr)")
        #expect(!run.stderr.contains("Fatal error") && run.stdout.isEmpty)
    }

    @Test func collinearDriversAreAReportedFallback() throws {
        let path = KDARun.folder("Malformed").appendingPathComponent("18-collinear-only.csv").path
        let run = try KDARun.run(["analyze", path, "--outcome", "sat", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let warnings = try #require(Self.json(run.stdout)["warnings"] as? [[String: Any]])
        #expect(warnings.contains { $0["code"] as? String == "aliased_drivers" })
    }

    @Test("usage errors exit with 2", arguments: [
        ["analyze"], ["analyze", "x.csv"], ["analyze", "x.csv", "--outcome", "y", "--format", "xml"], ["frobnicate"],
        ["analyze", "x.csv", "--outcome", "y", "--group", "digital"], ["analyze", "x.csv", "--outcome", "y", "--conservative"],
        ["analyze", "x.csv", "--outcome", "y", "--model", "probit"], ["sql", "--table", "t", "--outcome", "y", "--drivers", "a", "--dialect", "oracle"],
        ["generate", "--respondents", "0", "--touchpoints", "3", "--output", "/tmp/x.csv"],
        ["analyze", "x.csv", "--outcome", "y", "--event-meaning", "sad"], ["analyze", "x.csv", "--outcome", "y", "--scale", "wifi=5..1"],
        ["analyze", "x.csv", "--outcome", "y", "--reference", "Contract"], ["analyze", "x.csv", "--outcome", "y", "--robust", "hc9"],
        ["analyze", "x.csv", "--outcome", "y", "--drivers", "a,\"b"],
    ])
    func usage(arguments: [String]) throws {
        let run = try KDARun.run(arguments)
        #expect(run.status == 2, "\(arguments): \(run.stderr)")
        #expect(!run.stderr.isEmpty)
    }

    /// Real-data requests the data cannot meet: exit 3 with the column named.
    @Test("bad real-data requests name the column", arguments: [
        (["--drivers", "Contract,tenure", "--event", "Maybe"], "'Maybe'"),
        (["--drivers", "Contract,tenure", "--reference", "Contract=Three year"], "Three year"),
        (["--drivers", "tenure,MonthlyCharges", "--scale", "tenure=1..5"], "tenure"),
        (["--drivers", "customerID,tenure"], "customerID"),
    ])
    func badRealDataRequests(extra: [String], mention: String) throws {
        let file = FixtureData.url("telco/Telco-Customer-Churn.csv").path
        let run = try KDARun.run(["analyze", file, "--outcome", "Churn", "--quiet"] + extra)
        #expect(run.status == 3, "\(extra): \(run.stderr)")
        #expect(run.stderr.contains(mention), "\(run.stderr)")
    }

    /// A column whose name holds a comma is named with quotes in --drivers, or with --driver.
    @Test func driverNamesWithCommas() throws {
        let file = try TemporaryFile(contents: "\"Billing, invoices\",wifi,y\n" + (0..<60).map { i in "\((i * 7) % 11),\((i * 3) % 11),\(Double((i * 7) % 11) * 0.5 + Double((i * 3) % 11) * 0.2 + Double(i % 5))" }.joined(separator: "\n") + "\n")
        for args in [["--drivers", "\"Billing, invoices\",wifi"], ["--driver", "Billing, invoices", "--driver", "wifi"]] {
            let run = try KDARun.run(["analyze", file.path, "--outcome", "y", "--format", "json"] + args)
            #expect(run.status == 0, "\(run.stderr)")
            let names = ((try Self.json(run.stdout))["drivers"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
            #expect(names == ["Billing, invoices", "wifi"])
        }
    }

    @Test func thirtyDriverChartHasNoOverlappingLabels() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kda-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let survey = directory.appendingPathComponent("s.csv").path, chart = directory.appendingPathComponent("c.svg").path
        #expect(try KDARun.run(["generate", "--respondents", "3000", "--touchpoints", "30", "--output", survey]).status == 0)
        let run = try KDARun.run(["analyze", survey, "--outcome", "satisfaction", "--methods", "relative-weights", "--format", "json", "--chart", chart])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try Self.json(run.stdout)
        let names = (json["drivers"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
        #expect(names.count == 31 && names.contains("region"), "30 touchpoints and the region factor; respondent_id is not a driver")
        let svg = try String(contentsOfFile: chart, encoding: .utf8)
        #expect(XMLParser(data: Data(svg.utf8)).parse())
        // Matrix labels (text with a <title>, not right-aligned like the bar names, not the numbered
        // legend's lines): 30 of them — numbers, with the 30 names in the legend under the plot —
        // no two boxes overlapping (12 px DejaVu Sans, at most 7.2 px a character).
        let texts = svg.split(separator: "\n").filter { $0.hasPrefix("<text x=\"") && $0.contains("><title>") && !$0.contains("text-anchor") }
        let labels = texts.filter { !$0.contains("<tspan") }
        #expect(labels.count == 30)
        #expect(texts.count - labels.count == 30, "a numbered legend line per rating")
        #expect(svg.contains("named under the plot"))
        let boxes = labels.map { line -> (x: Double, y: Double, w: Double) in
            let parts = line.split(separator: "\"")
            let text = line.components(separatedBy: "</title>")[1].components(separatedBy: "</text>")[0]
            return (Double(parts[1])!, Double(parts[3])!, 7.2 * Double(text.count))
        }
        for (i, a) in boxes.enumerated() {
            for b in boxes[(i + 1)...] {
                #expect(!(a.x < b.x + b.w && b.x < a.x + a.w && abs(a.y - b.y) < 14), "labels at \(a) and \(b) overlap")
            }
        }
    }

    @Test func groupsAndControlsInTheJSON() throws {
        let file = FixtureData.url("yellow-pages/customerSat.csv").path
        let run = try KDARun.run(["analyze", file, "--outcome", "q1", "--group", "pricing=q2,q3,q4", "--group", "reach=q5,q6,q7,q8",
                                  "--control", "q10", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try Self.json(run.stdout)
        let groups = try #require(json["groups"] as? [[String: Any]])
        #expect(groups.map { $0["name"] as? String } == ["pricing", "reach", "q9"])
        let controls = try #require(json["controls"] as? [[String: Any]])
        #expect(controls.map { $0["name"] as? String } == ["q10"])
        let drivers = try #require(json["drivers"] as? [[String: Any]])
        #expect(!drivers.contains { $0["name"] as? String == "q10" })
        let shares = groups.map { (($0["importance"] as? [String: Any])?["shapley_share"] as? Double) ?? 0 }
        #expect(abs(shares.reduce(0, +) - 1) < 1e-12)
    }

    @Test func ordinalModelOnlyWhenAskedFor() throws {
        let file = FixtureData.url("ecsi-mobi/mobi.csv").path
        let run = try KDARun.run(["analyze", file, "--outcome", "CUSA1", "--drivers", "PERQ1,PERV1,IMAG1", "--model", "ordinal", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let model = try #require(Self.json(run.stdout)["model"] as? [String: Any])
        #expect(model["kind"] as? String == "ordinal")
        #expect((model["thresholds"] as? [Any])?.count == 6)
        let auto = try KDARun.run(["analyze", file, "--outcome", "CUSA1", "--drivers", "PERQ1,PERV1,IMAG1", "--format", "json"])
        #expect((try Self.json(auto.stdout)["model"] as? [String: Any])?["kind"] as? String == "linear")
    }

    /// `--model ordinal` with a numeric and a text control, and a text driver: no "not available",
    /// the controls' coefficients, a factor with its joint test, every driver's (G)VIF.
    @Test func ordinalModelWithControlsAndFactors() throws {
        let file = FixtureData.url("bank-satisfaction/satisfaction.csv").path
        let run = try KDARun.run(["analyze", file, "--outcome", "sat1", "--drivers", "qual1,val1,imag1", "--model", "ordinal",
                                  "--control", "expe1,gender", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try Self.json(run.stdout)
        #expect((report["controls"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["expe1", "gender[male]"])
        let notes = (report["warnings"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
        #expect(!notes.contains { $0.contains("not available") }, "\(notes)")
        let drivers = try #require(report["drivers"] as? [[String: Any]])
        #expect(drivers.allSatisfy { ($0["gvif"] as? [String: Any])?["df"] as? Double == 1 && $0["vif"] is Double })
        let factor = try KDARun.run(["analyze", file, "--outcome", "sat1", "--drivers", "qual1,val1,gender", "--model", "ordinal", "--format", "table"])
        #expect(factor.status == 0, "\(factor.stderr)")
        #expect(factor.stdout.contains("gender — LR χ²(1)") && factor.stdout.contains("Collinearity"), "\(factor.stdout)")
    }

    @Test func correlationOnlyMethodsStreamTheFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kda-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let survey = directory.appendingPathComponent("s.csv").path
        #expect(try KDARun.run(["generate", "--respondents", "4000", "--touchpoints", "5", "--missing-rate", "0.02", "--output", survey]).status == 0)
        let drivers = "wifi,check_in,billing,support,app"
        let streamed = try KDARun.run(["analyze", survey, "--outcome", "satisfaction", "--drivers", drivers, "--stream", "always",
                                       "--methods", "correlation,shapley,relative-weights,dominance", "--format", "json"])
        let loaded = try KDARun.run(["analyze", survey, "--outcome", "satisfaction", "--drivers", drivers, "--format", "json"])
        #expect(streamed.status == 0 && loaded.status == 0, "\(streamed.stderr)")
        let a = try Self.json(streamed.stdout), b = try Self.json(loaded.stdout)
        #expect((a["warnings"] as? [[String: Any]])?.contains { $0["code"] as? String == "summary_input" } == true)
        let shapley = { (json: [String: Any]) in (json["drivers"] as! [[String: Any]]).map { ($0["importance"] as! [String: Any])["shapley"] as! Double } }
        for (x, y) in zip(shapley(a), shapley(b)) { #expect(abs(x - y) <= 1e-10 * abs(y)) }
    }

    @Test func filesAboveTheMemoryBudgetAreStreamedAndSaySo() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kda-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let survey = directory.appendingPathComponent("s.csv").path, churn = directory.appendingPathComponent("c.csv").path
        #expect(try KDARun.run(["generate", "--respondents", "6000", "--touchpoints", "4", "--output", survey]).status == 0)
        #expect(try KDARun.run(["generate", "--respondents", "6000", "--touchpoints", "4", "--outcome", "churn", "--output", churn]).status == 0)
        let drivers = "wifi,check_in,billing,support"
        func codes(_ json: [String: Any]) -> [String] { (json["warnings"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String } }
        // Linear: the model with inference from the streamed moments, the same coefficients as loaded.
        let small = try KDARun.run(["analyze", survey, "--outcome", "satisfaction", "--drivers", drivers, "--memory-budget", "0.5", "--format", "json"])
        let loaded = try KDARun.run(["analyze", survey, "--outcome", "satisfaction", "--drivers", drivers, "--format", "json"])
        #expect(small.status == 0 && loaded.status == 0, "\(small.stderr)")
        let a = try Self.json(small.stdout), b = try Self.json(loaded.stdout)
        #expect(codes(a).contains("streamed") && !codes(b).contains("streamed"))
        let estimate = { (json: [String: Any]) in (json["drivers"] as! [[String: Any]]).map { $0["estimate"] as! Double } }
        for (x, y) in zip(estimate(a), estimate(b)) { #expect(abs(x - y) <= 1e-9 * abs(y)) }
        // Logistic: IRLS passes over the file.
        let streamedChurn = try KDARun.run(["analyze", churn, "--outcome", "churn", "--model", "logistic", "--drivers", drivers,
                                            "--memory-budget", "0.5", "--format", "json"])
        let loadedChurn = try KDARun.run(["analyze", churn, "--outcome", "churn", "--model", "logistic", "--drivers", drivers, "--format", "json"])
        #expect(streamedChurn.status == 0 && loadedChurn.status == 0, "\(streamedChurn.stderr)")
        let c = try Self.json(streamedChurn.stdout), d = try Self.json(loadedChurn.stdout)
        #expect(codes(c).contains("streamed"))
        for (x, y) in zip(estimate(c), estimate(d)) { #expect(abs(x - y) <= 1e-7 * abs(y)) }
        // --model auto streams a 0/1 outcome as logistic, as the in-memory analysis chooses.
        let auto = try KDARun.run(["analyze", churn, "--outcome", "churn", "--drivers", drivers, "--memory-budget", "0.5", "--format", "json"])
        let autoJSON = try Self.json(auto.stdout)
        #expect(auto.status == 0 && codes(autoJSON).contains("streamed"))
        #expect((autoJSON["model"] as? [String: Any])?["kind"] as? String == "logistic")
        // Row-level requests load the file anyway, and say why; --stream always refuses them.
        let bootstrap = try KDARun.run(["analyze", survey, "--outcome", "satisfaction", "--drivers", drivers, "--memory-budget", "0.5",
                                        "--bootstrap", "20", "--format", "json"])
        let bootstrapJSON = try Self.json(bootstrap.stdout)
        #expect(bootstrap.status == 0 && codes(bootstrapJSON).contains("memory_budget"))
        let refused = try KDARun.run(["analyze", survey, "--outcome", "satisfaction", "--drivers", drivers, "--stream", "always", "--bootstrap", "20"])
        #expect(refused.status == 2 && refused.stderr.contains("--bootstrap"))
        // Default drivers with the text column `region` stream too (typed and coded in passes
        // over the file), with the same Shapley values as the loaded analysis.
        let defaults = try KDARun.run(["analyze", survey, "--outcome", "satisfaction", "--memory-budget", "0.5", "--methods", "correlation,shapley", "--format", "json"])
        let defaultsLoaded = try KDARun.run(["analyze", survey, "--outcome", "satisfaction", "--methods", "correlation,shapley", "--format", "json"])
        #expect(defaults.status == 0 && defaultsLoaded.status == 0, "\(defaults.stderr)")
        let e = try Self.json(defaults.stdout), f = try Self.json(defaultsLoaded.stdout)
        #expect(codes(e).contains("streamed") && !codes(e).contains("memory_budget"))
        let shapley = { (json: [String: Any]) in (json["drivers"] as! [[String: Any]]).map { (($0["name"] as! String), ($0["importance"] as! [String: Any])["shapley"] as! Double) } }
        #expect(shapley(e).map(\.0) == shapley(f).map(\.0) && shapley(e).map(\.0).contains("region"))
        for (x, y) in zip(shapley(e), shapley(f)) { #expect(abs(x.1 - y.1) <= 1e-10) }
        // A logistic model of default drivers still needs the rows, and says so.
        let churnDefaults = try KDARun.run(["analyze", churn, "--outcome", "churn", "--memory-budget", "0.5", "--format", "json"])
        let churnJSON = try Self.json(churnDefaults.stdout)
        #expect(churnDefaults.status == 0 && codes(churnJSON).contains("memory_budget"))
    }

    @Test func failureBehaviour() throws {
        let file = FixtureData.url("yellow-pages/customerSat.csv").path
        // Unwritable output: a directory that does not exist, and a read-only directory.
        let missingDir = try KDARun.run(["analyze", file, "--outcome", "q1", "--output", "/nonexistent/dir/report.txt"])
        #expect(missingDir.status == 2 && missingDir.stderr.contains("cannot write /nonexistent/dir/report.txt"))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kda-ro-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer {
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
            try? FileManager.default.removeItem(at: directory)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: directory.path)
        if getuid() != 0 {   // root ignores permissions
            let readOnly = try KDARun.run(["analyze", file, "--outcome", "q1", "--output", directory.appendingPathComponent("r.txt").path])
            #expect(readOnly.status == 2 && readOnly.stderr.contains("cannot write"))
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
        // SIGINT during a long run: the process stops and leaves no output file behind.
        let survey = directory.appendingPathComponent("wide.csv").path
        #expect(try KDARun.run(["generate", "--respondents", "2000", "--touchpoints", "30", "--output", survey]).status == 0)
        let output = directory.appendingPathComponent("report.json").path
        let process = Process()
        process.executableURL = KDARun.executable
        // 30 numeric ratings: the exact Shapley walk over 2^30 subsets, seconds of work to interrupt.
        let header = try String(contentsOfFile: survey, encoding: .utf8).prefix { $0 != "\n" }.split(separator: ",").map(String.init)
        let ratings = header.filter { !["respondent_id", "region", "satisfaction"].contains($0) }
        process.arguments = ["analyze", survey, "--outcome", "satisfaction", "--drivers", ratings.joined(separator: ","), "--methods", "shapley",
                             "--format", "json", "--output", output]
        process.standardError = Pipe()
        try process.run()
        Thread.sleep(forTimeInterval: 1.0)
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0 != "wide.csv" }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test func demoRunsEndToEnd() throws {
        let run = try KDARun.run(["demo"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("CLV at stake") && run.stdout.contains("Try next:"))
        #expect(try KDARun.run(["--version"]).status == 0)
    }
}
