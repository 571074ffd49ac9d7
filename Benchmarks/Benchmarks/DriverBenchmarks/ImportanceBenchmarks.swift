import Benchmark
import DriverAnalysis

/// Correlation-scale input for p touchpoints of a generated survey with n = 10,000.
func importanceInput(touchpoints p: Int) -> ImportanceInput {
    let survey = try! SyntheticSurvey(respondents: 10_000, touchpoints: p, seed: 13)
    let sample = try! survey.generate().sample(outcome: "satisfaction", drivers: survey.touchpointNames)
    return try! ImportanceInput(sample: sample)
}

func importanceBenchmarks() {
    let twelve = importanceInput(touchpoints: 12)
    Benchmark("Importance.Dominance complete+conditional p=12") { _ in
        blackHole(try DominanceAnalysis(twelve))
    }
    let survey = try! SyntheticSurvey(respondents: 100_000, touchpoints: 15, seed: 31)
    let sample = try! survey.generate().sample(outcome: "satisfaction", drivers: survey.touchpointNames)
    Benchmark("Importance.Bootstrap Shapley 1000 replicates n=1e5 p=15",
              configuration: .init(metrics: [.wallClock], maxDuration: .seconds(120), maxIterations: 1)) { _ in
        blackHole(try Bootstrap.shapley(sample, replicates: 1_000, seed: 1))
    }
    for p in [10, 12, 14, 16, 20] {
        let churnSurvey = try! SyntheticSurvey(respondents: 10_000, touchpoints: p, seed: 37, outcome: .churn)
        let churn = try! churnSurvey.generate().sample(outcome: "churn", drivers: churnSurvey.touchpointNames)
        Benchmark("Importance.Logistic dominance (McFadden) p=\(p) n=1e4",
                  configuration: .init(metrics: [.wallClock], maxDuration: .seconds(p >= 20 ? 900 : 120),
                                       maxIterations: p >= 14 ? 1 : 5)) { _ in
            blackHole(try LogisticDominance(outcome: churn.outcome, drivers: churn.drivers, names: churn.driverNames))
        }
    }
    let bootstrapSurvey = try! SyntheticSurvey(respondents: 10_000, touchpoints: 15, seed: 41, outcome: .churn)
    let bootstrapChurn = try! bootstrapSurvey.generate().sample(outcome: "churn", drivers: bootstrapSurvey.touchpointNames)
    Benchmark("Importance.Logistic Shapley bootstrap 20 replicates p=15 n=1e4",
              configuration: .init(metrics: [.wallClock], maxDuration: .seconds(600), maxIterations: 1)) { _ in
        blackHole(try LogisticDominance.bootstrapReplicates(outcome: bootstrapChurn.outcome, drivers: bootstrapChurn.drivers,
                                                            names: bootstrapChurn.driverNames, replicates: 20, seed: 1))
    }
    Benchmark("Importance.Logistic Shapley bootstrap 200 replicates sampled p=15 n=1e4",
              configuration: .init(metrics: [.wallClock], maxDuration: .seconds(600), maxIterations: 1)) { _ in
        blackHole(try SampledLogisticShapley.bootstrapReplicates(outcome: bootstrapChurn.outcome, drivers: bootstrapChurn.drivers,
                                                                 names: bootstrapChurn.driverNames, replicates: 200,
                                                                 pairs: KeyDriverAnalysis.logisticReplicatePairs, seed: 1))
    }
    let wideSurvey = try! SyntheticSurvey(respondents: 10_000, touchpoints: 25, seed: 43, outcome: .churn)
    let wideChurn = try! wideSurvey.generate().sample(outcome: "churn", drivers: wideSurvey.touchpointNames)
    Benchmark("Importance.Logistic Shapley sampled 1000 permutations p=25 n=1e4",
              configuration: .init(metrics: [.wallClock], maxDuration: .seconds(300), maxIterations: 3)) { _ in
        blackHole(try SampledLogisticShapley(outcome: wideChurn.outcome, drivers: wideChurn.drivers, names: wideChurn.driverNames,
                                             pairs: 500, seed: 1))
    }
    let fifty = importanceInput(touchpoints: 50)
    Benchmark("Importance.RelativeWeights p=50") { _ in
        blackHole(try RelativeWeights(fifty))
    }
    for p in [16, 20, 25, 30] {
        let input = importanceInput(touchpoints: p)
        Benchmark("Importance.Shapley exact p=\(p)",
                  configuration: .init(metrics: [.wallClock], maxDuration: .seconds(p >= 30 ? 60 : 10), maxIterations: p >= 25 ? 3 : 20)) { _ in
            blackHole(try ShapleyDecomposition(input))
        }
    }
}
