import DriverAnalysis
import Fixtures
import Foundation
import Testing

/// Issue #30's validation: the Telco table split into four exports (``TelcoSplit``) and joined
/// back must give the original table, cell for cell, for the customers present everywhere; the
/// same analysis; and coverage that counts exactly what the split removed.
@Suite("Customer profile: Telco split and rejoined")
struct ProfileTelcoValidationTests {
    static func profile(_ split: TelcoSplit) throws -> (CustomerProfile, TemporaryFile) {
        let folder = try TemporaryFile(name: "README", contents: "")
        if let keep = ProcessInfo.processInfo.environment["KDA_TELCO_SPLIT_DIR"] { try split.write(to: URL(fileURLWithPath: keep)) }
        try split.write(to: folder.directory)
        func path(_ name: String) -> String { folder.directory.appendingPathComponent("\(name).csv").path }
        let sources = [
            try ProfileSource.load(csv: path("crm"), key: "customerID"),
            try ProfileSource.load(csv: path("calls"), key: "CustID", repeated: .latest(dateColumn: "answered_at")),
            try ProfileSource.load(csv: path("web"), key: "client"),
            try ProfileSource.load(csv: path("app"), key: "Customer Ref"),
        ]
        return (try SurveyData.joined(sources, options: ProfileOptions(keyCase: .insensitive)), folder)
    }

    /// A cell as comparable text: the level of a text or Yes/No code, else the number.
    static func cell(_ column: SurveyColumn, _ row: Int) -> String {
        let value = column.values[row]
        if value.isNaN { return "" }
        switch column.kind {
        case .categorical: return column.levels?[Int(value)] ?? "?"
        default: return "\(value)"   // numbers, and Yes/No compared by their 0/1 code (1/0 and Y/N recodings)
        }
    }

    @Test func coverageCountsExactlyWhatTheSplitRemoved() throws {
        let split = try TelcoSplit()
        let (profile, _) = try Self.profile(split)
        let coverage = profile.coverage
        let n = split.rows.count
        #expect(coverage.baseCustomers == n)
        #expect(profile.data.rowCount == n)
        #expect(coverage.presentInAll == split.inAll.count)
        let byName = Dictionary(coverage.sources.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let calls = try #require(byName["calls"]), web = try #require(byName["web"]), app = try #require(byName["app"])
        #expect(calls.customers == n - split.missing["calls"]!.count + split.ghostKeys.count)
        #expect(calls.matchedWithBase == n - split.missing["calls"]!.count)
        #expect(calls.notInBase == split.ghostKeys.count)
        #expect(Set(calls.notInBaseExamples) == Set(split.ghostKeys))
        #expect(calls.repeatedCustomers == split.repeatedCustomers)
        #expect(calls.repeatedRows == split.repeatedRows)
        #expect(calls.rule == "latest:answered_at")
        #expect(web.emptyKeys == split.emptyKeyRows)
        #expect(web.matchedWithBase == n - split.missing["web"]!.count)
        #expect(app.matchedWithBase == n - split.missing["app"]!.count)
        let crmCalls = try #require(coverage.pairs.first { $0.first == "crm" && $0.second == "calls" })
        #expect(crmCalls.matched == calls.matchedWithBase)
        #expect(profile.conflicts.count == 1)
        #expect(profile.conflicts.first?.column == "tenure")
        #expect(profile.conflicts.first?.columns == ["tenure", "app.tenure"])
        #expect(profile.conflicts.first?.customers == split.tenureConflicts)
        let codings = Dictionary(profile.columns.compactMap { c in c.coding.map { (c.name, $0) } }, uniquingKeysWith: { a, _ in a })
        #expect(codings == ["PaperlessBilling": "Y/N -> Yes/No"])
    }

    @Test func profileReproducesTheOriginalTableAndItsAnalysis() throws {
        let split = try TelcoSplit()
        let (profile, _) = try Self.profile(split)
        let original = try SurveyData.load(csv: FixtureData.url("telco/Telco-Customer-Churn.csv").path)
        let everywhere = try profile.inAllSources()
        #expect(everywhere.rowCount == split.inAll.count)
        let ids = try original.column("customerID"), profileIds = try everywhere.column("customerID")
        var rowOf: [String: Int] = [:]
        for i in 0..<original.rowCount { rowOf[Self.cell(ids, i)] = i }
        let matched = (0..<everywhere.rowCount).compactMap { rowOf[Self.cell(profileIds, $0)] }
        #expect(matched.count == everywhere.rowCount)
        var differing: [String] = []
        for name in original.columnNames {
            let a = try original.column(name), b = try everywhere.column(name)
            for (r, o) in matched.enumerated() where Self.cell(a, o) != Self.cell(b, r) {
                differing.append("\(name) row \(o): \(Self.cell(a, o)) vs \(Self.cell(b, r))")
            }
        }
        #expect(differing.isEmpty, "\(differing.count) cells differ: \(differing.prefix(5))")

        let configuration = AnalysisConfiguration(
            outcome: "Churn", drivers: ["Contract", "tenure", "MonthlyCharges", "PaperlessBilling", "PhoneService", "TechSupport", "SeniorCitizen"],
            event: "Yes")
        let direct = try KeyDriverAnalysis.analyze(try original.rows(matched.sorted()), configuration)
        let joined = try KeyDriverAnalysis.analyze(everywhere, configuration)
        #expect(direct.model.observationCount == joined.model.observationCount)
        var worst = 0.0
        for (d, j) in zip(direct.drivers, joined.drivers) {
            #expect(d.name == j.name)
            for (x, y) in [(d.importance.shapley, j.importance.shapley), (d.coefficient?.estimate, j.coefficient?.estimate),
                           (d.coefficient?.standardError, j.coefficient?.standardError)] {
                guard let x, let y else { #expect((x == nil) == (y == nil), "\(d.name)"); continue }
                worst = max(worst, abs(x - y))
            }
            for (l, m) in zip(d.levels, j.levels) { worst = max(worst, abs((l.coefficient?.estimate ?? 0) - (m.coefficient?.estimate ?? 0))) }
        }
        #expect(direct.drivers.count == joined.drivers.count)
        #expect(worst <= 1e-10, "largest difference \(worst)")
    }
}
