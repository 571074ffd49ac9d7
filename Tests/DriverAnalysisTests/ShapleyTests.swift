@testable import DriverAnalysis
import LinearAlgebra
import Fixtures
import Foundation
import Testing

/// A straightforward reference: R² of every subset by solving `R_SS β = r_S` (Cholesky), then
/// Shapley values and conditional dominance straight from their definitions.
enum BruteForceImportance {
    static func rSquared(_ input: ImportanceInput, _ subset: [Int]) throws -> Double {
        guard !subset.isEmpty else { return 0 }
        var m = try Matrix(rows: subset.count, columns: subset.count)
        for (a, i) in subset.enumerated() { for (b, j) in subset.enumerated() { m[a, b] = input.driverCorrelation[i, j] } }
        let r = subset.map { input.outcomeCorrelation[$0] }
        let beta = try Cholesky(m).solve(r)
        return zip(beta, r).reduce(0) { $0 + $1.0 * $1.1 }
    }

    static func table(_ input: ImportanceInput) throws -> [Double] {
        let p = input.driverCount
        return try (0..<(1 << p)).map { mask in try rSquared(input, (0..<p).filter { mask & (1 << $0) != 0 }) }
    }

    static func shapley(_ input: ImportanceInput) throws -> (values: [Double], conditional: [[Double]]) {
        let p = input.driverCount, r2 = try table(input)
        var values = [Double](repeating: 0, count: p)
        var conditional = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
        var counts = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
        func factorial(_ k: Int) -> Double { k <= 1 ? 1 : (2...k).reduce(1.0) { $0 * Double($1) } }
        for j in 0..<p {
            for mask in 0..<(1 << p) where mask & (1 << j) == 0 {
                let k = mask.nonzeroBitCount
                let gain = r2[mask | (1 << j)] - r2[mask]
                values[j] += factorial(k) * factorial(p - k - 1) / factorial(p) * gain
                conditional[j][k] += gain
                counts[j][k] += 1
            }
        }
        for j in 0..<p { for k in 0..<p { conditional[j][k] /= counts[j][k] } }
        return (values, conditional)
    }
}

@Suite("Exact Shapley / LMG")
struct ShapleyTests {
    static func input(_ data: SurveyData, outcome: String, drivers: [String]) throws -> ImportanceInput {
        try ImportanceInput(sample: data.sample(outcome: outcome, drivers: drivers))
    }

    static let yellow = try! SurveyData.load(csv: FixtureData.url("yellow-pages/customerSat.csv").path)
    static let mobi = try! SurveyData.load(csv: FixtureData.url("ecsi-mobi/mobi.csv").path)

    @Test("matches brute force on real surveys", arguments: [3, 6, 9])
    func matchesBruteForce(count: Int) throws {
        let input = try Self.input(Self.yellow, outcome: "q1", drivers: (2..<(2 + count)).map { "q\($0)" })
        let exact = try ShapleyDecomposition(input)
        let reference = try BruteForceImportance.shapley(input)
        for j in 0..<count {
            expectClose(exact.values[j], reference.values[j], relative: 1e-10, "φ\(j)")
            for k in 0..<count { expectClose(exact.conditional[j][k], reference.conditional[j][k], relative: 1e-10, absolute: 1e-14) }
        }
        expectClose(exact.values.reduce(0, +), exact.rSquared, relative: 1e-12)
        expectClose(exact.shares.reduce(0, +), 1, relative: 1e-12)
        expectClose(exact.rSquared, try LinearRegression(Self.yellow.sample(outcome: "q1", drivers: input.names)).rSquared, relative: 1e-10)
    }

    @Test("parallel walk (p ≥ 12) matches brute force")
    func parallelWalk() throws {
        let drivers = ["CUEX1", "CUEX2", "CUEX3", "IMAG1", "IMAG2", "IMAG3", "IMAG4", "IMAG5", "PERQ1", "PERQ2", "PERQ3", "PERQ4", "PERV1"]
        let input = try Self.input(Self.mobi, outcome: "CUSA1", drivers: drivers)
        let exact = try ShapleyDecomposition(input)
        let reference = try BruteForceImportance.shapley(input)
        for j in drivers.indices { expectClose(exact.values[j], reference.values[j], relative: 1e-10) }
    }

    @Test func invariances() throws {
        let drivers = ["PERQ1", "PERQ2", "PERV1", "IMAG1", "CUEX1"]
        let sample = try Self.mobi.sample(outcome: "CUSA1", drivers: drivers)
        let base = try ShapleyDecomposition(ImportanceInput(sample: sample))
        // Rescaling a driver changes nothing.
        var scaledDrivers = sample.drivers
        scaledDrivers[2] = scaledDrivers[2].map { 7 * $0 - 3 }
        let scaled = try ShapleyDecomposition(ImportanceInput(moments: Moments(names: drivers + ["y"], columns: scaledDrivers + [sample.outcome]), outcome: "y"))
        for j in drivers.indices { expectClose(scaled.values[j], base.values[j], relative: 1e-12) }
        // Permuting drivers permutes the values.
        let order = [3, 0, 4, 2, 1]
        let permuted = try ShapleyDecomposition(ImportanceInput(moments: Moments(names: order.map { drivers[$0] } + ["y"],
                                                                                 columns: order.map { sample.drivers[$0] } + [sample.outcome]), outcome: "y"))
        for (k, j) in order.enumerated() { expectClose(permuted.values[k], base.values[j], relative: 1e-12) }
        // One driver: φ = r².
        let single = try ShapleyDecomposition(ImportanceInput(moments: Moments(names: ["x", "y"], columns: [sample.drivers[0], sample.outcome]), outcome: "y"))
        let r = try Correlation.test(sample.drivers[0], sample.outcome).estimate
        expectClose(single.values[0], r * r, relative: 1e-12)
    }

