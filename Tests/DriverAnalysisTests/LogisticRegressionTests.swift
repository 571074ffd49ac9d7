@testable import DriverAnalysis
import Fixtures
import Foundation
import LinearAlgebra
import Testing

/// LogisticRegression against R 4.2.2 `glm(family = binomial)` run to full convergence
/// (`glm.control(epsilon = 1e-14)`), fixtures in `Tests/Fixtures/Data/models`.
@Suite("Logistic regression against R glm")
struct LogisticRegressionTests {
    static func check(_ fit: LogisticRegression, against ref: ReferenceValues, sourceLocation: SourceLocation = #_sourceLocation) {
        // 1e-9 relative, the tolerance: R's IRLS solves each step by QR, ours by Cholesky
        // of the column-scaled XᵀWX; both converge to the same MLE.
        let t = 1e-9
        for (k, c) in fit.coefficients.enumerated() {
            expectClose(c.estimate, ref.numbers("estimate")[k], relative: t, "\(ref.name) \(c.name) estimate", sourceLocation: sourceLocation)
            expectClose(c.standardError, ref.numbers("std_error")[k], relative: t, "\(c.name) SE", sourceLocation: sourceLocation)
            expectClose(c.statistic, ref.numbers("statistic")[k], relative: t, "\(c.name) z", sourceLocation: sourceLocation)
            expectClose(c.pValue, ref.numbers("p_value")[k], relative: 1e-7, absolute: 1e-300, "\(c.name) p", sourceLocation: sourceLocation)
            expectClose(c.confidenceInterval.lower, ref.numbers("ci_lower")[k], relative: t, sourceLocation: sourceLocation)
            expectClose(c.confidenceInterval.upper, ref.numbers("ci_upper")[k], relative: t, sourceLocation: sourceLocation)
        }
        let u = 1e-10
        expectClose(fit.logLikelihood, ref.number("log_likelihood"), relative: u, "logLik", sourceLocation: sourceLocation)
        expectClose(fit.nullLogLikelihood, ref.number("null_log_likelihood"), relative: u, "null logLik", sourceLocation: sourceLocation)
        expectClose(fit.deviance, ref.number("deviance"), relative: u, sourceLocation: sourceLocation)
        expectClose(fit.nullDeviance, ref.number("null_deviance"), relative: u, sourceLocation: sourceLocation)
        expectClose(fit.aic, ref.number("aic"), relative: u, sourceLocation: sourceLocation)
        expectClose(fit.bic, ref.number("bic"), relative: u, sourceLocation: sourceLocation)
        expectClose(fit.mcFaddenRSquared, ref.number("mcfadden_r2"), relative: 1e-9, sourceLocation: sourceLocation)
        expectClose(fit.coxSnellRSquared, ref.number("cox_snell_r2"), relative: 1e-9, sourceLocation: sourceLocation)
        expectClose(fit.nagelkerkeRSquared, ref.number("nagelkerke_r2"), relative: 1e-9, sourceLocation: sourceLocation)
        expectClose(fit.auc, ref.number("auc"), relative: 1e-12, sourceLocation: sourceLocation)
        #expect(fit.converged && fit.iterations <= 25, sourceLocation: sourceLocation)
    }

    @Test func telcoChurnWithItsBlankTotalCharges() throws {
        let data = try SurveyData.load(csv: FixtureData.url("telco/Telco-Customer-Churn.csv").path)
        let sample = try data.sample(outcome: "Churn", drivers: ["tenure", "MonthlyCharges", "TotalCharges", "SeniorCitizen"])
        #expect(sample.observationCount == 7032 && sample.droppedRows == 11)
        let fit = try LogisticRegression(sample)
        Self.check(fit, against: try ReferenceValues("glm_telco"))
        for (k, c) in fit.coefficients.enumerated() { expectClose(fit.oddsRatios[k], exp(c.estimate), relative: 1e-15) }
    }

    @Test(.enabled(if: SharedData.path("airline-passenger-satisfaction/test.csv") != nil,
                   "needs ../shared/data (the airline data has no licence for bundling)"))
    func airlineSatisfaction() throws {
        let data = try SurveyData.load(csv: SharedData.path("airline-passenger-satisfaction/test.csv")!)
        let satisfied = try data.column("satisfaction").values.map { $0 }   // categorical codes
        let levels = try data.column("satisfaction").levels!
        let one = Double(levels.firstIndex(of: "satisfied")!)
        let drivers = ["Inflight wifi service", "Online boarding", "Seat comfort", "Inflight entertainment", "Cleanliness", "Flight Distance"]
        let xs = try drivers.map { try data.numericValues($0) }
        let fit = try LogisticRegression(outcome: satisfied.map { $0 == one ? 1 : 0 }, drivers: xs, names: drivers)
        Self.check(fit, against: try ReferenceValues("glm_airline"))
    }

