import Fixtures
import LinearAlgebra
import Testing

@Suite("QR least squares: results and bad input")
struct LeastSquaresTests {
    /// y = 1 + 2·x1 − 3·x2 + small deterministic noise.
    static func problem(rows: Int = 40) -> (Matrix, [Double]) {
        var x = Matrix(uncheckedRows: rows, columns: 3)
        var y = [Double](repeating: 0, count: rows)
        for i in 0..<rows {
            let a = Double(i % 7) + 0.25 * Double(i % 3), b = Double((i * 5) % 11) / 2
            x[i, 0] = 1; x[i, 1] = a; x[i, 2] = b
            y[i] = 1 + 2 * a - 3 * b + (Double((i * 37) % 13) - 6) / 100
        }
        return (x, y)
    }

    @Test func agreesWithNormalEquationsOnAWellConditionedProblem() throws {
        let (x, y) = Self.problem()
        let fit = try QRLeastSquares.solve(x, y)
        let xtx = try x.crossProduct()
        let xty = try x.multiplied(by: y, transposed: true)
        let normal = try Cholesky(xtx).solve(xty)
        for j in 0..<3 { expectClose(fit.coefficients[j], normal[j], relative: 1e-12) }
        let inverse = try xtx.symmetricPositiveDefiniteInverse()
        for k in 0..<9 { expectClose(fit.unscaledCovariance.elements[k], inverse.elements[k], relative: 1e-11) }
        #expect(fit.rank == 3 && fit.aliasedColumns.isEmpty)
        let fitted = try x.multiplied(by: fit.coefficients)
        for i in 0..<y.count { expectClose(fit.residuals[i], y[i] - fitted[i], relative: 1e-9, absolute: 1e-13) }
        expectClose(fit.residualSumOfSquares, fit.residuals.reduce(0) { $0 + $1 * $1 }, relative: 1e-15)
        #expect(fit.residualDegreesOfFreedom == 37)
        #expect(fit.reciprocalConditionNumber > 0.01)
    }

    @Test func refinementPoliciesAgreeOnWellConditionedData() throws {
        let (x, y) = Self.problem()
        let plain = try QRLeastSquares.solve(x, y, options: .init(refinement: .never))
        let refined = try QRLeastSquares.solve(x, y, options: .init(refinement: .always))
        #expect(plain.refinementSteps == 0 && refined.refinementSteps >= 1)
        for j in 0..<3 { expectClose(plain.coefficients[j], refined.coefficients[j], relative: 1e-13) }
    }

    @Test func seminormalPathAgreesWithQROnLargeWellConditionedData() throws {
        let (x, y) = Self.problem(rows: 80_000)
        let fast = try QRLeastSquares.solve(x, y)
        let qr = try QRLeastSquares.solve(x, y, options: .init(method: .qr))
        #expect(fast.algorithm == .seminormal && qr.algorithm == .householderQR)
        // Bounds from the problem: κ of the design as solved, 80,000 × 3 (see NumericalBound).
        let coefficientBound = NumericalBound.leastSquares(rcond: qr.reciprocalConditionNumber, rows: x.rows, columns: 3)
        let largest = qr.coefficients.map(abs).max() ?? 1
        for j in 0..<3 { expectWithin(fast.coefficients[j], qr.coefficients[j], bound: coefficientBound, scale: largest, "β\(j)") }
        let covarianceBound = NumericalBound.normalInverse(rcond: qr.reciprocalConditionNumber, rows: x.rows, columns: 3)
        let covarianceScale = qr.unscaledCovariance.elements.map(abs).max() ?? 1
        for k in 0..<9 {
            expectWithin(fast.unscaledCovariance.elements[k], qr.unscaledCovariance.elements[k], bound: covarianceBound, scale: covarianceScale)
        }
        expectWithin(fast.residualSumOfSquares, qr.residualSumOfSquares, bound: coefficientBound, scale: qr.residualSumOfSquares)
        #expect(coefficientBound < 1e-9, "a well-conditioned problem keeps a tight bound: \(coefficientBound)")
        // Nearly collinear (κ ≈ 1e8 after scaling): the fast path declines and QR answers.
        var hard = x
        for i in 0..<x.rows { hard[i, 2] = x[i, 1] + 1e-8 * Double(i % 3) }
        #expect(try QRLeastSquares.solve(hard, y).algorithm == .householderQR)
        // An exactly collinear large design is aliased, as on the QR path.
        var collinear = x
        for i in 0..<x.rows { collinear[i, 2] = 2 * x[i, 1] }
        #expect(try QRLeastSquares.solve(collinear, y).aliasedColumns.count == 1)
    }

