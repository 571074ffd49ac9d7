import Foundation
import LinearAlgebra

extension LogisticRegression {
    /// The rows of positive weight (all when unweighted) with their outcome, weights (1 when
    /// unweighted) and driver columns, checked for a fit: more rows than `parameters`, an
    /// outcome that varies, no driver that separates the outcome on its own.
    static func usedRows(outcome: [Double], drivers: [[Double]], names: [String], weights: [Double]?, parameters: Int) throws
        -> (used: [Int], y: [Double], w: [Double], columns: [[Double]]) {
        let all = outcome.count
        let used = weights.map { w in (0..<all).filter { w[$0] > 0 } } ?? Array(0..<all)
        let n = used.count
        guard n > parameters else { throw ModelError.tooFewObservations(observations: n, parameters: parameters) }
        let y = used.map { outcome[$0] }
        if y.allSatisfy({ $0 == y[0] }) { throw ModelError.constantOutcome(value: y[0]) }
        let w = weights.map { w in used.map { w[$0] } } ?? [Double](repeating: 1, count: n)
        let columns = n == all ? drivers : drivers.map { c in used.map { c[$0] } }
        try checkUnivariateSeparation(y: y, drivers: columns, names: names)
        return (used, y, w, columns)
    }

    /// Newton on the design over the sample's own columns (no n × k copy); if its Hessian is
    /// singular, finds the aliased columns by rank-revealing QR of X, drops them and fits again.
    /// The Hessian XᵀWX squares X's condition number, so a column whose residual on the others
    /// is below 10⁻⁷ of the leading pivot (R's `lm` tolerance) counts as aliased here: it
    /// is what made the Cholesky factorization fail. Returns the fit, the design it was fitted
    /// on and the retained term indices.
    static func fitDroppingAliased(columns: [[Double]], y: [Double], w: [Double], names: [String], termCount: Int,
                                   options: LogisticModelOptions) throws -> (fit: NewtonResult, design: ColumnDesign, retained: [Int]) {
        let full = ColumnDesign(columns: columns, intercept: options.intercept)
        do {
            return (try newton(design: full, y: y, w: w, options: options), full, Array(0..<termCount))
        } catch LinearAlgebraError.notPositiveDefinite {
            let aliased = Set(try QRLeastSquares.solve(full, y, options: .init(rankTolerance: 1e-7, method: .qr)).aliasedColumns)
            let retained = (0..<termCount).filter { !aliased.contains($0) }
            if retained.count == (options.intercept ? 1 : 0) || retained.isEmpty || aliased.isEmpty {
                throw ModelError.allDriversAliased(drivers: names)
            }
            let design = full.selecting(retained)
            return (try newton(design: design, y: y, w: w, options: options), design, retained)
        }
    }

