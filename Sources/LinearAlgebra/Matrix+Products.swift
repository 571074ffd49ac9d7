import CLAPACK

extension Matrix {
    /// The cross-product `AᵀA` (Gram matrix), symmetric `columns × columns`.
    ///
    /// Computed with BLAS `dsyrk` (half the flops of a general product), then mirrored.
    /// Complexity: O(rows · columns²).
    public func crossProduct() throws -> Matrix {
        let n = try LAPACK.int32(columns), k = try LAPACK.int32(rows)
        var c = Matrix(uncheckedRows: columns, columns: columns)
        guard columns > 0 else { return c }
        if rows > 0 {
            withUnsafeBufferPointer { a in
                c.withUnsafeMutableBufferPointer { cp in
                    kda_dsyrk_upper(1, n, k, 1, a.baseAddress, max(1, k), 0, cp.baseAddress, n)
                }
            }
        }
        c.symmetrizeFromUpper()
        return c
    }

    /// The product `op(self) · op(other)`, where `op` transposes when asked, via BLAS `dgemm`.
    ///
    /// - Parameters:
    ///   - other: the right factor; its rows (columns when `transposingOther`) must equal the inner
    ///     dimension.
    ///   - transposingSelf: `true` to use `selfᵀ`; `false` by default.
    ///   - transposingOther: `true` to use `otherᵀ`; `false` by default.
    /// - Throws: ``LinearAlgebraError/dimensionMismatch(operation:expected:actual:)`` when the
    ///   inner dimensions differ.
    /// Complexity: O(m · n · k).
    public func multiplied(
        by other: Matrix, transposingSelf: Bool = false, transposingOther: Bool = false
    ) throws -> Matrix {
        let m = transposingSelf ? columns : rows
        let k = transposingSelf ? rows : columns
        let k2 = transposingOther ? other.columns : other.rows
        let n = transposingOther ? other.rows : other.columns
        guard k == k2 else {
            throw LinearAlgebraError.dimensionMismatch(
                operation: "Matrix.multiplied(by:)", expected: "inner dimension \(k)", actual: "\(k2)")
        }
        var c = Matrix(uncheckedRows: m, columns: n)
        guard m > 0, n > 0, k > 0 else { return c }
        let (m32, n32, k32) = (try LAPACK.int32(m), try LAPACK.int32(n), try LAPACK.int32(k))
        let lda = try LAPACK.int32(max(1, rows)), ldb = try LAPACK.int32(max(1, other.rows))
        withUnsafeBufferPointer { a in
            other.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { cp in
                    kda_dgemm(transposingSelf ? 1 : 0, transposingOther ? 1 : 0, m32, n32, k32, 1,
                              a.baseAddress, lda, b.baseAddress, ldb, 0, cp.baseAddress, m32)
                }
            }
        }
        return c
    }

    /// `A·x` (or `Aᵀ·x` with `transposed: true`) via BLAS `dgemv`. Complexity: O(rows · columns).
    ///
    /// - Parameters:
    ///   - x: the vector, of length ``columns`` (``rows`` when `transposed`).
    ///   - transposed: `true` to multiply by `Aᵀ` instead of `A`; `false` by default.
    public func multiplied(by x: [Double], transposed: Bool = false) throws -> [Double] {
        let inner = transposed ? rows : columns, outer = transposed ? columns : rows
        guard x.count == inner else {
            throw LinearAlgebraError.dimensionMismatch(
                operation: "Matrix.multiplied(by: vector)", expected: "vector of length \(inner)", actual: "\(x.count)")
        }
        var y = [Double](repeating: 0, count: outer)
        guard rows > 0, columns > 0 else { return y }
        let m = try LAPACK.int32(rows), n = try LAPACK.int32(columns)
        withUnsafeBufferPointer { a in
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { yp in
                    kda_dgemv(transposed ? 1 : 0, m, n, 1, a.baseAddress, m, xp.baseAddress, 0, yp.baseAddress)
                }
            }
        }
        return y
    }

    /// Copies the upper triangle onto the lower one.
    mutating func symmetrizeFromUpper() {
        let n = rows
        precondition(n == columns, "symmetrizeFromUpper needs a square matrix")
        withUnsafeMutableBufferPointer { c in
            for j in 0..<n {
                for i in (j + 1)..<max(j + 1, n) { c[i + j * n] = c[j + i * n] }
            }
        }
    }

    /// Throws ``LinearAlgebraError/dimensionMismatch(operation:expected:actual:)`` unless square.
    func requireSquare(_ operation: String) throws {
        guard rows == columns else {
            throw LinearAlgebraError.dimensionMismatch(
                operation: operation, expected: "a square matrix", actual: "\(rows) × \(columns)")
        }
    }

    /// Throws ``LinearAlgebraError/nonFinite(operation:row:column:)`` at the first NaN or ±∞.
    func requireFinite(_ operation: String) throws {
        if let bad = firstNonFiniteElement() {
            throw LinearAlgebraError.nonFinite(operation: operation, row: bad.row, column: bad.column)
        }
    }
}

extension Matrix {
    /// `Σᵢ wᵢ xᵢxᵢᵀ = XᵀWX` for non-negative row weights, symmetric `columns × columns`.
    ///
    /// Rows are taken in cache-sized blocks: each block is scaled by `√wᵢ` into a buffer and
    /// added with BLAS `dsyrk`, so `X` is read once and no scaled copy of it is made (the Hessian
    /// of a logistic regression, every iteration).
    ///
    /// - Parameter weights: the row weights `wᵢ`, one per row, non-negative (a zero drops its row).
    /// Complexity: O(rows · columns²).
    public func weightedCrossProduct(weights: [Double]) throws -> Matrix {
        guard weights.count == rows else {
            throw LinearAlgebraError.dimensionMismatch(operation: "weightedCrossProduct", expected: "\(rows) weights", actual: "\(weights.count)")
        }
        let p = columns, n = rows
        var c = Matrix(uncheckedRows: p, columns: p)
        guard p > 0, n > 0 else { return c }
        let p32 = try LAPACK.int32(p)
        let block = max(256, min(8192, (1 << 18) / max(1, p)))
        let roots = weights.map { $0.squareRoot() }
        // A fixed partition into `parts` row ranges, summed in order: the result does not depend
        // on how many threads run them.
        let parts = min(8, max(1, n / (4 * block)))
        let partial: [[Double]] = withUnsafeBufferPointer { x in
            let base = UncheckedSendable(x.baseAddress!)
            return Parallel.map(parts) { part -> [Double] in
                let lower = n * part / parts, upper = n * (part + 1) / parts
                var sum = [Double](repeating: 0, count: p * p)
                var buffer = [Double](repeating: 0, count: block * p)
                buffer.withUnsafeMutableBufferPointer { b in
                    sum.withUnsafeMutableBufferPointer { cp in
                        var start = lower
                        while start < upper {
                            let m = min(block, upper - start)
                            for j in 0..<p {
                                let source = base.value + j * n + start, target = b.baseAddress! + j * m
                                for i in 0..<m { target[i] = source[i] * roots[start + i] }
                            }
                            kda_dsyrk_upper(1, p32, Int32(m), 1, b.baseAddress, Int32(m), 1, cp.baseAddress, p32)
                            start += m
                        }
                    }
                }
                return sum
            }
        }
        c.withUnsafeMutableBufferPointer { cp in
            for sum in partial { for k in 0..<(p * p) { cp[k] += sum[k] } }
        }
        c.symmetrizeFromUpper()
        return c
    }
}
