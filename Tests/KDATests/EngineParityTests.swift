import DriverAnalysis
import Fixtures
import Foundation
import Testing

/// The engine path gives the file path's answer or refuses, by construction: the parity table
/// (`kda engine-parity`, printed in `Docs/scale-out.md`) lists every option the argument parser
/// knows, and each option is run through SQLite (always) and DuckDB (where its Python package is
/// installed) against the file path on the same rows — the same numbers (1e-8) or exit 2.
@Suite("Engine parity: every analyze option honoured or refused")
struct EngineParityTests {
    /// The options of `kda analyze` as the argument parser reports them (`--experimental-dump-help`).
    static func parserOptions() throws -> [String] {
        let run = try KDARun.run(["analyze", "--experimental-dump-help"])
        let json = try KDATests.json(run.stdout)
        let arguments = ((json["command"] as? [String: Any])?["arguments"] as? [[String: Any]]) ?? []
        return arguments.map { argument in
            guard let names = argument["names"] as? [[String: Any]], let first = names.first(where: { ($0["kind"] as? String) == "long" }) ?? names.last,
                  let name = first["name"] as? String else { return "<\(argument["valueName"] as? String ?? "?")>" }
            return "--" + name
        }
    }

    /// The parity table's rows: option, linear, logistic.
    static func table() throws -> [(option: String, linear: String, logistic: String)] {
        let run = try KDARun.run(["engine-parity"])
        #expect(run.status == 0)
        return run.stdout.split(separator: "\n").dropFirst(2).map { line in
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            return (cells[1].trimmingCharacters(in: CharacterSet(charactersIn: "`")), cells[2], cells[3])
        }
    }

    @Test func theTableListsEveryOptionOfTheParserAndTheDocsPrintIt() throws {
        let options = try Self.parserOptions(), rows = try Self.table()
        #expect(options.count > 50)
        let listed = rows.map(\.option)
        for option in options where option != "--help" && option != "--version" {
            #expect(listed.contains(option), "\(option) is missing from EngineParity.entries")
        }
        for option in listed where option != "--help" && option != "--version" {
            #expect(options.contains(option), "\(option) is in the parity table but not an option")
        }
        let docs = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Docs/scale-out.md"), encoding: .utf8)
        let printed = try KDARun.run(["engine-parity"]).stdout
        #expect(docs.contains(printed), "Docs/scale-out.md must hold the table `kda engine-parity` prints")
    }

    /// Examples per option and model; `nil` means the option is not walked for that model.
    /// An example holding `--drivers` replaces the base drivers.
    static let examples: [String: (linear: [String]?, logistic: [String]?)] = [
        "<file>": (nil, nil), "--outcome": ([], []), "--drivers": ([], []), "--driver": (["--drivers", "wifi", "--driver", "billing"], ["--drivers", "wifi", "--driver", "billing"]),
        "--event": (["--event", "1"], ["--event", "1"]), "--event-meaning": (["--event-meaning", "adverse"], ["--event-meaning", "adverse"]),
        "--reference": (["--drivers", "wifi,plan", "--reference", "plan=Plus"], ["--drivers", "wifi,plan", "--reference", "plan=Plus"]),
        "--categorical": (["--categorical", "support"], ["--categorical", "support"]),
        "--what-if-move": (["--drivers", "wifi,plan", "--what-if-move", "plan=Basic>Premium"],
                           ["--drivers", "wifi,plan", "--margin", "m", "--what-if-move", "plan=Basic>Premium"]),
        "--scale": (["--scale", "wifi=1..10"], ["--scale", "wifi=1..10"]),
        "--role": (["--role", "support=attribute"], ["--role", "support=attribute", "--margin", "m"]),
        "--kind": (["--kind", "support=count"], ["--kind", "support=count", "--margin", "m"]),
        "--lower-is-better": (["--lower-is-better", "support"], ["--lower-is-better", "support", "--margin", "m"]),
        "--exclude": (["--exclude", "support"], ["--exclude", "support"]),
        "--robust": (["--robust", "hc3"], ["--robust", "hc1"]),
        "--model": (["--model", "linear"], ["--model", "logistic"]),
        "--weight": (["--weight", "w"], ["--weight", "w"]),
        "--weight-kind": (["--weight", "w", "--weight-kind", "frequency"], ["--weight", "w", "--weight-kind", "frequency"]),
        "--segment": (["--segment", "region"], ["--segment", "region"]),
        "--source": (["--source", "x.csv:id"], nil), "--repeated": (["--repeated", "x=first"], nil), "--key-case": (["--key-case", "insensitive"], nil),
        "--missing": (["--missing", "pairwise"], ["--missing", "pairwise"]),
        "--fragments": (["--fragments", "listwise"], ["--fragments", "listwise"]), "--imputations": (["--fragments", "impute", "--imputations", "5"], nil),
        "--na-values": (["--na-values", "support=0"], ["--na-values", "support=0"]),
        "--methods": (["--methods", "shapley,relative-weights"], ["--methods", "shapley"]),
        "--bootstrap": (["--bootstrap", "20"], ["--bootstrap", "10"]), "--seed": (["--bootstrap", "20", "--seed", "5"], ["--bootstrap", "10", "--seed", "3"]),
        "--confidence": (["--confidence", "0.9"], ["--confidence", "0.9"]),
        "--format": ([], []), "--output": ([], []), "--chart": ([], []), "--quiet": ([], []),
        "--no-intercept": (["--no-intercept"], ["--no-intercept"]), "--scale-max": (["--scale-max", "10"], nil),
        "--group": (["--group", "G=wifi,billing"], ["--group", "G=wifi,billing"]),
        "--control": (["--drivers", "wifi,billing", "--control", "support"], ["--drivers", "wifi,billing", "--control", "support"]),
        "--from-correlation": (["--from-correlation", "c.csv"], nil), "--n": (["--n", "100"], nil), "--from-moments": (["--from-moments", "m.csv"], nil),
        "--conservative": (["--bootstrap", "10", "--conservative"], ["--margin", "m", "--bootstrap", "10", "--conservative"]),
        "--nps": (["--nps", "rec"], ["--nps", "rec"]), "--nps-scale": (["--nps", "rec", "--nps-scale", "0..10"], ["--nps", "rec", "--nps-scale", "0..10"]),
        "--margin": (["--margin", "m"], ["--margin", "m"]),
        "--discount-rate": (["--discount-rate", "0.01"], ["--margin", "m", "--discount-rate", "0.01"]),
        "--what-if-delta": (["--what-if-delta", "2"], ["--margin", "m", "--what-if-delta", "2"]),
        "--stream": (["--stream", "never"], nil), "--memory-budget": (["--memory-budget", "50"], nil),
        "--exhaustive": (["--exhaustive"], ["--exhaustive"]),
    ]

