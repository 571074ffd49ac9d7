import Fixtures
import Foundation
import Testing

/// `kda profile` and `kda analyze --source` / `kda analyze profile.csv` end to end, on the Telco
/// table split into four exports (``TelcoSplit``) and on small hostile files.
@Suite("kda profile", .serialized)
struct ProfileCommandTests {
    /// The four exports in a fresh folder, and the `--source`/`--repeated` arguments that join them.
    static func exports() throws -> (TelcoSplit, TemporaryFile, [String]) {
        let split = try TelcoSplit()
        let folder = try TemporaryFile(name: "README", contents: "")
        try split.write(to: folder.directory)
        let d = folder.directory.path
        let arguments = ["--source", "\(d)/crm.csv:customerID", "--source", "\(d)/calls.csv:CustID", "--source", "\(d)/web.csv:client",
                         "--source", "\(d)/app.csv:Customer Ref", "--repeated", "calls=latest:answered_at", "--key-case", "insensitive"]
        return (split, folder, arguments)
    }

    @Test func profileWritesTheCSVTheSidecarAndSaysTheCoverageFirst() throws {
        let (split, folder, sources) = try Self.exports()
        let output = folder.directory.appendingPathComponent("profile.csv").path
        let run = try KDARun.run(["profile"] + sources + ["--scale", "calls:sat=1..5", "--output", output])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("Coverage\n  7043 customers in the base source 'crm' (one profile row each); \(split.inAll.count) present in all 4 sources"))
        #expect(run.stdout.contains("3 not in the base (left out) (e.g. "))
        #expect(split.ghostKeys.allSatisfy(run.stdout.contains))
        #expect(run.stdout.contains("\(split.repeatedCustomers) customers repeated on \(split.repeatedRows) extra rows, reduced by latest:answered_at"))
        #expect(run.stdout.contains("'tenure': crm vs app differ for \(split.tenureConflicts) customers"))
        #expect(run.stdout.contains("PaperlessBilling (web): Y/N -> Yes/No"))
        let csv = try String(contentsOfFile: output, encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 7044)
        #expect(csv.hasPrefix("customerID,gender,SeniorCitizen,Partner,Dependents,tenure,Contract,PaymentMethod,MonthlyCharges,TotalCharges,Churn,answered_at,sat,PhoneService,"))
        let sidecar = try KDATests.json(String(contentsOfFile: folder.directory.appendingPathComponent("profile.json").path, encoding: .utf8))
        #expect(sidecar["schema"] as? String == "kda.profile/1")
        #expect(sidecar["data"] as? String == "profile.csv")
        let scales = try #require(sidecar["scales"] as? [[String: Any]])
        #expect(scales.count == 1 && scales.first?["column"] as? String == "sat" && scales.first?["upper"] as? Double == 5)

