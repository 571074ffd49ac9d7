import DriverAnalysis
import Fixtures
import Foundation
import PropertyBased
import Testing

/// Properties that must hold on any survey: checked on random surveys (sizes, driver counts and
/// data drawn from the seed PropertyBased generates; failures report a reproducible seed).
@Suite("Properties")
struct PropertyTests {
    /// A random survey: 3–8 touchpoints, 120–600 respondents, linear outcome.
    static func sample(_ seed: Int) throws -> AnalysisSample {
        let p = 3 + seed % 6, n = 120 + (seed / 7) % 481
        let survey = try SyntheticSurvey(respondents: n, touchpoints: p, seed: UInt64(seed))
        return try survey.generate().sample(outcome: "satisfaction", drivers: survey.touchpointNames)
    }

    @Test func shapleySumsToRSquaredAndSharesToOne() async {
        await propertyCheck(count: 40, input: Gen.int(in: 0...1_000_000)) { seed in
            let sample = try! Self.sample(seed)
            let shapley = try! ShapleyDecomposition(ImportanceInput(sample: sample))
            let ols = try! LinearRegression(sample)
            expectClose(shapley.values.reduce(0, +), ols.rSquared, relative: 1e-10)
            expectClose(shapley.shares.reduce(0, +), 1, relative: 1e-12)
            #expect(shapley.values.allSatisfy { $0 >= -1e-15 })
        }
    }

    @Test func invariantToScalingRowOrderAndEquivariantToDriverOrder() async {
        await propertyCheck(count: 30, input: Gen.int(in: 0...1_000_000)) { seed in
            let sample = try! Self.sample(seed)
            let names = sample.driverNames + ["y"]
            let base = try! ShapleyDecomposition(ImportanceInput(moments: Moments(names: names, columns: sample.drivers + [sample.outcome]), outcome: "y"))
            // Rescale one driver, reverse the rows, reverse the drivers.
            var drivers = sample.drivers
            drivers[0] = drivers[0].map { 3.5 * $0 - 11 }
            let reversedRows = drivers.map { Array($0.reversed()) }
            let reversedDrivers = Array(reversedRows.reversed())
            let changed = try! ShapleyDecomposition(ImportanceInput(
                moments: Moments(names: Array(sample.driverNames.reversed()) + ["y"], columns: reversedDrivers + [Array(sample.outcome.reversed())]),
                outcome: "y"))
            let p = sample.driverNames.count
            for j in 0..<p { expectClose(changed.values[p - 1 - j], base.values[j], relative: 1e-9, absolute: 1e-14) }
        }
    }

    @Test func momentsMergeIsAssociative() async {
        await propertyCheck(count: 30, input: Gen.int(in: 0...1_000_000)) { seed in
            let sample = try! Self.sample(seed)
            let n = sample.observationCount, cut1 = n / 3 + seed % 17, cut2 = 2 * n / 3
            let columns = sample.drivers + [sample.outcome]
            let names = sample.driverNames + ["y"]
            func part(_ r: Range<Int>) -> Moments { try! Moments(names: names, columns: columns.map { Array($0[r]) }) }
            let a = part(0..<cut1), b = part(cut1..<cut2), c = part(cut2..<n)
            let left = try! a.merged(with: b).merged(with: c), right = try! a.merged(with: b.merged(with: c))
            for k in 0..<left.crossProducts.elements.count {
                expectClose(left.crossProducts.elements[k], right.crossProducts.elements[k], relative: 1e-12, absolute: 1e-9)
            }
            for k in 0..<left.means.count { expectClose(left.means[k], right.means[k], relative: 1e-14, absolute: 1e-14) }
        }
    }

    @Test func olsByQRAndByMomentsAgree() async {
        await propertyCheck(count: 30, input: Gen.int(in: 0...1_000_000)) { seed in
            let sample = try! Self.sample(seed)
            let qr = try! LinearRegression(sample)
            let moments = try! sample.moments()
            let report = try! KeyDriverAnalysis.analyze(moments: moments, AnalysisConfiguration(outcome: sample.outcomeName))
            for (j, row) in report.drivers.enumerated() {
                expectClose(row.coefficient!.estimate, qr.coefficients[j + 1].estimate, relative: 1e-8, absolute: 1e-12)
                expectClose(row.coefficient!.standardError, qr.coefficients[j + 1].standardError, relative: 1e-8)
            }
            expectClose(report.model.rSquared!, qr.rSquared, relative: 1e-10)
            let intercept = report.model.intercept!
            expectClose(intercept.estimate, qr.coefficients[0].estimate, relative: 1e-8, absolute: 1e-10)
            expectClose(intercept.standardError, qr.coefficients[0].standardError, relative: 1e-8)
            expectClose(intercept.pValue, qr.coefficients[0].pValue, relative: 1e-6, absolute: 1e-300)
        }
    }
}
