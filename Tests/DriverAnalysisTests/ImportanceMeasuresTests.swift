@testable import DriverAnalysis
import Fixtures
import Foundation
import LinearAlgebra
import Testing

/// Importance measures against pingouin 0.7.0 (LMG), dominance-analysis 1.1.9 (general dominance),
/// statsmodels 0.15.0 (first, last, β², Pratt) and a numpy eigendecomposition (relative weights):
/// `Tests/Fixtures/Data/models/importance_*.json` (`Tests/Fixtures/Scripts/importance.py`).
@Suite("Importance measures against Python tools")
struct ImportanceMeasuresTests {
    static func input(_ ref: ReferenceValues, file: String, outcome: String) throws -> ImportanceInput {
        let data = try SurveyData.load(csv: FixtureData.url(file).path)
        return try ImportanceInput(sample: data.sample(outcome: outcome, drivers: ref.strings("drivers")))
    }

    @Test("every measure", arguments: [("yellow_pages", "yellow-pages/customerSat.csv", "q1"), ("mobi", "ecsi-mobi/mobi.csv", "CUSA1")])
    func everyMeasure(name: String, file: String, outcome: String) throws {
        let ref = try ReferenceValues("importance_\(name)")
        let input = try Self.input(ref, file: file, outcome: outcome)
        let shapley = try ShapleyDecomposition(input)
        let dominance = try DominanceAnalysis(input)
        let weights = try RelativeWeights(input)
        let classic = try ClassicImportance(input)
        // 1e-10: all are ratios of sums over ≤ 2^12 subsets of well-conditioned solves.
        for j in 0..<input.driverCount {
            expectClose(shapley.values[j], ref.numbers("lmg")[j], relative: 1e-10, "\(name) LMG \(input.names[j])")
            expectClose(dominance.general[j], ref.numbers("general_dominance")[j], relative: 1e-10, "general dominance")
            expectClose(weights.weights[j], ref.numbers("relative_weights")[j], relative: 1e-10, "relative weight")
            expectClose(classic.first[j], ref.numbers("first")[j], relative: 1e-10, "first")
            expectClose(classic.last[j], ref.numbers("last")[j], relative: 1e-8, "last")   // R² differences of two fits
            expectClose(classic.betaSquared[j], ref.numbers("beta_squared")[j], relative: 1e-10, "β²")
            expectClose(classic.pratt[j], ref.numbers("pratt")[j], relative: 1e-10, "Pratt")
            // Conditional dominance entries are mean R² increments, differences of R² values of
            // order 1: an absolute bound of a few hundred ulps of 1 (1e-13), not of the increment
            // (a 1e-5 increment differed by 1.3e-15 between BLAS kernels).
            for k in 0..<input.driverCount { expectClose(dominance.conditional[j][k], shapley.conditional[j][k], relative: 1e-10, absolute: 1e-13) }
        }
        for value in [shapley.rSquared, weights.rSquared, classic.rSquared, classic.pratt.reduce(0, +), dominance.fullFit] {
            expectClose(value, ref.number("r_squared"), relative: 1e-10)
        }
    }

