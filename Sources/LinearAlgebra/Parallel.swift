import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Concurrency helpers shared by LinearAlgebra and DriverAnalysis (not part of the analysis API).
///
/// Wraps a value (an unsafe pointer into storage that outlives the parallel loop, each
/// iteration touching its own part) so it can cross into `concurrentPerform`.
package struct UncheckedSendable<Value>: @unchecked Sendable {
    package let value: Value
    package init(_ value: Value) { self.value = value }
}

/// Data-parallel loops on all cores, without oversubscription.
///
/// - Every loop runs its bodies with the BLAS single-threaded (``BLASThreads``): the loop is
///   the parallelism, and a multi-threaded BLAS inside each worker would oversubscribe.
/// - A loop started inside another loop's body runs inline on that worker (sequentially): the
///   outer loop already keeps every core busy. Callers partition work independently of the
///   thread count, so results are the same either way.
package enum Parallel {
    /// The number of worker threads for the current task; `nil` lets the system decide (all
    /// cores). Set it with `Parallel.$workers.withValue(1) { … }` — results must not depend on it,
    /// and the determinism tests check exactly that with 1, 2 and 8 workers.
    @TaskLocal package static var workers: Int?

    /// Runs `body(k)` for `k` in `0..<count` on up to all cores (inline when `count == 1`, and
    /// sequentially on the calling thread when it is itself a worker of an enclosing loop).
    package static func forEach(_ count: Int, _ body: @Sendable (Int) -> Void) {
        if count == 1 { body(0); return }
        guard count > 1 else { return }
        BLASThreads.enterParallelRegion()
        defer { BLASThreads.leaveParallelRegion() }
        let limit = isWorker ? 1 : (workers ?? Int.max)
        if limit <= 1 {
            for k in 0..<count { body(k) }
            return
        }
        let run: @Sendable (Int) -> Void = { k in
            setWorker(true)
            body(k)
            setWorker(false)
        }
        if limit >= count {
            DispatchQueue.concurrentPerform(iterations: count, execute: run)
            return
        }
        let threads = limit
        DispatchQueue.concurrentPerform(iterations: threads) { worker in
            setWorker(true)
            for k in stride(from: worker, to: count, by: threads) { body(k) }
            setWorker(false)
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

    // MARK: Worker marking (thread-specific, set only while a loop body runs on the thread)

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// Whether the current thread is running the body of a ``Parallel`` loop.
    static var isWorker: Bool { pthread_getspecific(key) != nil }

    private static func setWorker(_ flag: Bool) {
        pthread_setspecific(key, flag ? UnsafeRawPointer(bitPattern: 1) : nil)
    }
}
