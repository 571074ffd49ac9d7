import Foundation
import LinearAlgebra

/// One NIST StRD linear least-squares dataset with its certified values.
///
/// Parsed from the original `.dat` file (`Data/nist-strd`, public domain, see its README):
/// the header gives the line ranges of the certified block and of the data.
public struct NISTDataset: Sendable {
    public let name: String
    /// Certified estimates `B0…` (NoInt1/2: `B1` only), in model order.
    public let certifiedCoefficients: [Double]
    public let certifiedStandardErrors: [Double]
    public let certifiedResidualSD: Double
    public let certifiedRSquared: Double
    public let y: [Double]
    /// Predictor values, one array per predictor column in the file.
    public let predictors: [[Double]]

    public static let all = ["Norris", "Pontius", "NoInt1", "NoInt2", "Filip", "Longley",
                             "Wampler1", "Wampler2", "Wampler3", "Wampler4", "Wampler5"]

    /// Whether the model has an intercept (all but NoInt1 and NoInt2).
    public var hasIntercept: Bool { !name.hasPrefix("NoInt") }

    /// The design matrix the certified model uses: intercept (if any), then predictors, or the
    /// powers `x, x², …` for the polynomial datasets (Pontius, Filip, Wampler1–5).
    public func design() throws -> Matrix {
        var columns: [[Double]] = []
        if hasIntercept { columns.append([Double](repeating: 1, count: y.count)) }
        let degree = certifiedCoefficients.count - (hasIntercept ? 1 : 0)
        if predictors.count == 1 && degree > 1 {
            let x = predictors[0]
            for power in 1...degree { columns.append(x.map { pow($0, Double(power)) }) }
        } else {
            columns.append(contentsOf: predictors)
        }
        return try Matrix(columns: columns)
    }

    public init(named name: String) throws {
        self.name = name
        let text = try FixtureData.text("nist-strd/\(name).dat")
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        func range(_ label: String) -> ClosedRange<Int> {
            let line = lines.first { $0.contains(label) && $0.contains("lines") }!
            let numbers = line.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            return numbers[numbers.count - 2]...numbers[numbers.count - 1]
        }
        func number(_ token: Substring) -> Double {
            if token == "Infinity" { return .infinity }
            return Double(token.hasPrefix(".") ? "0" + token : String(token))!
        }
        var coefficients: [Double] = [], errors: [Double] = []
        var sd = Double.nan, r2 = Double.nan
        for line in lines[(range("Certified Values").lowerBound - 1)...(range("Certified Values").upperBound - 1)] {
            let tokens = line.split(whereSeparator: \.isWhitespace)
            guard let first = tokens.first else { continue }
            if first.hasPrefix("B"), tokens.count == 3, Int(first.dropFirst()) != nil {
                coefficients.append(number(tokens[1]))
                errors.append(number(tokens[2]))
            } else if line.contains("Standard Deviation"), let last = tokens.last, tokens.count == 3 {
                sd = number(last)
            } else if first == "R-Squared" {
                r2 = number(tokens[1])
            }
        }
        var rows: [[Double]] = []
        for line in lines[(range("Data").lowerBound - 1)...(range("Data").upperBound - 1)] {
            let tokens = line.split(whereSeparator: \.isWhitespace)
            if !tokens.isEmpty { rows.append(tokens.map(number)) }
        }
        certifiedCoefficients = coefficients
        certifiedStandardErrors = errors
        certifiedResidualSD = sd
        certifiedRSquared = r2
        y = rows.map { $0[0] }
        predictors = (1..<rows[0].count).map { j in rows.map { $0[j] } }
    }
}
