import Foundation
import LinearAlgebra

extension LinearRegression {
    /// The (generalized) variance inflation of each term, as R's `car::vif(lm)`: from the
    /// model-based covariance `(XᵀWX)⁻¹` of the slopes, whatever standard errors were asked for
    /// (a robust covariance says nothing about collinearity).
    ///
    /// - Parameter terms: per term, the positions of its columns among the drivers (0-based,
    ///   intercept not counted); `nil` for one term per driver column. Columns in no term count
    ///   among every term's "others".
    /// - Returns: one ``VarianceInflation`` per term; aliased terms have an infinite value. Without
    ///   an intercept the values come from uncentred cross-products (`car::vif` warns that they
    ///   "may not be sensible").
    /// - Throws: `LinearAlgebraError` if the estimable covariance is not positive definite.
    /// Complexity: O(p³).
    public func varianceInflation(terms: [[Int]]? = nil) throws -> [VarianceInflation] {
        try VarianceInflation.slopes(of: modelCovariance, intercept: options.intercept, terms: terms)
    }
}

extension LogisticRegression {
    /// The (generalized) variance inflation of each term, as R's `car::vif(glm)`: from the inverse
    /// Hessian `(XᵀWX)⁻¹`, `W = w·μ(1 − μ)` at the estimate — the correlation of the estimates —
    /// even when the standard errors are the sampling-weight sandwich.
    ///
    /// - Parameter terms: per term, the positions of its columns among the drivers (0-based,
    ///   intercept not counted); `nil` for one term per driver column.
    /// - Returns: one ``VarianceInflation`` per term; aliased terms have an infinite value.
    /// - Throws: `LinearAlgebraError` if the estimable covariance is not positive definite.
    /// Complexity: O(p³).
    public func varianceInflation(terms: [[Int]]? = nil) throws -> [VarianceInflation] {
        try VarianceInflation.slopes(of: modelCovariance, intercept: options.intercept, terms: terms)
    }
}

extension OrdinalRegression {
    /// The (generalized) variance inflation of each term, as R's `car::vif(polr)`: from the block
    /// of the slopes in the inverse observed information (the cut-points left out).
    ///
    /// - Parameter terms: per term, the positions of its columns among the drivers (0-based);
    ///   `nil` for one term per driver column.
    /// - Returns: one ``VarianceInflation`` per term.
    /// - Throws: `LinearAlgebraError` if the covariance is not positive definite.
    /// Complexity: O(p³).
    public func varianceInflation(terms: [[Int]]? = nil) throws -> [VarianceInflation] {
        let p = coefficients.count
        var slopes = Matrix(uncheckedRows: p, columns: p)
        for a in 0..<p { for b in 0..<p { slopes[a, b] = covariance[a, b] } }
        return try VarianceInflation.generalized(covariance: slopes, terms: terms ?? (0..<p).map { [$0] })
    }
}

extension VarianceInflation {
    /// The slopes' block of a covariance over `(Intercept)` (when fitted) and the drivers, and
    /// the generalized VIF of each term in it.
    static func slopes(of covariance: Matrix, intercept: Bool, terms: [[Int]]?) throws -> [VarianceInflation] {
        let offset = intercept ? 1 : 0, p = covariance.rows - offset
        var slopes = Matrix(uncheckedRows: p, columns: p)
        for a in 0..<p { for b in 0..<p { slopes[a, b] = covariance[a + offset, b + offset] } }
        return try generalized(covariance: slopes, terms: terms ?? (0..<p).map { [$0] })
    }
}
