import Fixtures
import Foundation
import Testing

/// `kda analyze --fragments listwise|pairwise|per-source|impute` end to end: the default chosen
/// from the coverage, one section per source, multiple imputation, and the refusals.
@Suite("kda analyze --fragments", .serialized)
struct FragmentsCommandTests {
    static let drivers = ["--outcome", "Churn", "--drivers", "Contract,tenure,TechSupport,InternetService,StreamingTV", "--methods", "regression,shapley", "--quiet"]

    @Test func perSourceByDefaultWhenFewAnsweredEverySource() throws {
        let (split, folder, sources) = try ProfileCommandTests.exports()
        defer { withExtendedLifetime(folder) {} }
        let table = try KDARun.run(["analyze"] + sources + Self.drivers)
        #expect(table.status == 0, "\(table.stderr)")
        for source in ["calls", "web", "app"] {
            let answered = split.rows.count - (split.missing[source]?.count ?? 0)
            #expect(table.stdout.contains("Source \(source): \(answered) base customers answered it; the model rests on n = "), "\(source)")
        }
        #expect(table.stdout.contains("\(split.inAll.count) of 7043 base customers (76.7 %) answered every source the analysis uses (crm, calls, web, app)"))
        #expect(table.stdout.contains("chosen by default because fewer than 80 % did"))

        let json = try KDARun.run(["analyze"] + sources + Self.drivers + ["--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let document = try KDATests.json(json.stdout)
        #expect(document["schema"] as? String == "kda.per_source/1")
        let sections = try #require(document["per_source"] as? [[String: Any]])
        #expect(sections.compactMap { $0["source"] as? String } == ["calls", "web", "app"])
        #expect((sections.first?["report"] as? [String: Any])?["drivers"] != nil)
        #expect((document["fragments"] as? [String: Any])?["strategy"] as? String == "per-source")
        #expect((document["coverage"] as? [String: Any])?["present_in_all"] as? Int == split.inAll.count)

        // A one-report format cannot hold them: refused, saying how to get one model.
        let csv = try KDARun.run(["analyze"] + sources + Self.drivers + ["--format", "csv"])
        #expect(csv.status == 2 && csv.stderr.contains("--fragments listwise or impute"), "\(csv.stderr)")
        // Forced listwise: one model on the customers present everywhere.
        let listwise = try KDARun.run(["analyze"] + sources + Self.drivers + ["--fragments", "listwise", "--format", "json"])
        #expect(listwise.status == 0)
        #expect(((try KDATests.json(listwise.stdout))["model"] as? [String: Any])?["n"] as? Int == split.inAll.count)
    }

    @Test func imputeAnalysesEveryBaseCustomer() throws {
        let (split, folder, sources) = try ProfileCommandTests.exports()
        defer { withExtendedLifetime(folder) {} }
        let run = try KDARun.run(["analyze"] + sources + Self.drivers + ["--fragments", "impute", "--imputations", "2", "--seed", "5", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try KDATests.json(run.stdout)
        #expect((report["model"] as? [String: Any])?["n"] as? Int == split.rows.count)
        let notes = (report["warnings"] as? [[String: Any]])?.compactMap { $0["message"] as? String } ?? []
        #expect(notes.contains { $0.hasPrefix("2 imputed datasets by chained equations") && $0.contains("seed 5") }, "\(notes)")
        let again = try KDARun.run(["analyze"] + sources + Self.drivers + ["--fragments", "impute", "--imputations", "2", "--seed", "5", "--format", "json"])
        #expect(again.stdout == run.stdout)
    }

    @Test func refusals() throws {
        let folder = try ProfileCommandTests.files(["plain.csv": "y,a,b\n1,2,3\n2,3,1\n3,1,2\n4,2,2\n5,3,3\n"])
        let plain = folder.directory.appendingPathComponent("plain.csv").path
        func run(_ arguments: [String]) throws -> KDARun { try KDARun.run(["analyze", plain, "--outcome", "y", "--quiet"] + arguments) }
        let many = try run(["--fragments", "impute", "--imputations", "201"])
        #expect(many.status == 2 && many.stderr.contains("beyond the work budget of 200") && many.stderr.contains("201 analyses"), "\(many.stderr)")
        let orphan = try run(["--imputations", "5"])
        #expect(orphan.status == 2 && orphan.stderr.contains("add --fragments impute"), "\(orphan.stderr)")
        let perSource = try run(["--fragments", "per-source"])
        #expect(perSource.status == 2 && perSource.stderr.contains("needs a customer profile"), "\(perSource.stderr)")
        let both = try run(["--missing", "pairwise", "--fragments", "impute"])
        #expect(both.status == 2 && both.stderr.contains("give one"), "\(both.stderr)")
        let unknown = try run(["--fragments", "mice"])
        #expect(unknown.status == 2 && unknown.stderr.contains("listwise, pairwise, per-source or impute"), "\(unknown.stderr)")
        let bootstrap = try run(["--fragments", "impute", "--bootstrap", "10"])
        #expect(bootstrap.status == 2 && bootstrap.stderr.contains("drop --bootstrap"), "\(bootstrap.stderr)")
        // A plain file with nothing missing: the imputed analysis is the complete-case fit.
        let imputed = try run(["--fragments", "impute", "--imputations", "3", "--methods", "regression"])
        #expect(imputed.status == 0 && imputed.stdout.contains("the pooled fit is the complete-case fit"), "\(imputed.stderr)")
    }
}
