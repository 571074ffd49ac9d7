import Foundation
import LinearAlgebra

/// Weighted means and centred cross-products of `d` variables: everything correlation-based
/// driver analysis needs, in O(d²) memory whatever the number of rows.
///
/// `Moments` is a commutative monoid under ``merged(with:)`` (Chan, Golub & LeVeque 1979):
/// for parts `a` and `b` with weight sums `Wₐ`, `W_b` and means `mₐ`, `m_b`,
/// `W = Wₐ + W_b`, `m = mₐ + δ·W_b/W` and `C = Cₐ + C_b + δδᵀ·WₐW_b/W` with `δ = m_b − mₐ`.
/// Chunks of a file, threads, shards of a warehouse table — or SQL run in the warehouse itself
/// (``MomentsSQL``) — combine exactly.
///
/// Rows are processed in blocks of ``blockSize``: each block is centred at its own weighted
/// mean and its cross-product formed by BLAS `dsyrk`; blocks run on all cores (each `dsyrk`
/// single-threaded) and merge in a fixed order, so the result does not depend on the number of
/// threads.
public struct Moments: Sendable {
    /// Variable names, in order.
    public let names: [String]
    /// Rows accumulated.
    public private(set) var count: Int
    /// `Σ wᵢ` (the row count when unweighted).
    public private(set) var weightSum: Double
    /// `Σ wᵢ²`, for the Kish effective sample size and reliability-weight variances.
    public private(set) var weightSquaredSum: Double
    /// Weighted means.
    public private(set) var means: [Double]
    /// `Σ wᵢ (xᵢ − m)(xᵢ − m)ᵀ`, symmetric `d × d`.
    public private(set) var crossProducts: Matrix
    /// Rows skipped as incomplete while streaming a file (``init(csv:variables:weight:options:)``).
    public internal(set) var skippedRows = 0

    /// Rows per block.
    public static let blockSize = 32_768

    /// Empty moments of the named variables (the monoid's identity).
    ///
    /// - Parameter names: the variable names, in matrix order.
    public init(names: [String]) {
        self.names = names
        count = 0
        weightSum = 0
        weightSquaredSum = 0
        means = [Double](repeating: 0, count: names.count)
        crossProducts = Matrix(uncheckedRows: names.count, columns: names.count)
    }

    /// Moments from summary statistics computed elsewhere (a warehouse, `kda sql`).
    ///
    /// - Parameters:
    ///   - names: the variable names, in matrix order.
    ///   - count: the number of rows summarized, positive.
    ///   - weightSum: `Σ wᵢ`, positive and finite (the row count when unweighted).
    ///   - weightSquaredSum: `Σ wᵢ²`; `nil` (the default) assumes equal weights, `weightSum² / count`.
    ///   - means: the weighted means, one per name, finite.
    ///   - crossProducts: the centred cross-products `Σ wᵢ (xᵢ − m)(xᵢ − m)ᵀ`, `d × d` for `d` names,
    ///     finite.
    /// - Throws: ``SurveyDataError/invalidMoments(reason:)`` for inconsistent shapes, a
    ///   non-positive weight sum, or non-finite values.
    public init(names: [String], count: Int, weightSum: Double, weightSquaredSum: Double? = nil,
                means: [Double], crossProducts: Matrix) throws {
        let d = names.count
        guard means.count == d, crossProducts.rows == d, crossProducts.columns == d else {
            throw SurveyDataError.invalidMoments(reason: "\(d) names but \(means.count) means and a \(crossProducts.rows) × \(crossProducts.columns) cross-product matrix")
        }
        guard count > 0, weightSum > 0, weightSum.isFinite else {
            throw SurveyDataError.invalidMoments(reason: "the row count and weight sum must be positive (got \(count), \(weightSum))")
        }
        guard means.allSatisfy(\.isFinite), crossProducts.firstNonFiniteElement() == nil else {
            throw SurveyDataError.invalidMoments(reason: "means and cross-products must be finite")
        }
        self.names = names
        self.count = count
        self.weightSum = weightSum
        self.weightSquaredSum = weightSquaredSum ?? weightSum * weightSum / Double(count)
        self.means = means
        self.crossProducts = crossProducts
    }

