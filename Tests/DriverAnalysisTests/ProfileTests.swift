import DriverAnalysis
import Fixtures
import Foundation
import Testing

/// `SurveyData.joined`: keys, repeated answers, codings, names, conflicts and refusals, on small
/// exports whose every cell is known.
@Suite("Customer profile")
struct ProfileTests {
    /// Writes `files` into one folder and loads each as a source (`name.csv` ↦ source `name`).
    final class Exports {
        let folder: TemporaryFile
        init(_ files: [String: String]) throws {
            folder = try TemporaryFile(name: "README", contents: "")
            for (name, text) in files { try Data(text.utf8).write(to: folder.directory.appendingPathComponent("\(name).csv")) }
        }
        func source(_ name: String, key: String, repeated: RepeatedAnswerRule? = nil,
                    scales: [AnalysisConfiguration.RatingScale] = []) throws -> ProfileSource {
            try ProfileSource.load(csv: folder.directory.appendingPathComponent("\(name).csv").path, key: key, repeated: repeated, scales: scales)
        }
    }

    static func text(_ data: SurveyData, _ column: String) throws -> [String] {
        let c = try data.column(column)
        return c.values.map { v in
            if v.isNaN { return "" }
            if let levels = c.levels, let k = Int(exactly: v), k >= 0, k < levels.count { return levels[k] }
            return v == v.rounded() ? String(Int64(v)) : String(v)
        }
    }

    @Test func isoDatesAreReadStrictly() {
        #expect(ISODate.seconds("1970-01-01") == 0)
        #expect(ISODate.seconds("1970-01-02T00:00") == 86_400)
        #expect(ISODate.seconds("2024-02-29 12:30:15") == ISODate.seconds("2024-02-29T12:30:15Z"))
        #expect(ISODate.seconds("2024-03-01T01:00+01:00") == ISODate.seconds("2024-03-01T00:00Z"))
        #expect(ISODate.seconds("2000-03-01")! - ISODate.seconds("2000-02-28")! == 2 * 86_400)
        #expect(ISODate.seconds("1969-12-31")! == -86_400)
        for bad in ["2023-02-29", "2024-13-01", "2024-1-05", "2024-01-05T24:00", "05/01/2024", "2024-01-05T10", "20240105", "", "2024-01-05Zx", "2024-01-05T10:00:00."] {
            #expect(ISODate.seconds(bad) == nil, "\(bad)")
        }
    }

    @Test func rulesParseAndPrint() throws {
        for text in ["latest:answered_at", "earliest:d", "first", "last", "mean", "mean:d"] {
            #expect(try RepeatedAnswerRule(parsing: text).description == text)
        }
        #expect(throws: AnalysisError.self) { try RepeatedAnswerRule(parsing: "latest") }
        #expect(throws: AnalysisError.self) { try RepeatedAnswerRule(parsing: "newest:d") }
        let encoded = try JSONEncoder().encode([RepeatedAnswerRule.latest(dateColumn: "d")])
        #expect(String(decoding: encoded, as: UTF8.self) == #"["latest:d"]"#)
        #expect(try JSONDecoder().decode([RepeatedAnswerRule].self, from: encoded) == [.latest(dateColumn: "d")])
    }

    static let crm = "id,tenure,churn\nA1,3,Yes\n A2 ,5,No\nA3,7,No\nA4,9,Yes\n,1,No\n"
    static let calls = """
        CustID,when,sat,channel,escalated
        A1,2024-03-01,2,phone,Y
        A1,2024-05-01T09:30,4,chat,N
        A1,2024-04-01,,email,
        a2,2024-01-01,5,phone,N
        Z9,2024-01-01,1,phone,Y
        A3,,3,phone,N
        A3,2024-02-01,1,,Y

        """

    @Test func latestEarliestFirstLastAndMeanKeepTheRightAnswer() throws {
        let exports = try Exports(["crm": Self.crm, "calls": Self.calls])
        func join(_ rule: RepeatedAnswerRule) throws -> SurveyData {
            try SurveyData.joined([exports.source("crm", key: "id"), exports.source("calls", key: "CustID", repeated: rule)]).data
        }
        let latest = try join(.latest(dateColumn: "when"))
        #expect(try Self.text(latest, "sat") == ["4", "", "1", ""])           // A3's undated row never beats a dated one
        #expect(try Self.text(latest, "escalated") == ["No", "", "Yes", ""])  // Y/N written Yes/No
        #expect(try Self.text(try join(.earliest(dateColumn: "when")), "sat") == ["2", "", "1", ""])
        #expect(try Self.text(try join(.first), "sat") == ["2", "", "3", ""])
        #expect(try Self.text(try join(.last), "channel") == ["email", "", "", ""])
        let mean = try join(.mean(dateColumn: "when"))
        #expect(try Self.text(mean, "sat") == ["3", "", "2", ""])             // (2 + 4) / 2, (3 + 1) / 2
        #expect(try Self.text(mean, "channel") == ["chat", "", "phone", ""])  // newest non-missing text
        #expect(try Self.text(mean, "escalated") == ["No", "", "Yes", ""])
        let fileOrder = try join(.mean(dateColumn: nil))
        #expect(try Self.text(fileOrder, "channel") == ["email", "", "phone", ""])
    }

