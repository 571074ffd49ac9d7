import DriverAnalysis
import Fixtures
import Foundation
import Testing

/// Design-based standard errors for sampling weights against R survey 4.1-1 `svyglm`
/// (fixture `svyglm_mobi.json`, Tests/Fixtures/Scripts/survey.R).
@Suite("Sampling weights")
struct SurveyWeightsTests {
    @Test func linearAndLogisticMatchSvyglm() throws {
        let ref = try ReferenceValues("svyglm_mobi")
        let data = try SurveyData.load(csv: FixtureData.url("ecsi-mobi/mobi.csv").path)
        let drivers = ["PERQ1", "PERV1", "IMAG1"]
        let sample = try data.sample(outcome: "CUSA1", drivers: drivers, weight: "CUEX1")
        let linear = try LinearRegression(sample, options: .init(weighting: .sampling))
        for (k, c) in linear.coefficients.enumerated() {
            expectClose(c.estimate, ref.numbers("linear_estimate")[k], relative: 1e-10, c.name)
            expectClose(c.standardError, ref.numbers("linear_std_error")[k], relative: 1e-9, c.name)
        }
        let loyal = try data.numericValues("CUSL1").map { $0 >= 8 ? 1.0 : 0.0 }
        let weights = try data.numericValues("CUEX1")
        var options = LogisticModelOptions()
        options.samplingWeights = true
        let logistic = try LogisticRegression(outcome: loyal, drivers: sample.drivers, names: drivers, weights: weights, options: options)
        for (k, c) in logistic.coefficients.enumerated() {
            expectClose(c.estimate, ref.numbers("logistic_estimate")[k], relative: 1e-8, c.name)
            // svyglm stops IRLS at glm's default epsilon (1e-8) and builds its bread from the
            // weights of that last iteration; ours is at the converged estimate: 1e-6.
            expectClose(c.standardError, ref.numbers("logistic_std_error")[k], relative: 1e-6, c.name)
        }
        // Frequency weights stay distinct: model-based SEs, residual df Σw − rank.
        let frequency = try LinearRegression(sample, options: .init(weighting: .frequency))
        #expect(frequency.residualDegreesOfFreedom == weights.reduce(0, +) - 4)
        #expect(frequency.coefficients[1].standardError != linear.coefficients[1].standardError)
    }
}
