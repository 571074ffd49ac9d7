@testable import DriverAnalysis
import Fixtures
import Foundation
import Testing

/// Each warning code of the catalogue (Docs/warnings.md) is raised by the situation it names.
@Suite("Warnings catalogue")
struct WarningsCatalogueTests {
    static func codes(_ data: SurveyData, _ configuration: AnalysisConfiguration) throws -> Set<String> {
        Set(try KeyDriverAnalysis.analyze(data, configuration).warnings.map(\.code.rawValue))
    }

    @Test func collinearityHeteroscedasticityAndLowVariance() throws {
        let n = 400
        let a = (0..<n).map { Double($0 % 11) }
        let b = (0..<n).map { Double(($0 * 7) % 11) }
        let nearCopy = zip(a, (0..<n)).map { $0 + (($1 % 3 == 0) ? 0.3 : 0) }          // VIF ≥ 10 with a
        let flat = (0..<n).map { $0 == 5 ? 9.0 : ($0 == 6 ? 10.0 : 8.0) }                  // a rating that barely varies
        // Noise that grows with b: heteroscedastic.
        var y = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let noise: Double = (Double((i * 13) % 7) - 3) / 2
            y[i] = a[i] + 0.5 * b[i] + (b[i] + 0.5) * noise
        }
        let data = try SurveyData(columns: ["a": a, "b": b, "copy": nearCopy, "flat": flat, "y": y])
        let found = try Self.codes(data, AnalysisConfiguration(outcome: "y", drivers: ["a", "b", "copy", "flat"]))
        #expect(found.isSuperset(of: ["vif_high", "heteroscedasticity", "low_variance_rating"]), "\(found)")
    }

    @Test func binaryOutcomeAsLinearFewEventsAndSuppressors() throws {
        let survey = try SyntheticSurvey(respondents: 300, touchpoints: 12, seed: 8, outcome: .churn)
        let data = survey.generate()
        let linear = try Self.codes(data, AnalysisConfiguration(outcome: "churn", drivers: survey.touchpointNames, model: .linear,
                                                                methods: [.regression, .correlation, .pratt]))
        #expect(linear.contains("binary_outcome_linear"))
        let logistic = try Self.codes(data, AnalysisConfiguration(outcome: "churn", drivers: survey.touchpointNames,
                                                                  methods: [.regression, .relativeWeights]))
        #expect(logistic.contains("few_events_per_driver"), "\(logistic)")
        // Classic suppressor: x2 is uncorrelated with y but correlated with x1's noise.
        let n = 500
        let noise = (0..<n).map { SyntheticSurvey.normal(1, UInt64($0), 3) }
        let signal = (0..<n).map { SyntheticSurvey.normal(1, UInt64($0), 9) }
        let x1 = zip(signal, noise).map { $0 + $1 }, x2 = noise
        let y = signal.enumerated().map { $1 + 0.3 * SyntheticSurvey.normal(1, UInt64($0), 21) }
        let suppressed = try SurveyData(columns: ["x1": x1, "x2": x2, "y": y])
        #expect(try Self.codes(suppressed, AnalysisConfiguration(outcome: "y", drivers: ["x1", "x2"])).contains("suppressor"))
    }

    @Test func unstableQuadrantsAreFlaggedWithTheBootstrap() throws {
        let survey = try SyntheticSurvey(respondents: 150, touchpoints: 6, seed: 33)
        let report = try KeyDriverAnalysis.analyze(survey.generate(), AnalysisConfiguration(
            outcome: "satisfaction", drivers: survey.touchpointNames, bootstrap: 60, seed: 4))
        #expect(report.drivers.allSatisfy { $0.quadrantProbability != nil && $0.rankProbability != nil && $0.signFlipProbability != nil })
        let unstable = report.drivers.filter { $0.quadrantUnstable == true }
        #expect(unstable.isEmpty == !report.warnings.contains { $0.code.rawValue == "quadrant_unstable" })
    }
}

@Suite("Decision confidence")
struct DecisionConfidenceTests {
    @Test func logisticModelsGetBootstrappedQuadrantsRanksAndComparisons() throws {
        let survey = try SyntheticSurvey(respondents: 1_500, touchpoints: 4, seed: 44, outcome: .churn)
        let report = try KeyDriverAnalysis.analyze(survey.generate(), AnalysisConfiguration(
            outcome: "churn", drivers: survey.touchpointNames, bootstrap: 30, seed: 2))
        #expect(report.model.kind == .logistic)
        for d in report.drivers {
            #expect(d.importanceIntervals[.shapley] != nil && d.quadrantProbability != nil && d.rankInterval != nil)
            #expect(d.signFlipProbability.map { $0 >= 0 && $0 <= 1 } == true)
        }
        #expect(report.importanceComparisons.count == 6)   // pairs among the top four
        // The most important driver beats the runner-up in most resamples.
        #expect(report.importanceComparisons[0].probability > 0.5)
        #expect(report.json["importance_comparisons"] != nil)
    }