    @Test func keysAreTrimmedTextWithAnOptionToIgnoreCase() throws {
        let exports = try Exports(["crm": Self.crm, "calls": Self.calls])
        let sources = [try exports.source("crm", key: "id"), try exports.source("calls", key: "CustID", repeated: .latest(dateColumn: "when"))]
        let sensitive = try SurveyData.joined(sources)
        #expect(try Self.text(sensitive.data, "id") == ["A1", "A2", "A3", "A4"])
        #expect(sensitive.coverage.sources[0].emptyKeys == 1 && sensitive.coverage.sources[0].emptyKeyRows == [6])
        #expect(sensitive.coverage.sources[1].notInBase == 2)               // a2 (case) and Z9
        #expect(sensitive.coverage.sources[1].caseOnlyMatches == 1)         // a2
        #expect(sensitive.coverage.sources[1].repeatedCustomers == 2 && sensitive.coverage.sources[1].repeatedRows == 3)
        #expect(sensitive.coverage.presentInAll == 2 && sensitive.rowsInAllSources == [0, 2])
        let insensitive = try SurveyData.joined(sources, options: ProfileOptions(keyCase: .insensitive))
        #expect(try Self.text(insensitive.data, "id") == ["A1", "A2", "A3", "A4"])   // the base's spelling
        #expect(try Self.text(insensitive.data, "sat") == ["4", "5", "1", ""])
        #expect(insensitive.coverage.sources[1].notInBaseExamples == ["Z9"] && insensitive.coverage.sources[1].caseOnlyMatches == 0)
        #expect(insensitive.coverage.sources[0].matchedNothingExamples == ["A4"])
        #expect(insensitive.coverage.pairs == [.init(first: "crm", second: "calls", matched: 3)])
    }

    @Test func numericAndMixedKeysMatchAsText() throws {
        let exports = try Exports([
            "crm": "id,x\n1001,1\n1002,2\nB-7,3\n",
            "web": "client,y\n1001.0,10\nB-7,30\n",
            "app": "ref,z\n1002,200\n",
        ])
        let profile = try SurveyData.joined([exports.source("crm", key: "id"), exports.source("web", key: "client"), exports.source("app", key: "ref")])
        #expect(try Self.text(profile.data, "y") == ["10", "", "30"])
        #expect(try Self.text(profile.data, "z") == ["", "200", ""])
        #expect(profile.csv() == "id,x,y,z\n1001,1,10,\n1002,2,,200\nB-7,3,30,\n")   // the mixed key column written back as read
    }

    @Test func namesCodingsAndConflicts() throws {
        let exports = try Exports([
            "crm": "id,tenure,vip,plan\nA,1,true,basic\nB,2,false,pro\nC,3,true,basic\n",
            "calls": "cid,sat,tenure,vip\nA,4,1,1\nB,5,7,0\n",
            "web": "wid,sat,plan\nA,9,basic\nC,8,gold\n",
        ])
        let profile = try SurveyData.joined([exports.source("crm", key: "id"), exports.source("calls", key: "cid"),
                                             exports.source("web", key: "wid", scales: [.init(column: "sat", lower: 0, upper: 10)])])
        #expect(profile.data.columnNames == ["id", "tenure", "vip", "plan", "calls.sat", "calls.tenure", "calls.vip", "web.sat", "web.plan"])
        #expect(try profile.data.column("vip").kind == .binary(zero: "No", one: "Yes"))
        #expect(profile.columns.first { $0.name == "vip" }?.coding == "true/false -> Yes/No")
        #expect(profile.scales == [.init(column: "web.sat", lower: 0, upper: 10)])
        #expect(profile.conflicts.map(\.column) == ["tenure", "plan", "sat"])  // vip: true = 1 agrees; sat: two ratings, one name
        #expect(profile.conflicts[0].examples == [.init(key: "B", values: ["2", "7"])])
        #expect(profile.conflicts[1].columns == ["plan", "web.plan"] && profile.conflicts[1].customers == 1)
        #expect(try profile.data.column("web.plan").levels == ["basic", "gold"])
        #expect(profile.notes.map(\.code.rawValue) == ["profile_coverage", "profile_conflicts"])
    }

