@testable import DriverAnalysis
import Fixtures
import Foundation
import Testing

/// LinearRegression against R 4.2.2 `lm`/`summary.lm`/`confint`/`logLik`/`AIC`/`BIC` and
/// statsmodels 0.15.0 (HC0–HC3), fixtures in `Tests/Fixtures/Data/models`.
@Suite("Linear regression against R and statsmodels")
struct LinearRegressionTests {
    /// 1e-9 relative: the tolerance for well-conditioned problems (κ of these designs
    /// with unit columns is below 100). p-values use an absolute floor of 1e-300.
    static let tolerance = 1e-9

    static func check(_ fit: LinearRegression, against ref: ReferenceValues, sourceLocation: SourceLocation = #_sourceLocation) {
        // R's make.names turns spaces into dots.
        let rNames = fit.coefficients.map { $0.name == "(Intercept)" ? $0.name : String($0.name.map { $0.isLetter || $0.isNumber ? $0 : "." }) }
        #expect(rNames == ref.strings("terms"), sourceLocation: sourceLocation)
        let t = Self.tolerance
        for (k, c) in fit.coefficients.enumerated() {
            expectClose(c.estimate, ref.numbers("estimate")[k], relative: t, "\(ref.name) \(c.name) estimate", sourceLocation: sourceLocation)
            expectClose(c.standardError, ref.numbers("std_error")[k], relative: t, "\(c.name) SE", sourceLocation: sourceLocation)
            expectClose(c.statistic, ref.numbers("statistic")[k], relative: t, "\(c.name) t", sourceLocation: sourceLocation)
            expectClose(c.pValue, ref.numbers("p_value")[k], relative: 1e-8, absolute: 1e-300, "\(c.name) p", sourceLocation: sourceLocation)
            expectClose(c.confidenceInterval.lower, ref.numbers("ci_lower")[k], relative: t, "\(c.name) CI", sourceLocation: sourceLocation)
            expectClose(c.confidenceInterval.upper, ref.numbers("ci_upper")[k], relative: t, "\(c.name) CI", sourceLocation: sourceLocation)
        }
        expectClose(fit.rSquared, ref.number("r_squared"), relative: t, "R²", sourceLocation: sourceLocation)
        expectClose(fit.adjustedRSquared, ref.number("adjusted_r_squared"), relative: t, "adj R²", sourceLocation: sourceLocation)
        if !ref.number("f_statistic").isNaN {
            expectClose(fit.fStatistic, ref.number("f_statistic"), relative: t, "F", sourceLocation: sourceLocation)
            expectClose(fit.fPValue, ref.number("f_p_value"), relative: 1e-8, absolute: 1e-300, "F p", sourceLocation: sourceLocation)
        }
        expectClose(fit.residualStandardError, ref.number("sigma"), relative: t, "σ", sourceLocation: sourceLocation)
        expectClose(fit.residualDegreesOfFreedom, ref.number("df_residual"), relative: 0, sourceLocation: sourceLocation)
        expectClose(fit.logLikelihood, ref.number("log_likelihood"), relative: t, "logLik", sourceLocation: sourceLocation)
        expectClose(fit.aic, ref.number("aic"), relative: t, "AIC", sourceLocation: sourceLocation)
        expectClose(fit.bic, ref.number("bic"), relative: t, "BIC", sourceLocation: sourceLocation)
        for (k, v) in ref.numbers("vif").enumerated() where !v.isNaN {
            expectClose(fit.varianceInflationFactors[k], v, relative: 1e-8, "VIF", sourceLocation: sourceLocation)
        }
    }

    static func load(_ path: String) throws -> SurveyData { try SurveyData.load(csv: FixtureData.url(path).path) }