        let json = try KDARun.run(["profile"] + sources + ["--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let coverage = try #require(try KDATests.json(json.stdout)["coverage"] as? [String: Any])
        #expect(coverage["base_customers"] as? Int == 7043)
        #expect(coverage["present_in_all"] as? Int == split.inAll.count)
        let calls = try #require((coverage["sources"] as? [[String: Any]])?.first { $0["name"] as? String == "calls" })
        #expect(calls["not_in_base"] as? Int == 3)
        #expect(calls["repeated_rows"] as? Int == split.repeatedRows)
    }

    @Test func analyzeReadsTheSidecarAndRunsFromSources() throws {
        let (split, folder, sources) = try Self.exports()
        let output = folder.directory.appendingPathComponent("profile.csv").path
        #expect(try KDARun.run(["profile"] + sources + ["--scale", "calls:sat=1..5", "--output", output]).status == 0)
        let analysis = ["--outcome", "Churn", "--drivers", "sat,tenure,Contract", "--format", "json", "--quiet"]
        let fromFile = try KDARun.run(["analyze", output] + analysis)
        #expect(fromFile.status == 0, "\(fromFile.stderr)")
        let report = try KDATests.json(fromFile.stdout)
        let sat = try #require((report["drivers"] as? [[String: Any]])?.first { $0["name"] as? String == "sat" })
        #expect(sat["kind"] as? String == "rating")
        #expect(sat["scale"] as? [Double] == [1, 5])
        let codes = (report["warnings"] as? [[String: Any]])?.compactMap { $0["code"] as? String } ?? []
        #expect(codes.contains("profile_coverage"))
        #expect((report["coverage"] as? [String: Any])?["base_customers"] as? Int == 7043)

        // Default drivers: the rule's date and the app's copy of tenure are the profile's bookkeeping.
        // (Its default drivers span all four exports: --fragments listwise keeps one model.)
        let defaults = try KDARun.run(["analyze", output, "--outcome", "Churn", "--methods", "regression", "--fragments", "listwise", "--format", "json", "--quiet"])
        #expect(defaults.status == 0, "\(defaults.stderr)")
        let names = (try KDATests.json(defaults.stdout)["drivers"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
        #expect(names.contains("sat") && names.contains("tenure") && !names.contains("app.tenure") && !names.contains("answered_at"), "\(names)")

        let fromSources = try KDARun.run(["analyze"] + sources + ["--scale", "calls:sat=1..5"] + analysis)
        #expect(fromSources.status == 0, "\(fromSources.stderr)")
        let direct = try KDATests.json(fromSources.stdout)
        #expect((direct["coverage"] as? [String: Any])?["present_in_all"] as? Int == split.inAll.count)
        let directCodes = (direct["warnings"] as? [[String: Any]])?.compactMap { $0["code"] as? String } ?? []
        #expect(directCodes.contains("profile_coverage") && directCodes.contains("profile_conflicts"))
        // sat (calls), tenure and Contract (crm): 6,603 of 7,043 answered calls (94 %), so listwise by default, said in a note.
        let fragments = (direct["warnings"] as? [[String: Any]])?.first { $0["code"] as? String == "fragments" }?["message"] as? String ?? ""
        #expect(fragments.contains("answered every source the analysis uses (crm, calls)") && fragments.contains("listwise"), "\(fragments)")
        // The same analysis either way.
        #expect(KDATests.same(report["drivers"] as Any, direct["drivers"] as Any).isEmpty)
    }

    /// Small exports for the refusals.
    static func files(_ contents: [String: String]) throws -> TemporaryFile {
        let folder = try TemporaryFile(name: "README", contents: "")
        for (name, text) in contents { try Data(text.utf8).write(to: folder.directory.appendingPathComponent(name)) }
        return folder
    }

    @Test func badSourcesAreRefusedNamingTheSource() throws {
        let folder = try Self.files([
            "crm.csv": "customerID,tenure,churn\nA1,3,Yes\nA2,5,No\nA3,7,No\n",
            "calls.csv": "CustID,answered_at,sat\nA1,2024-01-02,4\nA1,2024-02-02,5\nA2,2024-01-05,3\n",
            "baddate.csv": "CustID,answered_at,sat\nA1,2024-01-02,4\nA1,02/03/2024,5\n",
        ])
        let d = folder.directory.path
        func run(_ arguments: [String]) throws -> KDARun { try KDARun.run(["profile", "--source", "\(d)/crm.csv:customerID"] + arguments) }

        let missing = try run(["--source", "\(d)/nope.csv:CustID"])
        #expect(missing.status == 3)
        #expect(missing.stderr.contains("source 'nope'") && missing.stderr.contains("no such file"), "\(missing.stderr)")

        let key = try run(["--source", "\(d)/calls.csv:CustId"])
        #expect(key.status == 3)
        #expect(key.stderr.contains("source 'calls': there is no key column 'CustId'; the nearest names are: CustID"), "\(key.stderr)")

        let repeated = try run(["--source", "\(d)/calls.csv:CustID"])
        #expect(repeated.status == 2)
        #expect(repeated.stderr.contains("source 'calls': 1 customer appear") && repeated.stderr.contains("calls=latest:DATECOL"), "\(repeated.stderr)")

        let date = try run(["--source", "\(d)/baddate.csv:CustID", "--repeated", "baddate=latest:answered_at"])
        #expect(date.status == 3)
        #expect(date.stderr.contains("source 'baddate'") && date.stderr.contains("row 3, column 'answered_at': '02/03/2024' is not an ISO 8601 date"), "\(date.stderr)")

        let twice = try run(["--source", "\(d)/crm.csv:customerID"])
        #expect(twice.status == 2)
        #expect(twice.stderr.contains("two sources are named 'crm'"), "\(twice.stderr)")

        let noKey = try run(["--source", "\(d)/calls.csv"])
        #expect(noKey.status == 2)
        #expect(noKey.stderr.contains("--source takes [NAME=]PATH:KEY"), "\(noKey.stderr)")

        let rule = try run(["--source", "\(d)/calls.csv:CustID", "--repeated", "call=latest:answered_at"])
        #expect(rule.status == 2)
        #expect(rule.stderr.contains("there is no source named 'call'; the sources are: crm, calls"), "\(rule.stderr)")

        let named = try run(["--source", "survey=\(d)/calls.csv:CustID", "--repeated", "survey=mean:answered_at"])
        #expect(named.status == 0, "\(named.stderr)")
        #expect(named.stdout.contains("survey (\(d)/calls.csv, key CustID): 3 rows, 2 customers"), "\(named.stdout)")
    }
}
