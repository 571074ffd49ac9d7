import DriverAnalysis
import Fixtures
import Foundation
import Testing

/// The logistic-importance battery: files shaped like those that broke the warm-started walk
/// (amounts in the thousands beside counts, rare events, a quasi-separating flag, an exactly
/// aliased triple, a factor with rare levels, Telco's cross-factor aliased dummies), each checked
/// against Shapley values from brute force over submodels fitted independently by statsmodels
/// (`Tests/Fixtures/Scripts/logistic_battery.py`, `Data/battery/logistic_battery.json`).
///
/// Tolerance: every submodel's ℓ is converged to about 10⁻¹¹·|ℓ| here and to a gradient of
/// 10⁻¹⁰ in statsmodels, so each pseudo-R² agrees to ~10⁻¹⁰ and a Shapley value (a weighted mean
/// of differences of them) to ~2·10⁻¹⁰; the bound 10⁻⁸ leaves room for the conditioning of
/// these designs (count × amount correlations of 0.8) and is 10× tighter than the 10⁻⁷.
@Suite("Logistic importance battery")
struct LogisticBatteryTests {
    static let bound = 1e-8

    struct Case {
        let file: String
        let outcome: String
        let event: String?
        let drivers: [String]
        let shapley: [Double]
        let fullMcFadden: Double
    }

    static func cases() throws -> [String: Case] {
        let data = try Data(contentsOf: FixtureData.url("battery/logistic_battery.json"))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let cases = try #require(root["cases"] as? [String: [String: Any]])
        return try cases.mapValues { c in
            Case(file: try #require(c["file"] as? String), outcome: try #require(c["outcome"] as? String), event: c["event"] as? String,
                 drivers: try #require(c["drivers"] as? [String]), shapley: try #require(c["shapley"] as? [Double]),
                 fullMcFadden: try #require(c["full_mcfadden"] as? Double))
        }
    }

    /// Runs the whole analysis (file → factors → walk) on a case and compares every value.
    @Test(arguments: ["amounts_counts", "rare_events", "aliased_triple", "rare_levels", "telco_factors", "telco_aliased"])
    func theAnalysisMatchesBruteForce(_ name: String) throws {
        let c = try #require(try Self.cases()[name])
        let data = try SurveyData.load(csv: FixtureData.url(c.file).path)
        var configuration = AnalysisConfiguration(outcome: c.outcome, drivers: c.drivers, event: c.event)
        configuration.methods = [.regression, .shapley, .dominance]
        let report = try KeyDriverAnalysis.analyze(data, configuration)
        #expect(report.model.kind == .logistic)
        for (k, driver) in c.drivers.enumerated() {
            let row = try #require(report.driver(named: driver))
            expectClose(row.importance.shapley ?? .nan, c.shapley[k], relative: 0, absolute: Self.bound, "\(name): \(driver)")
        }
        // Efficiency, against the reference and against the model fitted on its own.
        let sum = report.drivers.compactMap(\.importance.shapley).reduce(0, +)
        expectClose(sum, c.fullMcFadden, relative: 0, absolute: Self.bound, "\(name): Σ Shapley")
        expectClose(sum, report.model.mcFaddenRSquared ?? .nan, relative: 0, absolute: 1e-7, "\(name): Σ Shapley vs the model")
        let codes = Set(report.warnings.map(\.code.rawValue))
        #expect(codes.isDisjoint(with: ["unfitted_submodels", "efficiency_check", "near_separation"]), "\(name): \(codes)")
        if ["aliased_triple", "telco_aliased"].contains(name) { #expect(codes.contains("aliased_drivers")) }
    }

    /// A flag with vip = 1 ⇒ no churn separates every submodel that holds it: those submodels have
    /// no maximum, and their ℓ is the supremum (the reference computes it exactly as the fit of
    /// the other drivers on the vip = 0 rows). The full model is separated too, so the analysis
    /// refuses it; the library's decomposition uses the limit (its fits stop when the remaining
    /// gain is below 10⁻¹¹·|ℓ|, so ℓ is within that of the supremum).
    @Test func quasiSeparatedSubmodelsContributeTheirSupremum() throws {
        let c = try #require(try Self.cases()["quasi_separated"])
        let sample = try SurveyData.load(csv: FixtureData.url(c.file).path).sample(outcome: c.outcome, drivers: c.drivers)
        let exact = try LogisticDominance(outcome: sample.outcome, drivers: sample.drivers, names: sample.driverNames)
        #expect(exact.unfittedSubsets == 0)
        for k in c.drivers.indices { expectClose(exact.values[k], c.shapley[k], relative: 0, absolute: 1e-7, c.drivers[k]) }
        expectClose(exact.values.reduce(0, +), c.fullMcFadden, relative: 0, absolute: 1e-7)
        let sampled = try SampledLogisticShapley(outcome: sample.outcome, drivers: sample.drivers, names: sample.driverNames, pairs: 200, seed: 5)
        #expect(sampled.unfittedSubsets == 0)
        expectClose(sampled.values.reduce(0, +), c.fullMcFadden, relative: 0, absolute: 1e-7)
        for k in c.drivers.indices {
            #expect(abs(sampled.values[k] - c.shapley[k]) <= 5 * sampled.standardErrors[k] + 1e-7, "\(c.drivers[k])")
        }
    }

    /// Random small problems — drivers on scales from 1 to 10⁴, event rates from 2 % to 50 % —
    /// the walk against every subset fitted from scratch by `LogisticRegression`.
    @Test func theWalkAgreesWithIndependentFitsOnRandomProblems() throws {
        var generator = SplitMix(seed: 20261205)
        for trial in 0..<24 {
            let n = 300 + Int(generator.next() % 500)
            let p = 2 + Int(generator.next() % 4)
            let scales = (0..<p).map { _ in pow(10, Double(generator.next() % 5)) }
            let x = (0..<p).map { j in (0..<n).map { _ in generator.normal() * scales[j] + scales[j] } }
            let intercept = -4 + 4 * generator.uniform()
            let beta = (0..<p).map { j in (generator.uniform() - 0.5) * 2 / scales[j] }
            let y = (0..<n).map { i -> Double in
                let eta = intercept + (0..<p).reduce(0) { $0 + beta[$1] * x[$1][i] }
                return generator.uniform() < 1 / (1 + exp(-eta)) ? 1 : 0
            }
            guard y.contains(0), y.contains(1) else { continue }
            let names = (0..<p).map { "x\($0)" }
            let walk = try LogisticDominance(outcome: y, drivers: x, names: names)
            let table = try LogisticSubsetWalkTests.bruteForce(outcome: y, drivers: x, names: names, players: (0..<p).map { [$0] })
            let reference = try DominanceAnalysis(names: names, fits: table)
            #expect(walk.unfittedSubsets == 0, "trial \(trial)")
            for j in 0..<p {
                expectClose(walk.values[j], reference.general[j], relative: 0, absolute: 1e-8, "trial \(trial) x\(j)")
            }
        }
    }
}
