import CLAPACK

/// The factorization stages of ``QRLeastSquares/solve(_:_:options:)``: the input checks, the
/// exact column scaling, the blocked Householder QR of the scaled design, the column-pivoted QR
/// of its triangle and the rank and aliased columns it reveals.
extension QRLeastSquares {
    /// Refuses an input ``QRLeastSquares/solve(_:_:options:)`` cannot solve, in its documented
    /// order: no rows or columns, a response of the wrong length, more columns than rows, then
    /// the first non-finite value of `X`, then of `y`.
    static func checkInputs(_ x: Matrix, _ y: [Double]) throws {
        let n = x.rows, p = x.columns
        guard n > 0, p > 0 else { throw LinearAlgebraError.empty(operation: "least squares") }
        guard y.count == n else {
            throw LinearAlgebraError.dimensionMismatch(
                operation: "least squares", expected: "response of length \(n)", actual: "\(y.count)")
        }
        guard n >= p else { throw LinearAlgebraError.underdetermined(rows: n, columns: p) }
        try x.requireFinite("least squares design")
        if let bad = y.firstIndex(where: { !$0.isFinite }) {
            throw LinearAlgebraError.nonFinite(operation: "least squares response", row: bad, column: -1)
        }
    }

    /// The power of two nearest below each column's 2-norm: the exact scaling of the columns.
    static func columnScales(of x: Matrix) -> [Double] {
        let n = x.rows
        return x.withUnsafeBufferPointer { xp in
            (0..<x.columns).map { j -> Double in
                powerOfTwoScale(columnNorm(xp.baseAddress! + j * n, count: n))
            }
        }
    }

    /// The work copy of `x` with every column divided by its scale.
    static func scaledCopy(of x: Matrix, scales: [Double]) -> Matrix {
        let n = x.rows, p = x.columns
        var a = Matrix(uncheckedRows: n, columns: p)
        x.withUnsafeBufferPointer { xp in
            a.withUnsafeMutableBufferPointer { ap in
                for j in 0..<p {
                    let inverse = 1 / scales[j]
                    let source = xp.baseAddress! + j * n, target = ap.baseAddress! + j * n
                    for i in 0..<n { target[i] = source[i] * inverse }
                }
            }
        }
        return a
    }

    /// Blocked Householder QR (`dgeqrf`) of `a` in place; returns the reflectors' scalars.
    static func householderQR(_ a: inout Matrix, rows n32: Int32, columns p32: Int32) throws -> [Double] {
        var tau = [Double](repeating: 0, count: a.columns)
        try a.withUnsafeMutableBufferPointer { ap in
            let lwork = LAPACK.workspaceSize({ kda_dgeqrf(n32, p32, ap.baseAddress, n32, &tau, $0, -1) }, routine: "dgeqrf")
            var work = [Double](repeating: 0, count: lwork)
            LAPACK.check(kda_dgeqrf(n32, p32, ap.baseAddress, n32, &tau, &work, try LAPACK.int32(lwork)), routine: "dgeqrf")
        }
        return tau
    }

    /// The `p × p` upper triangle `R` of the factored `a` (zeros below the diagonal).
    static func upperTriangle(of a: Matrix) -> Matrix {
        let p = a.columns
        var r = Matrix(uncheckedRows: p, columns: p)
        for j in 0..<p { for i in 0...j { r[i, j] = a[i, j] } }
        return r
    }

    /// Column-pivoted QR (`dgeqp3`) of the `size × size` triangle `r` in place, its reflectors'
    /// scalars into `tau`; returns the pivot order (0-based original columns).
    static func pivotedQR(_ r: inout Matrix, tau tau2: inout [Double], size p32: Int32) -> [Int] {
        var pivots = [Int32](repeating: 0, count: r.columns)
        r.withUnsafeMutableBufferPointer { rp in
            let lwork = LAPACK.workspaceSize({ kda_dgeqp3(p32, p32, rp.baseAddress, p32, &pivots, &tau2, $0, -1) }, routine: "dgeqp3")
            var work = [Double](repeating: 0, count: lwork)
            LAPACK.check(kda_dgeqp3(p32, p32, rp.baseAddress, p32, &pivots, &tau2, &work, Int32(lwork)), routine: "dgeqp3")
        }
        return pivots.map { Int($0) - 1 }
    }

    /// The numerical rank of the pivoted triangle: the leading pivots with `|Rₖₖ| > tol·|R₀₀|`.
    static func numericalRank(of r: Matrix, tolerance: Double) -> Int {
        let p = r.columns
        let lead = abs(r[0, 0])
        var rank = 0
        while rank < p, lead > 0, abs(r[rank, rank]) > tolerance * lead { rank += 1 }
        return rank
    }

    /// The columns aliased as R's `lm`/`glm` (LINPACK `dqrdc2`) name them: in column order, a
    /// column is aliased when it is (nearly) in the span of the columns before it — the diagonal
    /// of the unpivoted triangle of `a`, relative to the column's norm, below 1e-7.
    static func sequentiallyAliased(_ a: Matrix) -> [Int] {
        let n = a.rows
        return (0..<a.columns).filter { j in
            let norm = a.withUnsafeBufferPointer { columnNorm($0.baseAddress! + j * n, count: n) }
            return norm == 0 || abs(a[j, j]) <= 1e-7 * norm
        }
    }
}
