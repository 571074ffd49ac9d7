import DriverAnalysis
import LinearAlgebra
import Fixtures
import Foundation
import Testing

/// The warm-started logistic subset walk against brute force (every subset fitted from scratch
/// by `LogisticRegression`), statsmodels, and the values of the previous implementation.
@Suite("Logistic subset walk")
struct LogisticSubsetWalkTests {
    static func churn(respondents: Int, touchpoints: Int, seed: UInt64) throws -> AnalysisSample {
        let survey = try SyntheticSurvey(respondents: respondents, touchpoints: touchpoints, seed: seed, outcome: .churn)
        return try survey.generate().sample(outcome: "churn", drivers: survey.touchpointNames)
    }

    /// Pseudo-R² of every subset of `players` (each a list of driver indices), with `controls` in
    /// every model, each fitted from scratch.
    static func bruteForce(_ sample: AnalysisSample, players: [[Int]], controls: [Int] = [], weights: [Double]? = nil,
                           nagelkerke: Bool = false) throws -> [Double] {
        try bruteForce(outcome: sample.outcome, drivers: sample.drivers, names: sample.driverNames, players: players,
                       controls: controls, weights: weights, nagelkerke: nagelkerke)
    }

    static func bruteForce(outcome: [Double], drivers: [[Double]], names: [String], players: [[Int]], controls: [Int] = [],
                           weights: [Double]? = nil, nagelkerke: Bool = false) throws -> [Double] {
        let g = players.count
        func fit(_ columns: [Int]) throws -> Double {
            if columns.isEmpty { return 0 }
            let model = try LogisticRegression(outcome: outcome, drivers: columns.map { drivers[$0] },
                                               names: columns.map { names[$0] }, weights: weights)
            return nagelkerke ? model.nagelkerkeRSquared : model.mcFaddenRSquared
        }
        let base = try fit(controls)
        return try (0..<(1 << g)).map { mask in
            try fit(controls + (0..<g).filter { mask & (1 << $0) != 0 }.flatMap { players[$0] }) - base
        }
    }

    /// Values of the previous implementation (size-by-size parallel fits with `LogisticRegression.newton`,
    /// commit 49d3f27) on `churn(2_000, 8, seed 37)`, printed with 17 digits.
    static let previousMcFadden = [0.037369731215598924, 0.02639138373398894, 0.02511012987287348, 0.018002489710433851,
                                   0.019172425504372242, 0.023516445385725986, 0.015073605531432541, 0.012125023858727902]
    static let previousNagelkerke = [0.053696836632296949, 0.038366525195192902, 0.036836936209946942, 0.026726322092028524,
                                     0.028492402787064715, 0.034659415861508974, 0.02261784920562835, 0.018193627743566712]
    static let previousWeighted = [0.039467398920793297, 0.024851868655435243, 0.019330496711424686, 0.01246513774544079,
                                   0.026950179826854541, 0.022821655173863867, 0.018040215208879613, 0.017525543586210945]

    @Test func matchesThePreviousImplementation() throws {
        let sample = try Self.churn(respondents: 2_000, touchpoints: 8, seed: 37)
        let names = sample.driverNames
        let weights = (0..<sample.observationCount).map { Double($0 % 3) }
        let mcFadden = try LogisticDominance(outcome: sample.outcome, drivers: sample.drivers, names: names)
        let nagelkerke = try LogisticDominance(outcome: sample.outcome, drivers: sample.drivers, names: names, fit: .nagelkerke)
        let weighted = try LogisticDominance(outcome: sample.outcome, drivers: sample.drivers, names: names, weights: weights)
        for j in 0..<8 {
            expectClose(mcFadden.values[j], Self.previousMcFadden[j], relative: 1e-9, names[j])
            expectClose(nagelkerke.values[j], Self.previousNagelkerke[j], relative: 1e-9, names[j])
            expectClose(weighted.values[j], Self.previousWeighted[j], relative: 1e-9, names[j])
        }
        #expect(mcFadden.unfittedSubsets == 0 && weighted.unfittedSubsets == 0)
    }

    struct StatsmodelsCase: Decodable {
        let players: [String]
        let members: [[String]]
        let controls: [String]
        let shapley: [Double]
        let control_mcfadden: Double
        let full_mcfadden: Double
    }

