/// Errors raised by the numeric core when the data cannot support the requested operation.
///
/// LAPACK reports problems through its `INFO` argument: a negative value means an argument
/// was wrong (a bug in this library, checked with `precondition`); a positive value describes
/// the data and becomes one of these cases. Indices are 0-based.
public enum LinearAlgebraError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Shapes do not fit together.
    case dimensionMismatch(operation: String, expected: String, actual: String)
    /// A matrix with no rows or no columns where data is required.
    case empty(operation: String)
    /// More unknowns than equations: `columns > rows` in a least-squares problem.
    case underdetermined(rows: Int, columns: Int)
    /// NaN or ±∞ at `(row, column)` of the named input.
    case nonFinite(operation: String, row: Int, column: Int)
    /// A triangular factor has an exactly zero diagonal element at `column` (LAPACK `dtrtrs`).
    case singular(column: Int)
    /// The leading minor of order `minor + 1` is not positive definite (LAPACK `dpotrf`).
    case notPositiveDefinite(minor: Int)
    /// The columns are linearly dependent to working precision: the numerical rank is `rank`
    /// and `aliasedColumns` can be written as combinations of the others.
    case rankDeficient(rank: Int, aliasedColumns: [Int])
    /// An iterative LAPACK routine did not converge (`dsyevd`).
    case noConvergence(routine: String, info: Int)
    /// A dimension exceeds LAPACK's 32-bit integer range.
    case dimensionTooLarge(Int)

    /// A one-line message naming the operation and, where known, the 0-based row or column.
    public var description: String {
        switch self {
        case let .dimensionMismatch(operation, expected, actual):
            return "\(operation): expected \(expected), got \(actual)"
        case let .empty(operation):
            return "\(operation): the matrix has no rows or no columns"
        case let .underdetermined(rows, columns):
            return "least squares needs at least as many rows as columns; got \(rows) rows and \(columns) columns"
        case let .nonFinite(operation, row, column):
            return "\(operation): non-finite value (NaN or infinity) at row \(row), column \(column)"
        case let .singular(column):
            return "the matrix is singular: zero pivot in column \(column)"
        case let .notPositiveDefinite(minor):
            return "the matrix is not positive definite: leading minor of order \(minor + 1) is not positive"
        case let .rankDeficient(rank, aliased):
            return "the columns are linearly dependent (numerical rank \(rank)); aliased columns: \(aliased.map(String.init).joined(separator: ", "))"
        case let .noConvergence(routine, info):
            return "\(routine) did not converge (info = \(info))"
        case let .dimensionTooLarge(n):
            return "dimension \(n) exceeds the 32-bit range of LAPACK integers"
        }
    }
}
