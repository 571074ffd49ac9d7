import DriverAnalysis
import Fixtures
import Foundation
import Testing

/// OrdinalRegression against R's MASS::polr (fixture `polr_mobi.json`, Tests/Fixtures/Scripts/ordinal.R).
@Suite("Ordinal regression against MASS::polr")
struct OrdinalRegressionTests {
    @Test func matchesPolr() throws {
        let ref = try ReferenceValues("polr_mobi")
        let data = try SurveyData.load(csv: FixtureData.url("ecsi-mobi/mobi.csv").path)
        let sample = try data.sample(outcome: "CUSA1", drivers: ["PERQ1", "PERV1", "IMAG1"])
        let fit = try OrdinalRegression(outcome: sample.outcome, drivers: sample.drivers, names: sample.driverNames)
        #expect(fit.converged)
        // polr optimizes with BFGS to reltol 1e-14 and its Hessian is optim's finite difference of the
        // analytic gradient (ours is analytic): 1e-6 on estimates, 1e-5 on standard errors.
        for (k, c) in fit.coefficients.enumerated() {
            expectClose(c.estimate, ref.numbers("estimate")[k], relative: 1e-6, c.name)
            expectClose(c.standardError, ref.numbers("std_error")[k], relative: 1e-5, c.name)
        }
        // polr optimizes θ with ζ = cumsum(θ₁, exp(θ₂), …) and reports standard errors of θ:
        // SE(θ₁) = SE(ζ₁), SE(θₖ) = SE(ζₖ − ζₖ₋₁)/(ζₖ − ζₖ₋₁) (exact at the optimum: a linear
        // change of variables of the information matrix).
        let p = fit.coefficients.count
        for (k, t) in fit.thresholds.enumerated() {
            expectClose(t.estimate, ref.numbers("zeta")[k], relative: 1e-6, absolute: 1e-7, t.name)
            var se = t.standardError
            if k > 0 {
                let a = p + k, b = p + k - 1
                let variance = fit.covariance[a, a] + fit.covariance[b, b] - 2 * fit.covariance[a, b]
                se = variance.squareRoot() / (t.estimate - fit.thresholds[k - 1].estimate)
            }
            expectClose(se, ref.numbers("zeta_std_error")[k], relative: 1e-4, t.name)
        }
        expectClose(fit.logLikelihood, ref.number("log_likelihood"), relative: 1e-10)
        expectClose(fit.nullLogLikelihood, ref.number("null_log_likelihood"), relative: 1e-10)
        expectClose(fit.aic, ref.number("aic"), relative: 1e-10)
        #expect(fit.mcFaddenRSquared > 0 && fit.mcFaddenRSquared < 1)
    }

    @Test func badInput() {
        #expect(throws: ModelError.constantOutcome(value: 3)) {
            try OrdinalRegression(outcome: [3, 3, 3, 3], drivers: [[1, 2, 3, 4]], names: ["x"])
        }
        #expect(throws: ModelError.self) { try OrdinalRegression(outcome: [1, 2, 3], drivers: [[1, 2, 3]], names: ["x"]) }
    }
}
