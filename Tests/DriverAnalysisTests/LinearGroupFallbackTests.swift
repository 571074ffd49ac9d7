@testable import DriverAnalysis
import Fixtures
import Foundation
import Testing

/// Linear models with factors beyond the exact budget: sampled group Shapley values with
/// standard errors instead of a refusal, bounded work, and general dominance filled whenever
/// dominance is asked for.
@Suite("Linear group Shapley beyond the exact budget")
struct LinearGroupFallbackTests {
    /// `touchpoints` ratings, a four-level `region` and, when asked, text factors of `levels` levels.
    static func survey(respondents: Int, touchpoints: Int, factors: Int = 0, levels: Int = 5, seed: UInt64) throws -> SurveyData {
        let data = try SyntheticSurvey(respondents: respondents, touchpoints: touchpoints, seed: seed).generate()
        var generator = SplitMix(seed: seed)
        var columns = data.columns
        for f in 0..<factors {
            let codes = (0..<respondents).map { _ in Double(generator.next() % UInt64(levels)) }
            columns.append(SurveyColumn(name: "f\(f)", position: columns.count + 1, kind: .categorical(levels: (0..<levels).map { "L\($0)" }),
                                        values: codes, missingCount: 0))
        }
        return try SurveyData(columns: columns)
    }

    /// Sampling over players agrees with the exact group decomposition within its standard errors,
    /// and the values add up to R².
    @Test func sampledGroupValuesMatchTheExactOnes() throws {
        let data = try Self.survey(respondents: 3_000, touchpoints: 6, factors: 2, seed: 4)
        let drivers = try SyntheticSurvey(respondents: 1, touchpoints: 6).touchpointNames + ["region", "f0", "f1"]
        var exact = AnalysisConfiguration(outcome: "satisfaction", drivers: drivers)
        exact.methods = [.regression, .shapley]
        var sampled = exact
        sampled.linearWorkBudget = 0
        let reference = try KeyDriverAnalysis.analyze(data, exact)
        let estimate = try KeyDriverAnalysis.analyze(data, sampled)
        #expect(reference.shapleyEstimation == nil || reference.shapleyEstimation?.method == .exact)
        #expect(estimate.shapleyEstimation?.method == .sampled)
        #expect(estimate.warnings.contains { $0.code.rawValue == "sampled_shapley" })
        for name in drivers {
            let e = try #require(estimate.driver(named: name)?.importance), r = try #require(reference.driver(named: name)?.importance)
            let se = try #require(e.shapleyStandardError)
            #expect(abs((e.shapley ?? .nan) - (r.shapley ?? .nan)) <= 4 * se + 1e-12, "\(name)")
        }
        let total = estimate.drivers.compactMap(\.importance.shapley).reduce(0, +)
        expectClose(total, estimate.model.rSquared ?? .nan, relative: 1e-9)
    }

    /// 30 ratings and a factor (kda's own generated survey at scale) are analysed, not refused.
    @Test func thirtyRatingsAndAFactorAreSampledNotRefused() throws {
        let data = try Self.survey(respondents: 2_000, touchpoints: 30, seed: 6)
        let report = try KeyDriverAnalysis.analyze(data, AnalysisConfiguration(outcome: "satisfaction"))
        #expect(report.drivers.count == 31)
        #expect(report.drivers.allSatisfy { $0.importance.shapley != nil && $0.importance.shapleyStandardError != nil })
        #expect(report.warnings.contains { $0.code.rawValue == "sampled_shapley" })
    }

    /// 20 text drivers of 5 levels each: 80 design columns. The work budget counts those columns
    /// (20 drivers of 20 levels — 380 columns — ran past two minutes when only players were
    /// counted): within it the walk is exact, beyond it the values are sampled.
    @Test func theBudgetCountsDesignColumns() throws {
        let data = try Self.survey(respondents: 2_000, touchpoints: 1, factors: 20, levels: 5, seed: 8)
        let drivers = (0..<20).map { "f\($0)" }
        let budget = AnalysisConfiguration(outcome: "y").linearWorkBudget
        #expect(GroupImportance.work(columnsPerPlayer: Array(repeating: 19, count: 20)) > budget)
        #expect(GroupImportance.work(columnsPerPlayer: Array(repeating: 4, count: 20)) <= budget)
        var configuration = AnalysisConfiguration(outcome: "satisfaction", drivers: drivers)
        configuration.methods = [.regression, .shapley]
        let exact = try KeyDriverAnalysis.analyze(data, configuration)
        #expect(exact.shapleyEstimation == nil || exact.shapleyEstimation?.method == .exact)
        configuration.linearWorkBudget = 1e8
        let report = try KeyDriverAnalysis.analyze(data, configuration)
        #expect(report.shapleyEstimation?.method == .sampled)
        for name in drivers {
            let e = try #require(report.driver(named: name)?.importance), r = try #require(exact.driver(named: name)?.importance)
            #expect(abs((e.shapley ?? .nan) - (r.shapley ?? .nan)) <= 5 * (e.shapleyStandardError ?? 0) + 1e-12, "\(name)")
        }
    }

    /// `--methods dominance` alone on a linear model fills general dominance (the Shapley value),
    /// with and without factors, as the logistic path does.
    @Test func dominanceAloneFillsGeneralDominance() throws {
        let data = try Self.survey(respondents: 1_000, touchpoints: 5, seed: 9)
        let ratings = try SyntheticSurvey(respondents: 1, touchpoints: 5).touchpointNames
        for drivers in [ratings, ratings + ["region"]] {
            var configuration = AnalysisConfiguration(outcome: "satisfaction", drivers: drivers)
            configuration.methods = [.regression, .dominance]
            let report = try KeyDriverAnalysis.analyze(data, configuration)
            #expect(report.drivers.allSatisfy { $0.importance.shapley != nil }, "\(drivers)")
            #expect(report.dominance != nil)
        }
    }
}
