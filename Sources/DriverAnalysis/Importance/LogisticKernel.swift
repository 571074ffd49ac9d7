import Foundation
import LinearAlgebra

/// The rows of a logistic subset walk: column 0 is the intercept, the others are standardized
/// (centred, unit variance; a reparametrization that changes no log-likelihood but keeps every
/// Hessian well scaled), rows with zero weight removed. Immutable once built; shared by workers.
final class LogisticDesign: @unchecked Sendable {
    let n: Int
    let columns: Int
    /// `n × columns`, column-major.
    let x: UnsafeMutablePointer<Double>
    let y: UnsafeMutablePointer<Double>
    /// Frequency weights; `nil` when all are 1.
    let w: UnsafeMutablePointer<Double>?

    /// - Parameters: `columns` are the raw columns (without the intercept); `weights` are ≥ 0.
    init(outcome: [Double], columns raw: [[Double]], weights: [Double]?) {
        let rows = weights.map { w in outcome.indices.filter { w[$0] > 0 } } ?? Array(outcome.indices)
        n = rows.count
        columns = raw.count + 1
        x = .allocate(capacity: max(1, n * columns))
        y = .allocate(capacity: max(1, n))
        for (i, row) in rows.enumerated() { y[i] = outcome[row] }
        if let weights, rows.count < outcome.count || weights.contains(where: { $0 != 1 }) {
            let target = UnsafeMutablePointer<Double>.allocate(capacity: max(1, n))
            for (i, row) in rows.enumerated() { target[i] = weights[row] }
            w = target
        } else {
            w = nil
        }
        for i in 0..<n { x[i] = 1 }
        for (j, column) in raw.enumerated() {
            let target = x + (j + 1) * n
            var mean = 0.0
            for (i, row) in rows.enumerated() { target[i] = column[row]; mean += column[row] }
            mean /= Double(max(1, n))
            var ss = 0.0
            for i in 0..<n { target[i] -= mean; ss += target[i] * target[i] }
            let sd = (ss / Double(max(1, n))).squareRoot()
            let scale = sd > 0 && sd.isFinite ? 1 / sd : 0
            for i in 0..<n { target[i] *= scale }
        }
    }

    deinit {
        x.deallocate()
        y.deallocate()
        w?.deallocate()
    }
}

/// One worker's scratch space and the row-block passes of Newton's method for the logistic
/// log-likelihood `ℓ(β) = Σ wᵢ [yᵢηᵢ − log(1 + e^{ηᵢ})]`, `η = X_A β` on the active columns `A`.
///
/// Rows go through in blocks of ``blockRows``: the block's active columns are copied into a
/// small buffer (cache resident), `η` and the gradient `X_Aᵀ w(y − μ)` come from BLAS `dgemv`,
/// the Hessian `X_Aᵀ W X_A` (`W = w μ(1 − μ)`) from `dsyrk` on the block scaled by `√W`. Per row:
/// one `exp` and one `log1p` (`t = e^{−|η|}`: `μ = 1/(1 + t)` or `t/(1 + t)`, `log(1 + e^{η}) =
/// max(η, 0) + log1p(t)`, `μ(1 − μ) = t/(1 + t)²`), no allocation. Sums run in a fixed order, so a
/// pass gives the same bits on any thread.
final class LogisticWorkspace {
    static let blockRows = 512
    let design: LogisticDesign
    /// The largest number of active columns.
    let capacity: Int
    let gathered: UnsafeMutablePointer<Double>
    let scaled: UnsafeMutablePointer<Double>
    let eta: UnsafeMutablePointer<Double>
    let residual: UnsafeMutablePointer<Double>
    let root: UnsafeMutablePointer<Double>
    /// `capacity × capacity` (leading dimension `capacity`), the Hessian's upper triangle.
    let hessian: UnsafeMutablePointer<Double>
    /// `capacity × (capacity + 1)`: cross-products of a bordering pass.
    let cross: UnsafeMutablePointer<Double>
    let gradient: UnsafeMutablePointer<Double>

    init(design: LogisticDesign, capacity: Int) {
        self.design = design
        self.capacity = capacity
        let b = Self.blockRows
        gathered = .allocate(capacity: b * capacity)
        scaled = .allocate(capacity: b * (capacity + 1))
        eta = .allocate(capacity: b)
        residual = .allocate(capacity: b)
        root = .allocate(capacity: b)
        hessian = .allocate(capacity: capacity * capacity)
        cross = .allocate(capacity: capacity * (capacity + 1))
        gradient = .allocate(capacity: capacity)
    }

    deinit {
        for pointer in [gathered, scaled, eta, residual, root, hessian, cross, gradient] { pointer.deallocate() }
    }

    /// Copies rows `start..<start + m` of `columns` into `gathered` (leading dimension `m`).
    @inline(__always)
    private func gather(_ columns: UnsafeBufferPointer<Int>, start: Int, m: Int) {
        let n = design.n
        for (a, column) in columns.enumerated() {
            (gathered + a * m).update(from: design.x + column * n + start, count: m)
        }
    }