    /// Telco churn against statsmodels (every subset by `Logit`; `Tests/Fixtures/Scripts/logistic_dominance.py`),
    /// plain and with a control and a group.
    @Test func matchesStatsmodelsOnTelco() throws {
        struct File: Decodable { let plain: StatsmodelsCase; let controls_groups: StatsmodelsCase }
        let file = try JSONDecoder().decode(File.self, from: Data(FixtureData.text("models/logistic_dominance_telco.json").utf8))
        let reference = ["plain": file.plain, "controls_groups": file.controls_groups]
        let data = try SurveyData.load(csv: FixtureData.url("telco/Telco-Customer-Churn.csv").path)
        let drivers = ["tenure", "MonthlyCharges", "SeniorCitizen", "PaperlessBilling", "Partner"]
        let sample = try data.sample(outcome: "Churn", drivers: drivers)
        for key in ["plain", "controls_groups"] {
            let expected = try #require(reference[key])
            let groups = zip(expected.players, expected.members).filter { $0.1.count > 1 }.map { (name: $0.0, members: $0.1) }
            let walk = try LogisticDominance(outcome: sample.outcome, drivers: sample.drivers, names: drivers,
                                             controls: expected.controls, groups: groups)
            #expect(walk.dominance.names == expected.players)
            for j in expected.players.indices { expectClose(walk.values[j], expected.shapley[j], relative: 1e-9, "\(key) \(expected.players[j])") }
            expectClose(walk.controlFit, expected.control_mcfadden, relative: 1e-9, absolute: 1e-15)
            expectClose(walk.values.reduce(0, +) + walk.controlFit, expected.full_mcfadden, relative: 1e-9)
        }
    }

    @Test func everySubsetMatchesBruteForceWithWeights() throws {
        let sample = try Self.churn(respondents: 1_500, touchpoints: 6, seed: 5)
        let weights = (0..<sample.observationCount).map { Double(($0 * 7) % 4) * 0.5 }
        for (w, nagelkerke) in [(nil, false), (weights, false), (weights, true)] as [([Double]?, Bool)] {
            let table = try Self.bruteForce(sample, players: (0..<6).map { [$0] }, weights: w, nagelkerke: nagelkerke)
            let reference = try DominanceAnalysis(names: sample.driverNames, fits: table)
            let walk = try LogisticDominance(outcome: sample.outcome, drivers: sample.drivers, names: sample.driverNames,
                                             weights: w, fit: nagelkerke ? .nagelkerke : .mcFadden)
            for j in 0..<6 {
                expectClose(walk.values[j], reference.general[j], relative: 1e-9)
                // Conditional values are differences of fits, some near 1e-4: 1e-12 absolute (R² units)
                // is the accuracy of the reference fits themselves (stopped at R's 1e-8 deviance rule).
                for k in 0..<6 { expectClose(walk.dominance.conditional[j][k], reference.conditional[j][k], relative: 1e-9, absolute: 1e-12) }
            }
            #expect(walk.dominance.complete == reference.complete)
        }
    }

    @Test func controlsAndGroupsMatchBruteForce() throws {
        let sample = try Self.churn(respondents: 1_500, touchpoints: 7, seed: 11)
        let names = sample.driverNames
        // Controls t2, t5; group "digital" = t0, t3; group "store" = t6; the rest single.
        let groups = [(name: "digital", members: [names[0], names[3]]), (name: "store", members: [names[6]])]
        let walk = try LogisticDominance(outcome: sample.outcome, drivers: sample.drivers, names: names,
                                         controls: [names[2], names[5]], groups: groups)
        let players = [[0, 3], [6], [1], [4]]
        #expect(walk.dominance.names == ["digital", "store", names[1], names[4]])
        #expect(walk.members == players.map { $0.map { names[$0] } })
        let table = try Self.bruteForce(sample, players: players, controls: [2, 5])
        let reference = try DominanceAnalysis(names: walk.dominance.names, fits: table)
        for j in 0..<4 { expectClose(walk.values[j], reference.general[j], relative: 1e-9, walk.dominance.names[j]) }
        let full = try LogisticRegression(outcome: sample.outcome, drivers: sample.drivers, names: names)
        let controlsOnly = try LogisticRegression(outcome: sample.outcome, drivers: [sample.drivers[2], sample.drivers[5]], names: [names[2], names[5]])
        expectClose(walk.values.reduce(0, +), full.mcFaddenRSquared - controlsOnly.mcFaddenRSquared, relative: 1e-9)
        expectClose(walk.controlFit, controlsOnly.mcFaddenRSquared, relative: 1e-9)
    }