    @Test func orthogonalDriversGetTheirSquaredCorrelation() throws {
        // R = I: φⱼ = rⱼ², and a driver uncorrelated with everything gets 0.
        let names = ["a", "b", "c", "y"]
        let correlation = try Matrix(rows: [[1, 0, 0, 0.5], [0, 1, 0, 0.3], [0, 0, 1, 0], [0.5, 0.3, 0, 1]])
        let shapley = try ShapleyDecomposition(ImportanceInput(correlation: correlation, names: names, outcome: "y"))
        expectClose(shapley.values[0], 0.25, relative: 1e-15)
        expectClose(shapley.values[1], 0.09, relative: 1e-15)
        #expect(shapley.values[2] == 0)
    }

    @Test func collinearDriversAreReportedAndGetNoSpuriousCredit() throws {
        let x1: [Double] = [1, 2, 3, 4, 5, 6, 7, 9], x2: [Double] = [2, 1, 4, 3, 6, 5, 9, 7]
        let x3 = zip(x1, x2).map { $0 + $1 }
        let y: [Double] = [3, 2, 6, 5, 9, 9, 13, 12]
        let input = try ImportanceInput(moments: Moments(names: ["a", "b", "sum", "y"], columns: [x1, x2, x3, y]), outcome: "y")
        let shapley = try ShapleyDecomposition(input)
        #expect(!shapley.collinearDrivers.isEmpty)
        expectClose(shapley.values.reduce(0, +), shapley.rSquared, relative: 1e-10)
        expectClose(shapley.rSquared, try LinearRegression(outcome: y, drivers: [x1, x2], names: ["a", "b"]).rSquared, relative: 1e-10)
    }

    @Test func badInputIsATypedError() throws {
        let names = ["a", "b", "y"]
        let notPSD = try Matrix(rows: [[1, 0.9, 0.9], [0.9, 1, -0.9], [0.9, -0.9, 1]])
        #expect {
            try ImportanceInput(correlation: notPSD, names: names, outcome: "y")
        } throws: { error in
            if case .notPositiveSemidefinite = error as? ImportanceError { return true }
            return false
        }
        let constant = try Matrix(rows: [[1, 0, 0.2], [0, 0, 0], [0.2, 0, 1]])
        #expect(throws: ImportanceError.zeroVariance(driver: "b")) { try ImportanceInput(correlation: constant, names: names, outcome: "y") }
        #expect(throws: ImportanceError.tooFewDrivers(count: 0, minimum: 1)) {
            try ImportanceInput(correlation: Matrix.identity(1), names: ["y"], outcome: "y")
        }
        let input = try ImportanceInput(correlation: Matrix.identity(3), names: names, outcome: "y")
        #expect(throws: ImportanceError.tooManyDriversForExact(count: 2, limit: 1)) { try ShapleyDecomposition(input, exactLimit: 1) }
        #expect(throws: ImportanceError.cancelled) {
            let many = try ImportanceInput(correlation: Matrix.identity(15), names: (0..<14).map { "d\($0)" } + ["y"], outcome: "y")
            _ = try ShapleyDecomposition(many) { _ in false }
        }
    }
}

@Suite("Sampled Shapley")
struct SampledShapleyTests {
    @Test func agreesWithExactWithinFourStandardErrors() throws {
        let survey = try SyntheticSurvey(respondents: 5_000, touchpoints: 14, seed: 23)
        let input = try ImportanceInput(sample: survey.generate().sample(outcome: "satisfaction", drivers: survey.touchpointNames))
        let exact = try ShapleyDecomposition(input)
        let sampled = try SampledShapley(input, pairs: 400, seed: 7)
        for j in 0..<input.driverCount {
            #expect(abs(sampled.values[j] - exact.values[j]) <= 4 * sampled.standardErrors[j] + 1e-12,
                    "\(input.names[j]): sampled \(sampled.values[j]) ± \(sampled.standardErrors[j]), exact \(exact.values[j])")
        }
        // Every ordering's contributions sum to R², so the estimates do too.
        expectClose(sampled.values.reduce(0, +), exact.rSquared, relative: 1e-10)
        // Deterministic for a seed.
        let again = try SampledShapley(input, pairs: 400, seed: 7)
        #expect(again.values == sampled.values)
    }
}

@Suite("Exact or sampled")
struct ShapleyEstimateTests {
    @Test func beyondTheExactLimitSamplingNeedsPermission() throws {
        let survey = try SyntheticSurvey(respondents: 2_000, touchpoints: 5, seed: 41)
        let input = try ImportanceInput(sample: survey.generate().sample(outcome: "satisfaction", drivers: survey.touchpointNames))
        #expect(throws: ImportanceError.tooManyDriversForExact(count: 5, limit: 4)) { try ShapleyEstimate(input, exactLimit: 4) }
        let sampled = try ShapleyEstimate(input, exactLimit: 4, allowSampling: true, pairs: 200)
        #expect(sampled.standardErrors != nil)
        let exact = try ShapleyEstimate(input)
        #expect(exact.standardErrors == nil)
        for j in 0..<5 { #expect(abs(sampled.values[j] - exact.values[j]) <= 4 * sampled.standardErrors![j] + 1e-12) }
    }
}
