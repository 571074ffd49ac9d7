import LinearAlgebra

/// Moments over pairwise-complete rows: for every pair of variables `(j, k)`, the weighted
/// count, the means of `j` and `k`, their centred sums of squares and their cross-product,
/// all over the rows where *both* are present (R's `use = "pairwise.complete.obs"`).
///
/// Each block is shifted by its per-column mean of present values and reduced with four
/// BLAS `dgemm` products of the masked data (`MᵀWM`, `X̃ᵀWM`, `X̃ᵀWX̃`, `(X̃∘X̃)ᵀWM`); blocks merge
/// pair by pair with Chan's formula, so it is mergeable exactly like ``Moments``.
public struct PairwiseMoments: Sendable {
    /// Variable names, in matrix order.
    public let names: [String]
    /// `Nⱼₖ`: weight sum of rows where `j` and `k` are both present.
    public private(set) var weightSums: Matrix
    /// `meanⱼ|ⱼₖ` at `(j, k)`: mean of `j` over those rows.
    public private(set) var pairMeans: Matrix
    /// `Σ w (xⱼ − meanⱼ|ⱼₖ)²` at `(j, k)`.
    public private(set) var pairSquares: Matrix
    /// `Σ w (xⱼ − meanⱼ|ⱼₖ)(xₖ − meanₖ|ⱼₖ)`, symmetric.
    public private(set) var crossProducts: Matrix

    /// Empty moments (all zero) of `names`, to merge blocks into. O(d²).
    ///
    /// - Parameter names: the variable names, in matrix order.
    public init(names: [String]) {
        let d = names.count
        self.names = names
        weightSums = Matrix(uncheckedRows: d, columns: d)
        pairMeans = Matrix(uncheckedRows: d, columns: d)
        pairSquares = Matrix(uncheckedRows: d, columns: d)
        crossProducts = Matrix(uncheckedRows: d, columns: d)
    }

    /// Pairwise moments of columns that may hold `NaN` (missing).
    ///
    /// - Parameters:
    ///   - names: the variable names, one per column.
    ///   - columns: the variables, all of one length, `NaN` for missing.
    ///   - weights: one weight per row; `nil` (the default) for unweighted.
    /// Complexity: O(n·d²) flops in four `dgemm` per block.
    public init(names: [String], columns: [[Double]], weights: [Double]? = nil) throws {
        self.init(names: names)
        let n = try Moments.validateColumns(names: names, columns: columns, weights: weights)
        var start = 0
        while start < n {
            let end = min(n, start + Moments.blockSize)
            merge(try Self.block(columns: columns, weights: weights, rows: start..<end, names: names))
            start = end
        }
    }

    static func block(columns: [[Double]], weights: [Double]?, rows: Range<Int>, names: [String]) throws -> PairwiseMoments {
        let d = columns.count, m = rows.count
        var shifted = Matrix(uncheckedRows: m, columns: d)       // √w·(x − s), 0 where missing
        var squared = Matrix(uncheckedRows: m, columns: d)       // √w·(x − s)², 0 where missing
        var mask = Matrix(uncheckedRows: m, columns: d)          // √w where present
        var shifts = [Double](repeating: 0, count: d)
        for j in 0..<d {
            let x = columns[j]
            var sum = 0.0, present = 0.0
            for i in rows where !x[i].isNaN { sum += x[i]; present += 1 }
            let shift = present > 0 ? sum / present : 0
            shifts[j] = shift
            shifted.withUnsafeMutableBufferPointer { a in
                squared.withUnsafeMutableBufferPointer { q in
                    mask.withUnsafeMutableBufferPointer { b in
                        for (k, i) in rows.enumerated() where !x[i].isNaN {
                            let root = weights.map { $0[i].squareRoot() } ?? 1
                            let value = x[i] - shift
                            a[k + j * m] = root * value
                            q[k + j * m] = root * value * value
                            b[k + j * m] = root
                        }
                    }
                }
            }
        }
        let n = try mask.multiplied(by: mask, transposingSelf: true)         // Σ w over both present
        let s = try shifted.multiplied(by: mask, transposingSelf: true)      // S[j,k] = Σ w (xⱼ − sⱼ) over both
        let q = try shifted.multiplied(by: shifted, transposingSelf: true)   // Σ w (xⱼ − sⱼ)(xₖ − sₖ)
        let v = try squared.multiplied(by: mask, transposingSelf: true)      // V[j,k] = Σ w (xⱼ − sⱼ)² over both
        var result = PairwiseMoments(names: names)
        for k in 0..<d {
            for j in 0..<d {
                let weight = n[j, k]
                result.weightSums[j, k] = weight
                guard weight > 0 else { continue }
                let meanJ = s[j, k] / weight, meanK = s[k, j] / weight
                result.pairMeans[j, k] = shifts[j] + meanJ
                result.pairSquares[j, k] = v[j, k] - weight * meanJ * meanJ
                result.crossProducts[j, k] = q[j, k] - weight * meanJ * meanK
            }
        }
        return result
    }