    @Test func yellowPagesCollinearSurvey() throws {
        let data = try Self.load("yellow-pages/customerSat.csv")
        let drivers = (2...10).map { "q\($0)" }
        let fit = try LinearRegression(data.sample(outcome: "q1", drivers: drivers))
        Self.check(fit, against: try ReferenceValues("lm_yellow_pages"))
        let hc = try ReferenceValues("hc_yellow_pages")
        for type in [LinearRegression.CovarianceType.hc0, .hc1, .hc2, .hc3] {
            let robust = try LinearRegression(data.sample(outcome: "q1", drivers: drivers), options: .init(covariance: type))
            for (k, c) in robust.coefficients.enumerated() {
                expectClose(c.standardError, hc.numbers(type.rawValue)[k], relative: 1e-9, "\(type) \(c.name)")
            }
        }
    }

    @Test func ecsiMobileOrdinaryWeightedAndThroughTheOrigin() throws {
        let data = try Self.load("ecsi-mobi/mobi.csv")
        let drivers = ["PERQ1", "PERQ2", "PERQ3", "PERQ4", "PERQ5", "PERQ6", "PERQ7", "PERV1", "PERV2"]
        Self.check(try LinearRegression(data.sample(outcome: "CUSA1", drivers: drivers)), against: try ReferenceValues("lm_mobi"))
        let weighted = try data.sample(outcome: "CUSA1", drivers: ["PERQ1", "PERV1", "IMAG1"], weight: "CUEX1")
        Self.check(try LinearRegression(weighted), against: try ReferenceValues("lm_mobi_weighted"))
        let origin = try LinearRegression(data.sample(outcome: "CUSA1", drivers: ["PERQ1", "PERV1"]), options: .init(intercept: false))
        Self.check(origin, against: try ReferenceValues("lm_mobi_no_intercept"))
        let hc = try ReferenceValues("hc_mobi")
        let robust = try LinearRegression(data.sample(outcome: "CUSA1", drivers: drivers), options: .init(covariance: .hc3))
        for (k, c) in robust.coefficients.enumerated() { expectClose(c.standardError, hc.numbers("hc3")[k], relative: 1e-9) }
    }

    @Test(.enabled(if: SharedData.path("airline-passenger-satisfaction/test.csv") != nil,
                   "needs ../shared/data (the airline data has no licence for bundling)"))
    func airlineSatisfaction() throws {
        let data = try SurveyData.load(csv: SharedData.path("airline-passenger-satisfaction/test.csv")!)
        let fit = try LinearRegression(data.sample(
            outcome: "Inflight entertainment", drivers: ["Seat comfort", "Food and drink", "Cleanliness", "Inflight wifi service"]))
        Self.check(fit, against: try ReferenceValues("lm_airline"))
    }

    @Test func aliasedDriverIsReportedLikeR() throws {
        let x1: [Double] = [1, 2, 3, 4, 5, 6, 7, 8], x2: [Double] = [2, 1, 4, 3, 6, 5, 8, 7]
        let x3 = zip(x1, x2).map { $0 + $1 }
        let y: [Double] = [3, 2, 6, 5, 9, 9, 13, 12]
        let fit = try LinearRegression(outcome: y, drivers: [x1, x2, x3], names: ["a", "b", "a_plus_b"])
        #expect(fit.aliasedTerms == ["a_plus_b"])
        let c = fit.coefficients[3]
        #expect(c.isAliased && c.estimate.isNaN && c.standardError.isNaN && c.pValue.isNaN)
        #expect(fit.coefficients[1].estimate.isFinite)
        expectClose(fit.residualDegreesOfFreedom, 5, relative: 0)
    }