    @Test func aliasedDriverIsDroppedLikeGLM() throws {
        let sample = try Self.churn(respondents: 1_200, touchpoints: 4, seed: 23)
        var drivers = sample.drivers
        drivers.append(zip(drivers[0], drivers[1]).map { 2 * $0 - $1 + 3 })   // in the span of t0, t1 and the intercept
        let names = sample.driverNames + ["combo"]
        let table = try Self.bruteForce(outcome: sample.outcome, drivers: drivers, names: names, players: (0..<5).map { [$0] })
        let reference = try DominanceAnalysis(names: names, fits: table)
        let walk = try LogisticDominance(outcome: sample.outcome, drivers: drivers, names: names)
        for j in 0..<5 { expectClose(walk.values[j], reference.general[j], relative: 1e-9, names[j]) }
        #expect(walk.unfittedSubsets == 0)
    }

    /// A driver that separates the outcome completely: every submodel holding it has no maximum,
    /// and its log-likelihood tends to 0 (McFadden R² → 1). Those submodels contribute that
    /// supremum — never an increment of 0; the others are the plain walk's.
    @Test func separatingDriverContributesTheSupremum() throws {
        let sample = try Self.churn(respondents: 600, touchpoints: 3, seed: 29)
        let separator = sample.outcome.enumerated().map { $1 * 10 + Double($0 % 7) / 10 }
        let names = sample.driverNames + ["separator"]
        let walk = try LogisticDominance(outcome: sample.outcome, drivers: sample.drivers + [separator], names: names)
        let plain = try LogisticDominance(outcome: sample.outcome, drivers: sample.drivers, names: sample.driverNames)
        #expect(walk.unfittedSubsets == 0)
        // v(S) = R²(S) for S without the separator, 1 with it: Shapley values by the formula.
        var table = [Double](repeating: 1, count: 16)
        for mask in 0..<8 { table[mask] = mask == 0 ? 0 : try Self.bruteForce(sample, players: [[0], [1], [2]])[mask] }
        let reference = try DominanceAnalysis(names: names, fits: table)
        for j in 0..<4 { expectClose(walk.values[j], reference.general[j], relative: 0, absolute: 1e-7, names[j]) }
        expectClose(walk.values.reduce(0, +), 1, relative: 0, absolute: 1e-7)
        #expect(plain.separatedSubsets == 0)
    }

    @Test func identicalForOneTwoAndEightWorkers() throws {
        let sample = try Self.churn(respondents: 1_000, touchpoints: 9, seed: 3)
        let runs = try [1, 2, 8].map { workers in
            try Parallel.$workers.withValue(workers) {
                try LogisticDominance(outcome: sample.outcome, drivers: sample.drivers, names: sample.driverNames).dominance.conditional
            }
        }
        #expect(runs[0] == runs[1] && runs[0] == runs[2])
    }