    @Test func completeDominanceMatchesTheDefinition() throws {
        let ref = try ReferenceValues("importance_mobi")
        let input = try Self.input(ref, file: "ecsi-mobi/mobi.csv", outcome: "CUSA1")
        let dominance = try DominanceAnalysis(input)
        let table = try BruteForceImportance.table(input)
        let p = input.driverCount
        for i in 0..<p {
            for j in 0..<p where i != j {
                let masks = (0..<(1 << p)).filter { $0 & ((1 << i) | (1 << j)) == 0 }
                let iDominates = masks.allSatisfy { table[$0 | (1 << i)] > table[$0 | (1 << j)] }
                let jDominates = masks.allSatisfy { table[$0 | (1 << j)] > table[$0 | (1 << i)] }
                #expect(dominance.complete[i][j] == (iDominates ? 1 : (jDominates ? 0 : 0.5)))
            }
        }
        #expect(dominance.complete.joined().contains(1))
        #expect(throws: ImportanceError.tooManyDriversForExact(count: 21, limit: 20)) {
            try DominanceAnalysis(ImportanceInput(correlation: Matrix.identity(22), names: (0..<21).map { "d\($0)" } + ["y"], outcome: "y"))
        }
    }

    @Test func logisticRelativeWeightsSumToAPseudoR2AndRankSensibly() throws {
        let survey = try SyntheticSurvey(respondents: 4_000, touchpoints: 4, seed: 17, outcome: .churn)
        let data = survey.generate()
        let sample = try data.sample(outcome: "churn", drivers: survey.touchpointNames)
        let rw = try RelativeWeights(logisticOutcome: sample.outcome, drivers: sample.drivers, names: sample.driverNames)
        expectClose(rw.shares.reduce(0, +), 1, relative: 1e-12)
        #expect(rw.weights.allSatisfy { $0 >= 0 } && rw.rSquared > 0 && rw.rSquared < 1)
        // The generator's strongest driver (largest true weight) ranks first.
        let strongest = survey.trueWeights.indices.max { survey.trueWeights[$0] < survey.trueWeights[$1] }!
        #expect(rw.weights.indices.max { rw.weights[$0] < rw.weights[$1] } == strongest)
    }

    /// The weights come from the fit on the drivers reparametrized; by the definition (Tonidandel &
    /// LeBreton 2010) they come from an explicit logistic fit on `Z = X_std R^{-1/2}`: the same.
    @Test func logisticRelativeWeightsEqualTheExplicitOrthogonalFit() throws {
        let survey = try SyntheticSurvey(respondents: 6_000, touchpoints: 5, seed: 23, outcome: .churn)
        let sample = try survey.generate().sample(outcome: "churn", drivers: survey.touchpointNames)
        let rw = try RelativeWeights(logisticOutcome: sample.outcome, drivers: sample.drivers, names: sample.driverNames)
        let x = sample.drivers, y = sample.outcome, n = y.count, p = x.count
        let moments = try Moments(names: sample.driverNames, columns: x)
        let sds = moments.standardDeviations()
        let eigen = try SymmetricEigen(moments.correlation())
        let root = try eigen.reconstructed { $0.squareRoot() }, inverseRoot = try eigen.reconstructed { 1 / $0.squareRoot() }
        let z = (0..<p).map { k in (0..<n).map { i in (0..<p).reduce(0) { $0 + (x[$1][i] - moments.means[$1]) / sds[$1] * inverseRoot[$1, k] } } }
        let fit = try LogisticRegression(outcome: y, drivers: z, names: (0..<p).map { "z\($0)" },
                                         options: .init(tolerance: 1e-12))
        let logits = fit.fittedProbabilities.map { log($0 / (1 - $0)) }
        let sdLogit = try Moments(names: ["l"], columns: [logits]).standardDeviations()[0]
        let r = try Correlation.test(y, fit.fittedProbabilities).estimate
        for j in 0..<p {
            var expected = 0.0
            for k in 0..<p {
                let sdZ = try Moments(names: ["z"], columns: [z[k]]).standardDeviations()[0]
                let beta = fit.coefficients[k + 1].estimate * sdZ * r / sdLogit
                expected += root[j, k] * root[j, k] * beta * beta
            }
            expectClose(rw.weights[j], expected, relative: 1e-6)
        }
    }
}

@Suite("Logistic dominance on pseudo-R²")
struct LogisticDominanceTests {
    @Test func matchesSubsetFitsByLogisticRegression() throws {
        let data = try SurveyData.load(csv: FixtureData.url("telco/Telco-Customer-Churn.csv").path)
        let drivers = ["tenure", "MonthlyCharges", "SeniorCitizen", "PaperlessBilling"]
        let sample = try data.sample(outcome: "Churn", drivers: drivers)
        let dominance = try LogisticDominance(outcome: sample.outcome, drivers: sample.drivers, names: drivers)
        #expect(dominance.unfittedSubsets == 0)
        var table = [Double](repeating: 0, count: 16)
        var nagelkerke = [Double](repeating: 0, count: 16)
        for mask in 1..<16 {
            let members = (0..<4).filter { mask & (1 << $0) != 0 }
            let fit = try LogisticRegression(outcome: sample.outcome, drivers: members.map { sample.drivers[$0] }, names: members.map { drivers[$0] })
            table[mask] = fit.mcFaddenRSquared
            nagelkerke[mask] = fit.nagelkerkeRSquared
        }
        let reference = try DominanceAnalysis(names: drivers, fits: table)
        for j in 0..<4 {
            expectClose(dominance.values[j], reference.general[j], relative: 1e-8, drivers[j])
            for k in 0..<4 { expectClose(dominance.dominance.conditional[j][k], reference.conditional[j][k], relative: 1e-7, absolute: 1e-12) }
        }
        #expect(dominance.dominance.complete == reference.complete)
        expectClose(dominance.values.reduce(0, +), table[15], relative: 1e-10)
        let nag = try LogisticDominance(outcome: sample.outcome, drivers: sample.drivers, names: drivers, fit: .nagelkerke)
        expectClose(nag.values.reduce(0, +), nagelkerke[15], relative: 1e-9)
    }
}
