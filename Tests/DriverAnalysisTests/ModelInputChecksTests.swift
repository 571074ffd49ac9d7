import DriverAnalysis
import Fixtures
import Foundation
import LinearAlgebra
import Testing

/// The checks `KeyDriverAnalysis.analyze` makes hold when a model, a sample or the moments are
/// built directly: the outcome is not a driver, no driver is listed twice, values whose squares a
/// `Double` cannot hold are refused as such (never "collinear" or "zero variance"), `NaN` is not
/// data, and an unknown outcome is named even in an empty survey.
@Suite("model input checks")
struct ModelInputChecksTests {
    static let x: [Double] = (0..<30).map { Double($0 % 7) }
    static let z: [Double] = (0..<30).map { Double($0 % 5) }
    static let y: [Double] = zip(x, z).map { $0 + 0.3 * $1 + Double(Int($0) % 2) }

    static func survey(x: [Double] = ModelInputChecksTests.x) throws -> SurveyData {
        try SurveyData(columns: ["y": y, "x": x, "z": z])
    }

    @Test func theOutcomeIsNeverOneOfItsOwnDrivers() throws {
        let survey = try Self.survey()
        // Was R² = 1 without a word.
        #expect(throws: AnalysisError.outcomeAmongDrivers(outcome: "y")) {
            try LinearRegression(survey.sample(outcome: "y", drivers: ["y", "x"]))
        }
        #expect(throws: AnalysisError.outcomeAmongDrivers(outcome: "y")) {
            try AnalysisSample(outcome: (name: "y", values: Self.y), drivers: [(name: "x", values: Self.x), (name: "y", values: Self.y)])
        }
        #expect(throws: AnalysisError.duplicateDriver(name: "x", role: "driver")) { try survey.sample(outcome: "y", drivers: ["x", "z", "x"]) }
        #expect(throws: AnalysisError.duplicateDriver(name: "x", role: "driver")) {
            try LinearRegression(outcome: Self.y, drivers: [Self.x, Self.x], names: ["x", "x"])
        }
        #expect(throws: AnalysisError.duplicateDriver(name: "x", role: "driver")) {
            try LogisticRegression(outcome: Self.x.map { $0 > 3 ? 1 : 0 }, drivers: [Self.z, Self.z], names: ["x", "x"])
        }
        #expect(throws: AnalysisError.conflictingRoles(column: "z", roles: ["the weight", "a driver"])) {
            try survey.sample(outcome: "y", drivers: ["x", "z"], weight: "z")
        }
        #expect(throws: AnalysisError.conflictingRoles(column: "y", roles: ["the weight", "the outcome"])) {
            try survey.sample(outcome: "y", drivers: ["x"], weight: "y")
        }
    }

    @Test func anUnknownOutcomeIsNamedEvenInAnEmptySurvey() throws {
        let empty = try SurveyData(columns: [(name: String, values: [Double])]())
        // Was importance.tooFewDrivers: no driver could be chosen from no column.
        #expect(throws: SurveyDataError.unknownColumn(name: "y", suggestions: [])) {
            try KeyDriverAnalysis.analyze(empty, AnalysisConfiguration(outcome: "y"))
        }
        let noRows = try SurveyData(columns: ["satisfaction": [], "wifi": []])
        #expect(throws: SurveyDataError.unknownColumn(name: "satisfacton", suggestions: ["satisfaction"])) {
            try DriverSelection(data: noRows, configuration: AnalysisConfiguration(outcome: "satisfacton"))
        }
    }

    @Test func anInfiniteColumnIsNamedNotSilentlyDropped() throws {
        var x = Self.x
        x[3] = .infinity
        let report = try KeyDriverAnalysis.analyze(Self.survey(x: x), AnalysisConfiguration(outcome: "y"))
        #expect(report.drivers.map(\.name) == ["z"])
        let note = try #require(report.warnings.first { $0.code.rawValue == "column_left_out" })
        #expect(note.message == "column 'x' holds infinite values (row 5: 'inf'); it is left out of the default drivers — fix the cell or declare it missing (--na-values)")
        // Named as a driver, it is refused with its row.
        #expect(throws: SurveyDataError.nonFinite(path: "<memory>", row: 5, column: "x", value: "inf")) {
            try KeyDriverAnalysis.analyze(Self.survey(x: x), AnalysisConfiguration(outcome: "y", drivers: ["x", "z"]))
        }
    }

    /// 1e308 varies, but its squares overflow: the column is refused as out of scale before any
    /// variance is formed, by every entry point (it read "every driver is collinear" from the
    /// model and "zero variance" from the importance input).
    @Test func hugeValuesAreOutOfScaleNotZeroVariance() throws {
        let big = Self.x.map { ($0 / 7) * 1e308 + 1e307 }
        let largest = try #require(big.max())
        let refusal = SurveyDataError.extremeScale(column: "x", magnitude: largest)
        #expect(throws: refusal) { try KeyDriverAnalysis.analyze(Self.survey(x: big), AnalysisConfiguration(outcome: "y")) }
        #expect(throws: refusal) { try LinearRegression(outcome: Self.y, drivers: [big, Self.z], names: ["x", "z"]) }
        #expect(throws: refusal) { try LogisticRegression(outcome: Self.z.map { $0 > 2 ? 1 : 0 }, drivers: [big], names: ["x"]) }
        #expect(throws: refusal) { try Moments(names: ["x", "y"], columns: [big, Self.y]) }
        #expect(throws: refusal) {
            try ImportanceInput(sample: AnalysisSample(outcome: (name: "y", values: Self.y), drivers: [(name: "x", values: big), (name: "z", values: Self.z)]))
        }
        // A covariance matrix on a huge scale is standardized without overflow: the same input as
        // the correlation matrix (to rounding: a few ε).
        let moments = try Moments(names: ["x", "z", "y"], columns: [Self.x, Self.z, Self.y])
        var scaled = moments.covariance()
        scaled.withUnsafeMutableBufferPointer { c in for k in c.indices { c[k] *= 1e300 } }
        let fromScaled = try ImportanceInput(correlation: scaled, names: ["x", "z", "y"], outcome: "y")
        let fromCorrelation = try ImportanceInput(correlation: moments.correlation(), names: ["x", "z", "y"], outcome: "y")
        for (a, b) in zip(fromScaled.outcomeCorrelation + fromScaled.driverCorrelation.elements,
                          fromCorrelation.outcomeCorrelation + fromCorrelation.driverCorrelation.elements) {
            expectClose(a, b, relative: 1e-14, absolute: 1e-15)
        }
        // An infinite entry is named as such, not as a variance of zero.
        scaled.withUnsafeMutableBufferPointer { c in c[0] = .infinity }
        #expect(throws: LinearAlgebraError.nonFinite(operation: "ImportanceInput(correlation:names:outcome:) ('x', 'x')", row: 0, column: 0)) {
            try ImportanceInput(correlation: scaled, names: ["x", "z", "y"], outcome: "y")
        }
    }

    @Test func momentsRefuseNaNAndInvalidWeights() throws {
        var x = Self.x
        x[2] = .nan
        // Was a Moments value whose means and cross-products were NaN.
        #expect(throws: SurveyDataError.nonFinite(path: "<memory>", row: 4, column: "x", value: "nan")) {
            try Moments(names: ["x", "y"], columns: [x, Self.y])
        }
        x[2] = -.infinity
        #expect(throws: SurveyDataError.nonFinite(path: "<memory>", row: 4, column: "x", value: "-inf")) {
            try Moments(names: ["x", "y"], columns: [x, Self.y])
        }
        var weights = [Double](repeating: 1, count: 30)
        weights[9] = -2
        #expect(throws: SurveyDataError.invalidWeight(path: "<memory>", row: 11, column: "weight", value: -2, reason: "weights must be finite and not negative")) {
            try Moments(names: ["x", "y"], columns: [Self.x, Self.y], weights: weights)
        }
        // Complete, finite columns still give the moments they always gave.
        let moments = try Moments(names: ["x", "y"], columns: [Self.x, Self.y])
        expectClose(moments.means[0], Self.x.reduce(0, +) / 30, relative: 1e-15)
    }
}