    @Test func anAnalysisLeavesTheProfilesBookkeepingOutOfTheDefaultDrivers() throws {
        let n = 60
        let crm = "id,tenure,spend\n" + (0..<n).map { "C\($0),\($0 % 7),\(Double($0 % 7) * 2 + Double($0 % 5))" }.joined(separator: "\n")
        let calls = "cid,when,sat,tenure\n" + (0..<n).map { "C\($0),2024-01-\(String(format: "%02d", 1 + $0 % 28)),\(1 + $0 % 5),\($0 % 7)" }.joined(separator: "\n")
        let exports = try Exports(["crm": crm, "calls": calls])
        let profile = try SurveyData.joined([exports.source("crm", key: "id"),
                                             exports.source("calls", key: "cid", repeated: .latest(dateColumn: "when"),
                                                            scales: [.init(column: "sat", lower: 1, upper: 5)])])
        #expect(profile.columns.compactMap { $0.notADriver == nil ? nil : $0.name } == ["when", "calls.tenure"])
        let c = try profile.prepared(AnalysisConfiguration(outcome: "spend"))
        #expect(c.drivers == ["tenure", "sat"])
        #expect(c.scales == [.init(column: "sat", lower: 1, upper: 5)])
        #expect(c.notes.contains { $0.code.rawValue == "column_left_out" && $0.message.contains("'calls.tenure' is the copy of the base column 'tenure' from source 'calls'") })
        #expect(c.notes.contains { $0.code.rawValue == "profile_coverage" })
        let named = try profile.prepared(AnalysisConfiguration(outcome: "spend", drivers: ["calls.tenure"]))
        #expect(named.drivers == ["calls.tenure"])
        let report = try KeyDriverAnalysis.analyze(profile.data, c)
        #expect(report.drivers.map(\.name) == ["tenure", "sat"])
    }

    @Test func theWrittenProfileReadsBackAsTheSameTable() throws {
        let exports = try Exports(["crm": Self.crm, "calls": Self.calls])
        let profile = try SurveyData.joined([exports.source("crm", key: "id"), exports.source("calls", key: "CustID", repeated: .mean(dateColumn: "when"))])
        let file = try TemporaryFile(name: "profile.csv", contents: profile.csv())
        let back = try SurveyData.load(csv: file.path)
        #expect(back.columnNames == profile.data.columnNames)
        for name in back.columnNames { #expect(try Self.text(back, name) == Self.text(profile.data, name), "\(name)") }
        let sidecar = profile.sidecar(dataFile: file.path)
        try Data(try sidecar.json().utf8).write(to: file.directory.appendingPathComponent("profile.json"))
        #expect(ProfileSidecar.find(forData: file.path) == sidecar)
        #expect(ProfileSidecar.path(forData: "out.d/profile.csv") == "out.d/profile.json")
        #expect(ProfileSidecar.path(forData: "out.d/profile") == "out.d/profile.json")
    }

    @Test func badSourcesAreRefusedNamingTheSource() throws {
        let exports = try Exports(["crm": Self.crm, "calls": Self.calls, "dates": "k,d\nA1,2024-01-01\nA1,yesterday\n"])
        let crm = try exports.source("crm", key: "id")
        #expect(throws: ProfileError.noSources) { try SurveyData.joined([]) }
        #expect(throws: ProfileError.duplicateSourceName(name: "crm")) { try SurveyData.joined([crm, crm]) }
        #expect(throws: ProfileError.unknownKey(source: "calls", key: "custid", suggestions: ["CustID"])) {
            try SurveyData.joined([crm, exports.source("calls", key: "custid")])
        }
        #expect(throws: ProfileError.repeatedKeys(source: "calls", customers: 2, rows: 5, examples: ["A1", "A3"])) {
            try SurveyData.joined([crm, exports.source("calls", key: "CustID")])
        }
        #expect(throws: ProfileError.unparsableDate(source: "dates", path: exports.folder.directory.appendingPathComponent("dates.csv").path,
                                                    row: 3, column: "d", value: "yesterday")) {
            try SurveyData.joined([crm, exports.source("dates", key: "k", repeated: .latest(dateColumn: "d"))])
        }
        #expect(throws: ProfileError.unknownColumn(source: "calls", column: "wen", role: "date column of the repeated-answer rule", suggestions: ["when"])) {
            try SurveyData.joined([crm, exports.source("calls", key: "CustID", repeated: .latest(dateColumn: "wen"))])
        }
        let outside = ProfileError.sourceData(source: "calls", error: .outsideScale(
            path: exports.folder.directory.appendingPathComponent("calls.csv").path, row: 3, column: "sat", value: 4, scale: "1..3"))
        #expect(throws: outside) {
            try SurveyData.joined([crm, exports.source("calls", key: "CustID", repeated: .first, scales: [.init(column: "sat", lower: 1, upper: 3)])])
        }
        #expect(throws: ProfileError.sourceData(source: "nope", error: .fileNotFound(path: "/no/such/nope.csv"))) {
            try ProfileSource.load(csv: "/no/such/nope.csv", key: "id")
        }
        let message = ProfileError.repeatedKeys(source: "calls", customers: 2, rows: 5, examples: ["A1", "A3"]).description
        #expect(message.contains("source 'calls': 2 customers appear on more than one row") && message.contains("calls=latest:DATECOL"))
    }
}
