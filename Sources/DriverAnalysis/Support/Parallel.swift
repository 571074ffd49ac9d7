import Dispatch

/// Wraps a value (typically an unsafe pointer into storage that outlives the parallel loop,
/// with each iteration touching a disjoint part) so it can cross into `concurrentPerform`.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

enum Parallel {
    /// Runs `body(k)` for `k` in `0..<count` on up to all cores (inline when `count == 1`).
    /// Callers make results independent of scheduling: each `k` writes its own slot.
    static func forEach(_ count: Int, _ body: @Sendable (Int) -> Void) {
        if count == 1 { body(0); return }
        DispatchQueue.concurrentPerform(iterations: count, execute: body)
    }

    /// `body(k)` for every `k`, collected in order.
    static func map<T>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
        let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer { results.deinitialize(); results.deallocate() }
        let slots = UncheckedSendable(results)
        forEach(count) { k in slots.value[k] = body(k) }
        return results.map { $0! }
    }
}
