import Dispatch

/// Concurrency helpers shared by LinearAlgebra and DriverAnalysis (not part of the analysis API).
///
/// Wraps a value (an unsafe pointer into storage that outlives the parallel loop, each
/// iteration touching its own part) so it can cross into `concurrentPerform`.
package struct UncheckedSendable<Value>: @unchecked Sendable {
    package let value: Value
    package init(_ value: Value) { self.value = value }
}

package enum Parallel {
    /// The number of worker threads for the current task; `nil` lets the system decide (all
    /// cores). Set it with `Parallel.$workers.withValue(1) { … }` — results must not depend on it,
    /// and the determinism tests check exactly that with 1, 2 and 8 workers.
    @TaskLocal package static var workers: Int?

    /// Runs `body(k)` for `k` in `0..<count` on up to all cores (inline when `count == 1`).
    package static func forEach(_ count: Int, _ body: @Sendable (Int) -> Void) {
        if count == 1 { body(0); return }
        guard let limit = workers else {
            DispatchQueue.concurrentPerform(iterations: count, execute: body)
            return
        }
        if limit <= 1 {
            for k in 0..<count { body(k) }
            return
        }
        let threads = min(limit, count)
        DispatchQueue.concurrentPerform(iterations: threads) { worker in
            for k in stride(from: worker, to: count, by: threads) { body(k) }
        }
    }

    /// `body(k)` for every `k`, collected in order.
    package static func map<T>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
        let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer { results.deinitialize(); results.deallocate() }
        let slots = UncheckedSendable(results)
        forEach(count) { k in slots.value[k] = body(k) }
        return results.map { $0! }
    }
}
