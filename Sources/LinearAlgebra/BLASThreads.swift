#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The thread count of a multi-threaded BLAS, kept at 1 while the library's own workers run.
///
/// `Parallel` runs its workers on all cores; a multi-threaded BLAS (OpenBLAS) called from each
/// of them would start its own threads per call and oversubscribe the machine — measured on two
/// cores: logistic dominance at p = 12 took 9.6 s by default (8 s of it system time) against
/// 2.6 s with `OPENBLAS_NUM_THREADS=1`, with identical results. So every parallel region of
/// ``Parallel`` is bracketed by ``enterParallelRegion()`` / ``leaveParallelRegion()``: the first
/// region to start sets the BLAS to one thread, the last to end restores the count it found.
///
/// OpenBLAS's `openblas_set_num_threads` / `openblas_get_num_threads` are looked up once at run
/// time with `dlsym`: the reference BLAS and Accelerate have no such symbols (and no threads of
/// their own), and then every call here is a no-op. The loop bodies of ``Parallel`` therefore
/// always see a single-threaded BLAS, whatever the worker count, so results that must not depend
/// on the thread count never depend on BLAS's own threading either. A caller's BLAS calls made
/// outside any parallel region keep the full thread count.
///
/// The count is process-wide (OpenBLAS 0.3.21 has no per-thread setting): a BLAS call made on
/// another thread while a region runs also sees one thread. OpenBLAS's thread count changes the
/// last bits of some routines (measured: a linear regression's estimates differ by ~1e-14
/// relative between `OPENBLAS_NUM_THREADS=1` and `2`), so two analyses running at the same time
/// in one process can differ in their last bits; one analysis at a time is bit-reproducible.
package enum BLASThreads {
    private typealias SetThreads = @convention(c) (Int32) -> Void
    private typealias GetThreads = @convention(c) () -> Int32

    private struct Entry: @unchecked Sendable {
        let set: SetThreads?
        let get: GetThreads?
    }

    private static let entry: Entry = {
        // RTLD_DEFAULT: the global scope (the BLAS the executable was linked with, and its dependencies).
        #if canImport(Darwin)
        let handle = UnsafeMutableRawPointer(bitPattern: -2)
        #else
        let handle = UnsafeMutableRawPointer(bitPattern: 0)
        #endif
        let set = dlsym(handle, "openblas_set_num_threads").map { unsafeBitCast($0, to: SetThreads.self) }
        let get = dlsym(handle, "openblas_get_num_threads").map { unsafeBitCast($0, to: GetThreads.self) }
        return Entry(set: set, get: get)
    }()

    private static let lock = NSLock()
    nonisolated(unsafe) private static var depth = 0
    nonisolated(unsafe) private static var saved: Int32 = 0

    /// Whether the BLAS in use has a thread count to manage (OpenBLAS).
    package static var isManaged: Bool { entry.set != nil && entry.get != nil }

    /// The BLAS's current thread count; `nil` when it has none to manage.
    package static var current: Int? { entry.get.map { Int($0()) } }

    /// Marks the start of a parallel region: the first one sets the BLAS to one thread. O(1).
    package static func enterParallelRegion() {
        guard let set = entry.set, let get = entry.get else { return }
        lock.lock()
        defer { lock.unlock() }
        if depth == 0 {
            saved = get()
            if saved != 1 { set(1) }
        }
        depth += 1
    }

    /// Marks the end of a parallel region: the last one restores the BLAS thread count. O(1).
    package static func leaveParallelRegion() {
        guard let set = entry.set else { return }
        lock.lock()
        defer { lock.unlock() }
        depth -= 1
        if depth == 0 && saved != 1 { set(saved) }
    }

    /// Runs `body` with the BLAS single-threaded (for callers whose own loop is the parallelism).
    package static func singleThreaded<T>(_ body: () throws -> T) rethrows -> T {
        enterParallelRegion()
        defer { leaveParallelRegion() }
        return try body()
    }
}
