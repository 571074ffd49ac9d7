import CLAPACK

/// Least squares for tall, well-conditioned designs by corrected semi-normal equations.
///
/// `G = SXᵀXS` by BLAS `dsyrk` (S: exact power-of-two column scaling), Cholesky `G = RᵀR`,
/// then corrected semi-normal steps `RᵀRδ = SXᵀr`, `r = y − Xb` (Björck 1987; 1996 §2.9). Each
/// step shrinks the error by about `κ(XS)²ε`, so for `κ(XS) ≤ 10⁵` one or two steps reach the
/// forward accuracy of QR, at a
/// fraction of its cost on 10⁶-row data (`dsyrk` is BLAS-3 and reads `X` once; Householder QR
/// of a tall-skinny matrix is memory-bound). Anything harder — rank deficiency, `κ > 10⁵`,
/// refinement that does not converge — returns `nil` and the caller uses ``QRLeastSquares``.
enum SeminormalLeastSquares {
    static let conditionLimit = 1e5

    static func solve(_ x: some LeastSquaresDesign, _ y: [Double], scales: [Double]) throws -> LeastSquaresSolution? {
        let n = x.rows, p = x.columnCount
        var g = try x.crossProduct()
        for j in 0..<p { for i in 0..<p { g[i, j] /= scales[i] * scales[j] } }
        // Cholesky; failure means (numerically) not positive definite: leave it to QR.
        var r = g
        let p32 = try LAPACK.int32(p)
        let info = r.withUnsafeMutableBufferPointer { kda_dpotrf(CChar(UInt8(ascii: "U")), p32, $0.baseAddress, p32) }
        if LAPACK.check(info, routine: "dpotrf") > 0 { return nil }
        r.zeroStrictLowerTriangle()
        let rcond = try QRLeastSquares.reciprocalCondition(r, rank: p)
        guard rcond > 1 / conditionLimit else { return nil }

        // b = S G⁻¹ S Xᵀy, then corrected semi-normal steps with BLAS residuals: in working
        // precision CSNE reaches QR's forward accuracy when κ²ε ≪ 1 (Björck 1987), which the
        // condition check above guarantees; the ill-conditioned cases go to QR, which refines
        // with extended-precision residuals.
        let xty = try x.transposedTimes(y)
        var scaled = try cholSolve(r, zip(xty, scales).map { $0 / $1 })
        var coefficients = zip(scaled, scales).map { $0 / $1 }
        var residuals = try x.residuals(y, coefficients)
        var steps = 0
        var previous = Double.infinity
        while steps < 3 {
            let gradient = try x.transposedTimes(residuals)
            let delta = try cholSolve(r, zip(gradient, scales).map { $0 / $1 })
            let size = zip(delta, scales).map { abs($0 / $1) }.max() ?? 0
            let magnitude = coefficients.map { abs($0) }.max() ?? 0
            if steps > 0 && size > previous / 4 { break }      // stalled at rounding level: done
            for j in 0..<p { scaled[j] += delta[j] }
            coefficients = zip(scaled, scales).map { $0 / $1 }
            residuals = try x.residuals(y, coefficients)
            steps += 1
            previous = size
            if size <= 4 * Double.ulpOfOne * magnitude { break }
        }
        guard steps >= 1, previous <= 1e-6 * max(1e-300, coefficients.map { abs($0) }.max() ?? 0) else { return nil }
        var inverse = r
        let inverseInfo = inverse.withUnsafeMutableBufferPointer { kda_dpotri(CChar(UInt8(ascii: "U")), p32, $0.baseAddress, p32) }
        if LAPACK.check(inverseInfo, routine: "dpotri") > 0 { return nil }
        var covariance = Matrix(uncheckedRows: p, columns: p)
        for j in 0..<p {
            for i in 0..<p { covariance[i, j] = (i <= j ? inverse[i, j] : inverse[j, i]) / (scales[i] * scales[j]) }
        }
        return LeastSquaresSolution(
            coefficients: coefficients, rank: p, aliasedColumns: [], residuals: residuals,
            residualSumOfSquares: residuals.reduce(0) { $0 + $1 * $1 }, unscaledCovariance: covariance,
            reciprocalConditionNumber: rcond, refinementSteps: steps, observationCount: n, algorithm: .seminormal)
    }

    /// Solves `RᵀR x = b`.
    static func cholSolve(_ r: Matrix, _ b: [Double]) throws -> [Double] {
        let w = try QRLeastSquares.triangularSolve(r, rank: r.rows, rhs: b, transpose: true)
        return try QRLeastSquares.triangularSolve(r, rank: r.rows, rhs: w, transpose: false)
    }
}

/// What the semi-normal solver needs of a design: `XᵀX`, `Xᵀv` and `y − Xb`. A ``Matrix`` (one
/// column-major block) and a ``ColumnDesign`` (the analysis's own columns, by row blocks) both are.
package protocol LeastSquaresDesign: Sendable {
    /// Rows of `X`.
    var rows: Int { get }
    /// Columns of `X`.
    var columnCount: Int { get }
    /// `XᵀX`.
    func crossProduct() throws -> Matrix
    /// `Xᵀv`.
    func transposedTimes(_ v: [Double]) throws -> [Double]
    /// `y − Xb`.
    func residuals(_ y: [Double], _ b: [Double]) throws -> [Double]
}

extension Matrix: LeastSquaresDesign {
    /// The number of columns.
    package var columnCount: Int { columns }

    /// `Xᵀv` by BLAS `dgemv`.
    package func transposedTimes(_ v: [Double]) throws -> [Double] { try multiplied(by: v, transposed: true) }

    /// `y − Xb` by BLAS `dgemv`.
    package func residuals(_ y: [Double], _ b: [Double]) throws -> [Double] {
        let n32 = try LAPACK.int32(rows), p32 = try LAPACK.int32(columns)
        var r = y
        withUnsafeBufferPointer { xp in
            r.withUnsafeMutableBufferPointer { rp in kda_dgemv(0, n32, p32, -1, xp.baseAddress, n32, b, 1, rp.baseAddress) }
        }
        return r
    }
}
