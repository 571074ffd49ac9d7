import CLAPACK

/// Linear least squares `min ‖y − Xb‖₂` by rank-revealing QR, with optional iterative refinement.
///
/// Algorithm (Golub & Van Loan 2013, §5.4; Björck 1996, §2.7–2.9):
/// 1. Scale every column of `X` by the power of two nearest its 2-norm (exact in binary
///    floating point; Pontius' `x²` columns otherwise cost six digits).
/// 2. Householder QR of the scaled `n × p` matrix with blocked `dgeqrf` (BLAS-3).
/// 3. Column-pivoted QR (`dgeqp3`) of the small `p × p` triangle: `X S P = Q₁Q₂R`. This
///    reveals the rank exactly as `dgeqp3` on `X` would, at O(p³) instead of an O(np²)
///    pass that is half BLAS-2. Pivots with `|Rₖₖ| ≤ tol·|R₀₀|` are aliased.
/// 4. `d = Q₂ᵀQ₁ᵀy` (`dormqr` twice) and `R₁₁ z = d₁` (`dtrtrs`).
/// 5. Refinement by corrected semi-normal equations: `r = y − Xb` accumulated in extended
///    precision, `RᵀR δ = PᵀSXᵀr`, `b ← b + δ`, up to three steps.
///
/// Complexity: 2np² − 2p³/3 flops for the QR, O(np) per refinement step, O(np) memory for
/// one scaled copy of `X`.
public enum QRLeastSquares {
    /// Solves `min ‖y − Xb‖₂`.
    ///
    /// - Parameters:
    ///   - x: the design `X`, `rows × columns` with `rows ≥ columns`, finite; include a column of ones for
    ///     an intercept.
    ///   - y: the response, one finite value per row of `X`.
    ///   - options: rank tolerance, refinement, rank-deficiency policy and method; the defaults of
    ///     ``LeastSquaresOptions/init(rankTolerance:refinement:onRankDeficiency:method:)``.
    /// - Throws: ``LinearAlgebraError/empty(operation:)`` for no rows or columns,
    ///   ``LinearAlgebraError/underdetermined(rows:columns:)`` when `columns > rows`,
    ///   ``LinearAlgebraError/nonFinite(operation:row:column:)`` at the first NaN/∞ in `X`
    ///   or `y` (column `-1` stands for `y`), a dimension error when `y.count != rows`, and
    ///   ``LinearAlgebraError/rankDeficient(rank:aliasedColumns:)`` under
    ///   ``LeastSquaresOptions/RankDeficiency/throwError``.
    public static func solve(_ x: Matrix, _ y: [Double], options: LeastSquaresOptions = .init()) throws -> LeastSquaresSolution {
        try checkInputs(x, y)
        let n = x.rows, p = x.columns
        let n32 = try LAPACK.int32(n), p32 = try LAPACK.int32(p)

        // 1. Exact power-of-two column scaling, written straight into the work copy.
        let scales = columnScales(of: x)
        if seminormalApplies(rows: n, columns: p, options: options),
           let fast = try SeminormalLeastSquares.solve(x, y, scales: scales) {
            return fast
        }
        var a = scaledCopy(of: x, scales: scales)

        // 2. Blocked Householder QR of the scaled design.
        var tau = try householderQR(&a, rows: n32, columns: p32)

        // 3. Rank-revealing pivoted QR of the p × p triangle.
        var r = upperTriangle(of: a)
        var tau2 = [Double](repeating: 0, count: p)
        let order = pivotedQR(&r, tau: &tau2, size: p32)
        let tolerance = options.rankTolerance ?? Double(max(n, p)) * Double.ulpOfOne
        let rank = numericalRank(of: r, tolerance: tolerance)
        let aliased = order[rank...].sorted()
        // Which columns are reported aliased follows R's `lm`/`glm` (`sequentiallyAliased`):
        // when that names as many columns as the pivoted rank says but other ones, the retained
        // columns are solved again, so `Contract[…]` stays and a later redundant dummy goes.
        let sequential = sequentiallyAliased(a)
        if !aliased.isEmpty, options.onRankDeficiency == .throwError {
            throw LinearAlgebraError.rankDeficient(rank: rank, aliasedColumns: sequential.count == aliased.count ? sequential : aliased)
        }
        if sequential.count == aliased.count, sequential != aliased, rank > 0,
           let resolved = try solveWithout(sequential, x, y, options: options) {
            return resolved
        }
        let retained = Array(order[..<rank])

        // 4. d = Q₂ᵀ Q₁ᵀ y, then R₁₁ z = d₁.
        var scaledSolution = try projectedSolution(y, a: &a, tau: &tau, r: &r, tau2: &tau2, rank: rank, retained: retained,
                                                   rows: n32, columns: p32)

        // 5. Refinement with an extended-precision residual.
        var coefficients = zip(scaledSolution, scales).map { $0 / $1 }
        // The first residual by BLAS; refinement recomputes it in extended precision.
        var residuals = blasResidual(x, y, coefficients: coefficients, rows: n32, columns: p32)
        let rcond = try reciprocalCondition(r, rank: rank)
        var steps = 0
        if rank > 0, shouldRefine(options.refinement, rcond: rcond, residuals: residuals, y: y) {
            steps = try refine(x, y, r: r, rank: rank, retained: retained, scales: scales,
                               scaledSolution: &scaledSolution, coefficients: &coefficients, residuals: &residuals)
        }
        for j in aliased { coefficients[j] = .nan }

        let covariance = try unscaledCovariance(r, rank: rank, retained: retained, scales: scales)
        let rss = residuals.reduce(0) { $0 + $1 * $1 }
        return LeastSquaresSolution(
            coefficients: coefficients, rank: rank, aliasedColumns: aliased, residuals: residuals,
            residualSumOfSquares: rss, unscaledCovariance: covariance, reciprocalConditionNumber: rcond,
            refinementSteps: steps, observationCount: n, algorithm: .householderQR)
    }