    @Test func exactlyCollinearColumnIsAliasedLikeR() throws {
        var (x, y) = Self.problem()
        var wide = try Matrix(rows: x.rows, columns: 4)
        for i in 0..<x.rows {
            for j in 0..<3 { wide[i, j] = x[i, j] }
            wide[i, 3] = x[i, 1] + 2 * x[i, 2]   // a linear combination of columns 1 and 2
        }
        x = wide
        let fit = try QRLeastSquares.solve(x, y)
        #expect(fit.rank == 3)
        #expect(fit.aliasedColumns.count == 1)
        let dropped = fit.aliasedColumns[0]
        #expect(dropped != 0)
        #expect(fit.coefficients[dropped].isNaN)
        #expect(fit.unscaledCovariance[dropped, dropped].isNaN)
        // The fitted values are those of the full-rank model.
        let reference = try QRLeastSquares.solve(Self.problem().0, y)
        expectClose(fit.residualSumOfSquares, reference.residualSumOfSquares, relative: 1e-10)
        #expect(throws: LinearAlgebraError.rankDeficient(rank: 3, aliasedColumns: [dropped])) {
            try QRLeastSquares.solve(x, y, options: .init(onRankDeficiency: .throwError))
        }
    }

    @Test func zeroColumnIsAliased() throws {
        var (x, y) = Self.problem()
        for i in 0..<x.rows { x[i, 2] = 0 }
        let fit = try QRLeastSquares.solve(x, y)
        #expect(fit.aliasedColumns == [2])
        #expect(fit.coefficients[2].isNaN && fit.coefficients[0].isFinite)
        #expect(throws: LinearAlgebraError.rankDeficient(rank: 2, aliasedColumns: [2])) {
            try QRLeastSquares.solve(x, y, options: .init(onRankDeficiency: .throwError))
        }
    }

    @Test func allZeroDesignHasRankZero() throws {
        let fit = try QRLeastSquares.solve(Matrix(rows: 5, columns: 2), [1, 2, 3, 4, 5])
        #expect(fit.rank == 0 && fit.aliasedColumns == [0, 1])
        expectClose(fit.residualSumOfSquares, 55, relative: 1e-15)
    }

    @Test func badInputThrowsTypedErrors() throws {
        let (x, y) = Self.problem(rows: 5)
        #expect(throws: LinearAlgebraError.empty(operation: "least squares")) {
            try QRLeastSquares.solve(Matrix(rows: 0, columns: 3), [])
        }
        #expect(throws: LinearAlgebraError.underdetermined(rows: 2, columns: 3)) {
            try QRLeastSquares.solve(Matrix(rows: 2, columns: 3, repeating: 1), [1, 2])
        }
        var withNaN = x
        withNaN[3, 1] = .nan
        #expect(throws: LinearAlgebraError.nonFinite(operation: "least squares design", row: 3, column: 1)) {
            try QRLeastSquares.solve(withNaN, y)
        }
        var withInf = y
        withInf[4] = -.infinity
        #expect(throws: LinearAlgebraError.nonFinite(operation: "least squares response", row: 4, column: -1)) {
            try QRLeastSquares.solve(x, withInf)
        }
        #expect(throws: LinearAlgebraError.self) { try QRLeastSquares.solve(x, [1, 2]) }
    }

    @Test func squareSystemIsAnExactFit() throws {
        let a = try Matrix(rows: [[2, 1], [1, 3]])
        let fit = try QRLeastSquares.solve(a, [3, 5])
        expectClose(fit.coefficients[0], 0.8, relative: 1e-15)
        expectClose(fit.coefficients[1], 1.4, relative: 1e-15)
        #expect(fit.residualDegreesOfFreedom == 0)
        #expect(fit.residualSumOfSquares < 1e-28)
    }

    @Test func errorMessagesNameTheProblem() {
        #expect(LinearAlgebraError.notPositiveDefinite(minor: 2).description.contains("order 3"))
        #expect(LinearAlgebraError.rankDeficient(rank: 2, aliasedColumns: [3]).description.contains("aliased columns: 3"))
        #expect(LinearAlgebraError.nonFinite(operation: "x", row: 4, column: 1).description.contains("row 4, column 1"))
    }
}
