import Foundation
import LinearAlgebra

/// Johnson's (2000) relative weights.
///
/// With `R = VΛVᵀ` the driver correlation matrix and `Λ^{1/2}` its symmetric square root
/// `Q = VΛ^{1/2}Vᵀ` (the correlations between the drivers and their closest orthonormal
/// counterparts `Z`), the outcome is regressed on `Z`: `β = Q⁻¹r`. Then
/// `εⱼ = Σₖ Qⱼₖ² βₖ²`, which sums to R². Eigendecomposition by LAPACK `dsyevd`; collinear
/// drivers (eigenvalues ≤ 1e-12·λmax) are handled with the pseudo-inverse.
public struct RelativeWeights: Sendable {
    /// Driver names, in input order.
    public let names: [String]
    /// `εⱼ`, summing to ``rSquared``.
    public let weights: [Double]
    /// `εⱼ / R²`.
    public let shares: [Double]
    /// `Σ εⱼ`: the model R² (linear), or the standardized-logit analogue (logistic).
    public let rSquared: Double

    /// Relative weights of a linear model from the correlations in `input` (Johnson 2000).
    ///
    /// - Parameter input: the drivers' correlations and their correlations with the outcome.
    ///
    /// Complexity: O(p³) (one symmetric eigendecomposition).
    public init(_ input: ImportanceInput) throws {
        let p = input.driverCount
        let (root, inverseRoot) = try Self.symmetricRoots(input.driverCorrelation)
        let beta = try inverseRoot.multiplied(by: input.outcomeCorrelation)
        var weights = [Double](repeating: 0, count: p)
        for j in 0..<p { for k in 0..<p { weights[j] += root[j, k] * root[j, k] * beta[k] * beta[k] } }
        names = input.names
        self.weights = weights
        rSquared = weights.reduce(0, +)
        shares = weights.map { $0 / weights.reduce(0, +) }
    }

    /// `R^{1/2}` and its (pseudo-)inverse by eigendecomposition; eigenvalues ≤ 1e-12·λmax (collinear
    /// drivers) are treated as 0.
    static func symmetricRoots(_ r: Matrix) throws -> (root: Matrix, inverseRoot: Matrix) {
        let eigen = try SymmetricEigen(r)
        let largest = eigen.values.last ?? 1
        return (try eigen.reconstructed { $0 > 1e-12 * largest ? $0.squareRoot() : 0 },
                try eigen.reconstructed { $0 > 1e-12 * largest ? 1 / $0.squareRoot() : 0 })
    }

    /// The logistic variant of Tonidandel & LeBreton (2010) on raw data: the outcome (0/1) is
    /// regressed on the orthogonal counterparts `Z` of the standardized drivers by logistic
    /// regression; the coefficients are standardized as `bₖ·s_{Zₖ}·R/s_{logit(ŷ)}` with `R` the
    /// correlation of `y` and `ŷ`, and `εⱼ = Σₖ Qⱼₖ² β*ₖ²`.
    ///
    /// The fit on `Z = X_std Q⁻¹` is the fit on the drivers themselves reparametrized (maximum
    /// likelihood is equivariant under an invertible linear map), so the drivers are fitted as
    /// they are and the `Z` coefficients obtained as `Q b*` (`b*_j = b_j s_j`) — no `n × p` copy of
    /// the data. Collinear drivers (aliased in that fit) go through `Z` explicitly.
    ///
    /// - Parameters:
    ///   - y: the outcome, 0 or 1 per row.
    ///   - drivers: the driver columns, each as long as the outcome.
    ///   - names: the driver names, one per column of `drivers`.
    public init(logisticOutcome y: [Double], drivers: [[Double]], names: [String]) throws {
        let moments = try Moments(names: names, columns: drivers)
        let fit = try LogisticRegression(outcome: y, drivers: drivers, names: names)
        if !fit.coefficients.contains(where: \.isAliased) {
            let r = try Correlation.test(y, fit.fittedProbabilities).estimate
            try self.init(logisticCoefficients: fit.coefficients.dropFirst().map(\.estimate), correlation: moments.correlation(),
                          standardDeviations: moments.standardDeviations(), fittedCorrelation: r, names: names)
            return
        }
        self.init(names: names, weights: try Self.explicitLogisticWeights(y: y, drivers: drivers, moments: moments))
    }

