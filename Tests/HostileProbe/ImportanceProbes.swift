import DriverAnalysis
import Foundation
import LinearAlgebra

/// Importance, correlation, bootstrap, value and profile entry points with mismatched counts,
/// unknown names and out-of-range levels.
enum ImportanceProbes {
    typealias D = ProbeData

    static func input() throws -> ImportanceInput {
        try ImportanceInput(sample: AnalysisSample(outcome: (name: "y", values: D.y), drivers: [(name: "a", values: D.a), (name: "b", values: D.b)]))
    }

    static let all: [Probe] = [
        Probe(name: "RelativeWeights: fewer coefficients than names") {
            Expect.error(ImportanceError.dimensionMismatch("2 names need as many coefficients (1), standard deviations (1) and a correlation matrix of at least 2 × 2 (3 × 3)")) {
                try RelativeWeights(logisticCoefficients: [1], correlation: Matrix.identity(3), standardDeviations: [1], fittedCorrelation: 0.5, names: ["a", "b"])
            }
        },
        Probe(name: "Correlation.matrix: ragged columns (Pearson)") {
            Expect.error(ModelError.dimensionMismatch("column 2 has 1 values, the first has 3")) { try Correlation.matrix([[1, 2, 3], [1]]) }
        },
        Probe(name: "Correlation.matrix: ragged columns (Spearman, pairwise)") {
            Expect.error(ModelError.dimensionMismatch("column 2 has 1 values, the first has 3")) {
                try Correlation.matrix([[1, 2, 3], [1]], method: .spearman, missing: .pairwise)
            }
        },
        Probe(name: "Correlation.test: ragged") {
            Expect.error(ModelError.dimensionMismatch("3 and 1 values")) { try Correlation.test([1, 2, 3], [1]) }
        },
        Probe(name: "Bootstrap: a statistic whose length changes") {
            Expect.error(ImportanceError.dimensionMismatch("replicate 1 returned 1 statistics where the full sample gave 2")) {
                try Bootstrap(rowCount: 10, replicates: 5, seed: 1) { w in w.allSatisfy { $0 == 1 } ? [1, 2] : [1] }
            }
        },
        Probe(name: "Logistic importance bootstrap: negative replicates") {
            Expect.error(AnalysisError.invalidOption(option: "replicates", value: "-3", reason: "the bootstrap takes 0 to 100000 replicates")) {
                try LogisticDominance.bootstrapReplicates(outcome: D.churn, drivers: [D.a, D.b], names: ["a", "b"], replicates: -3)
            }
        },
        Probe(name: "Bootstrap: confidence level 2") {
            Expect.error(AnalysisError.invalidOption(option: "confidenceLevel", value: "2.0", reason: "a confidence level lies strictly between 0 and 1")) {
                try Bootstrap(rowCount: 10, replicates: 5, seed: 1, confidenceLevel: 2) { _ in [1] }
            }
        },
        Probe(name: "NPS: confidence level NaN") {
            Expect.error(AnalysisError.invalidOption(option: "confidenceLevel", value: "nan", reason: "a confidence level lies strictly between 0 and 1")) {
                try NetPromoterScore(answers: [9, 3, 10], confidenceLevel: .nan)
            }
        },
        Probe(name: "LifetimeValue: churn probability of 2") {
            Expect.error(CXError.invalidRetention(-1)) { try LifetimeValue(discountRate: 0.1).values(churnProbabilities: [2], margins: .constant(10)) }
        },
        Probe(name: "analyze(correlation:): Int.max respondents") {
            Expect.error(SurveyDataError.invalidMoments(reason: "9223372036854775807 respondents: the number of observations must be a count below 2^53")) {
                try KeyDriverAnalysis.analyze(correlation: Matrix(rows: [[1, 0.5], [0.5, 1]]), names: ["a", "y"], observations: Int.max, AnalysisConfiguration(outcome: "y"))
            }
        },
        Probe(name: "GroupImportance: unknown member") {
            Expect.error(ImportanceError.dimensionMismatch("group 'g': there is no driver 'zz'")) { try GroupImportance(input(), groups: [(name: "g", members: ["zz"])]) }
        },
        Probe(name: "controlling(for:): unknown control") {
            Expect.error(ImportanceError.dimensionMismatch("there is no control 'zz' among the variables")) { try input().controlling(for: ["zz"]) }
        },
        Probe(name: "SampledShapley: a player of an unknown driver") {
            Expect.error(ImportanceError.dimensionMismatch("every driver must belong to exactly one player")) { try SampledShapley(input(), players: [(name: "g", members: [7])]) }
        },
        Probe(name: "LogisticDominance: fewer names than drivers") {
            Expect.error(ModelError.dimensionMismatch("2 drivers but 1 names")) { try LogisticDominance(outcome: D.churn, drivers: [D.a, D.b], names: ["a"]) }
        },
        Probe(name: "PairwiseMoments: ragged") {
            Expect.error(SurveyDataError.columnLengthMismatch(column: "b", expected: 2, found: 1)) { try PairwiseMoments(names: ["a", "b"], columns: [[1, 2], [1]]) }
        },
        Probe(name: "Moments: merging different variables") {
            Expect.error(SurveyDataError.columnSetMismatch(missing: ["a"], extra: ["b"])) {
                try Moments(names: ["a"], columns: [[1, 2]]).merged(with: Moments(names: ["b"], columns: [[1, 2]]))
            }
        },
        Probe(name: "SurveyData.joined: no source") {
            Expect.error(ProfileError.noSources) { try SurveyData.joined([]) }
        },
        Probe(name: "RepeatedAnswerRule: a rule without its column") {
            Expect.error(AnalysisError.invalidOption(option: "repeated", value: "latest:", reason: "a rule is latest:DATECOL, earliest:DATECOL, first, last, mean or mean:DATECOL")) {
                try RepeatedAnswerRule(parsing: "latest:")
            }
        },
    ]
}
