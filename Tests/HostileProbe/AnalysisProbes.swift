import DriverAnalysis
import Foundation

/// The façade on empty, unknown, non-finite and cancelled input.
enum AnalysisProbes {
    typealias D = ProbeData

    /// A small linear report with dominance, for the decoding probes and the fuzzer.
    static func report() throws -> DriverReport {
        try KeyDriverAnalysis.analyze(SurveyData(columns: ["y": D.y, "a": D.a, "b": D.b]), AnalysisConfiguration(outcome: "y"))
    }

    static let all: [Probe] = [
        Probe(name: "analyze: empty survey, unknown outcome") {
            let empty = try SurveyData(columns: [(name: String, values: [Double])]())
            return Expect.error(SurveyDataError.unknownColumn(name: "y", suggestions: [])) { try KeyDriverAnalysis.analyze(empty, AnalysisConfiguration(outcome: "y")) }
        },
        Probe(name: "analyze: a survey without rows") {
            let survey = try SurveyData(columns: ["y": [], "a": []])
            return Expect.error(SurveyDataError.allMissing(column: "a")) { try KeyDriverAnalysis.analyze(survey, AnalysisConfiguration(outcome: "y")) }
        },
        Probe(name: "analyze: a named driver holding +inf") {
            var a = D.a
            a[6] = .infinity
            let survey = try SurveyData(columns: ["y": D.y, "a": a, "b": D.b])
            return Expect.error(SurveyDataError.nonFinite(path: "<memory>", row: 8, column: "a", value: "inf")) {
                try KeyDriverAnalysis.analyze(survey, AnalysisConfiguration(outcome: "y", drivers: ["a", "b"]))
            }
        },
        Probe(name: "analyze: confidence NaN") {
            let survey = try SurveyData(columns: ["y": D.y, "a": D.a])
            return Expect.error(AnalysisError.invalidOption(option: "confidenceLevel", value: "nan", reason: "a confidence level lies strictly between 0 and 1")) {
                try KeyDriverAnalysis.analyze(survey, AnalysisConfiguration(outcome: "y", confidenceLevel: .nan))
            }
        },
        Probe(name: "analyze: outcome listed as a driver") {
            let survey = try SurveyData(columns: ["y": D.y, "a": D.a])
            return Expect.error(AnalysisError.outcomeAmongDrivers(outcome: "y")) {
                try KeyDriverAnalysis.analyze(survey, AnalysisConfiguration(outcome: "y", drivers: ["a", "y"]))
            }
        },
        Probe(name: "analyze: cancelled churn analysis throws ImportanceError.cancelled") {
            let survey = try SyntheticSurvey(respondents: 2_000, touchpoints: 12, seed: 2, outcome: .churn)
            var configuration = AnalysisConfiguration(outcome: "churn", drivers: survey.touchpointNames)
            configuration.methods = [.regression, .shapley]
            configuration.logisticWorkBudget = .infinity
            let token = CancellationToken()
            return Expect.error(ImportanceError.cancelled) {
                try KeyDriverAnalysis.analyze(survey.generate(), configuration, progress: { step, fraction in
                    if fraction > 0.02 { token.cancel() }
                }, cancellation: token)
            }
        },
    ]
}
