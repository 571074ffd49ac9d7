import Foundation

/// A flag that long computations poll to stop early: the `async` variants of
/// ``KeyDriverAnalysis`` set it when their task is cancelled, and a synchronous caller can set
/// it from another thread. Work that sees it set throws ``ImportanceError/cancelled``.
public final class CancellationToken: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false

    /// A token that is not cancelled.
    public init() {}

    /// Asks the computations holding this token to stop.
    public func cancel() {
        lock.lock()
        cancelled = true
        lock.unlock()
    }

    /// Whether ``cancel()`` has been called.
    public var isCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return cancelled
    }

    /// Throws ``ImportanceError/cancelled`` once cancelled.
    public func check() throws {
        if isCancelled { throw ImportanceError.cancelled }
    }
}