    /// Pair-by-pair Chan merge.
    ///
    /// - Parameter other: the pairwise moments of another set of rows, over the same names in the same
    ///   order.
    public mutating func merge(_ other: PairwiseMoments) {
        let d = names.count
        for k in 0..<d {
            for j in 0..<d {
                let wa = weightSums[j, k], wb = other.weightSums[j, k]
                guard wb > 0 else { continue }
                guard wa > 0 else {
                    weightSums[j, k] = wb
                    pairMeans[j, k] = other.pairMeans[j, k]
                    pairSquares[j, k] = other.pairSquares[j, k]
                    crossProducts[j, k] = other.crossProducts[j, k]
                    continue
                }
                let total = wa + wb, factor = wa * wb / total
                let deltaJ = other.pairMeans[j, k] - pairMeans[j, k]
                let deltaK = other.pairMeans[k, j] - pairMeans[k, j]
                pairSquares[j, k] += other.pairSquares[j, k] + deltaJ * deltaJ * factor
                crossProducts[j, k] += other.crossProducts[j, k] + deltaJ * deltaK * factor
                weightSums[j, k] = total
            }
        }
        // Means last: the cross-product update above needs both old means of each pair.
        for k in 0..<d {
            for j in 0..<d {
                let wb = other.weightSums[j, k]
                guard wb > 0 else { continue }
                let total = weightSums[j, k]
                let wa = total - wb
                pairMeans[j, k] = wa > 0 ? pairMeans[j, k] + (other.pairMeans[j, k] - pairMeans[j, k]) * wb / total : other.pairMeans[j, k]
            }
        }
    }

    /// Pairwise-complete correlations `Cⱼₖ/√(Sⱼ|ⱼₖ Sₖ|ⱼₖ)`; `NaN` where a pair has fewer than
    /// two rows or no variance.
    public func correlation() -> Matrix {
        let d = names.count
        var r = Matrix(uncheckedRows: d, columns: d)
        for k in 0..<d {
            for j in 0..<d {
                let denominator = (pairSquares[j, k] * pairSquares[k, j]).squareRoot()
                r[j, k] = j == k ? (pairSquares[j, j] > 0 ? 1 : .nan)
                    : (denominator > 0 ? crossProducts[j, k] / denominator : .nan)
            }
        }
        return r
    }

    /// Pairwise-complete covariances `Cⱼₖ/(Nⱼₖ − 1)` (frequency convention).
    public func covariance() -> Matrix {
        let d = names.count
        var c = Matrix(uncheckedRows: d, columns: d)
        for k in 0..<d { for j in 0..<d { c[j, k] = weightSums[j, k] > 1 ? crossProducts[j, k] / (weightSums[j, k] - 1) : .nan } }
        return c
    }
}
