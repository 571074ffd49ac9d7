import Fixtures
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// Golden table and Markdown reports with every decision number (bootstrap intervals, groups,
/// segments with Cochran's Q, NPS at the chosen confidence, base values, odds ratios, CLV with
/// its interval and the ±0 mark), and structure checks of the HTML page.
///
/// Data (in `Golden/`): `report_survey.csv` is `kda generate --respondents 600 --touchpoints 5
/// --seed 7` plus `recommend` = satisfaction rounded to a whole 0–10 answer;
/// `report_churn.csv` is `kda generate --respondents 1500 --touchpoints 5 --outcome churn --seed 11`.
/// Set `KDA_UPDATE_GOLDEN=1` to rewrite the golden files after a deliberate change.
@Suite("kda report formats", .serialized)
struct ReportFormatTests {
    static let survey = ["analyze", KDARun.folder("Golden").appendingPathComponent("report_survey.csv").path, "--outcome", "satisfaction",
                         "--drivers", "wifi,check_in,billing,support,app", "--bootstrap", "50", "--seed", "3", "--segment", "region",
                         "--nps", "recommend", "--group", "digital=app,wifi", "--margin", "100", "--confidence", "0.9"]
    static let churn = ["analyze", KDARun.folder("Golden").appendingPathComponent("report_churn.csv").path, "--outcome", "churn",
                        "--drivers", "wifi,check_in,billing,support,app", "--bootstrap", "40", "--seed", "2", "--segment", "region",
                        "--margin", "50", "--event-meaning", "defection"]

    static func run(_ arguments: [String]) throws -> String {
        let run = try KDARun.run(arguments)
        #expect(run.status == 0, "\(run.stderr)")
        // The file path differs between checkouts; the golden files hold only its name.
        return run.stdout
    }

    static func compare(_ text: String, golden name: String) throws {
        let url = KDARun.folder("Golden").appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["KDA_UPDATE_GOLDEN"] == "1" {
            try text.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let golden = try String(contentsOf: url, encoding: .utf8)
        let a = text.split(separator: "\n", omittingEmptySubsequences: false), b = golden.split(separator: "\n", omittingEmptySubsequences: false)
        let first = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }
        #expect(text == golden, "\(name): first difference at line \((first?.offset ?? min(a.count, b.count)) + 1): \(first.map { "\($0.element.0)\n  vs golden\n\($0.element.1)" } ?? "length")")
    }

    @Test(arguments: [("table", "report_survey.txt"), ("markdown", "report_survey.md")])
    func goldenLinearReport(format: String, golden: String) throws {
        try Self.compare(Self.run(Self.survey + ["--format", format]), golden: golden)
    }

    @Test(arguments: [("table", "report_churn.txt"), ("markdown", "report_churn.md")])
    func goldenChurnReport(format: String, golden: String) throws {
        try Self.compare(Self.run(Self.churn + ["--format", format]), golden: golden)
    }

    @Test func everyDecisionNumberInEveryHumanFormat() throws {
        let outputs = try ["table", "markdown", "html"].map { try Self.run(Self.survey + ["--format", $0]) }
        for (format, text) in zip(["table", "markdown", "html"], outputs) {
            for needle in ["NPS = ", "90 % interval", "Groups", "digital", "How sure is the order?", "more important than",
                           "Segments", "Cochran", "P(rank)", "P(quadrant)", "outcome Δ", "Notes"] {
                #expect(text.contains(needle), "\(format) lacks \(needle)")
            }
        }
        let churn = try ["table", "markdown", "html"].map { try Self.run(Self.churn + ["--format", $0]) }
        for (format, text) in zip(["table", "markdown", "html"], churn) {
            for needle in ["odds ratio", "baseline churn", "total CLV", "CLV at stake", "±0", "McFadden R²", "rank"] {
                #expect(text.contains(needle), "\(format) lacks \(needle)")
            }
            #expect(!text.contains("e+0"), "\(format): no exponent for large numbers")
        }
    }

    @Test func htmlStructure() throws {
        let html = try Self.run(Self.survey + ["--format", "html"])
        let headings = html.components(separatedBy: "<h2>").dropFirst().map { $0.components(separatedBy: "</h2>")[0] }
        #expect(headings.map { $0.components(separatedBy: " (")[0] } == ["Drivers", "Actions", "Collinearity", "Groups", "How sure is the order? ", "Segments", "Notes"].map { $0.trimmingCharacters(in: .whitespaces) })
        #expect(html.components(separatedBy: "<table>").count - 1 == 5, "driver, action, collinearity, group and segment tables")
        #expect(html.contains("<ul class=\"lines\"><li>Outcome: satisfaction"), "summary lines kept one per line")
        let svg = try #require(html.range(of: "<svg").map { String(html[$0.lowerBound...]) }?.components(separatedBy: "</svg>")[0]) + "</svg>"
        #expect(XMLParser(data: Data(svg.utf8)).parse())
        #expect(html.hasSuffix("</body></html>\n"))
    }

    @Test func csvStaysOneRowPerDriver() throws {
        let csv = try Self.run(Self.survey + ["--format", "csv"])
        #expect(csv.split(separator: "\n").count == 6)
    }
}
