import DriverAnalysis
import LinearAlgebra
import Fixtures
import Foundation
import Testing

@Suite("Synthetic surveys")
struct SyntheticSurveyTests {
    @Test func deterministicAndRoundTripsThroughCSV() throws {
        let survey = try SyntheticSurvey(respondents: 2_000, touchpoints: 5, seed: 42, outcome: .churn, missingRate: 0.05)
        let file = try TemporaryFile(contents: "")
        try survey.writeCSV(to: file.path)
        let loaded = try SurveyData.load(csv: file.path)
        let memory = survey.generate()
        #expect(loaded.columnNames == survey.columnNames)
        for name in survey.touchpointNames + ["churn"] {
            let a = try loaded.numericValues(name), b = try memory.numericValues(name)
            #expect(a.elementsEqual(b) { $0 == $1 || ($0.isNaN && $1.isNaN) }, "\(name)")
        }
        let churnRate = try memory.numericValues("churn").reduce(0, +) / 2_000
        #expect(churnRate > 0.1 && churnRate < 0.35)
        let missing = try memory.column("wifi").missingCount
        #expect(missing > 50 && missing < 150)
        #expect(try SyntheticSurvey(respondents: 2_000, touchpoints: 5, seed: 42, outcome: .churn, missingRate: 0.05).row(17).ratings
                .elementsEqual(survey.row(17).ratings) { $0 == $1 || ($0.isNaN && $1.isNaN) })
    }

    @Test func ratingsStayOnTheScaleAndTheLinearOutcomeRecoversTheWeights() throws {
        let survey = try SyntheticSurvey(respondents: 20_000, touchpoints: 4, seed: 5, scale: .oneToFive)
        let data = survey.generate()
        for name in survey.touchpointNames {
            let values = try data.numericValues(name)
            #expect(values.allSatisfy { $0 >= 1 && $0 <= 5 && $0 == $0.rounded() })
        }
        let sample = try data.sample(outcome: "satisfaction", drivers: survey.touchpointNames)
        let fit = try QRLeastSquares.solve(try sample.designMatrix(), sample.outcome)
        for j in 0..<4 { #expect(abs(fit.coefficients[j + 1] - survey.trueWeights[j]) < 0.05, "driver \(j)") }
    }

    /// Sizes a caller passes (a service's request, `kda generate`'s options) throw a typed error
    /// naming the option, never a precondition failure.
    @Test func impossibleSizesThrowNamingTheOption() throws {
        #expect(throws: AnalysisError.invalidOption(option: "touchpoints", value: "0", reason: "a survey needs at least 1 touchpoint")) {
            try SyntheticSurvey(respondents: 10, touchpoints: 0)
        }
        #expect(throws: AnalysisError.invalidOption(option: "respondents", value: "-1", reason: "a survey has 0 to 2^53 respondents")) {
            try SyntheticSurvey(respondents: -1, touchpoints: 3)
        }
        #expect(throws: AnalysisError.invalidOption(option: "respondents", value: "\(Int.max)", reason: "a survey has 0 to 2^53 respondents")) {
            try SyntheticSurvey(respondents: .max, touchpoints: 3)
        }
        for rate in [-0.1, 1, .nan] {
            #expect(throws: AnalysisError.invalidOption(option: "missingRate", value: "\(rate)", reason: "a probability in [0, 1) is needed")) {
                try SyntheticSurvey(respondents: 10, touchpoints: 3, missingRate: rate)
            }
        }
        // An empty survey is a survey; a row outside it is still a row of the generator.
        let empty = try SyntheticSurvey(respondents: 0, touchpoints: 2)
        #expect(empty.generate().rowCount == 0)
        #expect(empty.row(-1).ratings.count == 2)
    }
}
