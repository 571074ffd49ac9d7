@testable import DriverAnalysis
import Fixtures
import Foundation
import LinearAlgebra
import Testing

/// Sampled logistic Shapley against the exact walk: every permutation gives the exact values, many
/// sampled ones land within a few standard errors, and the estimate is a function of the seed alone.
@Suite("Sampled logistic Shapley")
struct SampledLogisticShapleyTests {
    static func churn(respondents: Int, touchpoints: Int, seed: UInt64) throws -> AnalysisSample {
        try LogisticSubsetWalkTests.churn(respondents: respondents, touchpoints: touchpoints, seed: seed)
    }

    /// With all 5! orderings (each with its reverse) the estimate is the exact Shapley value, with
    /// controls and a group as players, up to the fits' tolerance (ℓ to 10⁻¹⁰ relative).
    @Test func everyPermutationGivesTheExactValues() throws {
        let sample = try Self.churn(respondents: 1_500, touchpoints: 7, seed: 11)
        let names = sample.driverNames
        let groups = [(name: "pair", members: [names[2], names[3]])]
        for (controls, groups) in [([String](), [(name: String, members: [String])]()), ([names[6]], groups)] {
            let exact = try LogisticDominance(outcome: sample.outcome, drivers: sample.drivers, names: names,
                                              controls: controls, groups: groups)
            let sampled = try SampledLogisticShapley(outcome: sample.outcome, drivers: sample.drivers, names: names, weights: nil,
                                                     fit: .mcFadden, controls: controls, groups: groups, orderings: .all,
                                                     progress: nil)
            #expect(sampled.names == exact.dominance.names)
            #expect(sampled.pairs == (1...exact.values.count).reduce(1, *))
            for j in exact.values.indices {
                expectClose(sampled.values[j], exact.values[j], relative: 1e-8, sampled.names[j])
            }
            expectClose(sampled.values.reduce(0, +), sampled.fullFit, relative: 1e-9)
            expectClose(sampled.controlFit, exact.controlFit, relative: 1e-9, absolute: 1e-15)
        }
    }

    /// At p = 8, 1,000 antithetic pairs land within 4 standard errors of the exact values (and the
    /// standard errors are small next to the values); Nagelkerke and weights too.
    @Test func convergesToTheExactValues() throws {
        let sample = try Self.churn(respondents: 2_000, touchpoints: 8, seed: 37)
        let names = sample.driverNames
        let weights = (0..<sample.observationCount).map { Double($0 % 3) }
        for (fit, w) in [(LogisticDominance.Fit.mcFadden, nil), (.nagelkerke, nil), (.mcFadden, weights)] as [(LogisticDominance.Fit, [Double]?)] {
            let exact = try LogisticDominance(outcome: sample.outcome, drivers: sample.drivers, names: names, weights: w, fit: fit)
            let sampled = try SampledLogisticShapley(outcome: sample.outcome, drivers: sample.drivers, names: names, weights: w,
                                                     fit: fit, pairs: 1_000, seed: 5)
            #expect(sampled.permutations == 2_000)
            for j in 0..<8 {
                let se = sampled.standardErrors[j]
                #expect(se > 0 && se < 0.05 * exact.values[j], "\(names[j]): s.e. \(se)")
                #expect(abs(sampled.values[j] - exact.values[j]) <= 4 * se, "\(names[j]): \(sampled.values[j]) vs \(exact.values[j]) ± \(se)")
            }
            expectClose(sampled.fullFit, exact.dominance.fullFit, relative: 1e-9)
            #expect(sampled.unfittedSubsets == 0)
        }
    }

    /// The same seed gives the same bits for 1, 2 and 8 workers; another seed gives other values.
    @Test func deterministicForASeedAndAnyWorkerCount() throws {
        let sample = try Self.churn(respondents: 1_000, touchpoints: 12, seed: 3)
        func run(_ workers: Int, seed: UInt64 = 9) throws -> [Double] {
            try Parallel.$workers.withValue(workers) {
                let s = try SampledLogisticShapley(outcome: sample.outcome, drivers: sample.drivers, names: sample.driverNames,
                                                   controls: [sample.driverNames[0]], pairs: 40, seed: seed)
                return s.values + s.standardErrors
            }
        }
        let one = try run(1)
        #expect(try run(2) == one)
        #expect(try run(8) == one)
        #expect(try run(2) == one)
        #expect(try run(2, seed: 10) != one)
    }
}

