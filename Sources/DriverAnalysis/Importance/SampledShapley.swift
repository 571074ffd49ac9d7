import Foundation
import LinearAlgebra

/// Shapley values by permutation sampling, for more drivers than exact enumeration allows.
///
/// Each sampled ordering adds the drivers one by one; the R² increment of each driver is its
/// marginal contribution in that ordering, computed by sweeping the correlation matrix (O(p²)
/// per step, O(p³) per ordering). Orderings come in antithetic pairs (an ordering and its
/// reverse), which cancels much of the between-ordering variance (Mitchell et al. 2022). The
/// estimate is the mean over orderings; the standard error comes from the `m` pair means.
/// Orderings are generated from the seed and the pair index alone, so results do not depend on
/// the number of threads.
public struct SampledShapley: Sendable {
    /// Driver names, in input order.
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
    /// - Throws: ``ImportanceError/tooFewDrivers(count:minimum:)`` without drivers.
    /// Complexity: O(pairs·p³); results independent of the thread count.
    public init(_ input: ImportanceInput, pairs: Int = 2_000, seed: UInt64 = 1) throws {
        let p = input.driverCount
        guard p >= 1 else { throw ImportanceError.tooFewDrivers(count: p, minimum: 1) }
        let pairCount = max(2, pairs)
        let r = input.driverCorrelation.elements, y = input.outcomeCorrelation
        let chunks = min(pairCount, 16)
        let partial: [[[Double]]] = Parallel.map(chunks) { chunk in
            var means: [[Double]] = []
            var k = chunk
            while k < pairCount {
                var order = Array(0..<p)
                var state = SyntheticSurvey.hash(seed, UInt64(k), 0x5EED)
                for i in stride(from: p - 1, to: 0, by: -1) {     // Fisher–Yates
                    state = SyntheticSurvey.hash(state, UInt64(i), 1)
                    order.swapAt(i, Int(state % UInt64(i + 1)))
                }
                let forward = Self.contributions(order: order, r: r, y: y, p: p)
                let backward = Self.contributions(order: order.reversed(), r: r, y: y, p: p)
                means.append(zip(forward, backward).map { ($0 + $1) / 2 })
                k += chunks
            }
            return means
        }
        let all = partial.flatMap { $0 }
        let m = Double(all.count)
        var values = [Double](repeating: 0, count: p), errors = [Double](repeating: 0, count: p)
        for j in 0..<p {
            let mean = all.reduce(0) { $0 + $1[j] } / m
            let variance = all.reduce(0) { $0 + ($1[j] - mean) * ($1[j] - mean) } / (m - 1)
            values[j] = mean
            errors[j] = (variance / m).squareRoot()
        }
        names = input.names
        self.values = values
        standardErrors = errors
        rSquared = input.rSquared()
        self.pairs = all.count
    }

    /// Marginal R² contributions of each driver when added in `order`.
    static func contributions(order: [Int], r: [Double], y: [Double], p: Int) -> [Double] {
        var a = r, b = y
        var gains = [Double](repeating: 0, count: p)
        var remaining = Array(0..<p)
        for j in order {
            let pivot = a[j + j * p]
            remaining.removeAll { $0 == j }
            guard pivot > SubsetRSquaredWalk.collinearityTolerance else { continue }
            let bj = b[j]
            gains[j] = bj * bj / pivot
            let column = remaining.map { a[$0 + j * p] }
            for (li, l) in remaining.enumerated() {
                let factor = column[li] / pivot
                b[l] -= factor * bj
                for (ki, k) in remaining.enumerated() { a[k + l * p] -= column[ki] * factor }
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
