import Benchmark
import DriverAnalysis
import Foundation

/// A generated all-numeric survey CSV (id, 28 ratings, satisfaction = 30 columns), written once
/// per machine into the temporary directory.
func numericSurveyCSV(rows: Int, touchpoints: Int = 28) -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("kda-bench-\(rows)x\(touchpoints + 2).csv").path
    if !FileManager.default.fileExists(atPath: path) {
        try! SyntheticSurvey(respondents: rows, touchpoints: touchpoints, seed: 7).writeCSV(to: path, includeRegion: false)
    }
    return path
}

func dataBenchmarks() {
    let csv = numericSurveyCSV(rows: 1_000_000)
    Benchmark("Data.CSV ingest 1e6x30") { _ in
        blackHole(try SurveyData.load(csv: csv))
    }
    let survey = try! SyntheticSurvey(respondents: 1_000_000, touchpoints: 49, seed: 3).generate()
    let names = survey.columnNames.filter { $0 != "region" && $0 != "respondent_id" }
    let columns = names.map { try! survey.numericValues($0) }
    Benchmark("Data.Moments 1e6x50") { _ in
        blackHole(try Moments(names: names, columns: columns))
    }
    Benchmark("Data.PairwiseMoments 1e6x50") { _ in
        blackHole(try PairwiseMoments(names: names, columns: columns))
    }
}

/// The files of `peers.py --only end-to-end` (what `kda generate --respondents 1000000
/// --touchpoints 30 --seed 5|6 --outcome linear|churn` writes), written once per machine.
func peerSurveyCSV(outcome: SyntheticSurvey.Outcome) -> String {
    let name = outcome == .churn ? "churn" : "linear"
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("kda-peer-\(name)-1000000.csv").path
    if !FileManager.default.fileExists(atPath: path) {
        try! SyntheticSurvey(respondents: 1_000_000, touchpoints: 30, seed: outcome == .churn ? 6 : 5, outcome: outcome).writeCSV(to: path)
    }
    return path
}

/// The parts of the `kda analyze` runs that `peers.py --only end-to-end` times: ingest of the
/// same files (the fits are `Models.LinearRegression` / `Models.LogisticRegression 1e6x30`, on
/// the same rows). The CLI should stay within 1.3× of ingest + fit.
func cliPartsBenchmarks() {
    for outcome in [SyntheticSurvey.Outcome.linear, .churn] {
        let path = peerSurveyCSV(outcome: outcome)
        Benchmark("Analyze.parts CSV ingest \(outcome == .churn ? "churn" : "linear") 1e6x30") { _ in
            blackHole(try SurveyData.load(csv: path))
        }
    }
}

func endToEndBenchmarks() {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("kda-bench-e2e-1000000x30.csv").path
    if !FileManager.default.fileExists(atPath: path) {
        try! SyntheticSurvey(respondents: 1_000_000, touchpoints: 30, seed: 12).writeCSV(to: path)
    }
    let drivers = try! SyntheticSurvey(respondents: 1, touchpoints: 30).touchpointNames
    Benchmark("Analyze.end-to-end load + linear + Shapley + relative weights 1e6x30",
              configuration: .init(metrics: [.wallClock, .peakMemoryResident], maxDuration: .seconds(60), maxIterations: 3)) { _ in
        let data = try SurveyData.load(csv: path)
        let configuration = AnalysisConfiguration(outcome: "satisfaction", drivers: drivers,
                                                  methods: [.regression, .shapley, .relativeWeights, .pratt, .correlation])
        blackHole(try KeyDriverAnalysis.analyze(data, configuration).json.rendered())
    }
}