/// The analysis beyond the exact work budget: sampled logistic Shapley with standard errors,
/// said in the report (JSON and text), and bootstrap intervals from sampled Shapley per resample.
@Suite("Sampled logistic Shapley in the analysis")
struct SampledLogisticAnalysisTests {
    static func configuration(budget: Double, bootstrap: Int = 0) -> AnalysisConfiguration {
        var c = AnalysisConfiguration(outcome: "churn", bootstrap: bootstrap, seed: 4)
        c.methods = [.regression, .shapley, .relativeWeights]
        c.logisticWorkBudget = budget
        return c
    }

    static func data() throws -> SurveyData {
        let survey = try SyntheticSurvey(respondents: 800, touchpoints: 6, seed: 21, outcome: .churn)
        return survey.generate()
    }

    @Test func beyondTheBudgetTheValuesAreSampledAndSaySo() throws {
        let data = try Self.data()
        let names = try SyntheticSurvey(respondents: 800, touchpoints: 6, seed: 21, outcome: .churn).touchpointNames
        var exactConfiguration = Self.configuration(budget: .infinity)
        exactConfiguration.drivers = names
        var sampledConfiguration = Self.configuration(budget: 1)
        sampledConfiguration.drivers = names
        let exact = try KeyDriverAnalysis.analyze(data, exactConfiguration)
        let sampled = try KeyDriverAnalysis.analyze(data, sampledConfiguration)
        #expect(exact.shapleyEstimation == .init(method: .exact))
        #expect(sampled.shapleyEstimation == .init(method: .sampled, permutations: 200))
        #expect(sampled.warnings.contains { $0.code.rawValue == "sampled_shapley" })
        for (e, s) in zip(exact.drivers, sampled.drivers) {
            let se = try #require(s.importance.shapleyStandardError)
            #expect(e.importance.shapleyStandardError == nil)
            #expect(abs(s.importance.shapley! - e.importance.shapley!) <= 5 * se + 1e-12, "\(s.name)")
        }
        let json = sampled.json
        #expect(json["shapley_estimate"]?["method"]?.string == "sampled")
        #expect(json["shapley_estimate"]?["permutations"]?.double == 200)
        #expect(json["drivers"]?.items.first?["importance"]?["shapley_std_error"]?.double != nil)
        #expect(exact.json["drivers"]?.items.first?["importance"]?["shapley_std_error"] == nil)
        #expect(sampled.table().contains("sampled Shapley (200 permutations, ± s.e.)"))
        #expect(sampled.markdown().contains("sampled Shapley (200 permutations, ± s.e.)"))
        let decoded = try JSONDecoder().decode(DriverReport.self, from: Data(sampled.json.rendered().utf8))
        #expect(decoded.shapleyEstimation == sampled.shapleyEstimation)
        #expect(decoded.drivers.map(\.importance.shapleyStandardError) == sampled.drivers.map(\.importance.shapleyStandardError))
    }

    @Test func bootstrapIntervalsFromSampledShapleyAreReproducible() throws {
        let data = try Self.data()
        let names = try SyntheticSurvey(respondents: 800, touchpoints: 6, seed: 21, outcome: .churn).touchpointNames
        var c = Self.configuration(budget: 1, bootstrap: 12)
        c.drivers = names
        let first = try KeyDriverAnalysis.analyze(data, c)
        let second = try Parallel.$workers.withValue(1) { try KeyDriverAnalysis.analyze(data, c) }
        #expect(first.shapleyEstimation == .init(method: .sampled, permutations: 200, intervalMethod: .sampled, intervalPermutations: 200))
        #expect(first.drivers.allSatisfy { $0.importanceIntervals[.shapley] != nil && $0.rankProbability != nil })
        #expect(first.drivers.map { $0.importanceIntervals[.shapley] } == second.drivers.map { $0.importanceIntervals[.shapley] })
        #expect(first.table().contains("sampled Shapley in every resample"))
        var exact = c
        exact.logisticWorkBudget = .infinity
        let exactReport = try KeyDriverAnalysis.analyze(data, exact)
        #expect(exactReport.shapleyEstimation == .init(method: .exact, intervalMethod: .exact))
    }
}
