import LinearAlgebra

/// Exact Shapley value regression: the LMG decomposition of R² (Lindeman, Merenda & Gold
/// 1980; Lipovetsky & Conklin 2001), equal to Budescu's (1993) general dominance.
///
/// `φⱼ = Σ_{S ⊆ P∖{j}} |S|!(p−|S|−1)!/p! · [R²(S ∪ {j}) − R²(S)]`, over all `2^p` subsets, from
/// the correlation matrix by `SubsetRSquaredWalk` (about `3·2^p` flops, all cores). The values
/// sum to the full model's R²; ``shares`` sum to 1. The walk also yields conditional dominance:
/// `Cⱼ(k)`, the average increment of `j` over subsets of size `k` (Azen & Budescu 2003), whose
/// mean over `k` is `φⱼ`.
public struct ShapleyDecomposition: Sendable {
    /// Driver names, in input order.
    public let names: [String]
    /// `φⱼ`, summing to ``rSquared``.
    public let values: [Double]
    /// `φⱼ / R²`, summing to 1.
    public let shares: [Double]
    /// R² of the model with every driver.
    public let rSquared: Double
    /// `conditional[j][k]`: mean R² increment of driver `j` over subsets of `k` other drivers, k = 0…p−1.
    public let conditional: [[Double]]
    /// Drivers found to be exact linear combinations of others somewhere in the walk; their
    /// increments there are 0.
    public let collinearDrivers: [String]

    /// The largest `p` enumerated exactly by default (2^30 subsets: seconds on 2 cores).
    public static let defaultExactLimit = 30

    /// Computes exact Shapley values.
    ///
    /// - Parameters:
    ///   - input: driver and outcome correlations.
    ///   - exactLimit: the largest number of drivers to enumerate; beyond it the call throws
    ///     ``ImportanceError/tooManyDriversForExact(count:limit:)`` (use ``SampledShapley``).
    ///   - progress: called with the fraction done; return `false` to cancel
    ///     (``ImportanceError/cancelled``).
    public init(_ input: ImportanceInput, exactLimit: Int = ShapleyDecomposition.defaultExactLimit,
                progress: (@Sendable (Double) -> Bool)? = nil) throws {
        let p = input.driverCount
        guard p <= exactLimit else { throw ImportanceError.tooManyDriversForExact(count: p, limit: exactLimit) }
        let walk = SubsetRSquaredWalk(p: p, correlation: input.driverCorrelation.elements, outcome: input.outcomeCorrelation)
        let totals = try walk.run(progress: progress)
        let (values, conditional) = Self.fromTotals(bySize: totals.bySize, byMember: totals.byMember, players: p)
        names = input.names
        self.values = values
        self.conditional = conditional
        rSquared = totals.bySize[p]
        shares = values.map { $0 / totals.bySize[p] }
        collinearDrivers = totals.collinear.sorted().map { input.names[$0] }
    }

    /// Shapley values and conditional dominance from a subset walk's totals: with
    /// `A_k = Σ_{|S|=k} R²(S)` and `B_jk = Σ_{|S|=k, j∈S} R²(S)`, player `j`'s mean increment over
    /// subsets of `k` others is `C_j(k) = [B_{j,k+1} − (A_k − B_jk)] / C(p−1, k)` and
    /// `φⱼ = Σ_k C_j(k) / p`.
    static func fromTotals(bySize a: [Double], byMember b: [Double], players p: Int) -> (values: [Double], conditional: [[Double]]) {
        // binomial(p−1, k) as Double, exact to 2^53.
        var choose = [Double](repeating: 1, count: p)
        for k in 1..<max(1, p) { choose[k] = choose[k - 1] * Double(p - k) / Double(k) }
        var values = [Double](repeating: 0, count: p)
        var conditional = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
        for j in 0..<p {
            var total = 0.0
            for k in 0..<p {
                let with = b[j * (p + 1) + k + 1], without = a[k] - b[j * (p + 1) + k]
                let increment = (with - without) / choose[k]
                conditional[j][k] = increment
                total += increment
            }
            values[j] = total / Double(p)
        }
        return (values, conditional)
    }
}