    /// A survey with ratings (some `NA`), a factor, a segment, weights, an NPS item, a margin and
    /// a 0/1 churn flag — deterministic.
    static func survey(in directory: URL) throws -> String {
        var random = SplitMix(seed: 2026)
        var lines = ["id,y,churn,wifi,billing,support,plan,region,w,rec,m"]
        let plans = ["Basic", "Plus", "Premium"], regions = ["North", "South", "East"]
        for i in 1...600 {
            let wifi = Int(random.next() % 10) + 1, billing = Int(random.next() % 10) + 1, support = Int(random.next() % 11)
            let plan = plans[Int(random.next() % 3)], region = regions[Int(random.next() % 3)]
            let u = random.uniform(), noise = random.uniform() - 0.5
            let eta = 1.5 - 0.25 * Double(wifi) - 0.1 * Double(billing) + 0.05 * Double(support) + (plan == "Basic" ? 0.4 : 0)
            let churn = u < 1 / (1 + exp(-eta)) ? 1 : 0
            let y = 0.5 * Double(wifi) + 0.3 * Double(billing) + 0.1 * Double(support) + (plan == "Premium" ? 0.5 : 0) + 3 * noise
            let w = 0.5 + 1.5 * random.uniform(), rec = Int(random.next() % 11), m = 20 + 60 * random.uniform()
            lines.append(String(format: "%d,%.4f,%d,%@,%d,%d,%@,%@,%.3f,%d,%.2f", i, y, churn, i % 17 == 0 ? "NA" : String(wifi), billing, support,
                                plan, region, w, rec, m))
        }
        let path = directory.appendingPathComponent("survey.csv").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Every number of a JSON report by its path (rows keyed by name), leaving out warnings and
    /// bootstrap results (the engine's resamples differ from the file path's).
    static func numbers(_ value: Any, _ path: String = "", into out: inout [String: Double]) {
        let skipped = ["warnings", "p_rank", "rank_interval", "quadrant_probability", "more_important_than", "sign_flip_probability", "ci_lower", "ci_upper"]
        if let object = value as? [String: Any] {
            for (key, child) in object where !skipped.contains(key) && !key.contains("bootstrap") && !key.hasSuffix("_ci") {
                numbers(child, path + "/" + key, into: &out)
            }
        } else if let array = value as? [Any] {
            for (k, child) in array.enumerated() {
                numbers(child, path + "[" + (((child as? [String: Any])?["name"] as? String) ?? String(k)) + "]", into: &out)
            }
        } else if let number = value as? Double {
            out[path] = number
        }
    }

    static func walk(engine: [String], csv: String, table: [(option: String, linear: String, logistic: String)], slowEngine: Bool) throws {
        let base = ["linear": ["--outcome", "y", "--drivers", "wifi,billing,support"], "logistic": ["--outcome", "churn", "--drivers", "wifi,billing,support"]]
        var walked = 0
        for row in table {
            let example = examples[row.option]
            for model in ["linear", "logistic"] {
                let status = model == "linear" ? row.linear : row.logistic
                if status == "engine option" { continue }
                guard let pair = example else { Issue.record("\(row.option) has no example in EngineParityTests.examples"); continue }
                guard let args = model == "linear" ? pair.linear : pair.logistic else {
                    #expect(status.hasPrefix("refused: another input"), "\(row.option) (\(model)) is walked nowhere")
                    continue
                }
                var common = args.contains("--drivers") ? Array(base[model]!.prefix(2)) + args : base[model]! + args
                if slowEngine && model == "logistic" && !args.contains("--methods") { common += ["--methods", "regression"] }
                let viaEngine = try KDARun.run(["analyze"] + engine + ["--table", "survey"] + common + ["--format", "json", "--quiet"])
                walked += 1
                if status.hasPrefix("refused") {
                    #expect(viaEngine.status == 2, "\(row.option) (\(model)) is refused in the table but the engine gave exit \(viaEngine.status): \(viaEngine.stderr)")
                    continue
                }
                let viaFile = try KDARun.run(["analyze", csv] + common + ["--format", "json", "--quiet"])
                guard viaFile.status == 0 else {
                    #expect(viaEngine.status == viaFile.status, "\(row.option) (\(model)): the file path exits \(viaFile.status), the engine \(viaEngine.status): \(viaEngine.stderr)")
                    continue
                }
                #expect(viaEngine.status == 0, "\(row.option) (\(model)) is honoured in the table but the engine failed: \(viaEngine.stderr)")
                guard viaEngine.status == 0 else { continue }
                var a: [String: Double] = [:], b: [String: Double] = [:]
                numbers(try JSONSerialization.jsonObject(with: Data(viaEngine.stdout.utf8)), into: &a)
                numbers(try JSONSerialization.jsonObject(with: Data(viaFile.stdout.utf8)), into: &b)
                let shared = Set(a.keys).intersection(b.keys)
                #expect(shared.count >= 20, "\(row.option) (\(model)): only \(shared.count) numbers in common")
                for key in shared.sorted() {
                    expectClose(a[key]!, b[key]!, relative: 1e-8, absolute: 1e-12, "\(row.option) (\(model)) \(key)")
                }
                // The action order and each driver's kind, as the file path gives them (a
                // conservative order rests on the bootstrap's resamples, which differ).
                let engineJSON = try KDATests.json(viaEngine.stdout), fileJSON = try KDATests.json(viaFile.stdout)
                func order(_ j: [String: Any]) -> [String] { ((j["order"] as? [String: Any])?["drivers"] as? [String]) ?? [] }
                func kinds(_ j: [String: Any]) -> [String] { ((j["drivers"] as? [[String: Any]]) ?? []).map { "\($0["name"] ?? "")=\($0["kind"] ?? "-")" } }
                if row.option != "--conservative" {
                    #expect(order(engineJSON) == order(fileJSON), "\(row.option) (\(model)): action order")
                }
                #expect(kinds(engineJSON) == kinds(fileJSON), "\(row.option) (\(model)): kinds")
            }
        }
        #expect(walked > 80)
    }

    @Test(.enabled(if: EngineTests.available("command -v sqlite3"), "needs sqlite3"))
    func everyOptionThroughSQLite() throws {
        let directory = try EngineTests.scratch("parity-sqlite")
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = try Self.survey(in: directory), db = directory.appendingPathComponent("survey.db").path
        #expect(try EngineTests.shell("sqlite3 '\(db)' \".import --csv '\(csv)' survey\"") == 0)
        try Self.walk(engine: ["--engine", "sqlite3 -csv -header '\(db)'"], csv: csv, table: Self.table(), slowEngine: false)
    }

    @Test(.enabled(if: EngineTests.duckAvailable, "needs the duckdb Python package"))
    func everyOptionThroughDuckDB() throws {
        let directory = try EngineTests.scratch("parity-duckdb")
        defer { try? FileManager.default.removeItem(at: directory) }
        let csv = try Self.survey(in: directory)
        let engine = try EngineTests.duckEngine(csv: csv, table: "survey", in: directory)
        try Self.walk(engine: ["--engine", engine, "--dialect", "duckdb"], csv: csv, table: Self.table(), slowEngine: true)
    }
}
