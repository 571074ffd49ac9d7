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
        let weights = (0..<sample.count).map { Double($0 % 3) }
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
