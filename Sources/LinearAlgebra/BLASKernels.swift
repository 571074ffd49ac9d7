import CLAPACK

/// Pointer-level BLAS for the inner loops of iterative fits (buffer, rows, columns, leading
/// dimension; column-major). One-line wrappers over CBLAS: callers own the buffers and the
/// shapes, and sizes must fit in 32 bits (they are row blocks of a few hundred rows).
///
/// Used where the ``Matrix`` API would allocate per call — the logistic subset walk evaluates
/// millions of small products. Inside a ``Parallel`` loop the BLAS runs single-threaded
/// (``BLASThreads``).
package enum BLASKernels {
    /// `C ← α op(A) op(B) + βC`, `C` is `m × n`, `k` the inner dimension. Complexity: mnk.
    package static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Double,
                            a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
                            beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int) {
        kda_dgemm(transposeA ? 1 : 0, transposeB ? 1 : 0, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda),
                  b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// `y ← α op(A) x + βy` for the `m × n` matrix `A`. Complexity: mn.
    package static func gemv(transposed: Bool, m: Int, n: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
                            x: UnsafePointer<Double>, beta: Double, y: UnsafeMutablePointer<Double>) {
        kda_dgemv(transposed ? 1 : 0, Int32(m), Int32(n), alpha, a, Int32(lda), x, beta, y)
    }

    /// `y ← αx + y` over `count` elements (unit strides). Complexity: count.
    package static func axpy(count: Int, alpha: Double, x: UnsafePointer<Double>, y: UnsafeMutablePointer<Double>) {
        kda_daxpy(Int32(count), alpha, x, y)
    }

    /// `x · y` over `count` elements (unit strides). Complexity: count.
    package static func dot(count: Int, x: UnsafePointer<Double>, y: UnsafePointer<Double>) -> Double {
        kda_ddot(Int32(count), x, y)
    }
}
