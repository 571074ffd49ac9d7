@testable import DriverAnalysis
import Fixtures
import Foundation
import LinearAlgebra
import Testing

/// VIF and generalized VIF (Fox & Monette 1992) against R's `car::vif` (fixture `vif_telco.json`,
/// `Tests/Fixtures/Scripts/vif.R`): a Telco churn model with three factors, fitted as logistic and
/// as a linear probability model, and the same model with an aliased term, which `car` refuses.
@Suite("Variance inflation against car::vif")
struct VarianceInflationTests {
    static let telco = "telco/Telco-Customer-Churn.csv"

    static func report(_ drivers: [String], model: AnalysisConfiguration.ModelChoice) throws -> DriverReport {
        var configuration = AnalysisConfiguration(outcome: "Churn", drivers: drivers, event: "Yes")
        configuration.model = model
        configuration.methods = [.regression]
        return try KeyDriverAnalysis.analyze(try SurveyData.load(csv: FixtureData.url(telco).path), configuration)
    }

    @Test(arguments: [AnalysisConfiguration.ModelChoice.logistic, .linear])
    func matchesCar(_ model: AnalysisConfiguration.ModelChoice) throws {
        let ref = try ReferenceValues("vif_telco")
        let terms = ref.strings("terms")
        let report = try Self.report(terms, model: model)
        #expect(report.model.observationCount == Int(ref.number("n")))
        let prefix = model == .logistic ? "logistic" : "linear"
        let gvif = ref.numbers("\(prefix)_gvif"), adjusted = ref.numbers("\(prefix)_gvif_adjusted"), df = ref.numbers("df")
        for (k, name) in terms.enumerated() {
            let row = try #require(report.driver(named: name))
            let v = try #require(row.varianceInflation, "\(name)")
            #expect(!v.isAliased)
            #expect(Double(v.degreesOfFreedom) == df[k], "\(name)")
            // Linear: both sides invert the same centred cross-product by QR; its condition number
            // is about the largest GVIF (~20) times the spread of the factors' blocks, so 1e-10
            // covers it with a wide margin. Logistic: the estimates are converged to ~1e-10 of the
            // MLE (R's deviance rule at 1e-8 here, 1e-14 in R), which moves the weights μ(1 − μ)
            // and so the covariance by about as much, amplified by the conditioning of R (≤ 100): 1e-8.
            let tolerance = model == .linear ? 1e-10 : 1e-8
            expectClose(v.value, gvif[k], relative: tolerance, "\(prefix) \(name) GVIF")
            expectClose(v.adjusted, adjusted[k], relative: tolerance, "\(prefix) \(name) GVIF^(1/(2df))")
            if v.degreesOfFreedom == 1 {
                expectClose(try #require(row.vif), gvif[k], relative: tolerance, "\(name) VIF")
            } else {
                #expect(row.vif == nil, "a factor has a GVIF, not a VIF")
            }
        }
        // The multicollinearity notes read the (G)VIF of every model kind: TotalCharges ≈ tenure ×
        // MonthlyCharges is above 10 in both fits.
        let note = try #require(report.warnings.first { $0.code.rawValue == "vif_high" })
        #expect(note.message.contains("TotalCharges"))
        #expect(!note.message.contains("Contract"))
    }

    /// R's `car::vif` stops at an aliased coefficient; here the aliased term is infinite and
    /// marked, the others are the formula on the estimable columns (R by hand), and a note says so.
    @Test func aliasedTermIsInfiniteWithANote() throws {
        let ref = try ReferenceValues("vif_telco")
        #expect(ref.provenance.contains("there are aliased coefficients in the model"))
        let terms = ref.strings("aliased_model_terms")
        let report = try Self.report(terms, model: .logistic)
        let expected = ref.numbers("aliased_model_gvif"), aliased = ref.numbers("aliased_model_term_aliased")
        for (k, name) in terms.enumerated() {
            let row = try #require(report.driver(named: name))
            let v = try #require(row.varianceInflation)
            #expect(Double(v.degreesOfFreedom) == ref.numbers("aliased_model_df")[k])
            if aliased[k] == 1 {
                #expect(v.isAliased && v.value == .infinity && v.adjusted == .infinity, "\(name)")
                #expect(row.vif == nil)
                let json = DriverReport.driverJSON(row)
                #expect(json["gvif"]?["aliased"]?.bool == true)
                #expect(json["gvif"]?["value"] == .null)
            } else {
                expectClose(v.value, expected[k], relative: 1e-8, "\(name)")
            }
        }
        let note = try #require(report.warnings.first { $0.code.rawValue == "aliased_drivers" })
        #expect(note.message.contains("OnlineSecurity[No internet service]") && note.message.contains("infinite"))
    }

    /// The GVIF does not depend on how a factor is coded: another reference level, the same value.
    /// Rescaling a driver changes nothing either; one-column GVIFs are the linear model's VIFs.
    @Test func invariances() throws {
        let data = try SurveyData.load(csv: FixtureData.url(Self.telco).path)
        var configuration = AnalysisConfiguration(outcome: "Churn", drivers: ["tenure", "MonthlyCharges", "Contract", "PaymentMethod"], event: "Yes")
        configuration.methods = [.regression]
        let base = try KeyDriverAnalysis.analyze(data, configuration)
        configuration.references = [.init(column: "PaymentMethod", level: "Mailed check"), .init(column: "Contract", level: "Two year")]
        let releveled = try KeyDriverAnalysis.analyze(data, configuration)
        for name in ["tenure", "MonthlyCharges", "Contract", "PaymentMethod"] {
            let a = try #require(base.driver(named: name)?.varianceInflation), b = try #require(releveled.driver(named: name)?.varianceInflation)
            // Two reparameterizations of one fit, each converged to ~1e-10: 1e-8.
            expectClose(b.value, a.value, relative: 1e-8, name)
        }
        let x1: [Double] = (0..<200).map { Double($0 % 17) }
        let x2: [Double] = (0..<200).map { (i: Int) -> Double in Double((i * 7) % 13) + 0.3 * Double(i % 17) }
        let y: [Double] = (0..<200).map { (i: Int) -> Double in Double((i * 11) % 19) }
        let fit = try LinearRegression(outcome: y, drivers: [x1, x2], names: ["a", "b"])
        let inflation = try fit.varianceInflation()
        for j in 0..<2 { expectClose(inflation[j].value, fit.varianceInflationFactors[j], relative: 1e-12) }
        let scaled = try LinearRegression(outcome: y, drivers: [x1.map { 1000 * $0 }, x2], names: ["a", "b"]).varianceInflation()
        for j in 0..<2 { expectClose(scaled[j].value, inflation[j].value, relative: 1e-12) }
    }

    /// The formula itself on a hand-made covariance: two terms, one of two columns.
    @Test func foxMonetteByHand() throws {
        // Correlation of three estimates; term A = {0, 1}, term B = {2}.
        let r = try Matrix(rows: [[1, 0.5, 0.2], [0.5, 1, -0.3], [0.2, -0.3, 1]])
        let v = try VarianceInflation.generalized(covariance: r, terms: [[0, 1], [2]])
        let detR: Double = 1 + 2 * 0.5 * 0.2 * -0.3 - 0.25 - 0.04 - 0.09
        expectClose(v[0].value, (1 - 0.25) * 1 / detR, relative: 1e-14)
        expectClose(v[1].value, 1 * (1 - 0.25) / detR, relative: 1e-14)
        expectClose(v[0].adjusted, pow(v[0].value, 0.25), relative: 1e-14)
        // A NaN diagonal marks an aliased column: its term is infinite, the rest computed without it.
        var aliased = try Matrix(rows: 4, columns: 4, repeating: .nan)
        for a in 0..<3 { for b in 0..<3 { aliased[a, b] = r[a, b] } }
        let w = try VarianceInflation.generalized(covariance: aliased, terms: [[0, 1], [2, 3]])
        #expect(!w[0].isAliased && w[1].isAliased && w[1].value == .infinity)
        expectClose(w[0].value, v[0].value, relative: 1e-14)   // column 3 left out, column 2 still among the others
        expectClose(try VarianceInflation.generalized(covariance: r, terms: [[0, 1, 2]])[0].value, 1, relative: 1e-14)   // no others: 1
        let data = try JSONEncoder().encode(w)
        #expect(try JSONDecoder().decode([VarianceInflation].self, from: data) == w)
    }
}
