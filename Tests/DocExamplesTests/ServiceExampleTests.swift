import DriverAnalysis
import Foundation
import Testing

/// The service loop of `ConcurrencyAndServices.md`, run: concurrent analyses in a task group at a
/// bounded width, bad input answered as a typed error, and a cancelled batch answered as
/// cancelled — never a trap, never a hang.
@Suite("service example")
struct ServiceExampleTests {
    static func jobs() throws -> [AnalysisJob] {
        let satisfaction = try SyntheticSurvey(respondents: 600, touchpoints: 5, seed: 11, outcome: .linear)
        let churn = try SyntheticSurvey(respondents: 800, touchpoints: 5, seed: 12, outcome: .churn)
        return [
            AnalysisJob(id: "satisfaction", survey: satisfaction.generate(),
                        configuration: AnalysisConfiguration(outcome: "satisfaction", drivers: satisfaction.touchpointNames)),
            AnalysisJob(id: "churn", survey: churn.generate(),
                        configuration: AnalysisConfiguration(outcome: "churn", drivers: churn.touchpointNames, margin: .value(40))),
            AnalysisJob(id: "misspelt", survey: churn.generate(), configuration: AnalysisConfiguration(outcome: "chrun")),
            AnalysisJob(id: "ragged", survey: try SurveyData(columns: ["y": [1, 2, 3, 4, 5, 6], "x": [1, 1, 1, 1, 1, 1]]),
                        configuration: AnalysisConfiguration(outcome: "y", drivers: ["x"])),
        ]
    }

    @Test func answersEveryJobInOrder() async throws {
        let jobs = try Self.jobs()
        let results = await analyzeAll(jobs, width: 2)
        #expect(results.count == jobs.count)
        let satisfaction = try results[0].get(), churn = try results[1].get()
        #expect(satisfaction.model.kind == .linear && satisfaction.actionOrder.count == 5)
        #expect(churn.model.kind == .logistic && churn.value != nil)
        for bad in results[2...] {
            guard case .failure(let error) = bad else { Issue.record("bad input was analysed"); continue }
            let typed = try #require(error as? any DriverAnalysisError, "\(error)")
            #expect(!typed.code.isEmpty && !typed.localizedDescription.isEmpty)
        }
        if case .failure(let error as any DriverAnalysisError) = results[2] {
            #expect(error.localizedDescription.contains("chrun") && error.localizedDescription.contains("churn"))
        }
        await DocSnippets.serviceAnswers(jobs)
    }

    @Test func aCancelledBatchIsAnsweredAsCancelled() async throws {
        let survey = try SyntheticSurvey(respondents: 2_000, touchpoints: 8, seed: 13, outcome: .churn)
        let heavy = AnalysisConfiguration(outcome: "churn", drivers: survey.touchpointNames, bootstrap: 1_000)
        let jobs = (0..<3).map { AnalysisJob(id: "heavy \($0)", survey: survey.generate(), configuration: heavy) }
        let batch = Task { await analyzeAll(jobs, width: 2) }
        try await Task.sleep(for: .milliseconds(200))
        batch.cancel()
        let results = await batch.value
        #expect(results.count == 3)
        for result in results {
            guard case .failure(let error) = result else { Issue.record("a cancelled analysis returned a report"); continue }
            #expect(error is CancellationError, "\(error)")
        }
    }
}
