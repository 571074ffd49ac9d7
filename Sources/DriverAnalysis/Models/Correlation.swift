import Foundation
import LinearAlgebra

/// Correlation coefficients between drivers and an outcome, with tests and intervals.
///
/// - Pearson `r`, with `t = r√((n−2)/(1−r²))` on `n − 2` df and Fisher's z interval
///   `tanh(atanh r ± z_{α/2}/√(n−3))`. With a 0/1 outcome it is the point-biserial correlation.
/// - Spearman `ρ`: Pearson on mid-ranks (average ranks for ties), same t approximation (R's
///   `cor.test(method = "spearman", exact = FALSE)`).
/// - Kendall `τ_b = (n_c − n_d)/√((n₀ − n₁)(n₀ − n₂))` in O(n log n) by Knight's (1966)
///   merge-sort count, with the tie-corrected normal approximation of the `S` statistic
///   (Kendall 1970; R's `exact = FALSE`).
public enum CorrelationMethod: String, Sendable, CaseIterable {
    /// Pearson's product-moment `r` (point-biserial with a 0/1 variable).
    case pearson
    /// Spearman's `ρ`: Pearson on mid-ranks.
    case spearman
    /// Kendall's `τ_b`, tie-corrected.
    case kendall
}

/// One correlation with its test.
public struct CorrelationTest: Sendable, Equatable {
    /// The coefficient computed.
    public let method: CorrelationMethod
    /// `r`, `ρ` or `τ_b`, in [−1, 1].
    public let estimate: Double
    /// t (Pearson, Spearman) or z (Kendall).
    public let statistic: Double
    /// Two-sided p-value: Student t on `n − 2` df (Pearson, Spearman), normal (Kendall).
    public let pValue: Double
    /// Fisher-z interval (Pearson only; `nil` otherwise).
    public let confidenceInterval: ClosedInterval?
    /// Pairs used `n`.
    public let observationCount: Int
}

/// Correlation tests (Pearson, Spearman, Kendall) of two complete columns.
public enum Correlation {
    /// Tests the correlation of `x` and `y` (equal lengths, no NaN; drop missing pairs first).
    ///
    /// - Parameters:
    ///   - x: the first variable, finite, at least 3 values.
    ///   - y: the second variable, paired with `x` and as long.
    ///   - method: Pearson (the default), Spearman or Kendall.
    ///   - confidenceLevel: the coverage of the Fisher-z interval, in (0, 1), 0.95 by default; used only
    ///     for Pearson with more than 3 pairs.
    /// - Throws: ``ModelError/dimensionMismatch(_:)``, ``ModelError/nonFinite(variable:observation:)``
    ///   or ``ModelError/tooFewObservations(observations:parameters:)`` (fewer than 3 pairs).
    public static func test(_ x: [Double], _ y: [Double], method: CorrelationMethod = .pearson,
                            confidenceLevel: Double = 0.95) throws -> CorrelationTest {
        guard x.count == y.count else { throw ModelError.dimensionMismatch("\(x.count) and \(y.count) values") }
        if let bad = x.firstIndex(where: { !$0.isFinite }) { throw ModelError.nonFinite(variable: "x", observation: bad + 1) }
        if let bad = y.firstIndex(where: { !$0.isFinite }) { throw ModelError.nonFinite(variable: "y", observation: bad + 1) }
        let n = x.count
        guard n >= 3 else { throw ModelError.tooFewObservations(observations: n, parameters: 2) }
        switch method {
        case .pearson, .spearman:
            let r = method == .pearson ? pearson(x, y) : pearson(Ranks.midRanks(x), Ranks.midRanks(y))
            let df = Double(n - 2)
            let t = r * (df / ((1 - r) * (1 + r))).squareRoot()
            let p = 2 * (try StudentTDistribution(degreesOfFreedom: df)).survival(abs(t))
            var interval: ClosedInterval? = nil
            if method == .pearson && n > 3 {
                let z = atanh(r), half = NormalDistribution.standard.quantile(0.5 + confidenceLevel / 2) / Double(n - 3).squareRoot()
                interval = ClosedInterval(lower: tanh(z - half), upper: tanh(z + half))
            }
            return CorrelationTest(method: method, estimate: r, statistic: t, pValue: p, confidenceInterval: interval, observationCount: n)
        case .kendall:
            let (tau, z) = kendall(x, y)
            return CorrelationTest(method: .kendall, estimate: tau, statistic: z, pValue: 2 * NormalDistribution.standard.survival(abs(z)),
                                   confidenceInterval: nil, observationCount: n)
        }
    }

