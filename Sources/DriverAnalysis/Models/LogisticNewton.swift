import Foundation
import LinearAlgebra

/// Newton–Raphson for ``LogisticRegression`` on the analysis's own columns (a ``ColumnDesign``),
/// with one pass over the rows per iteration.
///
/// A pass at `β` walks row blocks of the columns in place and computes, block by block,
/// `η = Xβ` (BLAS `daxpy` per column), `μ`, the Newton weights `wμ(1 − μ)` and the
/// log-likelihood with one `exp` per row
/// (``VectorKernels/logisticRows(count:eta:y:w:t:mu:residual:weight:)``), the gradient
/// `Xᵀw(y − μ)` (`ddot` per column) and the Hessian `XᵀWX` (register tiles over the columns,
/// ``VectorKernels/weightedGram(rows:columns:weights:into:ldh:)``). The Hessian of an accepted step is the one the next step needs, and the last one
/// gives the covariance, so an iteration costs one pass; only a halved step costs another.
/// Blocks are grouped into fixed chunks run on all cores and summed in chunk order: the same
/// bits for any number of threads. No `n × k` copy of the design is made.
extension LogisticRegression {
    struct NewtonResult {
        var beta: [Double]
        var eta: [Double]
        var deviance: Double
        var covariance: Matrix
        var iterations: Int
        var converged: Bool
        var warnings: [String]
        /// `max |ηᵢ|` at the estimate.
        var maxAbsEta: Double
    }

    /// The sums of one pass over the rows.
    struct NewtonPass {
        /// `XᵀWX`, `k × k` column-major, upper triangle filled.
        var hessian: [Double]
        /// `Xᵀ r`: the score `Xᵀw(y − μ)`, or for the start pass the working-response product.
        var gradient: [Double]
        /// `Σ wᵢ(yᵢηᵢ − max(ηᵢ, 0))` (the log-free part of `ℓ`).
        var linearPart = 0.0
        /// `Σ wᵢ log(1 + e^{−|ηᵢ|})`.
        var logPart = 0.0
        var maxAbsEta = 0.0

        /// Residual deviance `−2ℓ`.
        var deviance: Double { -2 * (linearPart - logPart) }
    }

    /// A chunk's partial sums and its row scratch (five vectors of a block each).
    final class NewtonChunk {
        var sums: NewtonPass
        let scratch: UnsafeMutablePointer<Double>

        init(columns k: Int) {
            sums = NewtonPass(hessian: [Double](repeating: 0, count: k * k), gradient: [Double](repeating: 0, count: k))
            scratch = .allocate(capacity: 5 * ColumnDesign.blockRows)
        }

        deinit { scratch.deallocate() }
    }

    /// One pass at `beta` (writing `η` into `eta`, `n` long), or — `beta == nil` — the start pass
    /// of R's `glm`: `μ⁰ = (wy + ½)/(w + 1)`, weights `wμ⁰(1 − μ⁰)` and the working-response product
    /// `Xᵀ w[μ⁰(1 − μ⁰)η⁰ + y − μ⁰]`. Complexity: O(n·k²/2), one read of the columns.
    static func newtonPass(_ design: ColumnDesign, y: [Double], w: [Double], beta: [Double]?,
                           eta: UnsafeMutablePointer<Double>?) -> NewtonPass {
        let k = design.columnCount
        let etaOut = UncheckedSendable(eta)
        let chunks = design.reduceBlocks({ NewtonChunk(columns: k) }) { chunk, rows, columns in
            let m = rows.count, b = ColumnDesign.blockRows
            let etaBlock = chunk.scratch, t = chunk.scratch + b, mu = chunk.scratch + 2 * b
            let residual = chunk.scratch + 3 * b, weight = chunk.scratch + 4 * b
            y.withUnsafeBufferPointer { yAll in
                w.withUnsafeBufferPointer { wAll in
                    let yb = yAll.baseAddress! + rows.lowerBound, wb = wAll.baseAddress! + rows.lowerBound
                    if let beta {
                        // η = Σⱼ βⱼ xⱼ, column by column on the caller's buffers.
                        etaBlock.update(repeating: 0, count: m)
                        for (j, column) in columns.enumerated() { BLASKernels.axpy(count: m, alpha: beta[j], x: column, y: etaBlock) }
                        if let out = etaOut.value { (out + rows.lowerBound).update(from: etaBlock, count: m) }
                        let (linear, largest) = VectorKernels.logisticRows(count: m, eta: etaBlock, y: yb, w: wb, t: t, mu: mu,
                                                                           residual: residual, weight: weight)
                        chunk.sums.linearPart += linear
                        chunk.sums.logPart += VectorKernels.weightedLog1pSum(count: m, t: t, w: wb)
                        chunk.sums.maxAbsEta = max(chunk.sums.maxAbsEta, largest)
                    } else {
                        for i in 0..<m {
                            let start = (wb[i] * yb[i] + 0.5) / (wb[i] + 1), variance = start * (1 - start)
                            weight[i] = wb[i] * variance
                            residual[i] = wb[i] * (variance * log(start / (1 - start)) + yb[i] - start)
                        }
                    }
                }
            }
            for (j, column) in columns.enumerated() { chunk.sums.gradient[j] += BLASKernels.dot(count: m, x: column, y: residual) }
            chunk.sums.hessian.withUnsafeMutableBufferPointer { h in
                VectorKernels.weightedGram(rows: m, columns: columns, weights: weight, into: h.baseAddress!, ldh: k)
            }
        }
        var total = NewtonPass(hessian: [Double](repeating: 0, count: k * k), gradient: [Double](repeating: 0, count: k))
        for chunk in chunks {
            for e in 0..<(k * k) { total.hessian[e] += chunk.sums.hessian[e] }
            for j in 0..<k { total.gradient[j] += chunk.sums.gradient[j] }
            total.linearPart += chunk.sums.linearPart
            total.logPart += chunk.sums.logPart
            total.maxAbsEta = max(total.maxAbsEta, chunk.sums.maxAbsEta)
        }
        return total
    }