    @Test func progressReportsFractionsAndCancels() throws {
        let sample = try Self.churn(respondents: 500, touchpoints: 9, seed: 8)
        let seen = Locked<[Double]>([])
        _ = try LogisticDominance(outcome: sample.outcome, drivers: sample.drivers, names: sample.driverNames) { fraction in
            seen.withLock { $0.append(fraction) }
            return true
        }
        let fractions = seen.withLock { $0 }
        #expect(fractions.count > 10 && fractions.last == 1 && zip(fractions, fractions.dropFirst()).allSatisfy { $0 < $1 })
        // The library's one cancellation error, caught as a DriverAnalysisError (the async form
        // turns it into CancellationError).
        #expect(throws: ImportanceError.cancelled) {
            try LogisticDominance(outcome: sample.outcome, drivers: sample.drivers, names: sample.driverNames) { $0 < 0.3 }
        }
    }

    @Test func bootstrapReplicatesAreTheBootstrapsResamples() throws {
        let sample = try Self.churn(respondents: 400, touchpoints: 4, seed: 19)
        let names = sample.driverNames
        let fast = try LogisticDominance.bootstrapReplicates(outcome: sample.outcome, drivers: sample.drivers, names: names,
                                                             replicates: 6, seed: 7)
        let reference = try Bootstrap(rowCount: sample.observationCount, replicates: 6, seed: 7) { weights in
            try LogisticDominance(outcome: sample.outcome, drivers: sample.drivers, names: names, weights: weights).values
        }
        #expect(fast == reference.replicates)
        let again = try Parallel.$workers.withValue(1) {
            try LogisticDominance.bootstrapReplicates(outcome: sample.outcome, drivers: sample.drivers, names: names, replicates: 6, seed: 7)
        }
        #expect(again == fast)
    }

    @Test func rejectsUnknownAndRepeatedNames() throws {
        let sample = try Self.churn(respondents: 300, touchpoints: 3, seed: 2)
        let names = sample.driverNames
        #expect(throws: ImportanceError.self) {
            try LogisticDominance(outcome: sample.outcome, drivers: sample.drivers, names: names, controls: ["nope"])
        }
        #expect(throws: ImportanceError.self) {
            try LogisticDominance(outcome: sample.outcome, drivers: sample.drivers, names: names, controls: [names[0]],
                                  groups: [(name: "g", members: [names[0], names[1]])])
        }
    }
}

/// A value behind a lock, for collecting callbacks made from worker threads.
final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func withLock<T>(_ body: (inout Value) -> T) -> T { lock.withLock { body(&value) } }
}

@Suite("Logistic row kernels")
struct LogisticRowKernelTests {
    /// The call-free `exp` and `log(1 + t)` of the SIMD kernels against the C library, in ulp.
    @Test func exponentialAndLogAreAccurateToAFewUlp() {
        var worstExp = 0.0, worstLog = 0.0
        for k in 0...20_000 {
            let x = -Double(k) * 0.0351                         // 0 … −702
            let reference = exp(x)
            if reference > 1e-300 {
                worstExp = max(worstExp, abs(VectorKernels.exponential(nonPositive: x) - reference) / reference.ulp)
            }
            let t = Double(k) / 20_000                           // 0 … 1
            let log = Foundation.log1p(t)
            if t > 0 { worstLog = max(worstLog, abs(VectorKernels.log1p(unit: t) - log) / log.ulp) }
        }
        #expect(worstExp <= 4 && worstLog <= 4, "exp \(worstExp) ulp, log1p \(worstLog) ulp")
        // The vectorized sum agrees with the scalar formula (four rows at a time plus a tail).
        let t = (0..<11).map { Double($0) / 10 }, w = (0..<11).map { Double($0 % 3) }
        let sum = t.withUnsafeBufferPointer { tp in w.withUnsafeBufferPointer { VectorKernels.weightedLog1pSum(count: 11, t: tp.baseAddress!, w: $0.baseAddress!) } }
        expectClose(sum, zip(t, w).reduce(0) { $0 + $1.1 * Foundation.log1p($1.0) }, relative: 1e-15)
    }

    /// The register-tiled `XᵀWX` against the triple loop, on shapes that leave tails everywhere.
    @Test func weightedGramMatchesTheDefinition() {
        for (n, k) in [(1, 1), (7, 3), (13, 5), (33, 7), (64, 9)] {
            let x = (0..<(n * k)).map { sin(Double($0) * 0.7) * 3 }
            let w = (0..<n).map { 0.1 + Double($0 % 5) / 7 }
            var h = [Double](repeating: 0, count: k * k)
            x.withUnsafeBufferPointer { xp in
                w.withUnsafeBufferPointer { wp in
                    h.withUnsafeMutableBufferPointer {
                        VectorKernels.weightedGram(rows: n, columns: k, x: xp.baseAddress!, ldx: n, weights: wp.baseAddress!, into: $0.baseAddress!, ldh: k)
                    }
                }
            }
            for b in 0..<k {
                for a in 0..<k {
                    let exact = (0..<n).reduce(0.0) { $0 + w[$1] * x[$1 + a * n] * x[$1 + b * n] }
                    if a <= b { expectClose(h[a + b * k], exact, relative: 1e-13, absolute: 1e-13) } else { #expect(h[a + b * k] == 0) }
                }
            }
        }
    }
}
