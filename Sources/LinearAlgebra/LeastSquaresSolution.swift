/// Options for ``QRLeastSquares``.
public struct LeastSquaresOptions: Sendable, Equatable {
    /// When to improve the solution by iterative refinement with an extended-precision residual.
    public enum Refinement: Sendable, Equatable {
        /// Refine when the first-order forward-error bound
        /// `ε·κ·(1 + κ·‖r‖/‖ŷ‖)` exceeds `1e-13` (κ: condition estimate of the column-scaled
        /// design). Well-conditioned large fits skip it; NIST-hard ones get it.
        case automatic
        /// Always refine (up to three steps).
        case always
        /// Never refine: plain column-pivoted QR.
        case never
    }

    /// What to do when the columns are linearly dependent to working precision.
    public enum RankDeficiency: Sendable, Equatable {
        /// Drop the aliased columns, solve for the rest and report the aliased ones with
        /// `NaN` coefficients (R `lm`'s `NA`).
        case alias
        /// Throw ``LinearAlgebraError/rankDeficient(rank:aliasedColumns:)``.
        case throwError
    }

    /// Pivots `|Rₖₖ| ≤ tolerance · |R₀₀|` of the column-scaled, pivoted `R` are declared zero.
    /// `nil` uses `max(rows, columns) · ε` (LAPACK/NumPy's default). R's `lm` uses `1e-7`,
    /// which declares NIST Filip rank-deficient.
    public var rankTolerance: Double?
    /// The algorithm.
    public enum Method: Sendable, Equatable {
        /// Semi-normal equations with refinement for large, well-conditioned designs
        /// (`n ≥ 8p`, `n·p ≥ 2·10⁵`, κ ≤ 10⁵ after column scaling), QR otherwise.
        case automatic
        /// Always the rank-revealing QR path.
        case qr
    }
    /// The algorithm, ``Method/automatic`` by default.
    public var method: Method = .automatic
    /// Refinement policy, ``Refinement/automatic`` by default.
    public var refinement: Refinement
    /// Rank-deficiency policy, ``RankDeficiency/alias`` by default.
    public var onRankDeficiency: RankDeficiency

    /// Options with the defaults: tolerance `max(rows, columns)·ε`, automatic refinement, aliasing
    /// of rank-deficient columns, automatic method.
    ///
    /// - Parameters:
    ///   - rankTolerance: the relative pivot threshold below which a column is aliased; `nil` (the default)
    ///     for `max(rows, columns) · ε`.
    ///   - refinement: when to refine the solution iteratively; ``Refinement/automatic`` by default.
    ///   - onRankDeficiency: whether to alias or throw on linearly dependent columns;
    ///     ``RankDeficiency/alias`` by default.
    ///   - method: semi-normal equations or QR; ``Method/automatic`` by default.
    public init(rankTolerance: Double? = nil, refinement: Refinement = .automatic, onRankDeficiency: RankDeficiency = .alias,
                method: Method = .automatic) {
        self.method = method
        self.rankTolerance = rankTolerance
        self.refinement = refinement
        self.onRankDeficiency = onRankDeficiency
    }
}

/// The solution of `min ‖y − Xb‖₂` with what inference needs.
public struct LeastSquaresSolution: Sendable {
    /// `b`; `NaN` for aliased columns.
    public let coefficients: [Double]
    /// Numerical rank of `X`.
    public let rank: Int
    /// Columns (0-based, ascending) that are linear combinations of the others and were dropped.
    public let aliasedColumns: [Int]
    /// `y − Xb`, computed in extended precision when the fit was refined.
    public let residuals: [Double]
    /// `Σ rᵢ²`.
    public let residualSumOfSquares: Double
    /// `(X̃ᵀX̃)⁻¹` over the retained columns X̃, placed at their original indices; rows and
    /// columns of aliased columns are `NaN`. Multiply by `σ̂²` for the covariance of `b`.
    public let unscaledCovariance: Matrix
    /// LAPACK `dtrcon` 1-norm estimate of `1/κ` for the retained, column-scaled `R`.
    public let reciprocalConditionNumber: Double
    /// Number of refinement steps applied (0 when not refined).
    public let refinementSteps: Int
    /// `n`, the number of rows.
    public let observationCount: Int
    /// Which algorithm produced the solution.
    public let algorithm: Algorithm

    /// The algorithms of ``QRLeastSquares``.
    public enum Algorithm: String, Sendable {
        /// Rank-revealing Householder QR (with extended-precision refinement when needed).
        case householderQR
        /// Cholesky of the scaled Gram matrix with corrected semi-normal refinement.
        case seminormal
    }

    /// Residual degrees of freedom `n − rank`.
    public var residualDegreesOfFreedom: Int { observationCount - rank }
}
