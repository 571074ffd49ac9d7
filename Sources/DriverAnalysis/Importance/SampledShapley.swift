import Foundation
import LinearAlgebra

/// Shapley values by permutation sampling, for more drivers (or players: groups of drivers
/// such as a factor's dummies) than exact enumeration allows.
///
/// Each sampled ordering adds the drivers one by one; the R² increment of each driver is its
/// marginal contribution in that ordering, computed by sweeping the correlation matrix (O(p²)
/// per step, O(p³) per ordering). Orderings come in antithetic pairs (an ordering and its
/// reverse), which cancels much of the between-ordering variance (Mitchell et al. 2022). The
/// estimate is the mean over orderings; the standard error comes from the `m` pair means.
/// Orderings are generated from the seed and the pair index alone, so results do not depend on
/// the number of threads.
public struct SampledShapley: Sendable {
    /// Driver (or player) names, in input order.
    public let names: [String]
    /// Estimated Shapley values: the mean marginal R² contribution over the sampled orderings; they sum to about ``rSquared``.
    public let values: [Double]
    /// Monte Carlo standard error of each value, from the variance of the `m` antithetic-pair means: `s/√m`.
    public let standardErrors: [Double]
    /// R² of the full model (exact, from the correlations).
    public let rSquared: Double
    /// Antithetic pairs sampled.
    public let pairs: Int

    /// Samples `pairs` antithetic pairs of orderings (at least 2) from `seed`, in parallel.
    ///
    /// - Parameters:
    ///   - input: the drivers' correlations and their correlations with the outcome.
    ///   - pairs: antithetic pairs of orderings (default 2,000); fewer than 2 is taken as 2. The standard
    ///     errors shrink as `1/√pairs`.
    ///   - seed: the seed of the orderings, so runs reproduce; default 1.
    /// - Throws: ``ImportanceError/tooFewDrivers(count:minimum:)`` without drivers.
    /// Complexity: O(pairs·p³); results independent of the thread count.
    public init(_ input: ImportanceInput, pairs: Int = 2_000, seed: UInt64 = 1) throws {
        var single: [(name: String, members: [Int])] = []
        for k in input.names.indices { single.append((name: input.names[k], members: [k])) }
        try self.init(input, players: single, pairs: pairs, seed: seed)
    }

    /// Shapley values of **players** — groups of the input's drivers that enter together, such
    /// as a factor's dummy columns — by the same antithetic permutation sampling: an ordering of
    /// the players sweeps each player's columns in turn, and the player's marginal contribution is
    /// the R² its columns add together. Every driver must belong to exactly one player.
    ///
    /// - Parameters:
    ///   - input: the drivers' correlations and their correlations with the outcome.
    ///   - players: names and driver indices (into `input.names`) of each player.
    ///   - pairs: antithetic pairs of orderings of the players (default 2,000); fewer than 2 is
    ///     taken as 2. The standard errors shrink as `1/√pairs`.
    ///   - seed: the seed of the orderings: ordering `k` depends on `seed` and `k` only, so the
    ///     values are the same on every run and for any thread count.
    /// - Throws: ``ImportanceError/tooFewDrivers(count:minimum:)`` without players;
    ///   ``ImportanceError/dimensionMismatch(_:)`` when a driver is in no player or in two.
    /// Complexity: O(pairs·k³) for k driver columns; results independent of the thread count.
    public init(_ input: ImportanceInput, players: [(name: String, members: [Int])], pairs: Int = 2_000, seed: UInt64 = 1) throws {
        let p = input.driverCount, g = players.count
        guard g >= 1, p >= 1 else { throw ImportanceError.tooFewDrivers(count: g, minimum: 1) }
        let covered = players.flatMap(\.members).sorted()
        guard covered == Array(0..<p) else {
            throw ImportanceError.dimensionMismatch("every driver must belong to exactly one player")
        }
        let pairCount = max(2, pairs)
        let r = input.driverCorrelation.elements, y = input.outcomeCorrelation
        let members = players.map(\.members)
        let chunks = min(pairCount, 16)
        let partial: [[[Double]]] = Parallel.map(chunks) { chunk in
            var means: [[Double]] = []
            var k = chunk
            while k < pairCount {
                let order = Self.ordering(k, count: g, seed: seed)
                let forward = Self.contributions(order: order, members: members, r: r, y: y, p: p)
                let backward = Self.contributions(order: order.reversed(), members: members, r: r, y: y, p: p)
                means.append(zip(forward, backward).map { ($0 + $1) / 2 })
                k += chunks
            }
            return means
        }
        let all = partial.flatMap { $0 }
        let m = Double(all.count)
        var values = [Double](repeating: 0, count: g), errors = [Double](repeating: 0, count: g)
        for j in 0..<g {
            let mean = all.reduce(0) { $0 + $1[j] } / m
            let variance = all.reduce(0) { $0 + ($1[j] - mean) * ($1[j] - mean) } / (m - 1)
            values[j] = mean
            errors[j] = (variance / m).squareRoot()
        }
        names = players.map(\.name)
        self.values = values
        standardErrors = errors
        rSquared = input.rSquared()
        self.pairs = all.count
    }

