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
    /// Frequency weights (all 1 when none were given).
    let w: UnsafeMutablePointer<Double>
    /// `max_i |x_ij|` per column.
    let columnMax: [Double]
    /// The intercept-only estimate `logit(Σwy/Σw)` and its log-likelihood `ℓ₀` (the scale of a
    /// robust refit's stopping rule).
    let nullIntercept: Double
    let nullLogLikelihood: Double
    /// `XᵀWX` over every design column (`columns × columns`, both triangles; `W` the frequency
    /// weights): the structure behind every submodel's alias test. A column is aliased when it
    /// lies in the span of the others on the rows that carry weight — a property of the design,
    /// not of a fit's working weights, so it is tested here and never against a stale Hessian.
    let gram: [Double]

    /// - Parameters: `columns` are the raw columns (without the intercept); `weights` are ≥ 0.
    init(outcome: [Double], columns raw: [[Double]], weights: [Double]?) {
        let rows = weights.map { w in outcome.indices.filter { w[$0] > 0 } } ?? Array(outcome.indices)
        n = rows.count
        columns = raw.count + 1
        x = .allocate(capacity: max(1, n * columns))
        y = .allocate(capacity: max(1, n))
        for (i, row) in rows.enumerated() { y[i] = outcome[row] }
        w = .allocate(capacity: max(1, n))
        for (i, row) in rows.enumerated() { w[i] = weights?[row] ?? 1 }
        for i in 0..<n { x[i] = 1 }
        var largest = [Double](repeating: 1, count: raw.count + 1)
        for (j, column) in raw.enumerated() {
            let target = x + (j + 1) * n
            var mean = 0.0
            for (i, row) in rows.enumerated() { target[i] = column[row]; mean += column[row] }
            mean /= Double(max(1, n))
            var ss = 0.0
            for i in 0..<n { target[i] -= mean; ss += target[i] * target[i] }
            let sd = (ss / Double(max(1, n))).squareRoot()
            let scale = sd > 0 && sd.isFinite ? 1 / sd : 0
            var top = 0.0
            for i in 0..<n { target[i] *= scale; top = max(top, abs(target[i])) }
            largest[j + 1] = top
        }
        columnMax = largest
        var wy = 0.0, wt = 0.0
        for i in 0..<n { wy += w[i] * y[i]; wt += w[i] }
        let rate = wt > 0 ? wy / wt : 0.5
        nullIntercept = log(rate / (1 - rate))
        nullLogLikelihood = wt * (rate * log(rate) + (1 - rate) * log1p(-rate))
        gram = Self.gram(x: x, w: w, n: n, columns: columns)
    }

    /// `XᵀWX` in blocks of rows (each block's row count fits the kernel's 32-bit sizes).
    /// Complexity: O(n·p²/2).
    private static func gram(x: UnsafePointer<Double>, w: UnsafePointer<Double>, n: Int, columns p: Int) -> [Double] {
        var g = [Double](repeating: 0, count: p * p)
        g.withUnsafeMutableBufferPointer { h in
            var start = 0
            while start < n {
                let m = min(1 << 16, n - start)
                VectorKernels.weightedGram(rows: m, columns: p, x: x + start, ldx: n, weights: w + start,
                                           into: h.baseAddress!, ldh: p)
                start += m
            }
            for b in 0..<p { for a in 0..<b { h[b + a * p] = h[a + b * p] } }
        }
        return g
    }

    deinit {
        x.deallocate()
        y.deallocate()
        w.deallocate()
    }
}

/// One worker's scratch space and the row-block passes of Newton's method for the logistic
/// log-likelihood `ℓ(β) = Σ wᵢ [yᵢηᵢ − log(1 + e^{ηᵢ})]`, `η = X_A β` on the active columns `A`.
///
/// The active columns are a stack: ``active`` holds, column by column, the design columns of the
/// current submodel in the order they entered (`n × capacity`, leading dimension `n`). A child of
/// the depth-first walk only appends columns after its parent's, and a sibling overwrites them,
/// so each fit copies one column, not the whole design. Rows go through in cache-sized blocks of
/// ``blockRows``: `η` and the gradient `X_Aᵀ w(y − μ)` by BLAS `dgemv`, the Hessian `X_Aᵀ W X_A`
/// (`W = w μ(1 − μ)`) by ``VectorKernels/weightedGram(rows:columns:x:ldx:weights:into:ldh:)``
/// (register tiles, no scaled copy), and the per-row work by
/// ``VectorKernels/logisticRows(count:eta:y:w:t:mu:residual:weight:)`` — one `exp` per row, and one
/// `log` per fit, not per pass. No allocation. Sums run in a fixed order, so a pass gives the
/// same bits on any thread.
final class LogisticWorkspace {
    static let blockRows = 512
    let design: LogisticDesign
    /// The largest number of active columns.
    let capacity: Int
    /// `n × capacity`: the active columns.
    let active: UnsafeMutablePointer<Double>
    let scaled: UnsafeMutablePointer<Double>
    let eta: UnsafeMutablePointer<Double>
    let residual: UnsafeMutablePointer<Double>
    let weight: UnsafeMutablePointer<Double>
    /// `capacity × capacity` (leading dimension `capacity`), the Hessian's upper triangle.
    let hessian: UnsafeMutablePointer<Double>
    /// `capacity × (capacity + 1)`: cross-products of a bordering pass.
    let cross: UnsafeMutablePointer<Double>
    let gradient: UnsafeMutablePointer<Double>
    /// `e^{−|ηᵢ|}` of the last evaluation, one per row.
    let tees: UnsafeMutablePointer<Double>

