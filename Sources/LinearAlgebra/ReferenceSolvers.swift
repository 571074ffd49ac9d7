import CLAPACK

/// Plain LAPACK drivers, exposed as baselines for benchmarks and cross-checks.
///
/// They do none of ``QRLeastSquares``' work (no scaling, no rank detection, no refinement,
/// no covariance), which is exactly why they are the yardstick for its overhead.
package enum ReferenceSolvers {
    /// LAPACK `dgels`: least squares by unpivoted Householder QR of a full-rank `X`.
    ///
    /// - Throws: ``LinearAlgebraError/singular(column:)`` when `R` has an exactly zero
    ///   diagonal element, dimension errors as ``QRLeastSquares/solve(_:_:options:)``.
    public static func dgels(_ x: Matrix, _ y: [Double]) throws -> [Double] {
        let n = x.rows, p = x.columns
        guard n > 0, p > 0 else { throw LinearAlgebraError.empty(operation: "dgels") }
        guard y.count == n else {
            throw LinearAlgebraError.dimensionMismatch(operation: "dgels", expected: "response of length \(n)", actual: "\(y.count)")
        }
        guard n >= p else { throw LinearAlgebraError.underdetermined(rows: n, columns: p) }
        let n32 = try LAPACK.int32(n), p32 = try LAPACK.int32(p)
        var a = x
        var b = y
        let trans = CChar(UInt8(ascii: "N"))
        let info = try a.withUnsafeMutableBufferPointer { ap in
            let lwork = LAPACK.workspaceSize({ kda_dgels(trans, n32, p32, 1, ap.baseAddress, n32, &b, n32, $0, -1) }, routine: "dgels")
            var work = [Double](repeating: 0, count: lwork)
            return kda_dgels(trans, n32, p32, 1, ap.baseAddress, n32, &b, n32, &work, try LAPACK.int32(lwork))
        }
        let zero = LAPACK.check(info, routine: "dgels")
        if zero > 0 { throw LinearAlgebraError.singular(column: zero - 1) }
        return Array(b[0..<p])
    }
}