    /// Correlation of every driver with the outcome, each on its pairwise-complete rows.
    ///
    /// - Parameters:
    ///   - outcome: the outcome, `NaN` for missing.
    ///   - drivers: the driver columns, each as long as `outcome`, `NaN` for missing; one test per driver,
    ///     in order.
    ///   - method: Pearson (the default), Spearman or Kendall.
    ///   - confidenceLevel: the coverage of the Pearson intervals, in (0, 1); 0.95 by default.
    public static func driverCorrelations(outcome: [Double], drivers: [[Double]], method: CorrelationMethod = .pearson,
                                          confidenceLevel: Double = 0.95) throws -> [CorrelationTest] {
        // Complete data: rank the outcome once and run the drivers in parallel.
        if method == .spearman, !outcome.contains(where: \.isNaN), !drivers.contains(where: { $0.contains(where: \.isNaN) }) {
            let rankedOutcome = Ranks.midRanks(outcome)
            let results: [Result<CorrelationTest, Error>] = Parallel.map(drivers.count) { j in
                Result {
                    let r = pearson(Ranks.midRanks(drivers[j]), rankedOutcome)
                    return try spearmanTest(r, n: outcome.count)
                }
            }
            return try results.map { try $0.get() }
        }
        return try drivers.map { x in
            let keep = x.indices.filter { !x[$0].isNaN && !outcome[$0].isNaN }
            return try test(keep.map { x[$0] }, keep.map { outcome[$0] }, method: method, confidenceLevel: confidenceLevel)
        }
    }

    /// The correlation matrix of `columns` by Pearson or Spearman, listwise (rows complete in
    /// every column) or pairwise. Pearson comes from ``Moments`` (BLAS `dsyrk`); Spearman ranks
    /// each column (in parallel) first. Kendall matrices use ``test(_:_:method:confidenceLevel:)``
    /// per pair.
    ///
    /// - Parameters:
    ///   - columns: the variables, all of one length, `NaN` for missing.
    ///   - method: Pearson (the default), Spearman or Kendall.
    ///   - missing: listwise (the default) or pairwise deletion of missing values.
    public static func matrix(_ columns: [[Double]], method: CorrelationMethod = .pearson,
                              missing: MissingDataPolicy = .listwise) throws -> Matrix {
        let d = columns.count
        let names = (0..<d).map { "v\($0)" }
        let n = columns.first?.count ?? 0
        if let ragged = columns.firstIndex(where: { $0.count != n }) {
            throw ModelError.dimensionMismatch("column \(ragged + 1) has \(columns[ragged].count) values, the first has \(n)")
        }
        var data = columns
        if missing == .listwise {
            var isComplete = [Bool](repeating: true, count: n)
            var missingRows = 0
            for column in columns {
                column.withUnsafeBufferPointer { c in
                    for i in 0..<n where c[i].isNaN && isComplete[i] { isComplete[i] = false; missingRows += 1 }
                }
            }
            if missingRows > 0 {
                let complete = (0..<n).filter { isComplete[$0] }
                data = columns.map { c in complete.map { c[$0] } }
            }
        }
        switch method {
        case .pearson:
            return missing == .listwise ? try Moments(names: names, columns: data).correlation()
                : try PairwiseMoments(names: names, columns: data).correlation()
        case .spearman:
            if missing == .pairwise {
                // Ranks depend on which rows a pair keeps: rank per pair.
                var r = try Matrix.identity(d)
                for a in 0..<d {
                    for b in (a + 1)..<max(a + 1, d) {
                        let keep = data[a].indices.filter { !data[a][$0].isNaN && !data[b][$0].isNaN }
                        let value = keep.count >= 3 ? pearson(Ranks.midRanks(keep.map { data[a][$0] }), Ranks.midRanks(keep.map { data[b][$0] })) : .nan
                        r[a, b] = value
                        r[b, a] = value
                    }
                }
                return r
            }
            let frozen = data
            let ranked = Parallel.map(d) { Ranks.midRanks(frozen[$0]) }
            return try Moments(names: names, columns: ranked).correlation()
        case .kendall:
            var r = try Matrix.identity(d)
            for a in 0..<d {
                for b in (a + 1)..<max(a + 1, d) {
                    let keep = data[a].indices.filter { !data[a][$0].isNaN && !data[b][$0].isNaN }
                    let value = keep.count >= 2 ? kendall(keep.map { data[a][$0] }, keep.map { data[b][$0] }).tau : .nan
                    r[a, b] = value
                    r[b, a] = value
                }
            }
            return r
        }
    }

