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
