import CLAPACK

/// The solution stages of ``QRLeastSquares/solve(_:_:options:)``: the retained columns solved
/// again when R's rule names other aliased columns, the triangular solve of the projected
/// response, the first residual and the refinement by corrected semi-normal equations.
extension QRLeastSquares {
    /// The solution with the `sequential` (R's aliased) columns left out and reported aliased —
    /// their coefficients and covariances `NaN` — or `nil` when the retained columns are still
    /// rank deficient.
    static func solveWithout(_ sequential: [Int], _ x: Matrix, _ y: [Double], options: LeastSquaresOptions) throws -> LeastSquaresSolution? {
        let n = x.rows, p = x.columns
        let keep = (0..<p).filter { !sequential.contains($0) }
        let sub = try solve(x.selectingColumns(keep), y, options: options)
        guard sub.aliasedColumns.isEmpty else { return nil }
        var coefficients = [Double](repeating: .nan, count: p)
        var covariance = Matrix(uncheckedRows: p, columns: p, repeating: .nan)
        for (a1, j1) in keep.enumerated() {
            coefficients[j1] = sub.coefficients[a1]
            for (b1, k1) in keep.enumerated() { covariance[j1, k1] = sub.unscaledCovariance[a1, b1] }
        }
        return LeastSquaresSolution(
            coefficients: coefficients, rank: sub.rank, aliasedColumns: sequential, residuals: sub.residuals,
            residualSumOfSquares: sub.residualSumOfSquares, unscaledCovariance: covariance,
            reciprocalConditionNumber: sub.reciprocalConditionNumber, refinementSteps: sub.refinementSteps,
            observationCount: n, algorithm: sub.algorithm)
    }

    /// `d = Q₂ᵀQ₁ᵀy` (`dormqr` with both sets of reflectors), then `R₁₁ z = d₁`: the solution
    /// on the scaled columns, `z` at the retained columns and 0 elsewhere.
    static func projectedSolution(_ y: [Double], a: inout Matrix, tau: inout [Double], r: inout Matrix, tau2: inout [Double],
                                  rank: Int, retained: [Int], rows n32: Int32, columns p32: Int32) throws -> [Double] {
        let p = a.columns
        var qty = y
        try a.withUnsafeMutableBufferPointer { ap in
            try applyQTranspose(ap.baseAddress!, rows: n32, reflectors: p32, tau: &tau, to: &qty)
        }
        var d = Array(qty[0..<p])
        try r.withUnsafeMutableBufferPointer { rp in
            try applyQTranspose(rp.baseAddress!, rows: p32, reflectors: p32, tau: &tau2, to: &d)
        }
        var scaledSolution = [Double](repeating: 0, count: p)
        if rank > 0 {
            let z = try triangularSolve(r, rank: rank, rhs: Array(d[0..<rank]), transpose: false)
            for (k, j) in retained.enumerated() { scaledSolution[j] = z[k] }
        }
        return scaledSolution
    }

    /// The residual `y − Xb` by BLAS (`dgemv`).
    static func blasResidual(_ x: Matrix, _ y: [Double], coefficients: [Double], rows n32: Int32, columns p32: Int32) -> [Double] {
        var residuals = y
        x.withUnsafeBufferPointer { xp in
            residuals.withUnsafeMutableBufferPointer { rp in
                kda_dgemv(0, n32, p32, -1, xp.baseAddress, n32, coefficients, 1, rp.baseAddress)
            }
        }
        return residuals
    }

    /// Up to three refinement steps by corrected semi-normal equations — `RᵀR δ = PᵀSXᵀr`,
    /// `b ← b + δ`, the residual recomputed in extended precision — stopping when a step stalls
    /// or reaches rounding level; returns the steps taken.
    static func refine(_ x: Matrix, _ y: [Double], r: Matrix, rank: Int, retained: [Int], scales: [Double],
                       scaledSolution: inout [Double], coefficients: inout [Double], residuals: inout [Double]) throws -> Int {
        let n = x.rows
        var steps = 0
        var previous = Double.infinity
        while steps < 3 {
            let gradient = retained.map { j in
                x.withUnsafeBufferPointer { ExtendedPrecision.dot(column: j, of: $0, rows: n, with: residuals) } / scales[j]
            }
            let w = try triangularSolve(r, rank: rank, rhs: gradient, transpose: true)
            let delta = try triangularSolve(r, rank: rank, rhs: w, transpose: false)
            let size = zip(delta, retained).map { abs($0 / scales[$1]) }.max() ?? 0
            let magnitude = retained.map { abs(coefficients[$0]) }.max() ?? 0
            guard size < previous / 2 || steps == 0 else { break }  // stalled: keep the current b
            for (k, j) in retained.enumerated() { scaledSolution[j] += delta[k] }
            coefficients = zip(scaledSolution, scales).map { $0 / $1 }
            residuals = x.withUnsafeBufferPointer {
                ExtendedPrecision.residual(x: $0, rows: n, columns: retained, coefficients: coefficients, y: y)
            }
            steps += 1
            previous = size
            if size <= 4 * Double.ulpOfOne * magnitude { break }
        }
        return steps
    }
}