    /// The automatic policy: refine when `ε·κ·(1 + κ‖r‖/‖ŷ‖) > 1e-13`.
    /// Solves `min ‖y − Xb‖₂` for a design held as separate columns (``ColumnDesign``) without
    /// copying it: tall, well-conditioned problems go through the semi-normal equations by row
    /// blocks; anything else (rank deficiency, ill conditioning, small `n·p`, a method other than
    /// automatic) is solved by ``solve(_:_:options:)`` on one materialized copy.
    ///
    /// - Throws: as ``solve(_:_:options:)``.
    package static func solve(_ design: ColumnDesign, _ y: [Double], options: LeastSquaresOptions = .init()) throws -> LeastSquaresSolution {
        let n = design.rows, p = design.columnCount
        if n > 0, p > 0, y.count == n, seminormalApplies(rows: n, columns: p, options: options) {
            if let bad = design.firstNonFiniteElement() {
                throw LinearAlgebraError.nonFinite(operation: "least squares design", row: bad.row, column: bad.column)
            }
            if let bad = y.firstIndex(where: { !$0.isFinite }) {
                throw LinearAlgebraError.nonFinite(operation: "least squares response", row: bad, column: -1)
            }
            let scales = (0..<p).map { powerOfTwoScale(design.columnNorm($0)) }
            if let fast = try SeminormalLeastSquares.solve(design, y, scales: scales) { return fast }
            var qr = options
            qr.method = .qr        // the semi-normal attempt just failed: go straight to QR
            return try solve(design.materialized(), y, options: qr)
        }
        return try solve(design.materialized(), y, options: options)
    }

    /// Whether the automatic method tries the semi-normal equations first: tall (`n ≥ 8p`) and
    /// large (`n·p ≥ 2·10⁵`) problems, with refinement allowed.
    static func seminormalApplies(rows n: Int, columns p: Int, options: LeastSquaresOptions) -> Bool {
        options.method == .automatic && options.refinement != .never && n >= 8 * p && n * p >= 200_000
    }

    /// The power of two nearest below a column norm (1 for a zero or non-finite norm): exact scaling.
    static func powerOfTwoScale(_ norm: Double) -> Double {
        norm > 0 && norm.isFinite ? Double(sign: .plus, exponent: norm.exponent, significand: 1) : 1
    }

    static func shouldRefine(_ policy: LeastSquaresOptions.Refinement, rcond: Double, residuals: [Double], y: [Double]) -> Bool {
        switch policy {
        case .never: return false
        case .always: return true
        case .automatic:
            guard rcond > 0 else { return true }
            let kappa = 1 / rcond
            var rr = 0.0, ff = 0.0
            for i in residuals.indices {
                rr += residuals[i] * residuals[i]
                let fitted = y[i] - residuals[i]
                ff += fitted * fitted
            }
            let ratio = ff > 0 ? (rr / ff).squareRoot() : .infinity
            return Double.ulpOfOne * kappa * (1 + kappa * ratio) > 1e-13
        }
    }

