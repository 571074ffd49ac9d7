import CLAPACK

/// The eigendecomposition `A = V Λ Vᵀ` of a real symmetric matrix (LAPACK `dsyevd`,
/// divide and conquer).
///
/// Only the upper triangle of the input is read. Eigenvalues are in ascending order and
/// column `j` of ``vectors`` is the unit eigenvector of `values[j]`. Complexity: O(n³).
public struct SymmetricEigen: Sendable {
    /// Eigenvalues, ascending.
    public let values: [Double]
    /// Orthonormal eigenvectors, one per column, in the order of ``values``.
    public let vectors: Matrix

    /// Decomposes `a`.
    ///
    /// - Parameter a: the symmetric matrix, square and finite; only its upper triangle is read.
    /// - Throws: ``LinearAlgebraError/noConvergence(routine:info:)`` if `dsyevd` fails to
    ///   converge, ``LinearAlgebraError/nonFinite(operation:row:column:)`` on NaN/∞, or a
    ///   dimension error for a non-square input.
    public init(_ a: Matrix) throws {
        try a.requireSquare("SymmetricEigen")
        try a.requireFinite("SymmetricEigen")
        let n = try LAPACK.int32(a.rows)
        var v = a
        var w = [Double](repeating: 0, count: a.rows)
        guard n > 0 else { values = w; vectors = v; return }
        let jobz = CChar(UInt8(ascii: "V")), uplo = CChar(UInt8(ascii: "U"))
        var optimal = 0.0
        var optimalInts: Int32 = 0
        let queryInfo = v.withUnsafeMutableBufferPointer { vp in
            kda_dsyevd(jobz, uplo, n, vp.baseAddress, n, &w, &optimal, -1, &optimalInts, -1)
        }
        LAPACK.check(queryInfo, routine: "dsyevd")
        var work = [Double](repeating: 0, count: max(1, Int(optimal.rounded(.up))))
        var iwork = [Int32](repeating: 0, count: max(1, Int(optimalInts)))
        let info = v.withUnsafeMutableBufferPointer { vp in
            kda_dsyevd(jobz, uplo, n, vp.baseAddress, n, &w, &work, Int32(work.count), &iwork, Int32(iwork.count))
        }
        let failure = LAPACK.check(info, routine: "dsyevd")
        if failure > 0 { throw LinearAlgebraError.noConvergence(routine: "dsyevd", info: failure) }
        values = w
        vectors = v
    }

    /// `V f(Λ) Vᵀ`: applies `transform` to every eigenvalue, e.g. `{ $0.squareRoot() }` for the
    /// symmetric square root used by Johnson's relative weights. Complexity: O(n³) via `dgemm`.
    ///
    /// - Parameter transform: the function `f` applied to each eigenvalue, e.g. a square root or
    ///   reciprocal.
    public func reconstructed(applying transform: (Double) -> Double) throws -> Matrix {
        let n = values.count
        var scaled = vectors
        scaled.withUnsafeMutableBufferPointer { p in
            for j in 0..<n {
                let f = transform(values[j])
                for i in 0..<n { p[i + j * n] *= f }
            }
        }
        return try scaled.multiplied(by: vectors, transposingOther: true)
    }
}
