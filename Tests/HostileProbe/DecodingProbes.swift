import DriverAnalysis
import Foundation
import LinearAlgebra

/// Documents no fit could have written: arrays that must run side by side but do not, negative
/// sizes, shapes that overflow. Each must fail to decode with its own message — and a value that
/// does decode must print and predict.
enum DecodingProbes {
    static func object<T: Encodable>(_ value: T) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: JSONEncoder().encode(value)) as? [String: Any] ?? [:]
    }

    static func decode<T: Decodable>(_ type: T.Type, _ object: Any) throws -> T {
        try JSONDecoder().decode(type, from: JSONSerialization.data(withJSONObject: object))
    }

    static func edited(_ object: [String: Any], _ key: String, _ value: Any) -> [String: Any] {
        var copy = object
        copy[key] = value
        return copy
    }

    static let all: [Probe] = [
        Probe(name: "CoefficientTable: no intervals") {
            let table = try object(ModelProbes.linear().coefficientTable())
            return Expect.corrupted("0 intervals for 3 coefficients: one interval per coefficient is needed") {
                try decode(CoefficientTable.self, edited(table, "intervals", [Any]())).description
            }
        },
        Probe(name: "LinearRegression: covariance of the wrong size") {
            let model = try object(ModelProbes.linear())
            return Expect.corrupted("a 1 × 1 covariance for 3 terms") {
                try decode(LinearRegression.self, edited(model, "covariance", ["rows": 1, "columns": 1, "elements": [1]]))
            }
        },
        Probe(name: "LinearRegression: negative n") {
            let model = try object(ModelProbes.linear())
            return Expect.corrupted("a negative observation count (-1)") { try decode(LinearRegression.self, edited(model, "n", -1)) }
        },
        Probe(name: "LogisticRegression: no odds ratios") {
            let model = try object(ModelProbes.logistic())
            return Expect.corrupted("0 odds ratios for 3 terms") { try decode(LogisticRegression.self, edited(model, "odds_ratios", [Any]())) }
        },
        Probe(name: "LogisticRegression: no terms at all") {
            let model = try object(ModelProbes.logistic())
            return Expect.corrupted("the options have an intercept but the first term is not '(Intercept)'") {
                try decode(LogisticRegression.self, edited(model, "coefficients", [Any]()))
            }
        },
        Probe(name: "OrdinalRegression: no cut-points") {
            let model = try object(ModelProbes.ordinal())
            return Expect.corrupted("0 cut-points for 4 levels") { try decode(OrdinalRegression.self, edited(model, "thresholds", [Any]())) }
        },
        Probe(name: "Matrix: negative rows") {
            Expect.corrupted("1 elements for a -1 × -1 matrix") { try decode(Matrix.self, ["rows": -1, "columns": -1, "elements": [1]]) }
        },
        Probe(name: "Matrix: rows × columns overflows") {
            Expect.corrupted("0 elements for a 9223372036854775807 × 2 matrix") { try decode(Matrix.self, ["rows": Int.max, "columns": 2, "elements": [Any]()]) }
        },
        Probe(name: "TermCoding: a dummy of no factor") {
            Expect.corrupted("the term 'plan[gold]' names no factor") {
                try decode(TermCoding.self, ["terms": [["column": "plan", "level": "gold"]], "factors": [Any]()])
            }
        },
        Probe(name: "LinearRegression: a factor coding that is not its terms") {
            let model = try object(ModelProbes.linear())
            let coding: [String: Any] = ["terms": [["column": "a"]], "factors": [Any]()]
            return Expect.corrupted("the coding's terms [\"a\"] are not the model's terms [\"a\", \"b\"]") {
                try decode(LinearRegression.self, edited(model, "design", coding))
            }
        },
        Probe(name: "DriverReport: ragged dominance") {
            let report = try object(AnalysisProbes.report())
            var dominance = report["dominance"] as? [String: Any] ?? [:]
            dominance["conditional"] = [[0.1, 0.2], [Any]()]
            return Expect.corrupted("dominance: row 2 of 'conditional' has 0 subset sizes for 2 players") {
                try decode(DriverReport.self, edited(report, "dominance", dominance))
            }
        },
        Probe(name: "DriverReport: negative n") {
            let report = try object(AnalysisProbes.report())
            var model = report["model"] as? [String: Any] ?? [:]
            model["n"] = -7
            return Expect.corrupted("missing or malformed 'model'") { try decode(DriverReport.self, edited(report, "model", model)) }
        },
        Probe(name: "DriverReport: empty drivers still print") {
            let report = try object(AnalysisProbes.report())
            let decoded = try decode(DriverReport.self, edited(report, "drivers", [Any]()))
            return Expect.holds("the report prints") { !decoded.description.isEmpty && !decoded.html().isEmpty && !PriorityChart.svg(decoded).isEmpty }
        },
        Probe(name: "NumberFormat.rankInterval: ranks of 1e300 from a corrupt document") {
            Expect.holds("shown, not converted to Int") { NumberFormat.rankInterval(ClosedInterval(lower: 1e300, upper: 1e300)) == "[1e+300, 1e+300]" }
        },
        Probe(name: "DriverReport: performance of ±1e308 draws a chart") {
            var report = try object(AnalysisProbes.report())
            var drivers = report["drivers"] as? [[String: Any]] ?? []
            for k in drivers.indices {
                drivers[k]["performance_percent"] = k == 0 ? 1e308 : -1e308
                drivers[k]["performance"] = 1e308
                drivers[k]["quadrant"] = "fix_first"
            }
            report["drivers"] = drivers
            let decoded = try decode(DriverReport.self, report)
            return Expect.holds("the chart and the page render") { PriorityChart.svg(decoded).contains("<svg") && decoded.html().contains("<html") }
        },
        Probe(name: "ImputationOptions: no imputation") {
            let options = try object(ImputationOptions())
            return Expect.corrupted("imputation option imputations = 0: Rubin's rules need at least 2 imputed datasets (20 is the default)") {
                try decode(ImputationOptions.self, edited(options, "imputations", 0))
            }
        },
        Probe(name: "AnalysisConfiguration: negative bootstrap decodes, then is refused") {
            let configuration = try object(AnalysisConfiguration(outcome: "y"))
            let decoded = try decode(AnalysisConfiguration.self, edited(configuration, "bootstrap", -5))
            let survey = try SurveyData(columns: ["y": ProbeData.y, "a": ProbeData.a])
            return Expect.error(AnalysisError.invalidOption(option: "bootstrap", value: "-5",
                                                            reason: "the number of replicates must be between 0 and \(AnalysisConfiguration.bootstrapLimit)")) {
                try KeyDriverAnalysis.analyze(survey, decoded)
            }
        },
    ]
}
