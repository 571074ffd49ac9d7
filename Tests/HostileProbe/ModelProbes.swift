import DriverAnalysis
import Foundation

/// Fits and predictions with ragged, empty, non-finite, out-of-scale and unseen input.
enum ModelProbes {
    typealias D = ProbeData

    static func linear() throws -> LinearRegression { try LinearRegression(outcome: D.y, drivers: [D.a, D.b], names: ["a", "b"]) }
    static func logistic() throws -> LogisticRegression { try LogisticRegression(outcome: D.churn, drivers: [D.a, D.b], names: ["a", "b"]) }
    static func ordinal() throws -> OrdinalRegression {
        try OrdinalRegression(outcome: D.a.map { ($0 / 2).rounded() }, drivers: [D.b, (0..<40).map { Double(($0 * 7) % 11) }], names: ["a", "b"])
    }

    /// A linear model of `y` on the factor `plan` (reference `basic`, the most frequent) and `x`.
    static func factorModel() throws -> (model: LinearRegression, data: SurveyData) {
        let codes: [Double] = (0..<30).map { [0, 0, 0, 1, 2][$0 % 5] }
        let x: [Double] = (0..<30).map { Double($0 % 7) }
        let y = zip(codes, x).map { 2 * $0 + $1 + Double(Int($1) % 3) }
        let data = try SurveyData(columns: [
            SurveyColumn(name: "y", position: 1, kind: .numeric, values: y, missingCount: 0),
            SurveyColumn(name: "plan", position: 2, kind: .categorical(levels: ["basic", "gold", "pro"]), values: codes, missingCount: 0),
            SurveyColumn(name: "x", position: 3, kind: .numeric, values: x, missingCount: 0),
        ])
        let configuration = AnalysisConfiguration(outcome: "y", drivers: ["plan", "x"])
        let design = try DriverDesign(data: data, selection: DriverSelection(data: data, configuration: configuration), configuration: configuration)
        return (try LinearRegression(design.sample), data)
    }

