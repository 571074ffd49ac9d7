import CLAPACK
import Foundation

/// The Cholesky factorization `A = UᵀU` of a symmetric positive-definite matrix.
///
/// LAPACK `dpotrf` (upper triangle), `dpotrs` for solves and `dpotri` for the inverse.
/// Only the upper triangle of the input is read. Complexity: n³/3 flops to factor,
/// 2n² per right-hand side to solve.
public struct Cholesky: Sendable {
    /// The upper-triangular factor `U` (the strict lower triangle is zero).
    public let factor: Matrix

    /// Factors `a`.
    ///
    /// - Parameter a: the symmetric positive-definite matrix `A`, square and finite; only its upper
    ///   triangle is read.
    /// - Throws: ``LinearAlgebraError/notPositiveDefinite(minor:)`` naming the first leading
    ///   minor that is not positive (0-based), ``LinearAlgebraError/nonFinite(operation:row:column:)``,
    ///   or a dimension error for a non-square input.
    public init(_ a: Matrix) throws {
        try a.requireSquare("Cholesky")
        try a.requireFinite("Cholesky")
        var u = a
        let n = try LAPACK.int32(a.rows)
        if n > 0 {
            let info = u.withUnsafeMutableBufferPointer { kda_dpotrf(CChar(UInt8(ascii: "U")), n, $0.baseAddress, n) }
            let minor = LAPACK.check(info, routine: "dpotrf")
            if minor > 0 { throw LinearAlgebraError.notPositiveDefinite(minor: minor - 1) }
        }
        u.zeroStrictLowerTriangle()
        factor = u
    }

    /// Solves `A X = B` for `X`.
    ///
    /// - Parameter b: the right-hand sides `B`, one per column, with as many rows as `A`.
    public func solve(_ b: Matrix) throws -> Matrix {
        guard b.rows == factor.rows else {
            throw LinearAlgebraError.dimensionMismatch(
                operation: "Cholesky.solve", expected: "\(factor.rows) rows", actual: "\(b.rows) rows")
        }
        var x = b
        let n = try LAPACK.int32(factor.rows), nrhs = try LAPACK.int32(b.columns)
        guard n > 0, nrhs > 0 else { return x }
        let info = factor.withUnsafeBufferPointer { u in
            x.withUnsafeMutableBufferPointer { xp in
                kda_dpotrs(CChar(UInt8(ascii: "U")), n, nrhs, UnsafeMutablePointer(mutating: u.baseAddress), n, xp.baseAddress, n)
            }
        }
        LAPACK.check(info, routine: "dpotrs")
        return x
    }

    /// Solves `A x = b` for a vector `b`.
    ///
    /// - Parameter b: the right-hand side, of length `n` (the order of `A`).
    public func solve(_ b: [Double]) throws -> [Double] {
        try solve(Matrix(rows: b.count, columns: 1, columnMajor: b)).elements
    }

    /// `A⁻¹`, symmetric, from the factor with `dpotri`. Complexity: ~2n³/3 flops.
    public func inverse() throws -> Matrix {
        var inv = factor
        let n = try LAPACK.int32(factor.rows)
        guard n > 0 else { return inv }
        let info = inv.withUnsafeMutableBufferPointer { kda_dpotri(CChar(UInt8(ascii: "U")), n, $0.baseAddress, n) }
        let zero = LAPACK.check(info, routine: "dpotri")
        if zero > 0 { throw LinearAlgebraError.singular(column: zero - 1) }
        inv.symmetrizeFromUpper()
        return inv
    }

    /// `log det A = 2 Σ log Uᵢᵢ`, without overflow.
    public var logDeterminant: Double {
        factor.diagonal().reduce(0) { $0 + 2 * log($1) }
    }
}

extension Matrix {
    /// The inverse of a symmetric positive-definite matrix via Cholesky (`dpotrf` + `dpotri`).
    ///
    /// - Throws: ``LinearAlgebraError/notPositiveDefinite(minor:)`` when it is not.
    public func symmetricPositiveDefiniteInverse() throws -> Matrix {
        try Cholesky(self).inverse()
    }

    mutating func zeroStrictLowerTriangle() {
        let n = rows, m = columns
        withUnsafeMutableBufferPointer { p in
            for j in 0..<m {
                for i in (j + 1)..<max(j + 1, n) { p[i + j * n] = 0 }
            }
        }
    }
}
