import DriverAnalysis
import Fixtures
import Foundation

/// Seeded mutants of valid documents — keys dropped, arrays emptied or cut, numbers replaced by
/// −1, 0, ±1e308, wrong types — decoded and then used: every mutant must either fail with a
/// `DecodingError` or decode into a value that prints, renders and predicts without a trap.
/// `HOSTILE_PROBE_MUTANTS` sets the number of mutants per document (default 300).
enum FuzzProbes {
    static let mutants = Int(ProcessInfo.processInfo.environment["HOSTILE_PROBE_MUTANTS"] ?? "") ?? 300

    /// A step into a JSON value: a key of an object or an index of an array.
    enum Step { case key(String), index(Int) }

    /// Every path to a value inside `value`.
    static func paths(_ value: Any, prefix: [Step] = []) -> [[Step]] {
        var out: [[Step]] = [prefix]
        if let object = value as? [String: Any] {
            for key in object.keys.sorted() { out += paths(object[key]!, prefix: prefix + [.key(key)]) }
        } else if let array = value as? [Any] {
            for (k, item) in array.enumerated() { out += paths(item, prefix: prefix + [.index(k)]) }
        }
        return out
    }

    /// `value` with the value at `path` replaced by `transform` of it (`nil`: removed).
    static func replacing(_ value: Any, at path: ArraySlice<Step>, _ transform: (Any) -> Any?) -> Any? {
        guard let step = path.first else { return transform(value) }
        switch step {
        case let .key(key):
            guard var object = value as? [String: Any], let inner = object[key] else { return value }
            object[key] = replacing(inner, at: path.dropFirst(), transform)
            return object
        case let .index(k):
            guard var array = value as? [Any], array.indices.contains(k) else { return value }
            if let new = replacing(array[k], at: path.dropFirst(), transform) { array[k] = new } else { array.remove(at: k) }
            return array
        }
    }

    /// One hostile replacement of `value`, chosen by `g`.
    static func hostile(_ value: Any, _ g: inout SplitMix) -> Any? {
        let choices: [Any?] = [nil, NSNull(), [Any](), [String: Any](), -1, 0, 1e308, -1e308, 4_503_599_627_370_497.0, "x", [-1, 1e308], [[Any]()]]
        if let array = value as? [Any], !array.isEmpty, g.next() % 3 == 0 {
            return g.next() % 2 == 0 ? Array(array.dropLast()) : array + array   // cut or doubled
        }
        return choices[Int(g.next() % UInt64(choices.count))]
    }

    /// `count` mutants of `document` (1–3 replacements each), seeded by `seed`.
    static func mutants(of document: [String: Any], count: Int, seed: UInt64) -> [Data] {
        var g = SplitMix(seed: seed)
        let all = paths(document).filter { !$0.isEmpty }
        return (0..<count).compactMap { _ in
            var value: Any = document
            for _ in 0...(g.next() % 3) {
                let path = all[Int(g.next() % UInt64(all.count))]
                value = replacing(value, at: path[...], { hostile($0, &g) }) ?? value
            }
            return try? JSONSerialization.data(withJSONObject: value)
        }
    }

    /// Decodes every mutant as `T`; a mutant that decodes is handed to `use`. Returns what went
    /// wrong: an error other than `DecodingError` from decoding, or an error from `use`.
    static func fuzz<T: Decodable>(_ type: T.Type, _ document: [String: Any], seed: UInt64, use: (T) throws -> Void) -> String? {
        var decoded = 0
        for (k, data) in mutants(of: document, count: mutants, seed: seed).enumerated() {
            say("  mutant \(k)")
            let value: T
            do {
                value = try JSONDecoder().decode(type, from: data)
            } catch is DecodingError {
                continue
            } catch {
                return "mutant \(k): \(Swift.type(of: error)) instead of DecodingError: \(error)"
            }
            decoded += 1
            do { try use(value) } catch { return "mutant \(k) decoded but failed in use: \(error)" }
        }
        say("  \(decoded) of \(mutants) mutants decoded and were used")
        return nil
    }