    /// Evaluates `ℓ(β)`, the gradient (into ``gradient``) and, when `hessian` is set, the
    /// Hessian's upper triangle (into ``hessian``); writes `μ` into `mu`.
    /// Complexity: O(n·k) plus O(n·k²) with the Hessian.
    func evaluate(columns: UnsafeBufferPointer<Int>, beta: UnsafePointer<Double>, mu: UnsafeMutablePointer<Double>,
                  withHessian: Bool) -> (logLikelihood: Double, maxAbsEta: Double) {
        let n = design.n, k = columns.count, ld = capacity
        let y = design.y, w = design.w
        gradient.update(repeating: 0, count: k)
        if withHessian { for b in 0..<k { (hessian + b * ld).update(repeating: 0, count: b + 1) } }
        var ll = 0.0, maxEta = 0.0
        var start = 0
        while start < n {
            let m = min(Self.blockRows, n - start)
            gather(columns, start: start, m: m)
            BLASKernels.gemv(transposed: false, m: m, n: k, alpha: 1, a: gathered, lda: m, x: beta, beta: 0, y: eta)
            for i in 0..<m {
                let e = eta[i], yi = y[start + i], wi = w?[start + i] ?? 1
                let t = exp(-abs(e))
                let onePlus = 1 + t
                let p = e >= 0 ? 1 / onePlus : t / onePlus
                ll += wi * (yi * e - (max(e, 0) + log1p(t)))
                residual[i] = wi * (yi - p)
                root[i] = (wi * t).squareRoot() / onePlus
                mu[start + i] = p
                maxEta = max(maxEta, abs(e))
            }
            BLASKernels.gemv(transposed: true, m: m, n: k, alpha: 1, a: gathered, lda: m, x: residual, beta: 1, y: gradient)
            if withHessian {
                for a in 0..<k {
                    let source = gathered + a * m, target = scaled + a * m
                    for i in 0..<m { target[i] = source[i] * root[i] }
                }
                BLASKernels.syrkUpper(transposed: true, n: k, k: m, alpha: 1, a: scaled, lda: m, beta: 1, c: hessian, ldc: ld)
            }
            start += m
        }
        return (ll, maxEta)
    }

    /// At the fit `mu` of the parent model, the cross-products needed to add columns: into
    /// ``cross`` (leading dimension `capacity`), column `t < added` holds `X_allᵀ W x_new(t)` and
    /// column `added` the gradient `X_allᵀ w(y − μ)`, where `all` = the parent's columns followed by
    /// the `added` new ones. Complexity: O(n·k·added).
    func border(columns: UnsafeBufferPointer<Int>, added: Int, mu: UnsafePointer<Double>) {
        let n = design.n, k = columns.count, ld = capacity
        let y = design.y, w = design.w
        for t in 0...added { (cross + t * ld).update(repeating: 0, count: k) }
        var start = 0
        while start < n {
            let m = min(Self.blockRows, n - start)
            gather(columns, start: start, m: m)
            let r = scaled + added * m
            for i in 0..<m {
                let p = mu[start + i], wi = w?[start + i] ?? 1
                root[i] = wi * p * (1 - p)
                r[i] = wi * (y[start + i] - p)
            }
            for t in 0..<added {
                let source = gathered + (k - added + t) * m, target = scaled + t * m
                for i in 0..<m { target[i] = source[i] * root[i] }
            }
            BLASKernels.gemm(transposeA: true, transposeB: false, m: k, n: added + 1, k: m, alpha: 1, a: gathered, lda: m,
                             b: scaled, ldb: m, beta: 1, c: cross, ldc: ld)
            start += m
        }
    }
}

/// Small dense Cholesky algebra on `k × k` lower-triangular factors stored column-major with a
/// leading dimension (k ≤ a few dozen: O(k³) is negligible next to the O(n·k²) passes).
enum SmallCholesky {
    /// Factors the symmetric matrix whose upper triangle is in `a` into `l` (lower, `L Lᵀ`).
    /// Returns `false` when a pivot is not positive. Complexity: k³/6.
    static func factor(upper a: UnsafePointer<Double>, k: Int, ld: Int, into l: UnsafeMutablePointer<Double>) -> Bool {
        for j in 0..<k {
            var d = a[j + j * ld]
            for s in 0..<j { d -= l[j + s * ld] * l[j + s * ld] }
            guard d > 0, d.isFinite else { return false }
            let pivot = d.squareRoot()
            l[j + j * ld] = pivot
            for i in (j + 1)..<max(j + 1, k) {
                var v = a[j + i * ld]   // upper triangle: (j, i), i > j
                for s in 0..<j { v -= l[i + s * ld] * l[j + s * ld] }
                l[i + j * ld] = v / pivot
            }
        }
        return true
    }

    /// Solves `L Lᵀ x = b` in place. Complexity: 2k².
    static func solve(_ l: UnsafePointer<Double>, k: Int, ld: Int, _ b: UnsafeMutablePointer<Double>) {
        forward(l, k: k, ld: ld, b)
        for i in stride(from: k - 1, through: 0, by: -1) {
            var v = b[i]
            for s in (i + 1)..<max(i + 1, k) { v -= l[s + i * ld] * b[s] }
            b[i] = v / l[i + i * ld]
        }
    }

    /// Solves `L x = b` in place. Complexity: k².
    static func forward(_ l: UnsafePointer<Double>, k: Int, ld: Int, _ b: UnsafeMutablePointer<Double>) {
        for i in 0..<k {
            var v = b[i]
            for s in 0..<i { v -= l[i + s * ld] * b[s] }
            b[i] = v / l[i + i * ld]
        }
    }
}