    /// Moments of complete rows given column by column.
    ///
    /// - Parameters:
    ///   - names: variable names.
    ///   - columns: one array per variable, equal lengths, no `NaN` (drop incomplete rows first,
    ///     or use ``PairwiseMoments``).
    ///   - weights: optional non-negative row weights.
    /// - Throws: ``SurveyDataError/invalidMoments(reason:)`` for a name count that differs from the
    ///   column count, ``SurveyDataError/columnLengthMismatch(column:expected:found:)``,
    ///   ``SurveyDataError/nonFinite(path:row:column:value:)`` naming the first `NaN` or infinite
    ///   value (row 2 is the first, as in a file with a header),
    ///   ``SurveyDataError/invalidWeight(path:row:column:value:reason:)`` for a negative or
    ///   non-finite weight, ``SurveyDataError/extremeScale(column:magnitude:)`` for a column whose
    ///   squares overflow or underflow a `Double` (magnitudes beyond 1e±150) — checked before any
    ///   variance is formed, so such a column is never reported as having zero variance.
    /// Complexity: O(n·d²) flops through `dsyrk`; O(d·blockSize) extra memory per core, plus
    /// O(d²) for each of the (at most 16) blocks of a round.
    public init(names: [String], columns: [[Double]], weights: [Double]? = nil) throws {
        _ = try Self.validateColumns(names: names, columns: columns, weights: weights)
        for (name, column) in zip(names, columns) {
            if let bad = column.firstIndex(where: { !$0.isFinite }) {
                throw SurveyDataError.nonFinite(path: "<memory>", row: bad + 2, column: name, value: "\(column[bad])")
            }
        }
        if let weights, let bad = weights.firstIndex(where: { !($0.isFinite && $0 >= 0) }) {
            throw SurveyDataError.invalidWeight(path: "<memory>", row: bad + 2, column: "weight", value: weights[bad],
                                                reason: "weights must be finite and not negative")
        }
        try SurveyData.checkScale(names, columns)
        try self.init(validatedNames: names, columns: columns, weights: weights)
    }

    /// ``init(names:columns:weights:)`` for columns the caller has already checked (complete,
    /// finite rows of a streamed file): shapes are checked, values are not.
    init(validatedNames names: [String], columns: [[Double]], weights: [Double]? = nil) throws {
        self.init(names: names)
        let n = try Self.validateColumns(names: names, columns: columns, weights: weights)
        // Blocks on all cores (each `dsyrk` single-threaded), merged in file order: the result does
        // not depend on the worker count. At most `blocksPerRound` blocks' moments are held at once.
        let blocks = (n + Self.blockSize - 1) / Self.blockSize
        let pool = ScratchPool()
        for round in stride(from: 0, to: blocks, by: Self.blocksPerRound) {
            let parts = Parallel.map(min(Self.blocksPerRound, blocks - round)) { k -> Result<Moments, Error> in
                let start = (round + k) * Self.blockSize
                return Result { try Self.block(columns: columns, weights: weights, rows: start..<min(n, start + Self.blockSize),
                                               names: names, pool: pool) }
            }
            for part in parts { mergeAligned(try part.get()) }
        }
    }

    /// Blocks whose moments are computed at once, in parallel, before they are merged.
    static let blocksPerRound = 16

    /// Block buffers reused across the blocks of one computation (every value is overwritten
    /// before it is read, so which buffer a block gets does not matter).
    final class ScratchPool: @unchecked Sendable {
        private let lock = NSLock()
        private var free: [Matrix] = []

        /// A buffer of the shape (its contents are stale).
        func take(rows: Int, columns: Int) -> Matrix {
            lock.lock()
            defer { lock.unlock() }
            if let index = free.lastIndex(where: { $0.rows == rows && $0.columns == columns }) { return free.remove(at: index) }
            return Matrix(uncheckedRows: rows, columns: columns)
        }

        /// Returns a buffer for the next block.
        func give(back matrix: Matrix) {
            lock.lock()
            defer { lock.unlock() }
            if free.count < 8 { free.append(matrix) }
        }
    }

    /// Checks that there is one column per name, all of one length (and the weights too);
    /// returns that length.
    static func validateColumns(names: [String], columns: [[Double]], weights: [Double]?) throws -> Int {
        guard columns.count == names.count else {
            throw SurveyDataError.invalidMoments(reason: "\(names.count) names but \(columns.count) columns")
        }
        let n = columns.first?.count ?? 0
        for (name, column) in zip(names, columns) where column.count != n {
            throw SurveyDataError.columnLengthMismatch(column: name, expected: n, found: column.count)
        }
        if let weights, weights.count != n {
            throw SurveyDataError.columnLengthMismatch(column: "weight", expected: n, found: weights.count)
        }
        return n
    }

