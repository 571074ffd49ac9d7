import Foundation
import LinearAlgebra

/// How much collinearity inflates the variance of one term's estimates: the generalized variance
/// inflation factor of Fox & Monette (1992), "Generalized collinearity diagnostics", *JASA* 87,
/// 178–183, doi:10.1080/01621459.1992.10475190 — what R's `car::vif` prints.
///
/// For a term of `df` columns (one for a number, one per non-reference level for a factor) and
/// `R` the correlation matrix of the slope estimates (intercept left out),
/// `GVIF = det(R₁₁)·det(R₂₂)/det(R)`, `R₁₁` the term's block and `R₂₂` the rest. For one column
/// it is the familiar `VIF = 1/(1 − R²ⱼ)`. It does not depend on how a factor is coded (which
/// level is the reference), and ``adjusted`` `= GVIF^(1/(2·df))` makes terms of different `df`
/// comparable: it is the `√VIF` of a one-column term, so the usual thresholds 5 and 10 on VIF
/// read as `√5` and `√10` on it.
///
/// A term holding an aliased column (exactly collinear with the others, R's `NA`) has an
/// infinite GVIF: ``isAliased`` is `true` and ``value`` is `+∞` (`car::vif` refuses such a
/// model; the other terms' values here are those of the model without the aliased columns,
/// which is the model the fit estimates).
public struct VarianceInflation: Sendable, Equatable, Codable {
    /// `GVIF = det(R₁₁)·det(R₂₂)/det(R)` (`≥ 1`; `+∞` when aliased).
    public let value: Double
    /// The term's number of columns.
    public let degreesOfFreedom: Int
    /// Whether the term holds a column exactly collinear with the others.
    public let isAliased: Bool

    /// `GVIF^(1/(2·df))`: `√VIF` for one column, comparable across terms of any `df`.
    public var adjusted: Double { isAliased ? .infinity : pow(value, 1 / (2 * Double(max(1, degreesOfFreedom)))) }

    /// A term's variance inflation from its parts.
    ///
    /// - Parameters:
    ///   - value: the GVIF, at least 1; ignored (stored as `+∞`) when `isAliased`.
    ///   - degreesOfFreedom: the term's number of columns, at least 1.
    ///   - isAliased: whether the term holds a column exactly collinear with the others.
    public init(value: Double, degreesOfFreedom: Int, isAliased: Bool) {
        self.value = isAliased ? .infinity : value
        self.degreesOfFreedom = degreesOfFreedom
        self.isAliased = isAliased
    }

    private enum CodingKeys: String, CodingKey { case value, degreesOfFreedom = "df", isAliased = "aliased" }

    /// Decodes `{"value": …, "df": …, "aliased": …}` (`null` value for an aliased term).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let aliased = try c.decodeIfPresent(Bool.self, forKey: .isAliased) ?? false
        self.init(value: try c.decodeIfPresent(Double.self, forKey: .value) ?? .infinity,
                  degreesOfFreedom: try c.decode(Int.self, forKey: .degreesOfFreedom), isAliased: aliased)
    }

    /// Encodes the value as `null` when aliased (JSON has no infinity).
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(isAliased || !value.isFinite ? nil : value, forKey: .value)
        try c.encode(degreesOfFreedom, forKey: .degreesOfFreedom)
        try c.encode(isAliased, forKey: .isAliased)
    }

    /// The generalized VIF of each term from a covariance of the slope estimates.
    ///
    /// - Parameters:
    ///   - covariance: the covariance of the slopes (intercept and cut-points left out), or any
    ///     matrix proportional to it — or, equally, the (weighted, centred) cross-product matrix of
    ///     the regressors: `det(V₁₁)·det((V⁻¹)₁₁)` is the same for `V`, `cV`, `DVD` (`D`
    ///     diagonal) and `V⁻¹`, and equals Fox & Monette's ratio since
    ///     `(V⁻¹)₁₁ = (V₁₁ − V₁₂V₂₂⁻¹V₂₁)⁻¹`. A column whose diagonal is `NaN` is aliased.
    ///   - terms: per term, the positions of its columns in `covariance`; columns in no term
    ///     (controls) count among the "others" of every term.
    /// - Throws: `LinearAlgebraError.notPositiveDefinite` when the estimable block is
    ///   not positive definite (a covariance that no fit produces).
    /// Complexity: O(k³) for `k` estimable columns (one Cholesky inverse), plus O(df³) per term.
    public static func generalized(covariance: Matrix, terms: [[Int]]) throws -> [VarianceInflation] {
        let k = covariance.rows
        let estimable = (0..<k).filter { covariance[$0, $0].isFinite && covariance[$0, $0] > 0 }
        let position = Dictionary(uniqueKeysWithValues: estimable.enumerated().map { ($1, $0) })
        // The correlation of the estimable estimates: scaling first keeps the inverse accurate when
        // the columns' units differ by orders of magnitude (charges in thousands, a 0/1 flag).
        let scale = estimable.map { 1 / covariance[$0, $0].squareRoot() }
        var r = Matrix(uncheckedRows: estimable.count, columns: estimable.count)
        for (a, i) in estimable.enumerated() {
            for (b, j) in estimable.enumerated() { r[a, b] = a == b ? 1 : covariance[i, j] * scale[a] * scale[b] }
        }
        let inverse = estimable.isEmpty ? r : try Cholesky(r).inverse()
        return try terms.map { columns in
            let positions = columns.compactMap { position[$0] }
            guard positions.count == columns.count, !columns.isEmpty else {
                return VarianceInflation(value: .infinity, degreesOfFreedom: columns.count, isAliased: true)
            }
            if positions.count == 1 { return VarianceInflation(value: inverse[positions[0], positions[0]], degreesOfFreedom: 1, isAliased: false) }
            var block = Matrix(uncheckedRows: positions.count, columns: positions.count)
            var inverseBlock = block
            for (a, i) in positions.enumerated() {
                for (b, j) in positions.enumerated() {
                    block[a, b] = r[i, j]
                    inverseBlock[a, b] = inverse[i, j]
                }
            }
            let logValue = try Cholesky(block).logDeterminant + Cholesky(inverseBlock).logDeterminant
            return VarianceInflation(value: exp(logValue), degreesOfFreedom: positions.count, isAliased: false)
        }
    }
}
