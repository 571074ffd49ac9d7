import Dispatch

/// Concurrency helpers shared by LinearAlgebra and DriverAnalysis (not part of the analysis API).
///
/// Wraps a value (an unsafe pointer into storage that outlives the parallel loop, each
/// iteration touching its own part) so it can cross into `concurrentPerform`.
public struct UncheckedSendable<Value>: @unchecked Sendable {
    public let value: Value
    public init(_ value: Value) { self.value = value }
}

public enum Parallel {
    /// Runs `body(k)` for `k` in `0..<count` on up to all cores (inline when `count == 1`).
    public static func forEach(_ count: Int, _ body: @Sendable (Int) -> Void) {
        if count == 1 { body(0); return }
        DispatchQueue.concurrentPerform(iterations: count, execute: body)
    }

    /// `body(k)` for every `k`, collected in order.
    public static func map<T>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
        let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer { results.deinitialize(); results.deallocate() }
        let slots = UncheckedSendable(results)
        forEach(count) { k in slots.value[k] = body(k) }
        return results.map { $0! }
    }
}