    @Test func scalingADriverRescalesOnlyItsCoefficient() throws {
        let data = try Self.load("ecsi-mobi/mobi.csv")
        let sample = try data.sample(outcome: "CUSA1", drivers: ["PERQ1", "PERV1", "IMAG1"])
        let base = try LinearRegression(sample)
        var drivers = sample.drivers
        drivers[1] = drivers[1].map { $0 * 10 }
        let scaled = try LinearRegression(outcome: sample.outcome, drivers: drivers, names: sample.driverNames)
        expectClose(scaled.coefficients[2].estimate, base.coefficients[2].estimate / 10, relative: 1e-12)
        expectClose(scaled.coefficients[2].pValue, base.coefficients[2].pValue, relative: 1e-10)
        expectClose(scaled.coefficients[1].estimate, base.coefficients[1].estimate, relative: 1e-12)
        expectClose(scaled.rSquared, base.rSquared, relative: 1e-13)
        // Permuting drivers permutes the results.
        let permuted = try LinearRegression(outcome: sample.outcome, drivers: sample.drivers.reversed(), names: sample.driverNames.reversed())
        for (k, name) in sample.driverNames.enumerated() {
            let a = base.coefficients[k + 1], b = permuted.coefficients.first { $0.name == name }!
            expectClose(a.estimate, b.estimate, relative: 1e-12)
            expectClose(a.standardError, b.standardError, relative: 1e-12)
        }
        // Prediction reproduces the fitted values.
        let predicted = try base.predict(columns: sample.drivers)
        for i in 0..<10 { expectClose(predicted[i], base.fittedValues[i], relative: 1e-14) }
        expectClose(base.standardizedCoefficients.count == 3 ? 1 : 0, 1, relative: 0)
        #expect(base.conditionNumber > 1 && base.conditionNumber < 100)
    }

    @Test func badInputIsATypedError() throws {
        #expect(throws: ModelError.constantOutcome(value: 2)) {
            try LinearRegression(outcome: [2, 2, 2, 2], drivers: [[1, 2, 3, 4]], names: ["x"])
        }
        #expect(throws: ModelError.tooFewObservations(observations: 3, parameters: 3)) {
            try LinearRegression(outcome: [1, 2, 3], drivers: [[1, 2, 4], [3, 1, 2]], names: ["a", "b"])
        }
        #expect(throws: ModelError.allDriversAliased(drivers: ["one", "two"])) {
            try LinearRegression(outcome: [1, 2, 3, 5], drivers: [[1, 1, 1, 1], [2, 2, 2, 2]], names: ["one", "two"])
        }
        #expect(throws: ModelError.nonFinite(variable: "x", observation: 2)) {
            try LinearRegression(outcome: [1, 2, 3, 5], drivers: [[1, .infinity, 1, 1]], names: ["x"])
        }
        #expect(throws: ModelError.invalidWeight(value: -1, observation: 1)) {
            try LinearRegression(outcome: [1, 2, 3, 5], drivers: [[1, 3, 2, 1]], names: ["x"], weights: [-1, 1, 1, 1])
        }
    }
}

@Suite("Breusch–Pagan")
struct BreuschPaganTests {
    @Test func matchesStatsmodels() throws {
        let ref = try ReferenceValues("bp_mobi")
        let data = try SurveyData.load(csv: FixtureData.url("ecsi-mobi/mobi.csv").path)
        let drivers = ["PERQ1", "PERQ2", "PERQ3", "PERQ4", "PERQ5", "PERQ6", "PERQ7", "PERV1", "PERV2"]
        let sample = try data.sample(outcome: "CUSA1", drivers: drivers)
        let fit = try LinearRegression(sample)
        let test = try Heteroscedasticity.breuschPagan(residuals: fit.residuals, drivers: sample.drivers)
        expectClose(test.statistic, ref.number("lm"), relative: 1e-9)
        expectClose(test.pValue, ref.number("p_value"), relative: 1e-8)
        #expect(test.degreesOfFreedom == 9)
        // The analysis reuses the model's (XᵀX)⁻¹ for the auxiliary fit: the same statistic.
        let inverse = try #require(fit.gramInverse)
        let reused = try Heteroscedasticity.breuschPagan(residuals: fit.residuals, drivers: sample.drivers, gramInverse: inverse)
        expectClose(reused.statistic, ref.number("lm"), relative: 1e-9)
        expectClose(reused.pValue, ref.number("p_value"), relative: 1e-8)
    }
}