    /// Euclidean norm: one pass of plain sums of squares (4 accumulators), redone with scaling
    /// (as LAPACK `dnrm2`) only if that overflowed or underflowed.
    static func columnNorm(_ v: UnsafePointer<Double>, count: Int) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var i = 0
        while i + 3 < count {
            s0 += v[i] * v[i]; s1 += v[i + 1] * v[i + 1]; s2 += v[i + 2] * v[i + 2]; s3 += v[i + 3] * v[i + 3]
            i += 4
        }
        while i < count { s0 += v[i] * v[i]; i += 1 }
        let plain = (s0 + s1) + (s2 + s3)
        if plain.isFinite && plain > 1e-280 { return plain.squareRoot() }
        return scaledNorm(v, count: count)
    }

    static func scaledNorm(_ v: UnsafePointer<Double>, count: Int) -> Double {
        var largest = 0.0
        for i in 0..<count { largest = max(largest, abs(v[i])) }
        guard largest > 0, largest.isFinite else { return largest }
        var sum = 0.0
        let inverse = 1 / largest
        for i in 0..<count { let t = v[i] * inverse; sum += t * t }
        return largest * sum.squareRoot()
    }

    /// Applies `Qᵀ` from `dgeqrf`/`dgeqp3` reflectors stored in `a` to the vector `c`.
    static func applyQTranspose(
        _ a: UnsafeMutablePointer<Double>, rows: Int32, reflectors: Int32, tau: inout [Double], to c: inout [Double]
    ) throws {
        let left = CChar(UInt8(ascii: "L")), trans = CChar(UInt8(ascii: "T"))
        let lwork = LAPACK.workspaceSize({
            kda_dormqr(left, trans, rows, 1, reflectors, a, rows, &tau, &c, rows, $0, -1)
        }, routine: "dormqr")
        var work = [Double](repeating: 0, count: lwork)
        LAPACK.check(kda_dormqr(left, trans, rows, 1, reflectors, a, rows, &tau, &c, rows, &work, try LAPACK.int32(lwork)),
                     routine: "dormqr")
    }

    /// Solves `R₁₁ x = b` (or `R₁₁ᵀ x = b`) with the leading `rank × rank` block of `r`.
    static func triangularSolve(_ r: Matrix, rank: Int, rhs: [Double], transpose: Bool) throws -> [Double] {
        var x = rhs
        let ld = try LAPACK.int32(r.rows), k = try LAPACK.int32(rank)
        let info = r.withUnsafeBufferPointer { rp in
            kda_dtrtrs(CChar(UInt8(ascii: "U")), CChar(UInt8(ascii: transpose ? "T" : "N")), CChar(UInt8(ascii: "N")),
                       k, 1, UnsafeMutablePointer(mutating: rp.baseAddress), ld, &x, max(1, k))
        }
        let zero = LAPACK.check(info, routine: "dtrtrs")
        if zero > 0 { throw LinearAlgebraError.singular(column: zero - 1) }
        return x
    }

    /// `dtrcon` 1-norm reciprocal condition estimate of the leading `rank × rank` block.
    static func reciprocalCondition(_ r: Matrix, rank: Int) throws -> Double {
        guard rank > 0 else { return 0 }
        var rcond = 0.0
        var work = [Double](repeating: 0, count: 3 * rank)
        var iwork = [Int32](repeating: 0, count: rank)
        let ld = try LAPACK.int32(r.rows), k = try LAPACK.int32(rank)
        let info = r.withUnsafeBufferPointer { rp in
            kda_dtrcon(CChar(UInt8(ascii: "1")), CChar(UInt8(ascii: "U")), CChar(UInt8(ascii: "N")), k,
                       UnsafeMutablePointer(mutating: rp.baseAddress), ld, &rcond, &work, &iwork)
        }
        LAPACK.check(info, routine: "dtrcon")
        return rcond
    }

    /// `(X̃ᵀX̃)⁻¹` from the pivoted triangle (`dpotri` treats `R₁₁` as a Cholesky factor:
    /// `RᵀR = PᵀSXᵀXSP`), unscaled and placed at the original column indices.
    static func unscaledCovariance(_ r: Matrix, rank: Int, retained: [Int], scales: [Double]) throws -> Matrix {
        let p = r.columns
        var covariance = Matrix(uncheckedRows: p, columns: p, repeating: .nan)
        guard rank > 0 else { return covariance }
        var block = Matrix(uncheckedRows: rank, columns: rank)
        for j in 0..<rank { for i in 0...j { block[i, j] = r[i, j] } }
        let k = try LAPACK.int32(rank)
        let info = block.withUnsafeMutableBufferPointer { kda_dpotri(CChar(UInt8(ascii: "U")), k, $0.baseAddress, k) }
        let zero = LAPACK.check(info, routine: "dpotri")
        if zero > 0 { throw LinearAlgebraError.singular(column: retained[zero - 1]) }
        for (a, ja) in retained.enumerated() {
            for (b, jb) in retained.enumerated() {
                let value = a <= b ? block[a, b] : block[b, a]
                covariance[ja, jb] = value / (scales[ja] * scales[jb])
            }
        }
        return covariance
    }
}
