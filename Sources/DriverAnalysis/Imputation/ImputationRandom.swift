import Foundation

/// The random numbers of ``ChainedEquations``: a SplitMix64 stream (Steele, Lea & Flood 2014,
/// doi:10.1145/2660193.2660195) seeded from `(seed, imputation)` with
/// `SyntheticSurvey.hash(_:_:_:)`, so each imputed dataset has its own reproducible stream.
struct ImputationRandom: RandomNumberGenerator {
    private var state: UInt64

    /// The stream of imputation `m` under `seed`.
    init(seed: UInt64, imputation: Int) {
        state = SyntheticSurvey.hash(seed, UInt64(truncatingIfNeeded: imputation), 0x4D49_4345)
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform on (0, 1).
    mutating func uniform() -> Double { (Double(next() >> 11) + 0.5) * 0x1p-53 }

    /// Standard normal (Box–Muller).
    mutating func normal() -> Double {
        let u1 = uniform(), u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Gamma(shape, 1) by Marsaglia & Tsang (2000, *ACM TOMS* 26:363–372); shape < 1 by boosting.
    mutating func gamma(shape: Double) -> Double {
        if shape < 1 { return gamma(shape: shape + 1) * pow(uniform(), 1 / shape) }
        let d = shape - 1.0 / 3, c = 1 / (9 * d).squareRoot()
        while true {
            let x = normal(), v0 = 1 + c * x
            guard v0 > 0 else { continue }
            let v = v0 * v0 * v0, u = uniform()
            if log(u) < 0.5 * x * x + d - d * v + d * log(v) { return d * v }
        }
    }

    /// χ² with `df` degrees of freedom: `2 · Gamma(df/2)`.
    mutating func chiSquared(_ df: Double) -> Double { 2 * gamma(shape: df / 2) }

    /// Uniform integer in `0..<n` (`n` > 0).
    mutating func index(below n: Int) -> Int { Int(next(using: n)) }

    private mutating func next(using n: Int) -> UInt64 { UInt64.random(in: 0..<UInt64(n), using: &self) }
}
