import LinearAlgebra

/// Dominance analysis (Budescu 1993; Azen & Budescu 2003) on R² or any subset fit measure.
///
/// - **Complete dominance**: driver `i` completely dominates `j` when adding `i` beats adding
///   `j` to every subset of the other drivers. `complete[i][j]` is 1 when `i` dominates `j`,
///   0 when `j` dominates `i`, 0.5 when neither does (R `dominanceanalysis` convention).
/// - **Conditional dominance**: the average increment of each driver over subsets of each size.
/// - **General dominance**: the mean of the conditional values = the Shapley value.
///
/// Needs the fit of every subset (`2^p` values), so `p` is limited to ``exactLimit`` (20).
public struct DominanceAnalysis: Sendable {
    /// Driver names, in input order.
    public let names: [String]
    /// `conditional[j][k]`, k = 0…p−1.
    public let conditional: [[Double]]
    /// General dominance (Shapley values).
    public let general: [Double]
    /// `complete[i][j]` ∈ {1, 0, 0.5}; the diagonal is 0.5.
    public let complete: [[Double]]
    /// Fit of the full model.
    public let fullFit: Double

    /// The largest driver count accepted from correlations (`2^20` subset fits).
    public static let exactLimit = 20

    /// Dominance on R² from correlations.
    ///
    /// - Parameter input: the drivers' correlations and their correlations with the outcome; at most
    ///   ``exactLimit`` drivers.
    public init(_ input: ImportanceInput) throws {
        let p = input.driverCount
        guard p <= Self.exactLimit else { throw ImportanceError.tooManyDriversForExact(count: p, limit: Self.exactLimit) }
        try self.init(names: input.names, fits: Self.rSquaredTable(input))
    }

    /// Dominance from the fit of every subset, `fits[mask]` (bit `j` set = driver `j` in the model).
    ///
    /// - Parameters:
    ///   - names: the driver names, at most 40.
    ///   - fits: the fit statistic (R², McFadden R²…) of every subset, indexed by bit mask; exactly `2^p`
    ///     entries, `fits[0]` the empty model.
    public init(names: [String], fits: [Double]) throws {
        let p = names.count
        // `1 << p` is 0 from p = 64 on (Swift's smart shift): bound p first, or an empty `fits`
        // would pass for a million names and the p × p tables would exhaust memory.
        guard p <= 40, fits.count == 1 << p else { throw ImportanceError.dimensionMismatch("\(fits.count) subset fits for \(p) drivers") }
        var choose = [Double](repeating: 1, count: max(1, p))
        for k in 1..<max(1, p) { choose[k] = choose[k - 1] * Double(p - k) / Double(k) }
        var conditional = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
        for mask in 0..<(1 << p) {
            let k = mask.nonzeroBitCount
            for j in 0..<p where mask & (1 << j) == 0 { conditional[j][k] += fits[mask | (1 << j)] - fits[mask] }
        }
        for j in 0..<p { for k in 0..<p { conditional[j][k] /= choose[k] } }
        var complete = [[Double]](repeating: [Double](repeating: 0.5, count: p), count: p)
        for i in 0..<p {
            for j in (i + 1)..<max(i + 1, p) {
                var iWins = true, jWins = true
                let pair = (1 << i) | (1 << j)
                for mask in 0..<(1 << p) where mask & pair == 0 {
                    let a = fits[mask | (1 << i)], b = fits[mask | (1 << j)]
                    if !(a > b) { iWins = false }
                    if !(b > a) { jWins = false }
                    if !iWins && !jWins { break }
                }
                complete[i][j] = iWins ? 1 : (jWins ? 0 : 0.5)
                complete[j][i] = 1 - complete[i][j]
            }
        }
        self.names = names
        self.conditional = conditional
        general = conditional.map { $0.reduce(0, +) / Double(p) }
        self.complete = complete
        fullFit = fits[(1 << p) - 1]
    }

    /// R² of every subset, by the same Schur-complement walk as ``ShapleyDecomposition``.
    static func rSquaredTable(_ input: ImportanceInput) -> [Double] {
        let p = input.driverCount
        var table = [Double](repeating: 0, count: 1 << p)
        let r = input.driverCorrelation.elements
        // Depth-first with explicit per-level state (small p: sequential).
        func visit(_ a: [Double], _ b: [Double], _ index: [Int], _ mask: Int, _ value: Double) {
            table[mask] = value
            let c = index.count
            for j in 0..<c {
                let pivot = a[j + j * c]
                let childC = c - j - 1
                var childA = [Double](repeating: 0, count: childC * childC)
                var childB = [Double](repeating: 0, count: childC)
                var childValue = value
                let usable = pivot > SubsetRSquaredWalk.collinearityTolerance
                if usable { childValue += b[j] * b[j] / pivot }
                for l in 0..<childC {
                    let column = j + 1 + l
                    let factor = usable ? a[j + column * c] / pivot : 0
                    childB[l] = b[column] - factor * b[j]
                    for k in 0..<childC { childA[k + l * childC] = a[(j + 1 + k) + column * c] - a[(j + 1 + k) + j * c] * factor }
                }
                visit(childA, childB, Array(index[(j + 1)...]), mask | (1 << index[j]), childValue)
            }
        }
        visit(r, input.outcomeCorrelation, Array(0..<p), 0, 0)
        return table
    }
}
