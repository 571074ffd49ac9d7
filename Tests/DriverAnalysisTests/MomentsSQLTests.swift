import DriverAnalysis
import Fixtures
import Foundation
import Testing

@Suite("Scale-out: moments computed in SQL")
struct MomentsSQLTests {
    static var sqlite: String? {
        ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test func sqliteComputesTheSameMomentsAsTheLibrary() throws {
        let sqlite = try #require(Self.sqlite, "sqlite3 is not installed (Debian package sqlite3; .ci/run installs it)")
        let survey = try SyntheticSurvey(respondents: 5_000, touchpoints: 4, seed: 9, missingRate: 0.03)
        let csv = try TemporaryFile(name: "survey.csv", contents: "")
        try survey.writeCSV(to: csv.path)
        let variables = survey.touchpointNames + ["satisfaction"]
        // A weight column: respondent_id mod 3 + 1.
        let query = MomentsSQL.query(table: "survey_w", variables: variables, weight: "w", dialect: .sqlite)
        let script = """
        .mode csv
        .import \(csv.path) survey
        CREATE TABLE survey_w AS SELECT *, (CAST(respondent_id AS INTEGER) % 3) + 1 AS w FROM survey;
        .headers on
        \(query)
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: sqlite)
        process.arguments = [":memory:"]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data(script.utf8))
        try input.fileHandleForWriting.close()
        let result = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "sqlite3 failed: \(stderr)")
        let fromSQL = try MomentsSQL.moments(fromCSV: result)

        let data = try SurveyData.load(csv: csv.path)
        let weights = try data.numericValues("respondent_id").map { Double(Int($0) % 3 + 1) }
        let withWeight = try SurveyData(columns: ["w": weights])
        _ = withWeight
        var complete: [Int] = []
        let columns = try variables.map { try data.numericValues($0) }
        for i in 0..<data.rowCount where columns.allSatisfy({ !$0[i].isNaN }) { complete.append(i) }
        let local = try Moments(names: variables, columns: columns.map { c in complete.map { c[$0] } },
                                weights: complete.map { weights[$0] })
        #expect(fromSQL.names == variables)
        #expect(fromSQL.count == local.count)
        expectClose(fromSQL.weightSum, local.weightSum, relative: 1e-15)
        expectClose(fromSQL.weightSquaredSum, local.weightSquaredSum, relative: 1e-15)
        for k in variables.indices { expectClose(fromSQL.means[k], local.means[k], relative: 1e-12) }
        for k in 0..<local.crossProducts.elements.count {
            expectClose(fromSQL.crossProducts.elements[k], local.crossProducts.elements[k], relative: 1e-10, absolute: 1e-6)
        }
    }

    @Test func momentsCSVRoundTrips() throws {
        let m = try Moments(names: ["a", "b,c"], columns: [[1, 2, 3, 5], [2, 1, 4, 4]], weights: [1, 2, 1, 1])
        let back = try MomentsSQL.moments(fromCSV: MomentsSQL.csv(m))
        #expect(back.names == m.names && back.count == 4 && back.weightSum == 5)
        #expect(back.means == m.means && back.crossProducts == m.crossProducts)
    }

    @Test func dialectsQuoteIdentifiers() {
        let spark = MomentsSQL.query(table: "db.survey", variables: ["wifi speed"], dialect: .spark)
        #expect(spark.contains("CAST(`wifi speed` AS DOUBLE)") && spark.contains("`mean__wifi speed`"))
        let duck = MomentsSQL.query(table: "survey", variables: ["a\"b"], weight: "w", dialect: .duckdb)
        #expect(duck.contains("CAST(\"a\"\"b\" AS DOUBLE)") && duck.contains("CAST(\"w\" AS DOUBLE) AS w"))
        #expect(MomentsSQL.query(table: "t", variables: ["x"], dialect: .bigquery).contains("FLOAT64"))
    }

    @Test func malformedMomentsInputIsATypedError() {
        #expect(throws: SurveyDataError.self) { try MomentsSQL.moments(fromCSV: "n,weight_sum\n3,3\n") }
        #expect(throws: SurveyDataError.self) { try MomentsSQL.moments(fromCSV: "n,weight_sum,mean__a,cp__a__a\n0,0,,\n") }
        #expect(throws: SurveyDataError.self) { try MomentsSQL.moments(fromCSV: "n,weight_sum,mean__a\n3,3,1\n") }
    }
}