    /// The t approximation test of a Spearman coefficient.
    static func spearmanTest(_ r: Double, n: Int) throws -> CorrelationTest {
        guard n >= 3 else { throw ModelError.tooFewObservations(observations: n, parameters: 2) }
        let df = Double(n - 2)
        let t = r * (df / ((1 - r) * (1 + r))).squareRoot()
        return CorrelationTest(method: .spearman, estimate: r, statistic: t,
                               pValue: 2 * (try StudentTDistribution(degreesOfFreedom: df)).survival(abs(t)),
                               confidenceInterval: nil, observationCount: n)
    }

    /// Pearson's r by two-pass centred sums.
    static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in x.indices {
            let dx = x[i] - mx, dy = y[i] - my
            sxy += dx * dy; sxx += dx * dx; syy += dy * dy
        }
        return sxy / (sxx * syy).squareRoot()
    }

    /// Kendall's τ_b and the tie-corrected z of `S = n_c − n_d`, O(n log n) (Knight 1966).
    static func kendall(_ x: [Double], _ y: [Double]) -> (tau: Double, z: Double) {
        let n = x.count
        // Sort by x, then y.
        var order = Array(0..<n)
        order.sort { x[$0] < x[$1] || (x[$0] == x[$1] && y[$0] < y[$1]) }
        let nn = Double(n)
        let n0 = nn * (nn - 1) / 2
        // Pairs tied in x (n1) and tied in both (n3).
        var n1 = 0.0, n3 = 0.0
        var i = 0
        while i < n {
            var j = i
            while j + 1 < n && x[order[j + 1]] == x[order[i]] { j += 1 }
            let tx = Double(j - i + 1)
            n1 += tx * (tx - 1) / 2
            var k = i
            while k <= j {
                var l = k
                while l + 1 <= j && y[order[l + 1]] == y[order[k]] { l += 1 }
                let t = Double(l - k + 1)
                n3 += t * (t - 1) / 2
                k = l + 1
            }
            i = j + 1
        }
        // Merge sort by y counting swaps (discordant pairs).
        var ys = order.map { y[$0] }
        var buffer = ys
        var swaps = 0.0
        var width = 1
        while width < n {
            var start = 0
            while start < n {
                let mid = min(start + width, n), end = min(start + 2 * width, n)
                var a = start, b = mid, k = start
                while a < mid && b < end {
                    if ys[b] < ys[a] {
                        swaps += Double(mid - a)
                        buffer[k] = ys[b]; b += 1
                    } else {
                        buffer[k] = ys[a]; a += 1
                    }
                    k += 1
                }
                while a < mid { buffer[k] = ys[a]; a += 1; k += 1 }
                while b < end { buffer[k] = ys[b]; b += 1; k += 1 }
                start = end
            }
            swap(&ys, &buffer)
            width *= 2
        }
        // Pairs tied in y (n2), from the now sorted ys.
        var n2 = 0.0
        i = 0
        while i < n {
            var j = i
            while j + 1 < n && ys[j + 1] == ys[i] { j += 1 }
            let t = Double(j - i + 1)
            n2 += t * (t - 1) / 2
            i = j + 1
        }
        let s = n0 - n1 - n2 + n3 - 2 * swaps
        let tau = s / ((n0 - n1) * (n0 - n2)).squareRoot()
        // Variance of S with ties (Kendall 1970, eq. 4.3).
        let xt = Ranks.tieGroups(x).map(Double.init), yt = Ranks.tieGroups(y).map(Double.init)
        let v0 = nn * (nn - 1) * (2 * nn + 5)
        let vt = xt.reduce(0) { $0 + $1 * ($1 - 1) * (2 * $1 + 5) }
        let vu = yt.reduce(0) { $0 + $1 * ($1 - 1) * (2 * $1 + 5) }
        let v1 = xt.reduce(0) { $0 + $1 * ($1 - 1) } * yt.reduce(0) { $0 + $1 * ($1 - 1) }
        let v2 = xt.reduce(0) { $0 + $1 * ($1 - 1) * ($1 - 2) } * yt.reduce(0) { $0 + $1 * ($1 - 1) * ($1 - 2) }
        let variance = (v0 - vt - vu) / 18 + v1 / (2 * nn * (nn - 1)) + v2 / (9 * nn * (nn - 1) * (nn - 2))
        return (tau, s / variance.squareRoot())
    }
}
