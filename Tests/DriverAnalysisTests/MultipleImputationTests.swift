@testable import DriverAnalysis
import Fixtures
import Foundation
import Testing

/// Rubin's rules against a hand-computed example, MICE against R's `mice` (3.15.0, run by
/// `Tests/Fixtures/Scripts/mice_reference.R` on the MAR survey `Data/mice/mar.csv`), and the
/// properties an imputation must keep.
@Suite("Multiple imputation")
struct MultipleImputationTests {
    /// m = 5 estimates with variances; every number below follows from the formulas by hand
    /// (fractions shown) and agrees with `mice:::barnard.rubin` and `mice::pool` to 17 digits.
    @Test func rubinsRulesByHand() throws {
        let pooled = try #require(PooledEstimate.pool(estimates: [1.0, 1.2, 0.8, 1.1, 0.9], variances: [0.04, 0.05, 0.045, 0.05, 0.035],
                                                      completeDataDF: 100))
        let ulp = 8 * Double.ulpOfOne
        expectClose(pooled.estimate, 1.0, relative: ulp)                  // Q̄ = 5/5
        expectClose(pooled.withinVariance, 0.044, relative: ulp)          // Ū = 0.22/5
        expectClose(pooled.betweenVariance, 0.025, relative: ulp)         // B = 0.10/4
        expectClose(pooled.totalVariance, 0.074, relative: ulp)           // T = 0.044 + 1.2 × 0.025
        expectClose(pooled.relativeIncrease, 0.03 / 0.044, relative: ulp) // r = 15/22
        // λ = 0.03/0.074 = 15/37; ν_old = 4/λ² = 5476/225; ν_obs = (101/103)·100·(22/37) = 222200/3811.
        let dfold = 5476.0 / 225, dfobs = 222_200.0 / 3811
        expectClose(pooled.degreesOfFreedom, dfold * dfobs / (dfold + dfobs), relative: 64 * Double.ulpOfOne)
        expectClose(pooled.degreesOfFreedom, 17.170447362044129, relative: 1e-14)   // mice:::barnard.rubin(5, B, T, 100)
        expectClose(pooled.fractionMissingInformation, 0.4643624115562433, relative: 1e-14)
        let coefficient = pooled.coefficient(named: "x", confidenceLevel: 0.95)
        expectClose(coefficient.pValue, 0.0018463612185583135, relative: 1e-9)   // 2 pt(|Q̄|/√T, ν, lower = FALSE)
        // Large-sample models: ν = ν_old.
        let infinite = try #require(PooledEstimate.pool(estimates: [1.0, 1.2, 0.8, 1.1, 0.9], variances: [0.04, 0.05, 0.045, 0.05, 0.035],
                                                        completeDataDF: .infinity))
        expectClose(infinite.degreesOfFreedom, 24.337777777777788, relative: 1e-14)
        // Nothing to pool is not a number.
        #expect(PooledEstimate.pool(estimates: [1], variances: [1], completeDataDF: 10) == nil)
        #expect(PooledEstimate.pool(estimates: [1, .nan], variances: [1, 1], completeDataDF: 10) == nil)
        #expect(PooledEstimate.pool(estimates: [1, 2], variances: [1], completeDataDF: 10) == nil)
    }

    /// With no missing cell every imputation is the data: the pooled coefficients and standard
    /// errors are the complete-case fit's, bit for bit (B = 0, T = Ū = U).
    @Test func noMissingDataGivesTheCompleteCaseFit() throws {
        let survey = try SyntheticSurvey(respondents: 300, touchpoints: 4, seed: 3, outcome: .churn)
        let data = survey.generate()
        let configuration = AnalysisConfiguration(outcome: "churn", drivers: survey.touchpointNames, methods: [.regression, .shapley])
        let plain = try KeyDriverAnalysis.analyze(data, configuration)
        let imputed = try KeyDriverAnalysis.analyzeImputed(data, configuration, options: ImputationOptions(imputations: 5))
        for (a, b) in zip(plain.drivers, imputed.report.drivers) {
            #expect(a.coefficient?.estimate == b.coefficient?.estimate, "\(a.name)")
            #expect(a.coefficient?.standardError == b.coefficient?.standardError, "\(a.name)")
            #expect(a.importance.shapley == b.importance.shapley, "\(a.name)")
        }
        #expect(plain.model.intercept?.estimate == imputed.report.model.intercept?.estimate)
        #expect(imputed.coefficients.allSatisfy { $0.pooled.betweenVariance == 0 })
        #expect(imputed.imputedCells.isEmpty && imputed.completeCases == 300)
        #expect(imputed.report.warnings.contains { $0.code.rawValue == "multiple_imputation" && $0.message.contains("complete-case fit") })
    }

    /// The reference: `mice(m = 20, method = "pmm", maxit = 5, seed = 2024)` and `pool()`.
    static func reference() throws -> [String: Any] {
        let data = try Data(contentsOf: FixtureData.url("mice/reference.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Swift's MICE draws other random numbers than R's, so the pooled values agree within Monte
    /// Carlo error. Each pooled estimate is the mean of M = 20 draws with between-imputation
    /// variance B, so the difference of two independent runs has variance 2B/M; the bound is
    /// 4 √(2 max(B_R, B_S)/M) (a 4σ band: false alarm ≈ 6·10⁻⁵ per term) plus 5 % of the
    /// complete-data SE √Ū for the differences between the two PMM implementations (tie-breaking,
    /// starting draws). R's own spread over 40 seeds (`seed_spread_sd`) checks √(B/M) is that
    /// error. The total variance T = Ū + (1 + 1/M)B: B̂ has relative SD √(2/(M − 1)), Ū varies
    /// by `within_sd`/√M, so |T_S − T_R| ≤ 4 √(2 ((1 + 1/M)² · 2B²/(M − 1) + within_sd²/M)) + 0.1 Ū.
    @Test(arguments: ["linear", "logistic"])
    func agreesWithRMice(model: String) throws {
        let reference = try Self.reference()
        let block = try #require(reference[model] as? [String: Any])
        func numbers(_ key: String) throws -> [Double] { try #require(block[key] as? [Double], "\(model).\(key)") }
        let terms = try #require(block["terms"] as? [String])
        let data = try SurveyData.load(csv: FixtureData.url("mice/mar.csv").path)
        let outcome = model == "linear" ? "y" : "churn"
        let configuration = AnalysisConfiguration(outcome: outcome, drivers: ["x1", "x2", "x3", "r"],
                                                  model: model == "linear" ? .linear : .logistic, methods: [.regression])
        let result = try KeyDriverAnalysis.analyzeImputed(data, configuration, options: ImputationOptions(imputations: 20, seed: 7))
        let (estimate, ubar, b, t, within, spread) = (try numbers("estimate"), try numbers("ubar"), try numbers("b"), try numbers("t"),
                                                      try numbers("within_sd"), try numbers("seed_spread_sd"))
        let m = 20.0
        #expect(result.completeCases == (reference["complete_cases_\(model)"] as? Int))
        for (k, term) in terms.enumerated() {
            let swift = try #require(result.coefficient(named: term)?.pooled, "\(model): no pooled \(term)")
            let between = max(b[k], swift.betweenVariance)
            let bound = 4 * (2 * between / m).squareRoot() + 0.05 * ubar[k].squareRoot()
            #expect(abs(swift.estimate - estimate[k]) <= bound,
                    "\(model) \(term): Swift \(swift.estimate) vs mice \(estimate[k]), |Δ| \(abs(swift.estimate - estimate[k])) > bound \(bound)")
            let tBound = 4 * (2 * (pow(1 + 1 / m, 2) * 2 * between * between / (m - 1) + within[k] * within[k] / m)).squareRoot() + 0.1 * ubar[k]
            #expect(abs(swift.totalVariance - t[k]) <= tBound,
                    "\(model) \(term): T Swift \(swift.totalVariance) vs mice \(t[k]), bound \(tBound)")
            // The Monte Carlo error the bound rests on is the one R shows over seeds (a factor of 2 either way).
            let predicted = (b[k] / m).squareRoot()
            #expect(spread[k] > predicted / 2 && spread[k] < predicted * 2, "\(model) \(term): seed spread \(spread[k]) vs √(B/M) \(predicted)")
            print("mice-compare \(model) \(term): Swift \(swift.estimate) (SE \(swift.standardError), B \(swift.betweenVariance)) mice \(estimate[k]) (SE \(t[k].squareRoot()), B \(b[k])) |Δ| \(abs(swift.estimate - estimate[k])) bound \(bound); T |Δ| \(abs(swift.totalVariance - t[k])) bound \(tBound)")
        }
    }

    /// The pooling pipeline without random numbers: mice's own five imputed datasets
    /// (`Data/mice/mar_m5_long.csv`) analysed here and pooled by ``ImputedReportPooling`` give
    /// mice's `pool()` (`reference_m5.json`). Estimates and standard errors agree to 10⁻⁹
    /// relative (the tolerance of the single-fit comparisons with R's `lm` and `glm` at
    /// `epsilon = 1e-14`); df and fmi are functions of B, a variance of estimates that agree in
    /// their leading digits, so a relative error ε in β becomes ε·|β|/√B in B: 10⁻⁶ relative.
    @Test(arguments: ["linear", "logistic"])
    func poolsMiceImputationsAsMicePools(model: String) throws {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: FixtureData.url("mice/reference_m5.json")))
        let block = try #require((object as? [String: Any])?[model] as? [String: Any])
        func numbers(_ key: String) throws -> [Double] { try #require(block[key] as? [Double], "\(model).\(key)") }
        let terms = try #require(block["terms"] as? [String])
        let long = try SurveyData.load(csv: FixtureData.url("mice/mar_m5_long.csv").path)
        let imputation = try long.numericValues(".imp")
        let configuration = AnalysisConfiguration(outcome: model == "linear" ? "y" : "churn", drivers: ["x1", "x2", "x3", "r"],
                                                  model: model == "linear" ? .linear : .logistic, methods: [.regression])
        let reports = try (1...5).map { m in
            try KeyDriverAnalysis.analyze(long.rows(imputation.indices.filter { imputation[$0] == Double(m) }), configuration)
        }
        let (_, pooled) = ImputedReportPooling.pooled(reports, confidenceLevel: 0.95)
        let (estimate, se, df, fmi) = (try numbers("estimate"), try numbers("std_error"), try numbers("df"), try numbers("fmi"))
        for (k, term) in terms.enumerated() {
            let swift = try #require(pooled.first { $0.name == term }?.pooled, "\(model): no pooled \(term)")
            expectClose(swift.estimate, estimate[k], relative: 1e-9, "\(model) \(term) estimate")
            expectClose(swift.standardError, se[k], relative: 1e-9, "\(model) \(term) SE")
            expectClose(swift.degreesOfFreedom, df[k], relative: 1e-6, "\(model) \(term) df")
            expectClose(swift.fractionMissingInformation, fmi[k], relative: 1e-6, "\(model) \(term) fmi")
            print("mice-m5 \(model) \(term): relative differences estimate \(abs(swift.estimate / estimate[k] - 1)) SE \(abs(swift.standardError / se[k] - 1)) df \(abs(swift.degreesOfFreedom / df[k] - 1)) fmi \(abs(swift.fractionMissingInformation / fmi[k] - 1))")
        }
    }

    /// PMM imputes observed values only; the same seed gives the same datasets, another seed others.
    @Test func imputesObservedValuesDeterministically() throws {
        let data = try SurveyData.load(csv: FixtureData.url("mice/mar.csv").path)
        let columns = ["y", "x1", "x2", "x3", "r"]
        func run(seed: UInt64) throws -> [[Double]] {
            var out: [[Double]] = []
            try ChainedEquations.forEachImputation(of: data, columns: columns, options: ImputationOptions(imputations: 3, seed: seed)) { _, completed in
                out.append(try completed.numericValues("x2") + completed.numericValues("r"))
            }
            return out
        }
        let first = try run(seed: 11), again = try run(seed: 11), other = try run(seed: 12)
        #expect(first == again)
        #expect(first != other)
        let observed = Set(try data.numericValues("r").filter { !$0.isNaN })
        let rValues = first[0].suffix(data.rowCount)
        #expect(rValues.allSatisfy { observed.contains($0) })
        #expect(!first[0].contains { $0.isNaN })
    }

    /// A factor with three or more levels is imputed by PMM on its canonical score: only its levels.
    @Test func factorsGetTheirOwnLevels() throws {
        let n = 240
        var values: [SurveyColumn] = []
        let x = (0..<n).map { Double(($0 * 37) % 11) }
        let codes = (0..<n).map { i -> Double in i % 7 == 0 ? .nan : Double(Int(x[i]) % 3) }
        let y = (0..<n).map { x[$0] + Double(($0 * 13) % 5) }
        values.append(SurveyColumn(name: "y", position: 1, kind: .numeric, values: y, missingCount: 0))
        values.append(SurveyColumn(name: "x", position: 2, kind: .numeric, values: x, missingCount: 0))
        values.append(SurveyColumn(name: "plan", position: 3, kind: .categorical(levels: ["A", "B", "C"]), values: codes,
                                   missingCount: codes.filter(\.isNaN).count))
        let data = try SurveyData(columns: values)
        try ChainedEquations.forEachImputation(of: data, columns: ["y", "x", "plan"], options: ImputationOptions(imputations: 2)) { _, completed in
            let plan = try completed.column("plan").values
            #expect(plan.allSatisfy { [0, 1, 2].contains($0) })
        }
        let result = try KeyDriverAnalysis.analyzeImputed(data, AnalysisConfiguration(outcome: "y", drivers: ["x", "plan"]),
                                                          options: ImputationOptions(imputations: 4))
        #expect(result.coefficient(named: "plan[B]") != nil || result.coefficient(named: "plan[C]") != nil, "\(result.coefficients.map(\.name))")
    }

    /// A factor that follows its predictor (level by thresholds of x) is imputed mostly right: the
    /// canonical score orders the levels along x, and the donors are customers with nearby x.
    @Test func factorImputationFollowsThePredictors() throws {
        let n = 600
        let x = (0..<n).map { Double(($0 * 7919) % 1000) / 100 }                  // 0 … 9.99, scrambled
        let truth = x.map { $0 < 3 ? 2.0 : ($0 < 7 ? 0.0 : 1.0) }                   // levels out of x's order
        let codes = truth.indices.map { $0 % 4 == 0 ? Double.nan : truth[$0] }
        let data = try SurveyData(columns: [
            SurveyColumn(name: "x", position: 1, kind: .numeric, values: x, missingCount: 0),
            SurveyColumn(name: "plan", position: 2, kind: .categorical(levels: ["A", "B", "C"]), values: codes, missingCount: n / 4),
        ])
        var right = 0, imputed = 0
        try ChainedEquations.forEachImputation(of: data, columns: ["x", "plan"], options: ImputationOptions(imputations: 3, seed: 4)) { _, completed in
            let plan = try completed.column("plan").values
            for i in codes.indices where codes[i].isNaN {
                imputed += 1
                if plan[i] == truth[i] { right += 1 }
            }
        }
        // Only a customer near a threshold can get a neighbour's level: 90 % is far above chance (⅓).
        #expect(Double(right) >= 0.9 * Double(imputed), "\(right) of \(imputed) imputed levels right")
    }

    /// Hostile shapes — few rows, constant, huge, all-but-one-missing and infinite columns, text
    /// factors — give an imputed analysis or a typed error, never a trap. 300 deterministic cases.
    @Test func hostileShapesNeverTrap() throws {
        var random = SplitMix(seed: 17)
        var analysed = 0, refused: [String: Int] = [:]
        for trial in 0..<300 {
            let n = 2 + Int(random.next() % 30)
            func column(_ kind: UInt64) -> [Double] {
                (0..<n).map { i -> Double in
                    if random.next() % 4 == 0 { return .nan }
                    switch kind {
                    case 0: return 3                                              // constant
                    case 1: return Double(random.next() % 5) * 1e300                 // overflows XᵀX
                    case 2: return i == 0 ? 1 : .nan                                 // one observed value
                    case 3: return random.next() % 50 == 0 ? .infinity : Double(random.next() % 7)
                    default: return Double(random.next() % 1000) / 100
                    }
                }
            }
            var columns = [SurveyColumn(name: "y", position: 1, kind: .numeric, values: column(4), missingCount: 0)]
            for k in 0..<3 {
                let values = column(random.next() % 6)
                columns.append(SurveyColumn(name: "x\(k)", position: k + 2, kind: .numeric, values: values,
                                            missingCount: values.filter(\.isNaN).count,
                                            firstNonFinite: values.firstIndex(of: .infinity).map { ($0 + 2, "inf") }))
            }
            let codes = (0..<n).map { _ in random.next() % 3 == 0 ? Double.nan : Double(random.next() % 4) }
            columns.append(SurveyColumn(name: "f", position: 5, kind: .categorical(levels: ["a", "b", "c", "d"]), values: codes,
                                        missingCount: codes.filter(\.isNaN).count))
            let data = try SurveyData(columns: columns)
            do {
                let result = try KeyDriverAnalysis.analyzeImputed(data, AnalysisConfiguration(outcome: "y", drivers: ["x0", "x1", "x2", "f"], methods: [.regression]),
                                                                  options: ImputationOptions(imputations: 2, seed: UInt64(trial)))
                #expect(result.report.model.observationCount <= n)
                analysed += 1
            } catch let error as any DriverAnalysisError {
                // A typed error naming the column is the other acceptable outcome.
                refused[error.code, default: 0] += 1
            }
        }
        print("hostile shapes: \(analysed) analysed, refused \(refused)")
        #expect(analysed > 0)
    }

    /// Refusals name the option or column, and the work.
    @Test func refusals() throws {
        let data = try SurveyData(columns: ["y": [1, 2, 3, .nan], "x": [.nan, .nan, .nan, .nan]])
        #expect(throws: ImputationError.nothingObserved(column: "x")) {
            try ChainedEquations.forEachImputation(of: data, columns: ["y", "x"], options: .init()) { _, _ in }
        }
        do {
            try ChainedEquations.forEachImputation(of: data, columns: ["y"], options: .init(imputations: 201)) { _, _ in }
            Issue.record("201 imputations accepted")
        } catch let error as ImputationError {
            #expect(error.description.contains("at most 200") && error.description.contains("201 imputations"))
        }
        #expect(throws: ImputationError.self) {
            try KeyDriverAnalysis.analyzeImputed(data, AnalysisConfiguration(outcome: "y", drivers: ["x"], bootstrap: 10))
        }
    }
}

