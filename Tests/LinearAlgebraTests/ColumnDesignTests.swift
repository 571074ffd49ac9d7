import Fixtures
import LinearAlgebra
import Testing

/// The column-held design (`ColumnDesign`) must give what the same matrix materialized gives:
/// every product the least-squares fit and the sandwich use, across block and chunk boundaries,
/// with and without a constant and a row scale; and the semi-normal solve on it must match QR.
@Suite("Column design: products by row blocks")
struct ColumnDesignTests {
    /// `rows` not a multiple of the block (2,048) or chunk (65,536) size.
    static func design(rows: Int = 70_001, intercept: Bool, scaled: Bool) -> (ColumnDesign, [Double]) {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func uniform() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        let columns = (0..<4).map { j in (0..<rows).map { _ in (uniform() * 10).rounded() + Double(j) } }
        let y = (0..<rows).map { i in 2 + 0.5 * columns[0][i] - 0.25 * columns[2][i] + uniform() }
        let scale = scaled ? (0..<rows).map { _ in (0.5 + uniform()).squareRoot() } : nil
        return (ColumnDesign(columns: columns, intercept: intercept, rowScale: scale), y)
    }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func productsMatchTheMaterializedMatrix(intercept: Bool, scaled: Bool) throws {
        let (design, y) = Self.design(intercept: intercept, scaled: scaled)
        let x = design.materialized()
        #expect(x.rows == 70_001 && x.columns == design.columnCount)
        if intercept { #expect(x[5, 0] == (design.rowScale?[5] ?? 1)) }
        let gram = try design.crossProduct(), reference = try x.crossProduct()
        for k in 0..<reference.elements.count { expectClose(gram.elements[k], reference.elements[k], relative: 1e-13) }
        let xty = try design.transposedTimes(y), referenceXty = try x.multiplied(by: y, transposed: true)
        for j in 0..<xty.count { expectClose(xty[j], referenceXty[j], relative: 1e-13) }
        let b = (0..<design.columnCount).map { 0.1 * Double($0 + 1) }
        let r = try design.residuals(y, b), referenceR = try x.residuals(y, b)
        for i in stride(from: 0, to: y.count, by: 997) { expectClose(r[i], referenceR[i], relative: 1e-13, absolute: 1e-12) }
        for j in 0..<design.columnCount {
            let norm = x.column(j).reduce(0) { $0 + $1 * $1 }.squareRoot()
            expectClose(design.columnNorm(j), norm, relative: 1e-13)
        }
    }

    @Test func leveragesMatchTheHatMatrixDiagonal() throws {
        let (design, _) = Self.design(rows: 5_000, intercept: true, scaled: true)
        let x = design.materialized()
        let inverse = try x.crossProduct().symmetricPositiveDefiniteInverse()
        let retained = Array(0..<design.columnCount)
        let h = try design.quadraticForms(inverse, retained: retained)
        for i in stride(from: 0, to: 5_000, by: 101) {
            var value = 0.0
            for a in retained { for b in retained { value += x[i, a] * inverse[a, b] * x[i, b] } }
            expectClose(h[i], value, relative: 1e-11)
        }
        expectClose(h.reduce(0, +), Double(design.columnCount), relative: 1e-10)    // trace of the hat matrix
        let subset = design.selecting([0, 2, 4])
        #expect(subset.intercept && subset.columnCount == 3)
        #expect(subset.materialized().column(2) == x.column(4))
    }

    @Test func seminormalSolveOnColumnsMatchesQR() throws {
        for (intercept, scaled) in [(true, false), (true, true)] {
            let (design, y) = Self.design(intercept: intercept, scaled: scaled)
            let fast = try QRLeastSquares.solve(design, y)
            #expect(fast.algorithm == .seminormal)
            var options = LeastSquaresOptions()
            options.method = .qr
            let qr = try QRLeastSquares.solve(design.materialized(), y, options: options)
            // Bounds from the problem's size and conditioning (NumericalBound), relative to the
            // largest coefficient / covariance element: a coefficient near 0 is compared at the
            // scale of the solution, as backward error analysis bounds it.
            let rows = y.count, columns = design.columnCount
            let bound = NumericalBound.leastSquares(rcond: qr.reciprocalConditionNumber, rows: rows, columns: columns)
            let largest = qr.coefficients.map(abs).max() ?? 1
            for j in 0..<columns { expectWithin(fast.coefficients[j], qr.coefficients[j], bound: bound, scale: largest, "β\(j)") }
            expectWithin(fast.residualSumOfSquares, qr.residualSumOfSquares, bound: bound, scale: qr.residualSumOfSquares)
            let covarianceBound = NumericalBound.normalInverse(rcond: qr.reciprocalConditionNumber, rows: rows, columns: columns)
            let covarianceScale = qr.unscaledCovariance.elements.map(abs).max() ?? 1
            for k in 0..<qr.unscaledCovariance.elements.count {
                expectWithin(fast.unscaledCovariance.elements[k], qr.unscaledCovariance.elements[k], bound: covarianceBound, scale: covarianceScale)
            }
        }
    }

    @Test func rankDeficientColumnsFallBackToQR() throws {
        let (design, y) = Self.design(intercept: true, scaled: false)
        let doubled = ColumnDesign(columns: design.columns + [design.columns[1].map { 2 * $0 }], intercept: true)
        let fit = try QRLeastSquares.solve(doubled, y)
        #expect(fit.rank == 5 && fit.aliasedColumns.count == 1)
    }

    @Test func nonFiniteCellsAreNamed() {
        var columns = Self.design(rows: 30_000, intercept: true, scaled: false).0.columns
        columns[2][123] = .infinity
        let design = ColumnDesign(columns: columns, intercept: true)
        #expect(design.firstNonFiniteElement()! == (row: 123, column: 3))
        #expect(throws: LinearAlgebraError.self) { try QRLeastSquares.solve(design, [Double](repeating: 1, count: 30_000)) }
    }
}