    /// The moments of one block: centred at its own mean, cross-product by `dsyrk`.
    static func block(columns: [[Double]], weights: [Double]?, rows: Range<Int>, names: [String],
                      pool: ScratchPool? = nil) throws -> Moments {
        let d = columns.count, m = rows.count
        var result = Moments(names: names)
        guard m > 0 else { return result }
        var w = 0.0, ww = 0.0
        if let weights {
            for i in rows { w += weights[i]; ww += weights[i] * weights[i] }
        } else {
            w = Double(m); ww = w
        }
        guard w > 0 else { return result }
        var means = [Double](repeating: 0, count: d)
        // A full block's buffer comes from the pool (fresh pages cost the kernel as much as the work).
        var centred = pool?.take(rows: m, columns: d) ?? Matrix(uncheckedRows: m, columns: d)
        defer { pool?.give(back: centred) }
        let lower = rows.lowerBound, total = w
        centred.withUnsafeMutableBufferPointer { z in
            let out = UncheckedSendable(z.baseAddress!)
            let meanSlots = UncheckedSendable(UnsafeMutablePointer<Double>.allocate(capacity: d))
            defer { meanSlots.value.deallocate() }
            // Columns are independent: centre them on all cores.
            Parallel.forEach(min(d, 4)) { worker in
                for j in stride(from: worker, to: d, by: min(d, 4)) {
                    columns[j].withUnsafeBufferPointer { column in
                        let x = column.baseAddress! + lower
                        let target = out.value + j * m
                        meanSlots.value[j] = centre(x, count: m, weights: weights.map { UncheckedSendable($0) }, offset: lower,
                                                    total: total, into: target)
                    }
                }
            }
            for j in 0..<d { means[j] = meanSlots.value[j] }
        }
        result.count = m
        result.weightSum = w
        result.weightSquaredSum = ww
        result.means = means
        result.crossProducts = try centred.crossProduct()
        return result
    }

    /// Writes `√wᵢ (xᵢ − m)` for `count` values and returns the weighted mean `m`, computed
    /// with one correction pass so it is accurate to rounding.
    static func centre(
        _ x: UnsafePointer<Double>, count m: Int, weights: UncheckedSendable<[Double]>?, offset: Int, total: Double,
        into out: UnsafeMutablePointer<Double>
    ) -> Double {
        var sum = 0.0
        if let weights {
            weights.value.withUnsafeBufferPointer { wp in
                let w = wp.baseAddress! + offset
                for i in 0..<m { sum += w[i] * x[i] }
                var mean = sum / total
                var correction = 0.0
                for i in 0..<m { correction += w[i] * (x[i] - mean) }
                mean += correction / total
                for i in 0..<m { out[i] = w[i].squareRoot() * (x[i] - mean) }
                sum = mean
            }
            return sum
        }
        for i in 0..<m { sum += x[i] }
        var mean = sum / total
        var correction = 0.0
        for i in 0..<m { correction += x[i] - mean }
        mean += correction / total
        for i in 0..<m { out[i] = x[i] - mean }
        return mean
    }

    /// Chan's parallel update: the moments of the union of both row sets (Chan, Golub &
    /// LeVeque 1979). Variables are matched **by name**, whatever their order in `other`; the
    /// result keeps `self`'s order.
    ///
    /// - Parameter other: the moments of another set of rows, over the same variable names.
    /// - Throws: ``SurveyDataError/columnSetMismatch(missing:extra:)`` when the two hold different
    ///   variables, ``SurveyDataError/invalidMoments(reason:)`` when a name repeats (ambiguous).
    /// Complexity: O(d²).
    public func merged(with other: Moments) throws -> Moments {
        var copy = self
        try copy.merge(other)
        return copy
    }

    /// Adds `other`'s rows, matching variables by name (see ``merged(with:)``).
    ///
    /// - Parameter other: the moments of another set of rows, over the same variable names.
    public mutating func merge(_ other: Moments) throws {
        try mergeAligned(other.aligned(to: names))
    }