    init(design: LogisticDesign, capacity: Int) {
        self.design = design
        self.capacity = capacity
        let b = Self.blockRows
        active = .allocate(capacity: max(1, design.n) * capacity)
        scaled = .allocate(capacity: b * (capacity + 1))
        eta = .allocate(capacity: b)
        residual = .allocate(capacity: b)
        weight = .allocate(capacity: b)
        hessian = .allocate(capacity: capacity * capacity)
        cross = .allocate(capacity: capacity * (capacity + 1))
        gradient = .allocate(capacity: capacity)
        tees = .allocate(capacity: max(1, design.n))
    }

    deinit {
        for pointer in [active, scaled, eta, residual, weight, hessian, cross, gradient, tees] { pointer.deallocate() }
    }

    /// Copies design column `column` into active position `position`. O(n).
    func place(_ column: Int, at position: Int) {
        let n = design.n
        (active + position * n).update(from: design.x + column * n, count: n)
    }

    /// Moves active column `from` to position `to` (`to < from`). O(n).
    func move(_ from: Int, to: Int) {
        let n = design.n
        (active + to * n).update(from: active + from * n, count: n)
    }

    /// Evaluates at `β` (on the first `k` active columns) the gradient (into ``gradient``), when
    /// `withHessian` is set the Hessian's upper triangle (into ``hessian``), `μ` (into `mu`) and
    /// `tᵢ = e^{−|ηᵢ|}` (kept for ``logLikelihood(linearPart:)``). Returns the log-free part of
    /// `ℓ`, `Σ wᵢ(yᵢηᵢ − max(ηᵢ, 0))`, and `max |ηᵢ|`.
    /// Complexity: O(n·k) plus O(n·k²) with the Hessian.
    func evaluate(k: Int, beta: UnsafePointer<Double>, mu: UnsafeMutablePointer<Double>,
                  withHessian: Bool) -> (linearPart: Double, maxAbsEta: Double) {
        let n = design.n, ld = capacity
        let y = design.y, w = design.w
        gradient.update(repeating: 0, count: k)
        if withHessian { for b in 0..<k { (hessian + b * ld).update(repeating: 0, count: b + 1) } }
        var linear = 0.0, maxEta = 0.0
        var start = 0
        while start < n {
            let m = min(Self.blockRows, n - start)
            let block: UnsafePointer<Double> = UnsafePointer(active + start)
            BLASKernels.gemv(transposed: false, m: m, n: k, alpha: 1, a: block, lda: n, x: beta, beta: 0, y: eta)
            let yb: UnsafePointer<Double> = UnsafePointer(y + start), wb: UnsafePointer<Double> = UnsafePointer(w + start)
            let tb: UnsafeMutablePointer<Double> = tees + start, mub: UnsafeMutablePointer<Double> = mu + start
            let (blockLinear, blockMax) = VectorKernels.logisticRows(count: m, eta: eta, y: yb, w: wb, t: tb, mu: mub,
                                                                     residual: residual, weight: weight)
            linear += blockLinear
            maxEta = max(maxEta, blockMax)
            BLASKernels.gemv(transposed: true, m: m, n: k, alpha: 1, a: block, lda: n, x: residual, beta: 1, y: gradient)
            if withHessian {
                VectorKernels.weightedGram(rows: m, columns: k, x: block, ldx: n, weights: weight, into: hessian, ldh: ld)
            }
            start += m
        }
        return (linear, maxEta)
    }

    /// `ℓ` at the point of the last ``evaluate(k:beta:mu:withHessian:)``: its linear part
    /// minus `Σ wᵢ log(1 + tᵢ)` (``VectorKernels/weightedLog1pSum(count:t:w:)``, accurate to a few
    /// ulp per term). Needed once per fit, not per pass.
    func logLikelihood(linearPart: Double) -> Double {
        linearPart - VectorKernels.weightedLog1pSum(count: design.n, t: tees, w: design.w)
    }

    /// At the fit `mu` of the parent model, the cross-products needed to add columns: into
    /// ``cross`` (leading dimension `capacity`), column `t < added` holds `X_allᵀ W x_new(t)` and
    /// column `added` the gradient `X_allᵀ w(y − μ)`, where `all` = the first `k` active columns,
    /// the last `added` of them new. Complexity: O(n·k·added).
    func border(k: Int, added: Int, mu: UnsafePointer<Double>) {
        let n = design.n, ld = capacity
        let y = design.y, w = design.w
        for t in 0...added { (cross + t * ld).update(repeating: 0, count: k) }
        var start = 0
        while start < n {
            let m = min(Self.blockRows, n - start)
            let block: UnsafePointer<Double> = UnsafePointer(active + start)
            let r = scaled + added * m
            for i in 0..<m {
                let p = mu[start + i], wi = w[start + i]
                weight[i] = wi * p * (1 - p)
                r[i] = wi * (y[start + i] - p)
            }
            for t in 0..<added {
                let source = block + (k - added + t) * n, target = scaled + t * m
                for i in 0..<m { target[i] = source[i] * weight[i] }
            }
            BLASKernels.gemm(transposeA: true, transposeB: false, m: k, n: added + 1, k: m, alpha: 1, a: block, lda: n,
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