    /// A survey of 0–40 rows and 2–4 columns drawn from hostile values (NaN, ±inf, 1e308,
    /// subnormals, constants, few distinct values), and a configuration to analyse it with.
    static func hostileSurvey(_ g: inout SplitMix) throws -> (SurveyData, AnalysisConfiguration) {
        let palette: [Double] = [.nan, .infinity, -.infinity, 1e308, -1e308, Double.leastNonzeroMagnitude, 0, 1, 2, 3, 10, -1]
        let rows = Int(g.next() % 41), columns = 2 + Int(g.next() % 3)
        let names = (0..<columns).map { "c\($0)" }
        var data: [(name: String, values: [Double])] = []
        for name in names {
            let mode = g.next() % 4
            let values = (0..<rows).map { i -> Double in
                switch mode {
                case 0: return palette[Int(g.next() % UInt64(palette.count))]          // anything
                case 1: return Double(g.next() % 2)                                    // 0/1
                case 2: return Double(i % 7) + (g.next() % 9 == 0 ? .nan : 0)          // a rating with gaps
                default: return Double(g.next() % 11) * (g.next() % 17 == 0 ? 1e200 : 1)   // sometimes huge
                }
            }
            data.append((name: name, values: values))
        }
        var c = AnalysisConfiguration(outcome: g.next() % 8 == 0 ? "missing" : names[0])
        if g.next() % 2 == 0 { c.drivers = Array(names.dropFirst().prefix(1 + Int(g.next() % UInt64(columns - 1)))) }
        c.model = [.auto, .linear, .logistic, .ordinal][Int(g.next() % 4)]
        c.bootstrap = g.next() % 4 == 0 ? 5 : 0
        if g.next() % 5 == 0 { c.margin = .value(10) }
        return (try SurveyData(columns: data), c)
    }

    static let all: [Probe] = [
        Probe(name: "fuzz: hostile surveys analyse or throw a typed error") {
            var g = SplitMix(seed: 2029)
            var analysed = 0
            for k in 0..<mutants {
                say("  survey \(k)")
                let (survey, configuration) = try hostileSurvey(&g)
                do {
                    let report = try KeyDriverAnalysis.analyze(survey, configuration)
                    _ = report.description + report.html()
                    analysed += 1
                } catch is any DriverAnalysisError {
                    continue
                } catch {
                    return "survey \(k): \(type(of: error)) is not a DriverAnalysisError: \(error)"
                }
            }
            say("  \(analysed) of \(mutants) surveys analysed")
            return nil
        },
        Probe(name: "fuzz: decoded reports print and render") {
            let telco = try SurveyData.load(csv: FixtureData.url("telco/Telco-Customer-Churn.csv").path).rows(Array(0..<1_500))
            var configuration = AnalysisConfiguration(outcome: "Churn", drivers: ["Contract", "tenure", "SeniorCitizen", "PaperlessBilling"],
                                                      segment: "gender", bootstrap: 20, margin: .value(40))
            configuration.event = "Yes"
            let report = try KeyDriverAnalysis.analyze(telco, configuration)
            let document = try DecodingProbes.object(report)
            return fuzz(DriverReport.self, document, seed: 29) { decoded in
                _ = decoded.description + decoded.markdown() + decoded.csv() + decoded.html() + PriorityChart.svg(decoded) + decoded.json.rendered()
            }
        },
        Probe(name: "fuzz: decoded models print and predict") {
            let linear = try DecodingProbes.object(ModelProbes.factorModel().model)
            let logistic = try DecodingProbes.object(ModelProbes.logistic())
            let ordinal = try DecodingProbes.object(ModelProbes.ordinal())
            func use(_ model: any RegressionModel) throws {
                _ = model.description + model.coefficientTable(level: 0.5).description
                _ = model.confidenceIntervals(level: 0.9)
                _ = try model.predict(rows: [[Double](repeating: 1, count: model.driverNames.count)])
                _ = try JSONEncoder().encode(model)
            }
            return fuzz(LinearRegression.self, linear, seed: 1) { try use($0) }
                ?? fuzz(LogisticRegression.self, logistic, seed: 2) { try use($0) }
                ?? fuzz(OrdinalRegression.self, ordinal, seed: 3) { try use($0) }
        },
    ]
}
