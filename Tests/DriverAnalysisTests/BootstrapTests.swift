@testable import DriverAnalysis
import Fixtures
import Foundation
import Testing

@Suite("Bootstrap")
struct BootstrapTests {
    /// The mean of 4,000 uniform(0, 1) values: its bootstrap SE must match σ/√n and both
    /// intervals must be about ±1.96 SE around it.
    @Test func meanOfUniformsHasTheTextbookInterval() throws {
        let n = 4_000
        let x = (0..<n).map { SyntheticSurvey.uniform(3, UInt64($0), 1) }
        let boot = try Bootstrap(rowCount: n, replicates: 2_000, seed: 11) { w in
            [zip(w, x).reduce(0) { $0 + $1.0 * $1.1 } / w.reduce(0, +)]
        }
        let mean = x.reduce(0, +) / Double(n)
        let sd = (x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)).squareRoot()
        let interval = boot.intervals[0]
        expectClose(interval.estimate, mean, relative: 1e-15)
        expectClose(interval.standardError, sd / Double(n).squareRoot(), relative: 0.06)
        expectClose(interval.percentile.lower, mean - 1.96 * sd / Double(n).squareRoot(), relative: 0.002)
        expectClose(interval.percentile.upper, mean + 1.96 * sd / Double(n).squareRoot(), relative: 0.002)
        let bca = try #require(interval.bca)
        expectClose(bca.lower, interval.percentile.lower, relative: 0.002)
        #expect(bca.lower < mean && bca.upper > mean)
    }

    @Test func replicatesDependOnlyOnTheSeedAndTheirIndex() throws {
        let survey = try SyntheticSurvey(respondents: 3_000, touchpoints: 5, seed: 29)
        let sample = try survey.generate().sample(outcome: "satisfaction", drivers: survey.touchpointNames)
        let boot = try Bootstrap.shapley(sample, replicates: 40, seed: 5)
        let again = try Bootstrap.shapley(sample, replicates: 40, seed: 5)
        #expect(boot.replicates == again.replicates)
        // Replicate 17 recomputed on its own, sequentially, from its stream.
        var weights = [Double](repeating: 0, count: sample.observationCount)
        for i in 0..<sample.observationCount { weights[Int(SyntheticSurvey.hash(5, 17, UInt64(i) &+ 0xB007) % UInt64(sample.observationCount))] += 1 }
        let moments = try Moments(names: sample.driverNames + ["satisfaction"], columns: sample.drivers + [sample.outcome], weights: weights)
        let alone = try ShapleyDecomposition(ImportanceInput(moments: moments, outcome: "satisfaction")).values
        #expect(alone == boot.replicates[17])
        let other = try Bootstrap.shapley(sample, replicates: 40, seed: 6)
        #expect(other.replicates != boot.replicates)
        for k in 0..<5 {
            let interval = boot.intervals[k]
            #expect(interval.percentile.lower <= interval.estimate + 1e-3 && interval.percentile.upper >= interval.estimate - 1e-3)
        }
    }
}
