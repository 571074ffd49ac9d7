import CLAPACK

/// The one place that turns Swift sizes into LAPACK integers and interprets `INFO`.
///
/// `INFO < 0` means this library passed an illegal argument: a bug, so it traps with the
/// routine's name. `INFO > 0` describes the data and is translated by each caller into a
/// ``LinearAlgebraError``.
enum LAPACK {
    /// `n` as a LAPACK `INTEGER` (32-bit).
    static func int32(_ n: Int) throws -> Int32 {
        guard n >= 0, n <= Int(Int32.max) else { throw LinearAlgebraError.dimensionTooLarge(n) }
        return Int32(n)
    }

    /// Traps on an illegal-argument `INFO`; returns positive `INFO` for the caller to interpret.
    @discardableResult
    static func check(_ info: Int32, routine: StaticString) -> Int {
        precondition(info >= 0, "\(routine): argument \(-info) had an illegal value (a bug in LinearAlgebra)")
        return Int(info)
    }

    /// Runs a workspace query (`lwork = -1`) and returns the optimal workspace length.
    static func workspaceSize(_ query: (UnsafeMutablePointer<Double>) -> Int32, routine: StaticString) -> Int {
        var optimal = 0.0
        check(query(&optimal), routine: routine)
        return max(1, Int(optimal.rounded(.up)))
    }
}