    @Test func separationIsDetectedAndNamed() throws {
        let y: [Double] = [0, 0, 0, 0, 1, 1, 1, 1]
        let separating: [Double] = [1, 2, 3, 4, 5, 6, 7, 8], noise: [Double] = [3, 1, 2, 5, 4, 2, 3, 1]
        #expect(throws: ModelError.separation(kind: .complete, drivers: ["support"])) {
            try LogisticRegression(outcome: y, drivers: [noise, separating], names: ["app", "support"])
        }
        let touching: [Double] = [1, 2, 3, 5, 5, 6, 7, 8]
        #expect(throws: ModelError.separation(kind: .quasiComplete, drivers: ["billing"])) {
            try LogisticRegression(outcome: y, drivers: [noise, touching], names: ["app", "billing"])
        }
        // Separated only by a combination of drivers: caught when the linear predictor diverges.
        let a: [Double] = [1, 2, 3, 4, 1, 2, 3, 4], b: [Double] = [1, 1, 2, 2, 4, 4, 5, 5]
        let yc: [Double] = [0, 0, 0, 0, 1, 1, 1, 1]
        #expect {
            try LogisticRegression(outcome: yc, drivers: [a, zip(a, b).map { $1 - 0.5 * $0 }], names: ["a", "c"])
        } throws: { error in
            if case .separation = error as? ModelError { return true }
            return false
        }
    }

    /// One churner with an extreme spend: a fitted probability rounds to 1, but the maximum is
    /// finite and statsmodels 0.15.0 fits it (`Logit(y, add_constant(spend)).fit(method="newton",
    /// tol=1e-12)`): intercept −1.0989392732554752, slope 0.059042685202110264 (SE
    /// 0.030271930895378114), log-likelihood −25.57723165076683. Not a separation.
    @Test func anExtremeValueIsNotSeparation() throws {
        var churn: [Double] = [], spend: [Double] = []
        for i in 1...40 {
            let churned: Bool = (i * 7) % 10 < 3 + i / 8
            churn.append(churned ? 1 : 0)
            spend.append(Double(i))
        }
        churn.append(1)
        spend.append(800)
        let model = try LogisticRegression(outcome: churn, drivers: [spend], names: ["spend"])
        let slope = try model.coefficient(named: "spend")
        expectClose(model.coefficients[0].estimate, -1.0989392732554752, relative: 1e-7)
        expectClose(slope.estimate, 0.059042685202110264, relative: 1e-7)
        expectClose(slope.standardError, 0.030271930895378114, relative: 1e-6)
        expectClose(model.logLikelihood, -25.57723165076683, relative: 1e-10)
        #expect(model.nearSeparation && model.warnings.contains { $0.code == .nearSeparation && $0.message == "fitted probabilities numerically 0 or 1 occurred" })
    }

    @Test func badInputIsATypedError() throws {
        #expect(throws: ModelError.outcomeNotBinary(value: 2, observation: 3)) {
            try LogisticRegression(outcome: [0, 1, 2, 1], drivers: [[1, 2, 3, 4]], names: ["x"])
        }
        #expect(throws: ModelError.constantOutcome(value: 1)) {
            try LogisticRegression(outcome: [1, 1, 1, 1], drivers: [[1, 2, 3, 4]], names: ["x"])
        }
        #expect(throws: ModelError.tooFewObservations(observations: 2, parameters: 2)) {
            try LogisticRegression(outcome: [0, 1], drivers: [[1, 2]], names: ["x"])
        }
        #expect(throws: ModelError.nonFinite(variable: "x", observation: 1)) {
            try LogisticRegression(outcome: [0, 1, 0, 1], drivers: [[.nan, 2, 3, 4]], names: ["x"])
        }
    }

    @Test func aucHandlesTiesAndWeights() {
        // Scores 1, 2, 2, 3 with labels 0, 0, 1, 1: pairs (pos, neg) = (2,1) 1, (2,2) ½, (3,1) 1, (3,2) 1 → 3.5/4.
        let auc = LogisticRegression.areaUnderCurve(scores: [1, 2, 2, 3], labels: [0, 0, 1, 1], weights: nil)
        expectClose(auc, 0.875, relative: 1e-15)
        let weighted = LogisticRegression.areaUnderCurve(scores: [1, 2, 2, 3], labels: [0, 0, 1, 1], weights: [2, 1, 1, 1])
        // pairs weighted: pos 2 vs neg 1 (w2): 2·1, vs neg 2 (w1): ½; pos 3: 2 + 1 → (2 + 0.5 + 2 + 1)/(2·3)
        expectClose(weighted, 5.5 / 6, relative: 1e-15)
    }

    /// Rows spanning several parallel chunks of the column design (65,536 rows each).
    static func manyRows(_ n: Int) -> (y: [Double], x: [[Double]]) {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func uniform() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        var y: [Double] = [], x = [[Double]](repeating: [], count: 4)
        for _ in 0..<n {
            let v = [(uniform() * 10).rounded(), (uniform() * 72).rounded(), 20 + 80 * uniform(), (uniform() * 4).rounded() + 1]
            let eta = 1.2 - 0.35 * v[0] - 0.03 * v[1] + 0.015 * v[2] + 0.2 * v[3]
            y.append(uniform() < 1 / (1 + exp(-eta)) ? 1 : 0)
            for j in 0..<4 { x[j].append(v[j]) }
        }
        return (y, x)
    }

    /// The fit runs its row passes on all cores in fixed chunks summed in order: the same bits
    /// for 1, 2 and 8 workers, over several chunks and a ragged last block.
    @Test func theFitIsIdenticalForAnyNumberOfWorkers() throws {
        let (y, x) = Self.manyRows(150_001)
        let names = ["a", "b", "c", "d"]
        let fits = try BLASThreads.singleThreaded {
            try [1, 2, 8].map { workers in
                try Parallel.$workers.withValue(workers) { try LogisticRegression(outcome: y, drivers: x, names: names) }
            }
        }
        for fit in fits.dropFirst() {
            #expect(fit.coefficients.map(\.estimate) == fits[0].coefficients.map(\.estimate))
            #expect(fit.coefficients.map(\.standardError) == fits[0].coefficients.map(\.standardError))
            #expect(fit.logLikelihood == fits[0].logLikelihood && fit.auc == fits[0].auc)
        }
        #expect(fits[0].converged)
    }

    /// The radix-sorted AUC equals the pairwise definition (ties count ½), with ties, weights,
    /// zero weights and both signs of zero among the scores.
    @Test func aucByRadixSortEqualsThePairwiseCount() {
        var state: UInt64 = 7
        func next() -> UInt64 { state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407; return state >> 33 }
        let n = 5_000   // above the radix sort's comparison limit
        let scores = (0..<n).map { i -> Double in i % 50 == 0 ? (i % 100 == 0 ? 0.0 : -0.0) : (Double(next() % 400) - 200) / 7 }
        let labels = (0..<n).map { _ in Double(next() % 3 == 0 ? 1 : 0) }
        let weights = (0..<n).map { i in i % 37 == 0 ? 0 : Double(next() % 5 + 1) / 2 }
        for w in [nil, weights] {
            var concordant = 0.0, positive = 0.0, negative = 0.0
            for i in 0..<n where labels[i] == 1 {
                positive += w?[i] ?? 1
                for j in 0..<n where labels[j] == 0 {
                    let pair = (w?[i] ?? 1) * (w?[j] ?? 1)
                    concordant += scores[i] > scores[j] ? pair : (scores[i] == scores[j] ? pair / 2 : 0)
                }
            }
            for j in 0..<n where labels[j] == 0 { negative += w?[j] ?? 1 }
            expectClose(LogisticRegression.areaUnderCurve(scores: scores, labels: labels, weights: w), concordant / (positive * negative),
                        relative: 1e-12)
        }
        let sorted = RadixSort.sorted(scores: [3, -1, .infinity, -0.0, 0, -.infinity, 2.5e-300, -2.5e-300], payloads: Array(0..<8).map(Double.init))
        #expect(sorted.scores == [-.infinity, -1, -2.5e-300, 0, 0, 2.5e-300, 3, .infinity])
        #expect(sorted.payloads == [5, 1, 7, 3, 4, 6, 0, 2])   // equal scores keep their order
        // Radix passes give the stable comparison sort's order.
        for count in [RadixSort.comparisonLimit + 5, 150_001] {
            let many = (0..<count).map { i -> Double in i % 11 == 0 ? -0.0 : (Double(next() % 100_000) - 50_000) / 3 }
            let order = many.indices.sorted { (many[$0] == 0 ? 0 : many[$0]) < (many[$1] == 0 ? 0 : many[$1]) || ((many[$0] == many[$1]) && $0 < $1) }
            let radix = RadixSort.sorted(scores: many, payloads: many.indices.map(Double.init))
            #expect(radix.payloads == order.map(Double.init))
            #expect(radix.scores == order.map { many[$0] == 0 ? 0 : many[$0] })
        }
    }
}
