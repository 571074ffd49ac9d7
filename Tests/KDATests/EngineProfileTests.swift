import DriverAnalysis
import Fixtures
import Foundation
import Testing

/// `kda analyze --engine … --source TABLE:KEY …`: the profile joined and reduced in the engine
/// gives the file path's profile analysis and coverage (`kda analyze --source FILE:KEY …`).
@Suite("A customer profile joined in the engine")
struct EngineProfileTests {
    /// A CRM with churn, a calls export keyed `CustID` with repeated answers dated ISO, and a web
    /// survey keyed `client` with padded, lower-cased and unknown keys.
    static func exports(in directory: URL) throws -> [String: String] {
        var random = SplitMix(seed: 606)
        var crm = ["customerID,Churn,tenure,plan"], calls = ["CustID,support,answered_at"], web = ["client,wifi,app"]
        for i in 0..<500 {
            let id = String(format: "C%04d", i)
            let support = Int(random.next() % 5) + 1, wifi = Int(random.next() % 11), app = Int(random.next() % 11)
            let p = 1 / (1 + exp(-(1.0 - 0.4 * Double(support) - 0.15 * Double(wifi))))
            crm.append("\(id),\(random.uniform() < p ? "Yes" : "No"),\(Int(random.next() % 72) + 1),\(random.next() % 2 == 0 ? "A" : "B")")
            if i % 10 != 0 {
                calls.append("\(id),\(support),2026-0\(Int(random.next() % 9) + 1)-1\(random.next() % 10)")
                if i % 7 == 0 { calls.append("\(id),\(Int(random.next() % 5) + 1),2025-01-01") }
            }
            if i % 9 != 0 { web.append(" \(i % 50 == 0 ? id.lowercased() : id) ,\(wifi),\(app)") }
        }
        web.append("ZZZ9,5,5")
        var paths: [String: String] = [:]
        for (name, lines) in [("crm", crm), ("calls", calls), ("web", web)] {
            let path = directory.appendingPathComponent("\(name).csv").path
            try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            paths[name] = path
        }
        return paths
    }

    static func coverageNumbers(_ json: [String: Any]) -> [String] {
        let coverage = json["coverage"] as? [String: Any] ?? [:]
        var out = ["base=\(coverage["base_customers"] ?? "")", "all=\(coverage["present_in_all"] ?? "")"]
        for source in coverage["sources"] as? [[String: Any]] ?? [] {
            for key in ["name", "rows", "customers", "empty_keys", "repeated_customers", "repeated_rows", "matched_with_base", "not_in_base",
                        "case_only_matches", "matched_nothing"] {
                out.append("\(source["name"] ?? "").\(key)=\(source[key] ?? "")")
            }
        }
        for pair in coverage["pairs"] as? [[String: Any]] ?? [] { out.append("\(pair["first"] ?? "")∩\(pair["second"] ?? "")=\(pair["matched"] ?? "")") }
        return out
    }

    @Test(.enabled(if: EngineTests.available("command -v sqlite3"), "needs sqlite3"))
    func theEngineJoinMatchesTheFileJoin() throws {
        let directory = try EngineTests.scratch("engine-profile")
        defer { try? FileManager.default.removeItem(at: directory) }
        let paths = try Self.exports(in: directory), db = directory.appendingPathComponent("cx.db").path
        for name in ["crm", "calls", "web"] { #expect(try EngineTests.shell("sqlite3 '\(db)' \".import --csv '\(paths[name]!)' \(name)\"") == 0) }
        let engine = ["--engine", "sqlite3 -csv -header '\(db)'"]
        let analysis = ["--outcome", "Churn", "--drivers", "support,wifi,app", "--repeated", "calls=latest:answered_at", "--format", "json", "--quiet"]
        for keyCase in ["sensitive", "insensitive"] {
            let viaEngine = try KDARun.run(["analyze"] + engine + ["--source", "crm:customerID", "--source", "calls:CustID", "--source", "web:client",
                                                                  "--key-case", keyCase] + analysis)
            let viaFile = try KDARun.run(["analyze", "--source", "crm=\(paths["crm"]!):customerID", "--source", "calls=\(paths["calls"]!):CustID",
                                          "--source", "web=\(paths["web"]!):client", "--key-case", keyCase] + analysis)
            #expect(viaEngine.status == 0 && viaFile.status == 0, "\(viaEngine.stderr) \(viaFile.stderr)")
            guard viaEngine.status == 0, viaFile.status == 0 else { continue }
            let e = try KDATests.json(viaEngine.stdout), f = try KDATests.json(viaFile.stdout)
            #expect(Self.coverageNumbers(e) == Self.coverageNumbers(f))
            #expect(Self.coverageNumbers(e).contains(keyCase == "sensitive" ? "web.case_only_matches=8" : "web.case_only_matches=0"))
            EngineTests.compareLogistic(e, f, tolerance: 1e-8)
        }
        // Repeated keys without a rule are refused, as in memory; mean is not computed in the engine.
        let repeated = try KDARun.run(["analyze"] + engine + ["--source", "crm:customerID", "--source", "calls:CustID", "--outcome", "Churn",
                                                             "--drivers", "support"])
        #expect(repeated.status == 3 && repeated.stderr.contains("more than one row"), "\(repeated.stderr)")
        let mean = try KDARun.run(["analyze"] + engine + ["--source", "crm:customerID", "--source", "calls:CustID", "--repeated", "calls=mean",
                                                         "--outcome", "Churn", "--drivers", "support"])
        #expect(mean.status == 2 && mean.stderr.contains("mean"), "\(mean.stderr)")
        // Sources with nothing to exemplify (every key everywhere, none repeated) still give a
        // coverage: the examples query always returns a row (sqlite3 prints nothing for none).
        let clean = directory.appendingPathComponent("clean.db").path
        try "cid,sat\nC1,3\nC2,4\nC3,5\nC4,2\n".write(toFile: directory.appendingPathComponent("a.csv").path, atomically: true, encoding: .utf8)
        try "cid,x\nC1,3\nC2,5\nC3,2\nC4,4\n".write(toFile: directory.appendingPathComponent("b.csv").path, atomically: true, encoding: .utf8)
        for name in ["a", "b"] {
            #expect(try EngineTests.shell("sqlite3 '\(clean)' \".import --csv '\(directory.appendingPathComponent("\(name).csv").path)' \(name)\"") == 0)
        }
        let tidy = try KDARun.run(["analyze", "--engine", "sqlite3 -csv -header '\(clean)'", "--source", "b:cid", "--source", "a:cid",
                                   "--outcome", "x", "--drivers", "sat", "--format", "json", "--quiet"])
        #expect(tidy.status == 0, "\(tidy.stderr)")
        if tidy.status == 0 { #expect(Self.coverageNumbers(try KDATests.json(tidy.stdout)).contains("all=4")) }
        // Both a table and sources: one input.
        let both = try KDARun.run(["analyze"] + engine + ["--table", "crm", "--source", "crm:customerID", "--outcome", "Churn", "--drivers", "tenure"])
        #expect(both.status == 2)
    }
}