    /// `self` with its variables in the order of `target` (the same set of names).
    func aligned(to target: [String]) throws -> Moments {
        if names == target { return self }
        let mine = Set(names), theirs = Set(target)
        guard mine.count == names.count, theirs.count == target.count else {
            throw SurveyDataError.invalidMoments(reason: "a variable name repeats, so the variables cannot be matched by name")
        }
        guard mine == theirs else {
            throw SurveyDataError.columnSetMismatch(missing: target.filter { !mine.contains($0) }, extra: names.filter { !theirs.contains($0) })
        }
        var position: [String: Int] = [:]
        for (k, name) in names.enumerated() { position[name] = k }
        let order = target.compactMap { position[$0] }
        var copy = Moments(unchecked: target, from: self)
        copy.means = order.map { means[$0] }
        var c = Matrix(uncheckedRows: order.count, columns: order.count)
        for (a, i) in order.enumerated() { for (b, j) in order.enumerated() { c[a, b] = crossProducts[i, j] } }
        copy.crossProducts = c
        copy.skippedRows = skippedRows
        return copy
    }

    /// Chan's update for moments whose variables are already in the same order.
    mutating func mergeAligned(_ other: Moments) {
        guard other.weightSum > 0 else { count += other.count; return }
        guard weightSum > 0 else {
            let previous = count
            self = Moments(unchecked: names, from: other)
            count += previous
            return
        }
        let d = names.count
        let total = weightSum + other.weightSum
        let factor = weightSum * other.weightSum / total
        let delta = (0..<d).map { other.means[$0] - means[$0] }
        crossProducts.withUnsafeMutableBufferPointer { c in
            other.crossProducts.withUnsafeBufferPointer { o in
                for j in 0..<d {
                    for i in 0..<d { c[i + j * d] += o[i + j * d] + delta[i] * delta[j] * factor }
                }
            }
        }
        for j in 0..<d { means[j] += delta[j] * other.weightSum / total }
        count += other.count
        weightSum = total
        weightSquaredSum += other.weightSquaredSum
    }

    private init(unchecked names: [String], from other: Moments) {
        self.names = names
        count = other.count
        weightSum = other.weightSum
        weightSquaredSum = other.weightSquaredSum
        means = other.means
        crossProducts = other.crossProducts
    }

    /// Kish's effective sample size `(Σw)²/Σw²` (the row count when unweighted).
    public var effectiveSampleSize: Double { weightSquaredSum > 0 ? weightSum * weightSum / weightSquaredSum : 0 }

    /// How weights enter the variance denominator.
    public enum WeightKind: String, Sendable, CaseIterable, Codable {
        /// Each weight counts that many identical respondents: `C / (Σw − 1)`.
        case frequency
        /// Sampling (reliability) weights: `C / (Σw − Σw²/Σw)`; equals `n − 1` when all weights are 1.
        case sampling
    }

    /// The covariance matrix (unbiased under the given weight kind).
    ///
    /// - Parameter kind: how the weights enter the denominator; ``WeightKind/frequency`` (`Σw − 1`) by
    ///   default.
    public func covariance(weights kind: WeightKind = .frequency) -> Matrix {
        let denominator = kind == .frequency ? weightSum - 1 : weightSum - weightSquaredSum / weightSum
        var c = crossProducts
        c.withUnsafeMutableBufferPointer { p in for k in p.indices { p[k] /= denominator } }
        return c
    }

    /// Standard deviations (frequency convention).
    ///
    /// - Parameter kind: how the weights enter the denominator; ``WeightKind/frequency`` (`Σw − 1`) by
    ///   default.
    public func standardDeviations(weights kind: WeightKind = .frequency) -> [Double] {
        covariance(weights: kind).diagonal().map { $0.squareRoot() }
    }

    /// The correlation matrix `Cᵢⱼ/√(CᵢᵢCⱼⱼ)` (denominators cancel). A constant variable has
    /// `NaN` correlations (and 1 on its diagonal is replaced by `NaN` too). Exactly symmetric:
    /// both triangles come from the upper one, whatever order a BLAS kernel summed them in.
    public func correlation() -> Matrix {
        let d = names.count
        let scale = crossProducts.diagonal().map { $0 > 0 ? 1 / $0.squareRoot() : .nan }
        var r = crossProducts
        r.withUnsafeMutableBufferPointer { p in
            for j in 0..<d {
                for i in 0...j {
                    let value = i == j ? (scale[i].isNaN ? .nan : 1) : p[i + j * d] * scale[i] * scale[j]
                    p[i + j * d] = value
                    p[j + i * d] = value
                }
            }
        }
        return r
    }
}
