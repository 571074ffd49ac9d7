import DriverAnalysis
import LinearAlgebra
import Fixtures
import Foundation
import Testing

/// Every result is identical whatever the number of threads: CSV parsing, Moments, exact and
/// sampled Shapley, the bootstrap and the full report, each with 1, 2 and 8 workers.
@Suite("Thread-count determinism")
struct DeterminismTests {
    static func run(workers: Int) throws -> (report: String, bootstrap: [[Double]], sampled: [Double], moments: [Double]) {
        // OpenBLAS's own thread count is process-wide and other tests' parallel regions change it
        // while this one runs; hold it at one thread so only the library's worker count varies.
        try BLASThreads.singleThreaded { try Parallel.$workers.withValue(workers) {
            let survey = try SyntheticSurvey(respondents: 6_000, touchpoints: 13, seed: 51, missingRate: 0.02)
            let file = try TemporaryFile(contents: "")
            try survey.writeCSV(to: file.path)
            let data = try SurveyData.load(csv: file.path, options: CSVOptions(chunkSize: 1 << 14, threads: workers))
            let sample = try data.sample(outcome: "satisfaction", drivers: survey.touchpointNames)
            let report = try KeyDriverAnalysis.analyze(data, AnalysisConfiguration(outcome: "satisfaction", drivers: survey.touchpointNames,
                                                                                   bootstrap: 40, seed: 9))
            let input = try ImportanceInput(sample: sample)
            let bootstrap = try Bootstrap.shapley(sample, replicates: 40, seed: 3).replicates
            let sampled = try SampledShapley(input, pairs: 64, seed: 5).values
            let moments = try Moments(csv: file.path, variables: survey.touchpointNames, options: CSVOptions(chunkSize: 1 << 14, threads: workers))
            return (report.json.rendered(), bootstrap, sampled, moments.crossProducts.elements + moments.means)
        } }
    }

    @Test func identicalForOneTwoAndEightWorkers() throws {
        // OpenBLAS's own thread count changes the last bits of some routines, and it is process-wide:
        // the parallel regions of tests running concurrently set it to one (BLASThreads). Pin it here
        // so that the comparison is about our worker count only.
        let (one, two, eight) = try BLASThreads.singleThreaded {
            (try Self.run(workers: 1), try Self.run(workers: 2), try Self.run(workers: 8))
        }
        #expect(one.report == two.report && one.report == eight.report)

        #expect(one.bootstrap == two.bootstrap && one.bootstrap == eight.bootstrap)
        #expect(one.sampled == two.sampled && one.sampled == eight.sampled)
        #expect(one.moments == two.moments && one.moments == eight.moments)
    }
}