    /// The weights with `Z` built explicitly (collinear drivers).
    private static func explicitLogisticWeights(y: [Double], drivers: [[Double]], moments: Moments) throws -> [Double] {
        let p = moments.names.count
        let n = y.count
        let sds = moments.standardDeviations()
        let (root, inverseRoot) = try Self.symmetricRoots(moments.correlation())
        // Z = X_std · Q⁻¹ (orthonormal-scale counterparts).
        var z = [[Double]](repeating: [Double](repeating: 0, count: n), count: p)
        for i in 0..<n {
            for k in 0..<p {
                var value = 0.0
                for j in 0..<p { value += (drivers[j][i] - moments.means[j]) / sds[j] * inverseRoot[j, k] }
                z[k][i] = value
            }
        }
        let zFit = try LogisticRegression(outcome: y, drivers: z, names: (0..<p).map { "z\($0)" })
        let logits = zFit.fittedProbabilities.map { log($0 / (1 - $0)) }
        let meanLogit = logits.reduce(0, +) / Double(n)
        let sdLogit = (logits.reduce(0) { $0 + ($1 - meanLogit) * ($1 - meanLogit) } / Double(n - 1)).squareRoot()
        let r = try Correlation.test(y, zFit.fittedProbabilities).estimate
        var weights = [Double](repeating: 0, count: p)
        for k in 0..<p {
            let zk = z[k], mean = zk.reduce(0, +) / Double(n)
            let sd = (zk.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)).squareRoot()
            let beta = zFit.coefficients[k + 1].isAliased ? 0 : zFit.coefficients[k + 1].estimate * sd * r / sdLogit
            for j in 0..<p { weights[j] += root[j, k] * root[j, k] * beta * beta }
        }
        return weights
    }

    /// Weights with their total and shares.
    private init(names: [String], weights: [Double]) {
        self.names = names
        self.weights = weights
        rSquared = weights.reduce(0, +)
        shares = weights.map { $0 / weights.reduce(0, +) }
    }

    /// Logistic relative weights from a fit already made: the drivers' coefficients `b` (own
    /// scale), their correlation matrix `R` and standard deviations `s` (`n − 1`), and the
    /// correlation of the outcome with the fitted probabilities. With `b* = (b_j s_j)`, the `Z`
    /// coefficients are `R^{1/2} b*`, each `Z_k` has unit standard deviation and the logit's is
    /// `√(b*ᵀ R b*)`; then `εⱼ = Σₖ (R^{1/2})ⱼₖ² β*ₖ²` with `β*ₖ = (R^{1/2} b*)ₖ · R_{yŷ}/s_logit`.
    /// Only the first `names.count` rows/columns of `correlation` are read (the outcome may follow).
    ///
    /// - Parameters:
    ///   - b: the drivers' logistic coefficients `b`, on their own scale, intercept excluded.
    ///   - all: the drivers' correlation matrix `R`; rows and columns beyond `names.count` are ignored.
    ///   - sds: the drivers' standard deviations `s` (`n − 1` denominator).
    ///   - fittedCorrelation: the correlation `R_{yŷ}` of the 0/1 outcome with the fitted probabilities.
    ///   - names: the driver names, one per coefficient.
    /// - Throws: ``ImportanceError/dimensionMismatch(_:)`` when there are fewer coefficients,
    ///   standard deviations or correlation rows than names; `LinearAlgebraError` when the
    ///   correlation matrix cannot be decomposed.
    public init(logisticCoefficients b: [Double], correlation all: Matrix, standardDeviations sds: [Double],
                fittedCorrelation: Double, names: [String]) throws {
        let p = names.count
        guard b.count >= p, sds.count >= p, all.rows >= p, all.columns >= p else {
            throw ImportanceError.dimensionMismatch("\(p) names need as many coefficients (\(b.count)), standard deviations (\(sds.count)) and a correlation matrix of at least \(p) × \(p) (\(all.rows) × \(all.columns))")
        }
        var r = Matrix(uncheckedRows: p, columns: p)
        for a in 0..<p { for c in 0..<p { r[a, c] = all[a, c] } }
        let (root, _) = try Self.symmetricRoots(r)
        let standardized = (0..<p).map { b[$0] * sds[$0] }
        var variance = 0.0
        for a in 0..<p { for c in 0..<p { variance += standardized[a] * r[a, c] * standardized[c] } }
        let sdLogit = variance.squareRoot()
        var weights = [Double](repeating: 0, count: p)
        for k in 0..<p {
            var coefficient = 0.0
            for j in 0..<p { coefficient += root[k, j] * standardized[j] }
            let beta = coefficient * fittedCorrelation / sdLogit
            for j in 0..<p { weights[j] += root[j, k] * root[j, k] * beta * beta }
        }
        self.init(names: names, weights: weights)
    }
}

