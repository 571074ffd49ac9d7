@testable import DriverAnalysis
import Fixtures
import Foundation
import Testing

/// The ordinal analysis with controls and factors against R's `MASS::polr` and `car::vif`
/// (fixture `polr_bank_controls.json`, `Tests/Fixtures/Scripts/vif.R`): the bank survey's overall
/// satisfaction on three ratings with a numeric and a text control, and Telco's contract length
/// on a three-level factor.
@Suite("Ordinal analysis with controls against MASS::polr")
struct OrdinalAnalysisTests {
    static func bankReport() throws -> DriverReport {
        var configuration = AnalysisConfiguration(outcome: "sat1", drivers: ["qual1", "val1", "imag1"], model: .ordinal)
        configuration.controls = ["expe1", "gender"]
        return try KeyDriverAnalysis.analyze(try SurveyData.load(csv: FixtureData.url("bank-satisfaction/satisfaction.csv").path), configuration)
    }

    @Test func controlsMatchPolr() throws {
        let ref = try ReferenceValues("polr_bank_controls")
        let report = try Self.bankReport()
        #expect(report.model.kind == .ordinal)
        #expect(!report.warnings.contains { $0.message.contains("not available") }, "controls are available for ordinal models")
        #expect(report.warnings.contains { $0.code.rawValue == "text_controls" && $0.message.contains("'gender' (against 'female')") })
        // polr's optimum (BFGS to reltol 1e-14) against Newton's; polr's standard errors come from
        // optim's finite-difference Hessian: 1e-6 on estimates, 1e-5 on standard errors (as
        // OrdinalRegressionTests).
        let names = ["qual1", "val1", "imag1", "expe1", "gender[male]"]
        #expect(ref.strings("names").count == names.count)
        for (k, name) in names.enumerated() {
            let coefficient = k < 3 ? try #require(report.driver(named: name)?.coefficient) : try #require(report.controls.first { $0.name == name })
            expectClose(coefficient.estimate, ref.numbers("estimate")[k], relative: 1e-6, name)
            expectClose(coefficient.standardError, ref.numbers("std_error")[k], relative: 1e-5, name)
        }
        for (k, t) in report.model.thresholds.enumerated() {
            expectClose(t.estimate, ref.numbers("zeta")[k], relative: 1e-6, absolute: 1e-7, t.name)
            expectClose(t.standardError, ref.numbers("zeta_std_error")[k], relative: 1e-5, t.name)
        }
        expectClose(try #require(report.model.logLikelihood), ref.number("log_likelihood"), relative: 1e-10)
        expectClose(try #require(report.model.nullLogLikelihood), ref.number("null_log_likelihood"), relative: 1e-10)
        // Shapley values beyond the controls: differences of log-likelihoods each within 1e-10 of
        // ~400, divided by log L₀ ≈ −496 — 1e-7 relative on values of 0.02 to 0.1.
        for (k, name) in ["qual1", "val1", "imag1"].enumerated() {
            expectClose(try #require(report.driver(named: name)?.importance.shapley), ref.numbers("shapley")[k], relative: 1e-7, name)
        }
        let total = ref.numbers("shapley").reduce(0, +)
        expectClose(1 - ref.number("log_likelihood") / ref.number("null_log_likelihood") - ref.number("controls_only_mcfadden"), total,
                    relative: 1e-12, "R's values add up to what the drivers add beyond the controls")
        #expect(report.warnings.contains { $0.code.rawValue == "controls" && $0.message.contains("McFadden") })
        // car::vif(polr) reads polr's vcov, the inverse of that finite-difference Hessian: 1e-5.
        for (k, name) in ref.strings("vif_terms").prefix(3).enumerated() {
            expectClose(try #require(report.driver(named: name)?.vif), ref.numbers("vif")[k], relative: 1e-5, "VIF \(name)")
        }
    }

    /// Text columns are factors in an ordinal model too, with a likelihood-ratio joint test and a
    /// GVIF: Telco's contract length (0 month-to-month, 1 one year, 2 two years) on InternetService.
    @Test func factorDriverMatchesPolrAndCar() throws {
        let ref = try ReferenceValues("polr_bank_controls")
        let telco = try SurveyData.load(csv: FixtureData.url("telco/Telco-Customer-Churn.csv").path)
        let contract = try telco.column("Contract")
        guard case let .categorical(levels) = contract.kind else { Issue.record("Contract is text"); return }
        // The 7,032 rows with a TotalCharges, as the R script (the 11 others left out as missing).
        let charges = try telco.numericValues("TotalCharges")
        let order = zip(contract.values, charges).map { code, charge in
            code.isNaN || charge.isNaN ? Double.nan : ["Month-to-month": 0, "One year": 1, "Two year": 2][levels[Int(code)]] ?? .nan
        }
        let data = try SurveyData(columns: telco.columns + [SurveyColumn(name: "ContractOrder", position: telco.columns.count + 1, kind: .numeric,
                                                                        values: order, missingCount: 0)])
        var configuration = AnalysisConfiguration(outcome: "ContractOrder", drivers: ["tenure", "MonthlyCharges", "SeniorCitizen", "InternetService"],
                                                  model: .ordinal)
        configuration.methods = [.regression]
        let report = try KeyDriverAnalysis.analyze(data, configuration)
        expectClose(try #require(report.model.logLikelihood), ref.number("telco_log_likelihood"), relative: 1e-9)
        let internet = try #require(report.driver(named: "InternetService"))
        #expect(internet.kind == .factor && internet.reference == "Fiber optic")
        let joint = try #require(internet.jointTest)
        #expect(joint.kind == .likelihoodRatio && joint.degreesOfFreedom == 2 && joint.pValue < 1e-10)
        // A difference of two log-likelihoods of ~4,000, each within ~1e-10 relative: 1e-8 on ~800.
        expectClose(joint.statistic, ref.number("telco_internet_lr"), relative: 1e-8, "LR of InternetService against polr without it")
        // car::vif(polr) inverts optim's finite-difference Hessian, which on columns of very
        // different scales (tenure in months, charges in currency, 0/1 dummies) is off by up to
        // 4e-4 here: 1e-3. The formula on the inverse of a Richardson-extrapolated Hessian (numDeriv,
        // error ~1e-9) is the tight reference: the estimates agree to ~1e-8, the GVIFs to 1e-7.
        for (k, name) in ref.strings("telco_terms").enumerated() {
            let v = try #require(report.driver(named: name)?.varianceInflation, "\(name)")
            #expect(Double(v.degreesOfFreedom) == ref.numbers("telco_df")[k])
            expectClose(v.value, ref.numbers("telco_gvif")[k], relative: 1e-3, "car GVIF \(name)")
            expectClose(v.adjusted, ref.numbers("telco_gvif_adjusted")[k], relative: 1e-3, "car GVIF^(1/(2df)) \(name)")
            expectClose(v.value, ref.numbers("telco_gvif_richardson")[k], relative: 1e-7, "GVIF \(name)")
            expectClose(v.adjusted, ref.numbers("telco_gvif_richardson_adjusted")[k], relative: 1e-7, "GVIF^(1/(2df)) \(name)")
        }
        #expect(report.warnings.contains { $0.code.rawValue == "vif_high" && $0.message.contains("MonthlyCharges") })
    }

    /// An aliased column in an ordinal model is reported as R reports `NA`, not a failed fit.
    @Test func aliasedColumnIsReported() throws {
        let x: [Double] = (0..<120).map { Double($0 % 7) }
        let z: [Double] = (0..<120).map { Double(($0 * 5) % 11) }
        let y: [Double] = (0..<120).map { (i: Int) -> Double in Double((i % 7 + (i * 5) % 11 + i % 3) / 6) }
        let fit = try OrdinalRegression(outcome: y, drivers: [x, z, x.map { 2 * $0 + 1 }], names: ["x", "z", "x2"])
        #expect(fit.coefficients.map(\.isAliased) == [false, false, true])
        let reduced = try OrdinalRegression(outcome: y, drivers: [x, z], names: ["x", "z"])
        expectClose(fit.logLikelihood, reduced.logLikelihood, relative: 1e-14)
        #expect(fit.covariance[2, 2].isNaN && fit.covariance.rows == 3 + fit.thresholds.count)
        let inflation = try fit.varianceInflation()
        #expect(inflation[2].isAliased && !inflation[0].isAliased)
    }
}