    /// Newton–Raphson from R's start (or from `start`), halving a step while the deviance rises,
    /// until the relative deviance change is below `options.tolerance`. Throws
    /// `LinearAlgebraError.notPositiveDefinite` when a Hessian is singular (aliased columns).
    static func newton(design: ColumnDesign, y: [Double], w: [Double], options: LogisticModelOptions, start: [Double]? = nil) throws -> NewtonResult {
        let n = design.rows, k = design.columnCount
        // Exact power-of-two column scaling for the Hessian's conditioning.
        let scales = (0..<k).map { j -> Double in
            let norm = design.columnNorm(j)
            return norm > 0 && norm.isFinite ? Double(sign: .plus, exponent: norm.exponent, significand: 1) : 1
        }
        func factor(_ pass: NewtonPass) throws -> Cholesky {
            var h = Matrix(uncheckedRows: k, columns: k)
            for b in 0..<k { for a in 0...b { h[a, b] = pass.hessian[a + b * k] / (scales[a] * scales[b]); h[b, a] = h[a, b] } }
            return try Cholesky(h)
        }
        func solveStep(_ chol: Cholesky, _ gradient: [Double]) throws -> [Double] {
            let scaled = try chol.solve(zip(gradient, scales).map { $0 / $1 })
            return zip(scaled, scales).map { $0 / $1 }
        }
        var eta = [Double](repeating: 0, count: n), candidateEta = [Double](repeating: 0, count: n)
        func evaluate(_ beta: [Double], into target: inout [Double]) -> NewtonPass {
            target.withUnsafeMutableBufferPointer { newtonPass(design, y: y, w: w, beta: beta, eta: $0.baseAddress) }
        }
        // R's start: the first step is the weighted LS of the working response. A warm start
        // begins from the given β instead.
        var beta: [Double]
        if let start {
            beta = start
        } else {
            let first = newtonPass(design, y: y, w: w, beta: nil, eta: nil)
            beta = try solveStep(try factor(first), first.gradient)
        }
        var current = evaluate(beta, into: &eta)
        var iterations = 1
        var converged = false
        var warnings: [String] = []
        while iterations < options.maximumIterations && !converged {
            let step = try solveStep(try factor(current), current.gradient)
            var stepFactor = 1.0
            var candidate = zip(beta, step).map { $0 + $1 }
            var trial = evaluate(candidate, into: &candidateEta)
            var halvings = 0
            let allowed: Double = current.deviance * (1 + 1e-12) + 1e-12
            while !(trial.deviance.isFinite && trial.deviance <= allowed) && halvings < 30 {
                stepFactor /= 2
                halvings += 1
                candidate = zip(beta, step).map { $0 + stepFactor * $1 }
                trial = evaluate(candidate, into: &candidateEta)
            }
            let change = abs(trial.deviance - current.deviance) / (abs(trial.deviance) + 0.1)
            if halvings < 30 || trial.deviance < current.deviance {
                beta = candidate
                swap(&eta, &candidateEta)
                current = trial
            }
            iterations += 1
            if change < options.tolerance { converged = true }
            if halvings == 30 { break }
        }
        if !converged {
            warnings.append("did not converge in \(options.maximumIterations) iterations (relative deviance change above \(options.tolerance))")
        }
        // The covariance: the inverse Hessian at the final estimate (from its pass).
        var cov = try factor(current).inverse()
        for b in 0..<k { for a in 0..<k { cov[a, b] /= scales[a] * scales[b] } }
        return NewtonResult(beta: beta, eta: eta, deviance: current.deviance, covariance: cov, iterations: iterations,
                            converged: converged, warnings: warnings, maxAbsEta: current.maxAbsEta)
    }
}