    /// Throws ``ModelError/separation(kind:drivers:)`` when a fit with numerically 0/1 fitted
    /// probabilities shows separation.
    ///
    /// A fitted probability that rounds to 0 or 1 is not separation by itself: one churner
    /// with an extreme spend has a finite maximum (statsmodels and R fit it). Separation
    /// is a likelihood still rising as a coefficient grows without bound, which shows as a
    /// large standardized effect (> 5) whose Wald statistic has collapsed (|z| < 0.5: the
    /// information in that direction has vanished with the separated rows' weights), or
    /// as no convergence at all.
    static func checkFittedSeparation(_ fit: NewtonResult, design: ColumnDesign, n: Int, names: [String], termNames: [String],
                                      retained: [Int], options: LogisticModelOptions) throws {
        let k = retained.count
        let offset = design.intercept ? 1 : 0
        let sds = (0..<k).map { j -> Double in
            guard j >= offset else { return 0 }   // the constant
            let c = design.columns[j - offset], mean = c.reduce(0, +) / Double(n)
            return (c.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n)).squareRoot()
        }
        let effects = (0..<k).map { abs(fit.beta[$0]) * sds[$0] }
        let large = (0..<k).filter { effects[$0] > 5 && !(options.intercept && $0 == 0) }
        let collapsed = large.filter { j in
            let se = fit.covariance[j, j].squareRoot()
            return !(se.isFinite) || abs(fit.beta[j]) / se < 0.5
        }
        if !fit.converged || !collapsed.isEmpty {
            let culprits = (fit.converged ? collapsed : large).map { termNames[retained[$0]] }
            throw ModelError.separation(kind: fit.deviance < 1e-6 ? .complete : .quasiComplete,
                                        drivers: culprits.isEmpty ? names : culprits)
        }
    }

    /// The covariance of the retained estimates: the inverse Hessian, or with sampling weights
    /// the design-based sandwich — bread H⁻¹, meat Σ sᵢsᵢᵀ with scores sᵢ = wᵢ(yᵢ − μᵢ)xᵢ (the
    /// design's rows scaled by |wᵢ(yᵢ − μᵢ)|, crossed by blocks), times n/(n − 1).
    static func estimateCovariance(_ fit: NewtonResult, design: ColumnDesign, y: [Double], w: [Double], n: Int,
                                   options: LogisticModelOptions) throws -> Matrix {
        guard options.samplingWeights else { return fit.covariance }
        let scores = (0..<n).map { i -> Double in
            let mu: Double = 1 / (1 + exp(-fit.eta[i]))
            return abs(w[i] * (y[i] - mu))
        }
        let meat = try design.scalingRows(by: scores).crossProduct()
        var fitted = try fit.covariance.multiplied(by: meat).multiplied(by: fit.covariance)
        let factor = Double(n) / Double(n - 1)
        fitted.withUnsafeMutableBufferPointer { c in for t in c.indices { c[t] *= factor } }
        return fitted
    }

    /// `matrix` (retained terms × retained terms) placed at the `retained` rows and columns of a
    /// `count × count` matrix, `NaN` elsewhere (aliased terms).
    static func spread(_ matrix: Matrix, over retained: [Int], count: Int) -> Matrix {
        var out = Matrix(uncheckedRows: count, columns: count, repeating: .nan)
        for (a, ja) in retained.enumerated() { for (b, jb) in retained.enumerated() { out[ja, jb] = matrix[a, b] } }
        return out
    }

    /// One row per term: Wald `z`, normal p-value and interval `β̂ ± critical·SE`; `NaN` rows
    /// marked aliased for `NaN` estimates.
    static func waldCoefficients(names: [String], estimates: [Double], covariance cov: Matrix, critical: Double) -> [Coefficient] {
        let normal = NormalDistribution.standard
        return (0..<names.count).map { j in
            let estimate = estimates[j]
            guard !estimate.isNaN else {
                return Coefficient(name: names[j], estimate: .nan, standardError: .nan, statistic: .nan, pValue: .nan,
                                   confidenceInterval: ClosedInterval(lower: .nan, upper: .nan), isAliased: true)
            }
            let se = cov[j, j].squareRoot(), z = estimate / se
            return Coefficient(name: names[j], estimate: estimate, standardError: se, statistic: z,
                               pValue: 2 * normal.survival(abs(z)),
                               confidenceInterval: ClosedInterval(lower: estimate - critical * se, upper: estimate + critical * se),
                               isAliased: false)
        }
    }

    /// The intercept-only model's weighted log-likelihood at the weighted event rate (½ without intercept).
    static func interceptOnlyLogLikelihood(y: [Double], w: [Double], intercept: Bool) -> Double {
        let wTotal = w.reduce(0, +)
        let pBar = intercept ? zip(w, y).reduce(0) { $0 + $1.0 * $1.1 } / wTotal : 0.5
        return zip(w, y).reduce(0) { $0 + $1.0 * ($1.1 == 1 ? log(pBar) : log1p(-pBar)) }
    }

    /// Fitted probabilities for every observation given: the fit's for the `used` rows, and from
    /// the estimates (aliased terms 0) for the zero-weight rows.
    static func probabilitiesForAllRows(eta: [Double], used: [Int], all: Int, estimates: [Double], drivers: [[Double]],
                                    intercept: Bool) -> [Double] {
        var probabilities = [Double](repeating: 0, count: all)
        for (k, i) in used.enumerated() { probabilities[i] = 1 / (1 + exp(-eta[k])) }
        if used.count < all {
            let beta = estimates.map { $0.isNaN ? 0 : $0 }
            let offset = intercept ? 1 : 0
            let usedSet = Set(used)
            for i in 0..<all where !usedSet.contains(i) {
                var eta = intercept ? beta[0] : 0
                for (j, column) in drivers.enumerated() { eta += beta[j + offset] * column[i] }
                probabilities[i] = 1 / (1 + exp(-eta))
            }
        }
        return probabilities
    }
}
