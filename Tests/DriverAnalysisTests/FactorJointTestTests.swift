@testable import DriverAnalysis
import Fixtures
import Foundation
import Testing

/// Type II joint tests of factors against statsmodels (`Tests/Fixtures/Scripts/factor_tests.py`):
/// likelihood-ratio tests in a churn model, F tests in a linear one, on the bundled Telco file.
@Suite("Joint tests of factors")
struct FactorJointTestTests {
    static func reference() throws -> [String: Any] {
        let data = try Data(contentsOf: FixtureData.url("factor_tests/telco.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test(arguments: ["logistic", "linear"])
    func matchStatsmodels(_ kind: String) throws {
        let block = try #require(try Self.reference()[kind] as? [String: Any])
        let drivers = try #require(block["drivers"] as? [String])
        var configuration = AnalysisConfiguration(outcome: try #require(block["outcome"] as? String), drivers: drivers,
                                                  event: block["event"] as? String)
        configuration.model = kind == "linear" ? .linear : .logistic
        configuration.methods = [.regression]
        let report = try KeyDriverAnalysis.analyze(try SurveyData.load(csv: FixtureData.url("telco/Telco-Customer-Churn.csv").path), configuration)
        let tests = try #require(block["tests"] as? [String: [String: Double]])
        for (factor, expected) in tests {
            let test = try #require(report.driver(named: factor)?.jointTest, "\(factor)")
            #expect(test.kind == (kind == "linear" ? .f : .likelihoodRatio))
            #expect(Double(test.degreesOfFreedom) == expected["df"])
            // The statistics are differences of two fits converged to 1e-8 (R's deviance rule) in
            // log-likelihood units of thousands: 1e-6 relative.
            expectClose(test.statistic, expected["statistic"] ?? .nan, relative: 1e-6, "\(kind) \(factor)")
            if let p = expected["p_value"], p > 1e-300 { expectClose(test.pValue, p, relative: 1e-4, "\(kind) \(factor) p") }
            if let df = expected["df_residual"] { #expect(test.residualDegreesOfFreedom == df) }
        }
        // The significance rule of the action order reads the joint test: PaymentMethod's F test
        // in the linear model is not significant even if a level's coefficient were.
        if kind == "linear" {
            let payment = try #require(report.driver(named: "PaymentMethod"))
            #expect(!ActionOrder.isSignificant(payment))
        }
    }
}