    static let all: [Probe] = [
        Probe(name: "predict(columns:) ragged, linear") {
            let model = try linear()
            return Expect.error(ModelError.dimensionMismatch("column 2 (b) has 1 values, the first has 3")) { try model.predict(columns: [[1, 2, 3], [1]]) }
        },
        Probe(name: "predict(columns:) ragged, logistic") {
            let model = try logistic()
            return Expect.error(ModelError.dimensionMismatch("column 2 (b) has 1 values, the first has 3")) { try model.predict(columns: [[1, 2, 3], [1]]) }
        },
        Probe(name: "predict(columns:) ragged, ordinal") {
            let model = try ordinal()
            return Expect.error(ModelError.dimensionMismatch("column 2 (b) has 0 values, the first has 2")) { try model.predict(columns: [[1, 2], []]) }
        },
        Probe(name: "predict(columns:) one column too many") {
            let model = try linear()
            return Expect.error(ModelError.dimensionMismatch("3 columns for the model's 2 terms")) { try model.predict(columns: [[1], [2], [3]]) }
        },
        Probe(name: "predict(rows:) ragged") {
            let model = try logistic()
            return Expect.error(ModelError.dimensionMismatch("row 2 has 1 values for the model's 2 terms (a, b)")) { try model.predict(rows: [[1, 2], [3]]) }
        },
        Probe(name: "predict(rows:) empty row") {
            let model = try ordinal()
            return Expect.error(ModelError.dimensionMismatch("row 1 has 0 values for the model's 2 terms (a, b)")) { try model.predict(rows: [[]]) }
        },
        Probe(name: "predict(_:) survey without a term's column") {
            let model = try linear()
            let survey = try SurveyData(columns: ["a": [1, 2]])
            return Expect.error(SurveyDataError.unknownColumn(name: "b", suggestions: ["a"])) { try model.predict(survey) }
        },
        Probe(name: "predict(_:) unseen factor level") {
            let (model, _) = try factorModel()
            let new = try SurveyData(columns: [
                SurveyColumn(name: "plan", position: 1, kind: .categorical(levels: ["basic", "platinum"]), values: [0, 1], missingCount: 0),
                SurveyColumn(name: "x", position: 2, kind: .numeric, values: [1, 2], missingCount: 0),
            ])
            return Expect.error(ModelError.unseenLevel(column: "plan", level: "platinum", knownLevels: ["basic", "gold", "pro"])) { try model.predict(new) }
        },
        Probe(name: "predict(_:) factor column given as numbers") {
            let (model, _) = try factorModel()
            let new = try SurveyData(columns: ["plan": [3], "x": [1]])
            return Expect.error(ModelError.unseenLevel(column: "plan", level: "3", knownLevels: ["basic", "gold", "pro"])) { try model.predict(new) }
        },
        Probe(name: "predict(_:) training rows equal fitted values") {
            let (model, data) = try factorModel()
            return Expect.holds("prediction = fitted") { zip(try model.predict(data), model.fittedValues).allSatisfy { abs($0 - $1) < 1e-10 } }
        },
        Probe(name: "linear: NaN outcome") {
            var y = D.y
            y[0] = .nan
            return Expect.error(ModelError.nonFinite(variable: "outcome", observation: 1)) { try LinearRegression(outcome: y, drivers: [D.a], names: ["a"]) }
        },
        Probe(name: "logistic: +inf driver") {
            var a = D.a
            a[1] = .infinity
            return Expect.error(ModelError.nonFinite(variable: "a", observation: 2)) { try LogisticRegression(outcome: D.churn, drivers: [a], names: ["a"]) }
        },
        Probe(name: "logistic: outcome 2") {
            var churn = D.churn
            churn[4] = 2
            return Expect.error(ModelError.outcomeNotBinary(value: 2, observation: 5)) { try LogisticRegression(outcome: churn, drivers: [D.a], names: ["a"]) }
        },
        Probe(name: "linear: values of 1e308") {
            let huge = D.a.map { $0 * 1e307 + 1e306 }
            return Expect.error(SurveyDataError.extremeScale(column: "a", magnitude: huge.max()!)) {
                try LinearRegression(outcome: D.y, drivers: [huge], names: ["a"])
            }
        },
        Probe(name: "linear: a name twice") {
            Expect.error(AnalysisError.duplicateDriver(name: "a", role: "driver")) { try LinearRegression(outcome: D.y, drivers: [D.a, D.b], names: ["a", "a"]) }
        },
        Probe(name: "linear: no observation") {
            Expect.error(ModelError.tooFewObservations(observations: 0, parameters: 1)) { try LinearRegression(outcome: [], drivers: [], names: []) }
        },
        Probe(name: "linear: fewer names than drivers") {
            Expect.error(ModelError.dimensionMismatch("2 drivers but 1 names")) { try LinearRegression(outcome: D.y, drivers: [D.a, D.b], names: ["a"]) }
        },
        Probe(name: "linear: driver shorter than the outcome") {
            Expect.error(ModelError.dimensionMismatch("driver 'a' has 3 values, the outcome 40")) { try LinearRegression(outcome: D.y, drivers: [[1, 2, 3]], names: ["a"]) }
        },
        Probe(name: "linear: negative weight") {
            var w = [Double](repeating: 1, count: 40)
            w[1] = -1
            return Expect.error(ModelError.invalidWeight(value: -1, observation: 2)) { try LinearRegression(outcome: D.y, drivers: [D.a], names: ["a"], weights: w) }
        },
        Probe(name: "ordinal: constant outcome") {
            Expect.error(ModelError.constantOutcome(value: 3)) { try OrdinalRegression(outcome: [3, 3, 3, 3], drivers: [[1, 2, 3, 4]], names: ["x"]) }
        },
        Probe(name: "coefficient(named:) unknown term") {
            let model = try linear()
            return Expect.error(ModelError.unknownTerm(name: "c", suggestions: ["(Intercept)", "a", "b"])) { try model.coefficient(named: "c") }
        },
    ]
}
