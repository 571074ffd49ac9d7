import Foundation
import LinearAlgebra

/// Predictive mean matching (Rubin 1986; Little 1988, *J. Bus. Econ. Stat.* 6:287–296), as
/// R's `mice.impute.pmm` does it (van Buuren 2018, *Flexible Imputation of Missing Data*, 2nd
/// ed., Algorithm 3.3, type-1 matching):
///
/// 1. Bayesian linear regression draw (`mice:::.norm.draw`): `V = (XᵀX + κ diag(XᵀX))⁻¹`,
///    `β̂ = V Xᵀy`, `σ̇² = ‖y − Xβ̂‖² / g` with `g ~ χ²(max(n_obs − p, 1))`, `β̇ = β̂ + σ̇ Lz`
///    where `LLᵀ = V` and `z ~ N(0, I)`.
/// 2. Predicted means `ŷ_obs = X_obs β̂` and `ŷ_mis = X_mis β̇`.
/// 3. For each missing row, the `donors` observed rows whose `ŷ_obs` is nearest its `ŷ_mis`;
///    one of them, at random, gives its observed value.
///
/// Complexity: O(n p² + p³) for the regression, O(n_obs log n_obs + n_mis (log n_obs + donors))
/// for the matching.
enum PredictiveMeanMatching {
    /// The donor (an index into the observed rows) of each missing row.
    ///
    /// - Parameters:
    ///   - observed: the design (intercept included) of the rows with a value, `n_obs × p`.
    ///   - y: their values (or scores).
    ///   - missing: the design of the rows to impute, `n_mis × p`.
    /// - Throws: ``ImputationError/singularModel(column:)`` naming `column`.
    static func donors(observed: Matrix, y: [Double], missing: Matrix, column: String, options: ImputationOptions,
                       random: inout ImputationRandom) throws -> [Int] {
        let p = observed.columns, nObs = observed.rows
        var xtx = try observed.crossProduct()
        for j in 0..<p { xtx[j, j] += options.ridge * (xtx[j, j] > 0 ? xtx[j, j] : 1) }
        let v: Matrix, coef: [Double], vFactor: Matrix
        do {
            v = try Cholesky(xtx).inverse()
            coef = try v.multiplied(by: try observed.multiplied(by: y, transposed: true))
            vFactor = try Cholesky(v).factor
        } catch {
            throw ImputationError.singularModel(column: column)
        }
        let fitted = try observed.multiplied(by: coef)
        var ssr = 0.0
        for i in 0..<nObs { ssr += (y[i] - fitted[i]) * (y[i] - fitted[i]) }
        let sigma = (ssr / random.chiSquared(Double(max(nObs - p, 1)))).squareRoot()
        var beta = coef
        let z = (0..<p).map { _ in random.normal() }
        // β̇ = β̂ + σ̇ Uᵀz with V = UᵀU (R: t(chol(V)) %*% rnorm(p)).
        for a in 0..<p {
            var s = 0.0
            for b in 0...a { s += vFactor[b, a] * z[b] }
            beta[a] += sigma * s
        }
        guard beta.allSatisfy(\.isFinite) else { throw ImputationError.singularModel(column: column) }
        let predicted = try missing.multiplied(by: beta)
        return match(fitted, predicted, donors: options.donors, random: &random)
    }

    /// For each value of `targets`, one of the `donors` entries of `candidates` nearest to it,
    /// drawn at random (`mice`'s `matchindex`). O((n + m) log n + m · donors).
    static func match(_ candidates: [Double], _ targets: [Double], donors: Int, random: inout ImputationRandom) -> [Int] {
        let order = candidates.indices.sorted { candidates[$0] < candidates[$1] || (candidates[$0] == candidates[$1] && $0 < $1) }
        let sorted = order.map { candidates[$0] }
        let k = min(max(donors, 1), sorted.count)
        return targets.map { target in
            // First position with sorted[position] >= target, then widen to the k nearest.
            var low = 0, high = sorted.count
            while low < high {
                let mid = (low + high) / 2
                if sorted[mid] < target { low = mid + 1 } else { high = mid }
            }
            var left = low - 1, right = low, chosen: [Int] = []
            chosen.reserveCapacity(k)
            while chosen.count < k {
                let takeLeft: Bool
                if left < 0 { takeLeft = false } else if right >= sorted.count { takeLeft = true } else {
                    takeLeft = target - sorted[left] <= sorted[right] - target
                }
                if takeLeft { chosen.append(order[left]); left -= 1 } else { chosen.append(order[right]); right += 1 }
            }
            return chosen[random.index(below: chosen.count)]
        }
    }

    /// The first canonical score of a factor's levels given the predictors (optimal scoring, as
    /// `Hmisc::aregImpute` and `transcan` use for categorical targets; Harrell 2015, *Regression
    /// Modeling Strategies*, §3.8): the level scores `s` maximising the R² of `s(level)` on `X`,
    /// from the largest eigenvector of `N^{-½} (DᵀHD − ccᵀ/n) N^{-½}` (`D` the level
    /// indicators, `c` their counts, `N = diag(c)`, `H` the hat matrix of `X`). Levels not
    /// observed get score 0. O(n p k + k³).
    static func canonicalScores(observed: Matrix, codes: [Int], levels: Int, ridge: Double, column: String) throws -> [Double] {
        let n = observed.rows, p = observed.columns
        var counts = [Double](repeating: 0, count: levels)
        for code in codes where code >= 0 && code < levels { counts[code] += 1 }
        let used = (0..<levels).filter { counts[$0] > 0 }
        guard used.count > 1 else { return [Double](repeating: 0, count: levels) }
        // XᵀD accumulated row by row (column j: the sum of X's rows at level used[j]); no n × k indicator matrix.
        let position = Dictionary(uniqueKeysWithValues: used.enumerated().map { ($1, $0) })
        var sums = [Double](repeating: 0, count: p * used.count)
        observed.withUnsafeBufferPointer { x in
            for (i, code) in codes.enumerated() {
                guard let j = position[code] else { continue }
                for a in 0..<p { sums[a + j * p] += x[i + a * n] }
            }
        }
        var xtx = try observed.crossProduct()
        for j in 0..<p { xtx[j, j] += ridge * (xtx[j, j] > 0 ? xtx[j, j] : 1) }
        let between: Matrix
        do {
            let xtd = try Matrix(rows: p, columns: used.count, columnMajor: sums)
            let coefficients = try Cholesky(xtx).solve(xtd)
            between = try xtd.multiplied(by: coefficients, transposingSelf: true)   // DᵀX (XᵀX)⁻¹ XᵀD
        } catch {
            throw ImputationError.singularModel(column: column)
        }
        let k = used.count, total = Double(n)
        var scaled = Matrix(uncheckedRows: k, columns: k)
        for a in 0..<k {
            for b in 0..<k {
                let ca = counts[used[a]], cb = counts[used[b]]
                scaled[a, b] = (between[a, b] - ca * cb / total) / (ca * cb).squareRoot()
            }
        }
        guard let eigen = try? SymmetricEigen(scaled), let top = eigen.values.indices.max(by: { eigen.values[$0] < eigen.values[$1] }) else {
            throw ImputationError.singularModel(column: column)
        }
        var scores = [Double](repeating: 0, count: levels)
        for (a, level) in used.enumerated() { scores[level] = eigen.vectors[a, top] / counts[level].squareRoot() }
        return scores
    }
}