/// The classical single-number importance measures of a linear model, from correlations.
///
/// - first: `rⱼ²`, the R² of the driver alone;
/// - last (usefulness, Darlington 1968): `R² − R²₋ⱼ = βⱼ²/[R⁻¹]ⱼⱼ`;
/// - β²: squared standardized coefficients;
/// - Pratt (1987): `βⱼ·rⱼ`, which sums to R² but can be negative (a suppressor sign).
public struct ClassicImportance: Sendable {
    /// Driver names, in input order.
    public let names: [String]
    /// `rⱼ²`: R² of the driver alone.
    public let first: [Double]
    /// `βⱼ²/[R⁻¹]ⱼⱼ`: the R² lost when the driver is removed (0 for a driver collinear with the others).
    public let last: [Double]
    /// `βⱼ²`: squared standardized coefficients.
    public let betaSquared: [Double]
    /// `βⱼ·rⱼ`: Pratt's measure; sums to R² and is negative for a suppressor.
    public let pratt: [Double]
    /// Standardized coefficients `β = R⁻¹r`.
    public let standardizedCoefficients: [Double]
    /// `R² = Σ βⱼ rⱼ = rᵀR⁻¹r`.
    public let rSquared: Double

    /// First, last, β² and Pratt from the correlations in `input`. Collinear drivers use the
    /// eigendecomposition pseudo-inverse. Complexity: O(p³).
    ///
    /// - Parameter input: the drivers' correlations and their correlations with the outcome.
    public init(_ input: ImportanceInput) throws {
        let r = input.outcomeCorrelation
        let inverse: Matrix
        do { inverse = try input.driverCorrelation.symmetricPositiveDefiniteInverse() } catch {
            // Collinear drivers: pseudo-inverse through the eigendecomposition.
            let eigen = try SymmetricEigen(input.driverCorrelation)
            let largest = eigen.values.last ?? 1
            inverse = try eigen.reconstructed { $0 > 1e-12 * largest ? 1 / $0 : 0 }
        }
        let beta = try inverse.multiplied(by: r)
        names = input.names
        standardizedCoefficients = beta
        first = r.map { $0 * $0 }
        betaSquared = beta.map { $0 * $0 }
        pratt = zip(beta, r).map { $0 * $1 }
        last = beta.indices.map { inverse[$0, $0] > 0 ? beta[$0] * beta[$0] / inverse[$0, $0] : 0 }
        rSquared = zip(beta, r).reduce(0) { $0 + $1.0 * $1.1 }
    }
}