    /// The `k`-th sampled ordering of `count` players: a Fisher–Yates shuffle driven by a hash
    /// of the seed and `k` alone.
    static func ordering(_ k: Int, count: Int, seed: UInt64) -> [Int] {
        var order = Array(0..<count)
        var state = SyntheticSurvey.hash(seed, UInt64(k), 0x5EED)
        for i in stride(from: count - 1, to: 0, by: -1) {
            state = SyntheticSurvey.hash(state, UInt64(i), 1)
            order.swapAt(i, Int(state % UInt64(i + 1)))
        }
        return order
    }

    /// Marginal R² contributions of each player when the players enter in `order`, each
    /// sweeping its member columns of the correlation matrix in turn: O(c²) per column for the
    /// `c` columns not yet in, O(p³/3) per ordering, on one contiguous copy.
    static func contributions(order: [Int], members: [[Int]], r: [Double], y: [Double], p: Int) -> [Double] {
        var a = r, b = y
        var gains = [Double](repeating: 0, count: members.count)
        var active = [Bool](repeating: true, count: p)
        var remaining: [Int] = []
        remaining.reserveCapacity(p)
        a.withUnsafeMutableBufferPointer { a in
            b.withUnsafeMutableBufferPointer { b in
                for player in order {
                    for j in members[player] {
                        active[j] = false
                        let pivot = a[j + j * p]
                        guard pivot > SubsetRSquaredWalk.collinearityTolerance else { continue }
                        let bj = b[j]
                        gains[player] += bj * bj / pivot
                        remaining.removeAll(keepingCapacity: true)
                        for l in 0..<p where active[l] { remaining.append(l) }
                        let column = j * p
                        for l in remaining {
                            let factor = a[l + column] / pivot
                            b[l] -= factor * bj
                            guard factor != 0 else { continue }
                            let target = l * p
                            for k in remaining { a[k + target] -= a[k + column] * factor }
                        }
                    }
                }
            }
        }
        return gains
    }
}

/// Exact Shapley values when the driver count allows, else — with permission — a sampled estimate.
public enum ShapleyEstimate: Sendable {
    /// Exact values from all `2^p` subsets.
    case exact(ShapleyDecomposition)
    /// A permutation-sampling estimate with standard errors.
    case sampled(SampledShapley)

    /// Exact up to `exactLimit` drivers; beyond it sampled when `allowSampling`, else
    /// ``ImportanceError/tooManyDriversForExact(count:limit:)``.
    ///
    /// - Parameters:
    ///   - input: the drivers' correlations and their correlations with the outcome.
    ///   - exactLimit: the most drivers computed exactly; default ``ShapleyDecomposition/defaultExactLimit``.
    ///   - allowSampling: whether more drivers are sampled rather than refused; default `false`.
    ///   - pairs: antithetic pairs of orderings when sampled; default 2,000.
    ///   - seed: the seed of the orderings when sampled; default 1.
    ///   - progress: called with the fraction of the exact walk done, in [0, 1]; return `false` to cancel.
    ///     `nil` (default): no reports.
    public init(_ input: ImportanceInput, exactLimit: Int = ShapleyDecomposition.defaultExactLimit,
                allowSampling: Bool = false, pairs: Int = 2_000, seed: UInt64 = 1,
                progress: (@Sendable (Double) -> Bool)? = nil) throws {
        if input.driverCount <= exactLimit {
            self = .exact(try ShapleyDecomposition(input, exactLimit: exactLimit, progress: progress))
        } else if allowSampling {
            self = .sampled(try SampledShapley(input, pairs: pairs, seed: seed))
        } else {
            throw ImportanceError.tooManyDriversForExact(count: input.driverCount, limit: exactLimit)
        }
    }

    /// The Shapley values, exact or estimated, in driver order.
    public var values: [Double] {
        switch self {
        case let .exact(d): return d.values
        case let .sampled(s): return s.values
        }
    }

    /// Standard errors of a sampled estimate; `nil` when exact.
    public var standardErrors: [Double]? {
        if case let .sampled(s) = self { return s.standardErrors }
        return nil
    }
}