/// A factor's joint tests pooled over imputations by D2, matched to mitml's implementation (the
/// one `mice::D2` calls).
@Suite("Pooled joint tests (D2) against mitml")
struct PooledJointTestTests {
    @Test func d2MatchesMitml() throws {
        let data = try Data(contentsOf: FixtureData.url("mice/d2.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let cases = try #require(json["cases"] as? [[String: Any]])
        #expect(cases.count == 4)
        for item in cases {
            let k = try #require(item["k"] as? Int), d = try #require(item["d"] as? [Double])
            let tests = d.map { DriverReport.JointTest(kind: .likelihoodRatio, statistic: $0, degreesOfFreedom: k, residualDegreesOfFreedom: nil, pValue: .nan) }
            let pooled = try #require(DriverReport.JointTest.pooledD2(tests))
            #expect(pooled.kind == .pooledD2 && pooled.degreesOfFreedom == k)
            expectClose(pooled.statistic, try #require(item["F"] as? Double), relative: 1e-12, "D2 for k = \(k)")
            expectClose(pooled.residualDegreesOfFreedom ?? .nan, try #require(item["v"] as? Double), relative: 1e-9, "ν for k = \(k)")
            expectClose(pooled.pValue, try #require(item["p"] as? Double), relative: 1e-8, "p for k = \(k)")
        }
        // F tests enter as q·F; a missing test in one imputation, or differing df, gives none.
        let f = DriverReport.JointTest(kind: .f, statistic: 2, degreesOfFreedom: 3, residualDegreesOfFreedom: 100, pValue: 0.1)
        let chi = DriverReport.JointTest(kind: .likelihoodRatio, statistic: 6, degreesOfFreedom: 3, residualDegreesOfFreedom: nil, pValue: 0.1)
        #expect(DriverReport.JointTest.pooledD2([f, f])?.statistic == DriverReport.JointTest.pooledD2([chi, chi])?.statistic)
        #expect(DriverReport.JointTest.pooledD2([chi, nil]) == nil)
        #expect(DriverReport.JointTest.pooledD2([chi, .init(kind: .likelihoodRatio, statistic: 6, degreesOfFreedom: 2, residualDegreesOfFreedom: nil, pValue: 0.1)]) == nil)
        #expect(DriverReport.JointTest.pooledD2([chi]) == nil)
    }
}
