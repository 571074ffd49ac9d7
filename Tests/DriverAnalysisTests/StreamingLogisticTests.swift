import DriverAnalysis
import Fixtures
import Foundation
import Testing

/// The churn model by IRLS passes over a file must be the in-memory fit of the same rows.
@Suite("Streaming logistic regression over a file")
struct StreamingLogisticTests {
    /// A churn file: text outcome (Yes/No), four drivers, a few missing cells; and its complete rows.
    static func file(rows: Int = 30_000) throws -> (path: String, y: [Double], x: [[Double]]) {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func uniform() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        var csv = "id,satisfaction,tenure,price,support,Churn\n"
        var y: [Double] = [], x = [[Double]](repeating: [], count: 4)
        for i in 0..<rows {
            let values = [(uniform() * 10).rounded(), (uniform() * 72).rounded(), 20 + 80 * uniform(), (uniform() * 4).rounded() + 1]
            let eta = 1.2 - 0.35 * values[0] - 0.03 * values[1] + 0.015 * values[2] + 0.2 * values[3]
            let churn = uniform() < 1 / (1 + exp(-eta))
            let missing = i % 97 == 5
            csv += "\(i),\(missing ? "" : String(values[0])),\(values[1]),\(values[2]),\(values[3]),\(i % 131 == 7 ? "" : (churn ? "Yes" : "No"))\n"
            if !missing && i % 131 != 7 {
                y.append(churn ? 1 : 0)
                for j in 0..<4 { x[j].append(values[j]) }
            }
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kda-stream-\(UUID().uuidString).csv").path
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        return (path, y, x)
    }

    static let drivers = ["satisfaction", "tenure", "price", "support"]

    @Test func matchesTheInMemoryFitOfTheSameRows() throws {
        let (path, y, x) = try Self.file()
        defer { try? FileManager.default.removeItem(atPath: path) }
        // Small chunks and a small start sample: many blocks and real Newton passes.
        let streamed = try StreamingLogistic(csv: path, outcome: "Churn", event: "Yes", drivers: Self.drivers,
                                             options: CSVOptions(chunkSize: 64 << 10), startRows: 500)
        var options = LogisticModelOptions()
        options.tolerance = 1e-12
        let memory = try LogisticRegression(outcome: y, drivers: x, names: Self.drivers, options: options)
        #expect(streamed.converged && streamed.passes >= 3)
        #expect(streamed.observationCount == y.count)
        #expect(streamed.skippedRows == 30_000 - y.count)
        for a in 0..<5 {
            expectClose(streamed.coefficients[a].estimate, memory.coefficients[a].estimate, relative: 1e-10, absolute: 1e-12)
            expectClose(streamed.coefficients[a].standardError, memory.coefficients[a].standardError, relative: 1e-10)
            expectClose(streamed.oddsRatios[a], memory.oddsRatios[a], relative: 1e-10)
        }
        expectClose(streamed.logLikelihood, memory.logLikelihood, relative: 1e-12)
        expectClose(streamed.nullLogLikelihood, memory.nullLogLikelihood, relative: 1e-12)
        expectClose(streamed.mcFaddenRSquared, memory.mcFaddenRSquared, relative: 1e-10)
        expectClose(streamed.nagelkerkeRSquared, memory.nagelkerkeRSquared, relative: 1e-9)
        // Without the compact row cache every pass re-reads the file: the same fit.
        let reread = try StreamingLogistic(csv: path, outcome: "Churn", event: "Yes", drivers: Self.drivers,
                                           options: CSVOptions(chunkSize: 64 << 10), startRows: 500, cacheBytes: 0)
        for a in 0..<5 { expectClose(reread.coefficients[a].estimate, streamed.coefficients[a].estimate, relative: 1e-11, absolute: 1e-13) }
        expectClose(reread.logLikelihood, streamed.logLikelihood, relative: 1e-13)
        // Relative weights from the streamed moments equal those computed on the rows.
        let weights = try RelativeWeights(streamed: streamed)
        let reference = try RelativeWeights(logisticOutcome: y, drivers: x, names: Self.drivers)
        for j in 0..<4 { expectClose(weights.weights[j], reference.weights[j], relative: 1e-7, absolute: 1e-12) }
    }

    @Test func theAnalysisRanksByRelativeWeightsAndSaysWhatIsLeftOut() throws {
        let (path, _, _) = try Self.file(rows: 8_000)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var c = AnalysisConfiguration(outcome: "Churn", drivers: Self.drivers)
        c.event = "Yes"
        let report = try KeyDriverAnalysis.analyzeStreaming(csv: path, c)
        #expect(report.model.kind == .logistic && report.model.event == "Yes")
        #expect(report.actionOrder.first == "satisfaction")
        #expect(report.drivers.allSatisfy { $0.rank != nil && $0.importance.shapley == nil })
        #expect(report.warnings.contains { $0.code.rawValue == "not_computed" })
    }

    @Test func badInputIsNamed() throws {
        let (path, _, _) = try Self.file(rows: 2_000)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: SurveyDataError.self) { try StreamingLogistic(csv: path, outcome: "Churn", event: "Yes", drivers: ["satisfaction", "nope"]) }
        // A text outcome needs its event named.
        #expect(throws: SurveyDataError.self) { try StreamingLogistic(csv: path, outcome: "Churn", drivers: ["satisfaction"]) }
        // A numeric outcome other than 0/1.
        #expect(throws: ModelError.self) { try StreamingLogistic(csv: path, outcome: "tenure", drivers: ["satisfaction"]) }
    }
}
