import Benchmark
import DriverAnalysis

func modelBenchmarks() {
    let linear = try! SyntheticSurvey(respondents: 1_000_000, touchpoints: 30, seed: 5).generate()
    let drivers = try! SyntheticSurvey(respondents: 1, touchpoints: 30).touchpointNames
    let linearSample = try! linear.sample(outcome: "satisfaction", drivers: drivers)
    Benchmark("Models.LinearRegression 1e6x30") { _ in
        blackHole(try LinearRegression(linearSample))
    }
    let churn = try! SyntheticSurvey(respondents: 1_000_000, touchpoints: 30, seed: 6, outcome: .churn).generate()
    let churnSample = try! churn.sample(outcome: "churn", drivers: drivers)
    Benchmark("Models.LogisticRegression 1e6x30") { _ in
        blackHole(try LogisticRegression(churnSample))
    }
    let wide = try! SyntheticSurvey(respondents: 1_000_000, touchpoints: 50, seed: 8).generate()
    let columns = try! SyntheticSurvey(respondents: 1, touchpoints: 50).touchpointNames.map { try! wide.numericValues($0) }
    Benchmark("Models.Pearson matrix 1e6x50") { _ in
        blackHole(try Correlation.matrix(columns))
    }
    Benchmark("Models.Spearman matrix 1e6x50") { _ in
        blackHole(try Correlation.matrix(columns, method: .spearman))
    }
}
