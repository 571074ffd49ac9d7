import DriverAnalysis
import Foundation
import LinearAlgebra

/// Surveys, samples, moments, matrices, generated surveys and the CX layer with impossible
/// shapes, indices, sizes and values.
enum DataProbes {
    typealias D = ProbeData

    static let all: [Probe] = [
        Probe(name: "rows(_:) index past the end") {
            let survey = try SurveyData(columns: ["a": [1, 2, 3]])
            return Expect.error(SurveyDataError.rowOutOfRange(index: 99, rowCount: 3)) { try survey.rows([0, 99]) }
        },
        Probe(name: "rows(_:) negative index") {
            let survey = try SurveyData(columns: ["a": [1, 2, 3]])
            return Expect.error(SurveyDataError.rowOutOfRange(index: -1, rowCount: 3)) { try survey.rows([-1]) }
        },
        Probe(name: "SurveyData: columns of different lengths") {
            Expect.error(SurveyDataError.columnLengthMismatch(column: "b", expected: 2, found: 1)) { try SurveyData(columns: ["a": [1, 2], "b": [1]]) }
        },
        Probe(name: "a category code of 1e300 is refused when the survey is built") {
            Expect.error(SurveyDataError.unusableFactor(column: "segment", reason: "row 3 holds the code 1e+300, which is not one of the codes 0–1 of its 2 levels")) {
                try SurveyData(columns: [SurveyColumn(name: "segment", position: 1, kind: .categorical(levels: ["a", "b"]),
                                                      values: [0, 1e300, 1, .nan], missingCount: 1)])
            }
        },
        Probe(name: "AnalysisSample: ragged columns") {
            Expect.error(SurveyDataError.columnLengthMismatch(column: "a", expected: 40, found: 2)) {
                try AnalysisSample(outcome: (name: "y", values: D.y), drivers: [(name: "a", values: [1, 2])])
            }
        },
        Probe(name: "AnalysisSample: NaN") {
            var a = D.a
            a[1] = .nan
            return Expect.error(SurveyDataError.nonFinite(path: "<memory>", row: 3, column: "a", value: "nan")) {
                try AnalysisSample(outcome: (name: "y", values: D.y), drivers: [(name: "a", values: a)])
            }
        },
        Probe(name: "sample: outcome among the drivers") {
            let survey = try SurveyData(columns: ["y": D.y, "a": D.a])
            return Expect.error(AnalysisError.outcomeAmongDrivers(outcome: "y")) { try survey.sample(outcome: "y", drivers: ["y", "a"]) }
        },
        Probe(name: "sample: no rows") {
            let survey = try SurveyData(columns: ["y": [], "a": []])
            return Expect.error(SurveyDataError.allMissing(column: "a")) { try survey.sample(outcome: "y", drivers: ["a"]) }
        },
        Probe(name: "Moments: NaN") {
            var a = D.a
            a[2] = .nan
            return Expect.error(SurveyDataError.nonFinite(path: "<memory>", row: 4, column: "a", value: "nan")) { try Moments(names: ["a", "y"], columns: [a, D.y]) }
        },
        Probe(name: "Moments: -inf") {
            var a = D.a
            a[0] = -.infinity
            return Expect.error(SurveyDataError.nonFinite(path: "<memory>", row: 2, column: "a", value: "-inf")) { try Moments(names: ["a"], columns: [a]) }
        },
        Probe(name: "Moments: 1e308") {
            let huge = D.a.map { $0 * 1e307 + 1e306 }
            return Expect.error(SurveyDataError.extremeScale(column: "a", magnitude: huge.max()!)) { try Moments(names: ["a", "y"], columns: [huge, D.y]) }
        },
        Probe(name: "Moments: fewer names than columns") {
            Expect.error(SurveyDataError.invalidMoments(reason: "1 names but 2 columns")) { try Moments(names: ["a"], columns: [D.a, D.y]) }
        },
        Probe(name: "Moments: negative count from a warehouse") {
            Expect.error(SurveyDataError.invalidMoments(reason: "the row count and weight sum must be positive (got -5, 10.0)")) {
                try Moments(names: ["a"], count: -5, weightSum: 10, means: [1], crossProducts: Matrix(rows: 1, columns: 1, repeating: 2))
            }
        },
        Probe(name: "Matrix: negative rows") {
            Expect.error(LinearAlgebraError.dimensionMismatch(operation: "Matrix(rows:columns:repeating:)", expected: "non-negative dimensions", actual: "-1 × 2")) {
                try Matrix(rows: -1, columns: 2)
            }
        },
        Probe(name: "Matrix: identity(-4)") {
            Expect.error(LinearAlgebraError.dimensionMismatch(operation: "Matrix(rows:columns:repeating:)", expected: "non-negative dimensions", actual: "-4 × -4")) {
                try Matrix.identity(-4)
            }
        },
        Probe(name: "Matrix: element count overflows Int") {
            Expect.error(LinearAlgebraError.dimensionTooLarge(Int.max)) { try Matrix(rows: Int.max, columns: 2, columnMajor: []) }
        },
        Probe(name: "Matrix: selecting a column out of range") {
            let m = try Matrix(rows: [[1, 2]])
            return Expect.error(LinearAlgebraError.dimensionMismatch(operation: "Matrix.selectingColumns(_:)", expected: "column indices in 0..<2", actual: "index -1")) {
                try m.selectingColumns([-1])
            }
        },
        Probe(name: "SyntheticSurvey: zero touchpoints") {
            Expect.error(AnalysisError.invalidOption(option: "touchpoints", value: "0", reason: "a survey needs at least 1 touchpoint")) {
                try SyntheticSurvey(respondents: 10, touchpoints: 0)
            }
        },
        Probe(name: "SyntheticSurvey: negative respondents") {
            Expect.error(AnalysisError.invalidOption(option: "respondents", value: "-10", reason: "a survey has 0 to 2^53 respondents")) {
                try SyntheticSurvey(respondents: -10, touchpoints: 3)
            }
        },
        Probe(name: "NPS: fewer weights than answers") {
            Expect.error(CXError.dimensionMismatch("1 weights for 3 answers")) { try NetPromoterScore(answers: [9, 10, 3], weights: [1]) }
        },
        Probe(name: "NPS: fewer row numbers than answers") {
            Expect.error(CXError.dimensionMismatch("2 row numbers for 3 answers")) { try NetPromoterScore(answers: [9, 10, 3], rows: [2, 3]) }
        },
        Probe(name: "NPS: an answer of 11") {
            Expect.error(CXError.invalidRecommendation(value: 11, row: 3)) { try NetPromoterScore(answers: [9, 11]) }
        },
        Probe(name: "NPS: no answer") {
            Expect.error(CXError.empty("no likelihood-to-recommend answers")) { try NetPromoterScore(answers: []) }
        },
        Probe(name: "LifetimeValue: discount rate −1") {
            Expect.error(CXError.invalidDiscountRate(-1)) { try LifetimeValue(discountRate: -1) }
        },
        Probe(name: "PriorityMatrix: counts differ") {
            Expect.error(CXError.dimensionMismatch("2 names, 1 importances, 2 rating columns")) {
                try PriorityMatrix(names: ["a", "b"], importance: [1], ratings: [D.a, D.b], scale: 0...10)
            }
        },
        Probe(name: "WhatIf.churn: fewer scale tops than drivers") {
            let model = try ModelProbes.logistic()
            return Expect.error(CXError.dimensionMismatch("1 scale tops for 2 drivers")) {
                try WhatIf.churn(model: model, drivers: [D.a, D.b], scenario: .raise(by: 1), scale: 0...10, margin: .constant(10),
                                 lifetime: LifetimeValue(discountRate: 0.1), tops: [10])
            }
        },
        Probe(name: "WhatIfLever: a term out of range") {
            let lever = WhatIfLever(driver: "a", move: .raise(term: 5, by: 1, top: 10))
            return Expect.error(CXError.dimensionMismatch("the lever on 'a' names term 5, but there are 2 columns")) { try lever.apply(to: [D.a, D.b]) }
        },
        Probe(name: "WhatIfLever: a level out of range") {
            let lever = WhatIfLever(driver: "plan", move: .level(terms: [0, 1], from: nil, to: 7))
            return Expect.error(CXError.dimensionMismatch("the lever on 'plan' moves to or from level 7, but the factor has 2 dummies")) {
                try lever.apply(to: [D.a, D.b])
            }
        },
        Probe(name: "WhatIf.levers: margin term out of range") {
            let model = try ModelProbes.linear()
            return Expect.error(CXError.dimensionMismatch("the margin term 9 is not one of the 2 columns")) {
                try WhatIf.levers(model: model, drivers: [D.a, D.b], levers: [], marginTerm: 9)
            }
        },
        Probe(name: "ImportanceInput: matrix smaller than the names") {
            Expect.error(ImportanceError.dimensionMismatch("a 2 × 2 matrix for 3 names")) {
                try ImportanceInput(correlation: Matrix.identity(2), names: ["a", "b", "y"], outcome: "y")
            }
        },
        Probe(name: "ImportanceInput: an infinite covariance") {
            var m = try Matrix.identity(2)
            m[0, 1] = .infinity
            return Expect.error(LinearAlgebraError.nonFinite(operation: "ImportanceInput(correlation:names:outcome:) ('a', 'y')", row: 0, column: 1)) {
                try ImportanceInput(correlation: m, names: ["a", "y"], outcome: "y")
            }
        },
        Probe(name: "DominanceAnalysis: a million names and no fits") {
            Expect.error(ImportanceError.dimensionMismatch("0 subset fits for 1000000 drivers")) {
                try DominanceAnalysis(names: (0..<1_000_000).map { "d\($0)" }, fits: [])
            }
        },
        Probe(name: "Bootstrap: a billion replicates") {
            Expect.error(ImportanceError.dimensionMismatch("1000000000 bootstrap replicates: the number must lie between 0 and \(Bootstrap.maximumReplicates)")) {
                try Bootstrap(rowCount: 10, replicates: 1_000_000_000, seed: 1) { _ in [1] }
            }
        },
    ]
}
