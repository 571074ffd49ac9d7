import Foundation
import Testing

/// Log relative error (McCullough 1998): roughly the number of correct significant digits.
///
/// `LRE = −log₁₀(|x − c| / |c|)`, or `−log₁₀|x|` when the certified value `c` is 0, clamped to
/// `[0, 15]` because NIST prints 15 significant digits.
public func logRelativeError(_ value: Double, certified: Double) -> Double {
    if value == certified { return 15 }
    guard value.isFinite else { return 0 }
    let error = certified == 0 ? abs(value) : abs(value - certified) / abs(certified)
    return min(15, max(0, -log10(error)))
}

/// Expects `|actual − expected| ≤ relative · |expected|` (or `≤ absolute` when given and larger).
public func expectClose(
    _ actual: Double, _ expected: Double, relative: Double, absolute: Double = 0,
    _ comment: @autoclosure () -> String = "", sourceLocation: SourceLocation = #_sourceLocation
) {
    let bound = max(relative * abs(expected), absolute)
    let ok = actual == expected || abs(actual - expected) <= bound
    #expect(ok, "\(comment()) actual \(actual) expected \(expected) (|Δ| = \(abs(actual - expected)), bound \(bound))",
            sourceLocation: sourceLocation)
}

/// Locates bundled fixture files (copied into `Tests/Fixtures/Data`, so tests need no `../shared`).
public enum FixtureData {
    /// URL of `Data/<path>` inside the Fixtures bundle.
    public static func url(_ path: String) -> URL {
        Bundle.module.resourceURL!.appendingPathComponent("Data").appendingPathComponent(path)
    }

    /// The text of `Data/<path>`.
    public static func text(_ path: String) throws -> String {
        try String(contentsOf: url(path), encoding: .utf8)
    }
}

/// Bounds for comparing two numerically stable computations of the same quantity, derived from
/// the problem's size and conditioning — never from one machine's last digits. Two BLAS kernels
/// (OpenBLAS Prescott, Haswell, SkylakeX; reference BLAS) sum in different orders, so results
/// differ by rounding of the size these bounds describe.
public enum NumericalBound {
    /// The unit roundoff of `Double`, `2⁻⁵³`.
    public static let unitRoundoff = Double.ulpOfOne / 2

    /// Two backward-stable least-squares solutions of an `m × n` problem with condition number
    /// `κ = 1/rcond` (of the design as solved) agree, relative to the largest coefficient, to
    /// about `√(m·n)·u·(κ + κ²·η)` with `η = ‖r‖/(‖A‖‖x‖) ≤ 1` (Higham 2002, *Accuracy and
    /// Stability of Numerical Algorithms*, §20.1); the factor 16 covers the constants and the two
    /// solvers' own errors adding up.
    public static func leastSquares(rcond: Double, rows m: Int, columns n: Int) -> Double {
        let kappa = 1 / rcond
        return 16 * (Double(m) * Double(n)).squareRoot() * unitRoundoff * (kappa + kappa * kappa)
    }

    /// `(AᵀA)⁻¹` from two stable paths, relative to its largest element: `κ²` amplifies the
    /// rounding of the cross-product's `m`-term sums, `√m·u` each (Higham 2002, §14.1, §20.4).
    public static func normalInverse(rcond: Double, rows m: Int, columns n: Int) -> Double {
        let kappa = 1 / rcond
        return 16 * Double(n) * Double(m).squareRoot() * unitRoundoff * kappa * kappa
    }
}

/// Expects `|actual − expected| ≤ bound · scale` — for comparisons whose bound is relative to the
/// problem (the largest coefficient, the norm of a matrix), not to each entry.
public func expectWithin(
    _ actual: Double, _ expected: Double, bound: Double, scale: Double,
    _ comment: @autoclosure () -> String = "", sourceLocation: SourceLocation = #_sourceLocation
) {
    let limit = bound * scale
    #expect(actual == expected || abs(actual - expected) <= limit,
            "\(comment()) actual \(actual) expected \(expected) (|Δ| = \(abs(actual - expected)), bound \(limit) = \(bound) × \(scale))",
            sourceLocation: sourceLocation)
}
