import Benchmark
import DriverAnalysis

/// Correlation-scale input for p touchpoints of a generated survey with n = 10,000.
func importanceInput(touchpoints p: Int) -> ImportanceInput {
    let survey = SyntheticSurvey(respondents: 10_000, touchpoints: p, seed: 13)
    let sample = try! survey.generate().sample(outcome: "satisfaction", drivers: survey.touchpointNames)
    return try! ImportanceInput(sample: sample)
}

func importanceBenchmarks() {
    for p in [16, 20, 25, 30] {
        let input = importanceInput(touchpoints: p)
        Benchmark("Importance.Shapley exact p=\(p)",
                  configuration: .init(metrics: [.wallClock], maxDuration: .seconds(p >= 30 ? 60 : 10), maxIterations: p >= 25 ? 3 : 20)) { _ in
            blackHole(try ShapleyDecomposition(input))
        }
    }
}
