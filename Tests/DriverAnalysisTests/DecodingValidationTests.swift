import DriverAnalysis
import Fixtures
import Foundation
import Testing

/// A decoded result is one a fit could have written, or a `DecodingError`: arrays that must run
/// side by side (intervals and coefficients, odds ratios and terms, a covariance and its terms,
/// dominance rows) are checked in `init(from:)`, so that printing or predicting with a decoded
/// value never indexes out of range.
@Suite("decoding validation")
struct DecodingValidationTests {
    /// The `debugDescription` of the `DecodingError.dataCorrupted` that decoding `object` throws,
    /// or a description of what happened instead.
    static func corruption<T: Decodable>(_ type: T.Type, _ object: Any) -> String {
        do {
            let data = try JSONSerialization.data(withJSONObject: object)
            _ = try JSONDecoder().decode(type, from: data)
            return "decoded"
        } catch let DecodingError.dataCorrupted(context) {
            return context.debugDescription
        } catch {
            return "\(error)"
        }
    }

    /// The document of `value` with every field, the per-observation arrays included (so that
    /// their checks can be corrupted too).
    static func json<T: Encodable>(_ value: T) throws -> [String: Any] {
        let encoder = JSONEncoder()
        encoder.userInfo[.modelObservations] = true
        return try #require(try JSONSerialization.jsonObject(with: encoder.encode(value)) as? [String: Any])
    }

    static let x: [Double] = (0..<40).map { Double($0 % 7) }
    static let z: [Double] = (0..<40).map { Double(($0 * 3) % 5) }

    @Test func aCoefficientTableNeedsOneIntervalPerCoefficient() throws {
        let y = zip(Self.x, Self.z).map { $0 - 0.5 * $1 + Double(Int($0 * 3) % 2) }
        let table = try LinearRegression(outcome: y, drivers: [Self.x, Self.z], names: ["x", "z"]).coefficientTable(level: 0.9)
        var object = try Self.json(table)
        let decoded = try JSONDecoder().decode(CoefficientTable.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(decoded.description == table.description)
        object["intervals"] = []
        // Was: decoded, then "Index out of range" when printed.
        #expect(Self.corruption(CoefficientTable.self, object) == "0 intervals for 3 coefficients: one interval per coefficient is needed")
    }

    @Test func aLinearModelMustHangTogether() throws {
        let y = zip(Self.x, Self.z).map { $0 - 0.5 * $1 + Double(Int($0 * 3) % 2) }
        let object = try Self.json(LinearRegression(outcome: y, drivers: [Self.x, Self.z], names: ["x", "z"]))
        func edited(_ key: String, _ value: Any) -> [String: Any] { var copy = object; copy[key] = value; return copy }
        var coefficients = try #require(object["coefficients"] as? [Any])
        coefficients.removeFirst()
        let cases: [([String: Any], String)] = [
            (edited("coefficients", coefficients), "the options have an intercept but the first term is not '(Intercept)'"),
            (edited("covariance", ["rows": 2, "columns": 2, "elements": [1, 0, 0, 1]]), "a 2 × 2 covariance for 3 terms"),
            (edited("standardized_coefficients", [0.5]), "1 standardized coefficients for 2 drivers"),
            (edited("vif", [Double]()), "0 variance inflation factors for 2 drivers"),
            (edited("residuals", [1.0]), "1 residuals for 40 fitted values"),
            (edited("n", -3), "a negative observation count (-3)"),
        ]
        for (document, message) in cases {
            #expect(Self.corruption(LinearRegression.self, document) == message)
        }
        #expect(Self.corruption(LinearRegression.self, object) == "decoded")
    }

    @Test func aLogisticModelMustHangTogether() throws {
        let churn = zip(Self.x, Self.z).enumerated().map { i, v in (v.0 + v.1 + Double(i % 3)) > 6 ? 1.0 : 0.0 }
        let object = try Self.json(LogisticRegression(outcome: churn, drivers: [Self.x, Self.z], names: ["x", "z"]))
        func edited(_ key: String, _ value: Any) -> [String: Any] { var copy = object; copy[key] = value; return copy }
        let cases: [([String: Any], String)] = [
            (edited("odds_ratios", [Double]()), "0 odds ratios for 3 terms"),
            (edited("odds_ratio_intervals", [[1.0, 2.0]]), "1 odds-ratio intervals for 3 terms"),
            (edited("covariance", ["rows": 0, "columns": 0, "elements": [Double]()]), "a 0 × 0 covariance for 3 terms"),
            (edited("iterations", -1), "a negative iteration count (-1)"),
        ]
        for (document, message) in cases {
            #expect(Self.corruption(LogisticRegression.self, document) == message)
        }
    }

    @Test func anOrdinalModelNeedsACutPointBetweenLevels() throws {
        let outcome = Self.x.map { ($0 / 2).rounded() }
        let object = try Self.json(OrdinalRegression(outcome: outcome, drivers: [Self.z], names: ["z"]))
        var fewer = object
        fewer["thresholds"] = []
        #expect(Self.corruption(OrdinalRegression.self, fewer) == "0 cut-points for 4 levels")
    }

    @Test func aReportsDominanceMatricesAreSquare() throws {
        let y = zip(Self.x, Self.z).map { $0 - 0.5 * $1 + Double(Int($0 * 3) % 2) }
        let report = try KeyDriverAnalysis.analyze(SurveyData(columns: ["y": y, "x": Self.x, "z": Self.z]), AnalysisConfiguration(outcome: "y"))
        var object = try Self.json(report)
        var dominance = try #require(object["dominance"] as? [String: Any])
        dominance["conditional"] = [[0.1, 0.2], [0.3]]
        object["dominance"] = dominance
        #expect(Self.corruption(DriverReport.self, object) == "dominance: row 2 of 'conditional' has 1 subset sizes for 2 players")
        dominance["conditional"] = [[0.1, 0.2], [0.3, 0.4]]
        dominance["complete"] = [Any]()
        object["dominance"] = dominance
        #expect(Self.corruption(DriverReport.self, object) == "dominance: 'complete' is not 2 × 2 like 'conditional'")
        var model = try #require(object["model"] as? [String: Any])
        model["n"] = -5
        object["model"] = model
        #expect(Self.corruption(DriverReport.self, object) == "missing or malformed 'model'")
    }

    @Test func imputationOptionsOutOfRangeDoNotDecode() throws {
        var object = try Self.json(ImputationOptions())
        object["imputations"] = 1
        #expect(Self.corruption(ImputationOptions.self, object)
                == "imputation option imputations = 1: Rubin's rules need at least 2 imputed datasets (20 is the default)")
        object["imputations"] = 20
        object["iterations"] = -4
        #expect(Self.corruption(ImputationOptions.self, object) == "imputation option iterations = -4: between 1 and 100 (mice's default is 5)")
        object["iterations"] = 5
        #expect(try JSONDecoder().decode(ImputationOptions.self, from: JSONSerialization.data(withJSONObject: object)) == ImputationOptions())
    }
}
