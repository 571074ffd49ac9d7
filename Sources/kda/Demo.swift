import ArgumentParser
import DriverAnalysis
import Foundation

/// `kda demo`: runs on bundled data with no arguments.
///
/// Until the survey pipeline lands this is the numeric core's smoke test: a certified OLS
/// fit (NIST StRD Longley) through the BLAS/LAPACK QR path, with its inference.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run an end-to-end example on bundled data.")

    func run() throws {
        guard let url = Bundle.module.url(forResource: "longley", withExtension: "csv", subdirectory: "Resources") else {
            throw ValidationError("bundled data longley.csv is missing from the kda resources")
        }
        let table = try BundledTable(contentsOf: url)
        let outcome = "employed"
        let drivers = table.names.filter { $0 != outcome }
        let y = try table.column(outcome)
        var columns = [[Double](repeating: 1, count: y.count)]
        for name in drivers { columns.append(try table.column(name)) }
        let fit = try QRLeastSquares.solve(try Matrix(columns: columns), y)

        let n = y.count, dof = fit.residualDegreesOfFreedom
        let mean = y.reduce(0, +) / Double(n)
        let tss = y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        let r2 = 1 - fit.residualSumOfSquares / tss
        let sigma = (fit.residualSumOfSquares / Double(dof)).squareRoot()
        let t = try StudentTDistribution(degreesOfFreedom: Double(dof))

        print("DriverAnalysis \(KeyDriverAnalysis.version) — kda demo")
        print("OLS of \(outcome) on \(drivers.joined(separator: ", ")) (Longley 1967, NIST StRD; n = \(n))")
        print(String(format: "R² = %.15f   residual SD = %.10g   (NIST certified: 0.995479004577296, 304.854073561965)", r2, sigma))
        print("")
        print("term".padding(toLength: 14, withPad: " ", startingAt: 0)
              + ["estimate", "std. error", "t", "p"].map { $0.leftPadded(to: 16) }.joined())
        for (k, name) in (["(intercept)"] + drivers).enumerated() {
            let estimate = fit.coefficients[k]
            let se = sigma * fit.unscaledCovariance[k, k].squareRoot()
            let statistic = estimate / se
            let p = 2 * t.survival(abs(statistic))
            print(name.padding(toLength: 14, withPad: " ", startingAt: 0)
                  + [estimate, se, statistic, p].map { String(format: "%.6g", $0).leftPadded(to: 16) }.joined())
        }
        print("")
        print("Next: swift test   (certifies all 11 NIST StRD datasets and the distribution functions)")
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

/// A small, well-formed numeric CSV shipped with the executable (no quoting, no missing values).
/// Survey files go through the library's CSV reader instead.
struct BundledTable {
    let names: [String]
    let rows: [[Double]]

    init(contentsOf url: URL) throws {
        let lines = try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline)
        guard let header = lines.first else { throw ValidationError("\(url.lastPathComponent) is empty") }
        names = header.split(separator: ",").map(String.init)
        rows = try lines.dropFirst().enumerated().map { index, line in
            try line.split(separator: ",").map { cell in
                guard let value = Double(cell) else {
                    throw ValidationError("\(url.lastPathComponent) row \(index + 2): '\(cell)' is not a number")
                }
                return value
            }
        }
    }

    func column(_ name: String) throws -> [Double] {
        guard let j = names.firstIndex(of: name) else { throw ValidationError("no column '\(name)'") }
        return rows.map { $0[j] }
    }
}