    @Test func logisticDominanceWeightsActAsFrequencies() throws {
        let survey = try SyntheticSurvey(respondents: 400, touchpoints: 3, seed: 45, outcome: .churn)
        let sample = try survey.generate().sample(outcome: "churn", drivers: survey.touchpointNames)
        let weights = (0..<sample.observationCount).map { Double($0 % 3) }
        var y: [Double] = [], x = [[Double]](repeating: [], count: 3)
        for i in 0..<sample.observationCount {
            for _ in 0..<Int(weights[i]) {
                y.append(sample.outcome[i])
                for j in 0..<3 { x[j].append(sample.drivers[j][i]) }
            }
        }
        let weighted = try LogisticDominance(outcome: sample.outcome, drivers: sample.drivers, names: survey.touchpointNames, weights: weights)
        let duplicated = try LogisticDominance(outcome: y, drivers: x, names: survey.touchpointNames)
        for j in 0..<3 { expectClose(weighted.values[j], duplicated.values[j], relative: 1e-8) }
    }
}

@Suite("Decision confidence on simulated truth")
struct SimulatedTruthTests {
    /// y = x₁ + 0.5x₂ + 0.5x₃ + 0.2x₄ + ε with independent standard normal drivers and noise:
    /// the true Shapley values are βⱼ²/Var(y), Var(y) = 2.54.
    static let beta = [1.0, 0.5, 0.5, 0.2]
    static let truth = beta.map { $0 * $0 / 2.54 }

    static func simulate(n: Int, seed: UInt64) -> (drivers: [[Double]], y: [Double]) {
        var drivers = [[Double]](repeating: [Double](repeating: 0, count: n), count: 4)
        var y = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var value = SyntheticSurvey.normal(seed, UInt64(i), 100)
            for j in 0..<4 {
                let x = SyntheticSurvey.normal(seed, UInt64(i), UInt64(10 * j + 2))
                drivers[j][i] = x
                value += beta[j] * x
            }
            y[i] = value
        }
        return (drivers, y)
    }

    @Test func percentileIntervalsCoverTheTruth() throws {
        let names = ["dominant", "tied_a", "tied_b", "weak"]
        var covered = [Int](repeating: 0, count: 4)
        let simulations = 60
        for s in 0..<simulations {
            let (drivers, y) = Self.simulate(n: 400, seed: UInt64(1_000 + s))
            let data = try SurveyData(columns: ["dominant": drivers[0], "tied_a": drivers[1], "tied_b": drivers[2], "weak": drivers[3], "y": y])
            let sample = try data.sample(outcome: "y", drivers: names)
            let boot = try Bootstrap.shapley(sample, replicates: 200, seed: UInt64(s))
            for j in 0..<4 where boot.intervals[j].percentile.lower <= Self.truth[j] && Self.truth[j] <= boot.intervals[j].percentile.upper {
                covered[j] += 1
            }
        }
        let coverage = covered.map { Double($0) / Double(simulations) }
        print("coverage of 95 % percentile intervals over \(simulations) simulations:", coverage)
        // Binomial(60, 0.95) puts 99 % of its mass above 0.85.
        #expect(coverage.allSatisfy { $0 >= 0.85 }, "\(coverage)")
    }

    /// Over repeated simulations the dominant driver is always ranked first with near certainty,
    /// while the truly tied pair is, in most samples, reported as undecided.
    @Test func dominantIsSureTiedPairIsNot() throws {
        var undecided = 0
        let simulations = 20
        for s in 0..<simulations {
            let (drivers, y) = Self.simulate(n: 400, seed: UInt64(5_000 + s))
            let data = try SurveyData(columns: ["dominant": drivers[0], "tied_a": drivers[1], "tied_b": drivers[2], "weak": drivers[3], "y": y])
            let report = try KeyDriverAnalysis.analyze(data, AnalysisConfiguration(outcome: "y", methods: [.shapley], bootstrap: 200, seed: UInt64(s)))
            let dominant = try #require(report.drivers.first { $0.name == "dominant" })
            #expect(dominant.rank == 1 && dominant.rankProbability! > 0.95)
            let tied = try #require(report.importanceComparisons.first { Set([$0.a, $0.b]) == ["tied_a", "tied_b"] })
            let tiedRows = report.drivers.filter { $0.name.hasPrefix("tied") }
            if tied.probability > 0.1 && tied.probability < 0.9 && tiedRows.allSatisfy({ $0.rankProbability! < 0.9 }) { undecided += 1 }
        }
        print("tied pair undecided in \(undecided) of \(simulations) simulations")
        #expect(undecided >= simulations / 2)
    }

    /// On Telco, with the contract (a factor: its what-if is a gap) and tenure (a profile
    /// attribute) beside paperless billing, the only action holds a small part of the fit: the
    /// note says so and names what is left out. A survey of ratings (all actions) gets no note.
    @Test func actionsThatLeaveOutMostOfTheFitAreNamed() throws {
        let telco = try SurveyData.load(csv: FixtureData.url("telco/Telco-Customer-Churn.csv").path)
        var configuration = AnalysisConfiguration(outcome: "Churn", drivers: ["Contract", "tenure", "PaperlessBilling"], event: "Yes")
        configuration.methods = [.regression, .shapley]
        let report = try KeyDriverAnalysis.analyze(telco, configuration)
        let note = try #require(report.warnings.first { $0.code == .actionsLeaveOutMost })
        #expect(report.actionOrder == ["PaperlessBilling"])
        #expect(note.message.contains("Contract (") && note.message.contains("tenure (") && note.message.contains("the 1 action listed"), "\(note.message)")
        let survey = try SyntheticSurvey(respondents: 400, touchpoints: 4, seed: 3, outcome: .linear)
        let ratings = try KeyDriverAnalysis.analyze(survey.generate(), AnalysisConfiguration(outcome: "satisfaction", drivers: survey.touchpointNames))
        #expect(!ratings.warnings.contains { $0.code == .actionsLeaveOutMost })
    }
}

