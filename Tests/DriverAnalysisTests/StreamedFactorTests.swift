@testable import DriverAnalysis
import Fixtures
import Foundation
import Testing

/// The bounded-memory linear analysis with text drivers: the same drivers, levels, references,
/// coefficients and importance as the analysis of the rows in memory.
@Suite("Streamed linear analysis with factors")
struct StreamedFactorTests {
    /// Compares every number both analyses report (level coefficients included) at `bound`.
    static func expectSame(_ streamed: DriverReport, _ loaded: DriverReport, bound: Double, _ label: String) {
        #expect(streamed.drivers.map(\.name) == loaded.drivers.map(\.name), "\(label)")
        #expect(streamed.model.observationCount == loaded.model.observationCount, "\(label)")
        expectClose(streamed.model.rSquared ?? .nan, loaded.model.rSquared ?? .nan, relative: 0, absolute: bound, "\(label): R²")
        for (a, b) in zip(streamed.drivers, loaded.drivers) {
            #expect(a.kind == b.kind && a.reference == b.reference && a.rank == b.rank && a.quadrant == b.quadrant, "\(label): \(a.name)")
            for (x, y) in [(a.importance.shapley, b.importance.shapley), (a.importance.relativeWeight, b.importance.relativeWeight),
                           (a.coefficient?.estimate, b.coefficient?.estimate), (a.coefficient?.standardError, b.coefficient?.standardError),
                           (a.performance, b.performance)] {
                #expect((x == nil) == (y == nil), "\(label): \(a.name)")
                if let x, let y, !(x.isNaN && y.isNaN) { expectClose(x, y, relative: 0, absolute: bound * max(1, abs(y)), "\(label): \(a.name)") }
            }
            #expect(a.levels.map(\.level) == b.levels.map(\.level) && a.levels.map(\.count) == b.levels.map(\.count), "\(label): \(a.name)")
            for (l, m) in zip(a.levels, b.levels) {
                if let x = l.coefficient?.estimate, let y = m.coefficient?.estimate, !(x.isNaN && y.isNaN) {
                    expectClose(x, y, relative: 0, absolute: bound * max(1, abs(y)), "\(label): \(a.name)[\(l.level)]")
                }
            }
        }
    }

    /// Telco, default drivers, monthly charges as the outcome: factors, Yes/No columns, the
    /// identifier left out, the "No internet service" dummies aliased across six factors and 11
    /// blank TotalCharges — read in 64 kB chunks so that levels first appear in later blocks.
    @Test func telcoDefaultDriversMatchTheLoadedAnalysis() throws {
        let path = FixtureData.url("telco/Telco-Customer-Churn.csv").path
        var configuration = AnalysisConfiguration(outcome: "MonthlyCharges")
        configuration.model = .linear
        configuration.methods = [.regression, .shapley, .relativeWeights]
        var options = CSVOptions()
        options.chunkSize = 1 << 16
        let streamed = try KeyDriverAnalysis.analyzeStreamingLinear(csv: path, configuration, options: options)
        let loaded = try KeyDriverAnalysis.analyze(try SurveyData.load(csv: path), configuration)
        Self.expectSame(streamed, loaded, bound: 1e-10, "telco")
        let codes = Set(streamed.warnings.map(\.code.rawValue))
        #expect(codes.isSuperset(of: ["column_left_out", "aliased_drivers", "rows_dropped", "summary_input"]))
        #expect(!streamed.drivers.contains { $0.name == "customerID" })
        #expect(streamed.driver(named: "Contract")?.levels.count == 3)
    }

    /// A generated survey: ratings, the `region` factor and a respondent id spanning its rows
    /// (confirmed an identifier by the bitmap); an amount in whole currency units whose range
    /// exceeds the row count but repeats a value is kept as a driver (the second pass).
    @Test func identifiersAreConfirmedAndWideWholeNumbersKept() throws {
        var bytes: [UInt8] = []
        try SyntheticSurvey(respondents: 3_000, touchpoints: 5, seed: 11).writeCSV { bytes += $0 }
        var csv = String(decoding: bytes, as: UTF8.self)
        // An integer amount with repeats: whole numbers over a range wider than the rows.
        var lines = csv.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[0] += ",spend"
        for i in 1..<lines.count where !lines[i].isEmpty { lines[i] += ",\((i % 1_000) * 37)" }
        csv = lines.joined(separator: "\n")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("streamed-\(UUID().uuidString).csv")
        try csv.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        var configuration = AnalysisConfiguration(outcome: "satisfaction")
        configuration.methods = [.regression, .shapley, .relativeWeights]
        let streamed = try KeyDriverAnalysis.analyzeStreamingLinear(csv: file.path, configuration)
        let loaded = try KeyDriverAnalysis.analyze(try SurveyData.load(csv: file.path), configuration)
        Self.expectSame(streamed, loaded, bound: 1e-10, "generated")
        #expect(streamed.drivers.contains { $0.name == "spend" } && !streamed.drivers.contains { $0.name == "respondent_id" })
        #expect(streamed.driver(named: "region")?.kind == .factor)
        #expect(streamed.warnings.contains { $0.code.rawValue == "column_left_out" && $0.message.contains("respondent_id") })
    }

    /// Named drivers: a column mixing numbers and text is refused with its row, as loading does;
    /// a factor with a single level in the analysed rows is refused.
    @Test func unusableDriversAreRefused() throws {
        let rows = (0..<40).map { i in "\(i % 7),\(i == 17 ? "n/a?" : String(i % 5)),A,\(Double(i % 7) + Double(i % 5))" }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("streamed-\(UUID().uuidString).csv")
        try ("a,b,f,y\n" + rows.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(throws: SurveyDataError.self) {
            try KeyDriverAnalysis.analyzeStreamingLinear(csv: file.path, AnalysisConfiguration(outcome: "y", drivers: ["a", "b"]))
        }
        #expect(throws: SurveyDataError.self) {
            try KeyDriverAnalysis.analyzeStreamingLinear(csv: file.path, AnalysisConfiguration(outcome: "y", drivers: ["a", "f"]))
        }
    }
}
