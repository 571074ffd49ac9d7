import CLAPACK

/// Row-wise kernels of iterative fits that are worth SIMD code (C in the shim header; on x86-64
/// with AVX2 and FMA, chosen at run time, four rows at a time; elsewhere a portable loop with the
/// same formulas). Pointer-level, like ``BLASKernels``: callers own buffers and sizes.
package enum VectorKernels {
    /// The per-row work of a logistic Newton pass over `count` rows. From `ηᵢ`: `tᵢ = e^{−|ηᵢ|}`,
    /// `μᵢ = 1/(1 + tᵢ)` (ηᵢ ≥ 0) or `tᵢ/(1 + tᵢ)`, `residualᵢ = wᵢ(yᵢ − μᵢ)`,
    /// `weightᵢ = wᵢtᵢ/(1 + tᵢ)² = wᵢμᵢ(1 − μᵢ)` (the Newton weight). Returns `Σ wᵢ(yᵢηᵢ − max(ηᵢ, 0))` (the
    /// log-free part of the log-likelihood) and `max |ηᵢ|`. `e^x` is ``exponential(nonPositive:)``.
    /// Complexity: O(count), no allocation.
    package static func logisticRows(count: Int, eta: UnsafePointer<Double>, y: UnsafePointer<Double>, w: UnsafePointer<Double>,
                                    t: UnsafeMutablePointer<Double>, mu: UnsafeMutablePointer<Double>,
                                    residual: UnsafeMutablePointer<Double>, weight: UnsafeMutablePointer<Double>)
        -> (linear: Double, maxAbsEta: Double) {
        var out = (0.0, 0.0)
        withUnsafeMutableBytes(of: &out) { raw in
            kda_logistic_rows(Int32(count), eta, y, w, t, mu, residual, weight, raw.baseAddress!.assumingMemoryBound(to: Double.self))
        }
        return out
    }

    /// `e^x` for `x ≤ 0` by the kernel's formula (Cody–Waite reduction, degree-13 Taylor
    /// polynomial; arguments below −700 clamped). Exposed for tests. O(1).
    package static func exponential(nonPositive x: Double) -> Double {
        kda_exp_nonpositive(x)
    }

    /// `Σ wᵢ log(1 + tᵢ)` for `0 ≤ tᵢ ≤ 1`, with `log(1 + t) = 2 atanh(t/(2 + t))` by its series
    /// (18 terms, truncation below 10⁻¹⁷ relative). Complexity: O(count).
    package static func weightedLog1pSum(count: Int, t: UnsafePointer<Double>, w: UnsafePointer<Double>) -> Double {
        kda_weighted_log1p_sum(Int32(count), t, w)
    }

    /// `log(1 + t)` for `0 ≤ t ≤ 1` by the formula of ``weightedLog1pSum(count:t:w:)``. Exposed for tests. O(1).
    package static func log1p(unit t: Double) -> Double {
        kda_log1p_unit(t)
    }

    /// `H[a, b] += Σᵢ wtᵢ X[i, a] X[i, b]` for `a ≤ b < k` over rows `0..<n` (upper triangle of
    /// `XᵀWX`, `H` column-major with leading dimension `ldh`, `X` with `ldx`): tiles of 4 × 4 (AVX-512) or 2 × 4 (AVX2)
    /// columns accumulate in SIMD registers; no scaled copy of `X`. Complexity: n·k²/2 (a little
    /// more: tiles overlap the diagonal).
    package static func weightedGram(rows n: Int, columns k: Int, x: UnsafePointer<Double>, ldx: Int, weights: UnsafePointer<Double>,
                                    into h: UnsafeMutablePointer<Double>, ldh: Int) {
        kda_weighted_gram(Int32(n), Int32(k), x, Int32(ldx), weights, h, Int32(ldh))
    }

    /// ``weightedGram(rows:columns:x:ldx:weights:into:ldh:)`` over columns given by pointers
    /// (`columns[a]` holds rows `0..<n` of column `a`): straight on the caller's buffers.
    package static func weightedGram(rows n: Int, columns: [UnsafePointer<Double>], weights: UnsafePointer<Double>,
                                    into h: UnsafeMutablePointer<Double>, ldh: Int) {
        columns.withUnsafeBufferPointer { pointers in
            pointers.withMemoryRebound(to: UnsafePointer<Double>?.self) {
                kda_weighted_gram_columns(Int32(n), Int32(columns.count), $0.baseAddress, weights, h, Int32(ldh))
            }
        }
    }
}
