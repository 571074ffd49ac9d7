@testable import DriverAnalysis
import Fixtures
import Foundation
import Testing

/// Each warning code of the catalogue (Docs/warnings.md) is raised by the situation it names.
@Suite("Warnings catalogue")
struct WarningsCatalogueTests {
    static func codes(_ data: SurveyData, _ configuration: AnalysisConfiguration) throws -> Set<String> {
        Set(try KeyDriverAnalysis.analyze(data, configuration).warnings.map(\.code))
    }

    @Test func collinearityHeteroscedasticityAndLowVariance() throws {
        let n = 400
        let a = (0..<n).map { Double($0 % 11) }
        let b = (0..<n).map { Double(($0 * 7) % 11) }
        let nearCopy = zip(a, (0..<n)).map { $0 + (($1 % 3 == 0) ? 0.3 : 0) }          // VIF ≥ 10 with a
        let flat = (0..<n).map { $0 == 5 ? 9.0 : 8.0 }                                    // barely varies
        // Noise that grows with b: heteroscedastic.
        var y = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let noise: Double = (Double((i * 13) % 7) - 3) / 2
            y[i] = a[i] + 0.5 * b[i] + (b[i] + 0.5) * noise
        }
        let data = try SurveyData(columns: ["a": a, "b": b, "copy": nearCopy, "flat": flat, "y": y])
        let found = try Self.codes(data, AnalysisConfiguration(outcome: "y", drivers: ["a", "b", "copy", "flat"]))
        #expect(found.isSuperset(of: ["vif_high", "heteroscedasticity", "low_variance_rating"]), "\(found)")
    }

    @Test func binaryOutcomeAsLinearFewEventsAndSuppressors() throws {
        let survey = SyntheticSurvey(respondents: 300, touchpoints: 12, seed: 8, outcome: .churn)
        let data = survey.generate()
        let linear = try Self.codes(data, AnalysisConfiguration(outcome: "churn", drivers: survey.touchpointNames, model: .linear,
                                                                methods: [.regression, .correlation, .pratt]))
        #expect(linear.contains("binary_outcome_linear"))
        let logistic = try Self.codes(data, AnalysisConfiguration(outcome: "churn", drivers: survey.touchpointNames,
                                                                  methods: [.regression, .relativeWeights]))
        #expect(logistic.contains("few_events_per_driver"), "\(logistic)")
        // Classic suppressor: x2 is uncorrelated with y but correlated with x1's noise.
        let n = 500
        let noise = (0..<n).map { SyntheticSurvey.normal(1, UInt64($0), 3) }
        let signal = (0..<n).map { SyntheticSurvey.normal(1, UInt64($0), 9) }
        let x1 = zip(signal, noise).map { $0 + $1 }, x2 = noise
        let y = signal.enumerated().map { $1 + 0.3 * SyntheticSurvey.normal(1, UInt64($0), 21) }
        let suppressed = try SurveyData(columns: ["x1": x1, "x2": x2, "y": y])
        #expect(try Self.codes(suppressed, AnalysisConfiguration(outcome: "y", drivers: ["x1", "x2"])).contains("suppressor"))
    }

    @Test func unstableQuadrantsAreFlaggedWithTheBootstrap() throws {
        let survey = SyntheticSurvey(respondents: 150, touchpoints: 6, seed: 33)
        let report = try KeyDriverAnalysis.analyze(survey.generate(), AnalysisConfiguration(
            outcome: "satisfaction", drivers: survey.touchpointNames, bootstrap: 60, seed: 4))
        #expect(report.drivers.allSatisfy { $0.quadrantProbability != nil && $0.rankProbability != nil && $0.signFlipProbability != nil })
        let unstable = report.drivers.filter { $0.quadrantUnstable == true }
        #expect(unstable.isEmpty == !report.warnings.contains { $0.code == "quadrant_unstable" })
    }
}

@Suite("Decision confidence")
struct DecisionConfidenceTests {
    @Test func logisticModelsGetBootstrappedQuadrantsRanksAndComparisons() throws {
        let survey = SyntheticSurvey(respondents: 1_500, touchpoints: 4, seed: 44, outcome: .churn)
        let report = try KeyDriverAnalysis.analyze(survey.generate(), AnalysisConfiguration(
            outcome: "churn", drivers: survey.touchpointNames, bootstrap: 30, seed: 2))
        #expect(report.model.kind == "logistic")
        for d in report.drivers {
            #expect(d.importanceIntervals["shapley"] != nil && d.quadrantProbability != nil && d.rankInterval != nil)
            #expect(d.signFlipProbability.map { $0 >= 0 && $0 <= 1 } == true)
        }
        #expect(report.importanceComparisons.count == 6)   // pairs among the top four
        // The most important driver beats the runner-up in most resamples.
        #expect(report.importanceComparisons[0].probability > 0.5)
        #expect(report.json["importance_comparisons"] != nil)
    }

    @Test func logisticDominanceWeightsActAsFrequencies() throws {
        let survey = SyntheticSurvey(respondents: 400, touchpoints: 3, seed: 45, outcome: .churn)
        let sample = try survey.generate().sample(outcome: "churn", drivers: survey.touchpointNames)
        let weights = (0..<sample.count).map { Double($0 % 3) }
        var y: [Double] = [], x = [[Double]](repeating: [], count: 3)
        for i in 0..<sample.count {
            for _ in 0..<Int(weights[i]) {
                y.append(sample.outcome[i])
                for j in 0..<3 { x[j].append(sample.drivers[j][i]) }
            }
        }
        let weighted = try LogisticDominance(outcome: sample.outcome, drivers: sample.drivers, names: survey.touchpointNames, weights: weights)
        let duplicated = try LogisticDominance(outcome: y, drivers: x, names: survey.touchpointNames)
        for j in 0..<3 { expectClose(weighted.values[j], duplicated.values[j], relative: 1e-8) }
    }
}
