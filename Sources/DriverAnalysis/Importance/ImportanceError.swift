/// Why an importance analysis cannot run on the input as given.
public enum ImportanceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Importance needs at least `minimum` drivers.
    case tooFewDrivers(count: Int, minimum: Int)
    /// A driver with zero variance carries no information.
    case zeroVariance(driver: String)
    /// The correlation (or covariance) matrix has a negative eigenvalue: it cannot come from data.
    /// `drivers` are those loading most on the offending eigenvector.
    case notPositiveSemidefinite(smallestEigenvalue: Double, drivers: [String])
    /// Exact enumeration of `2^p` subsets is beyond the limit; pass `allowSampling: true` (or use
    /// ``SampledShapley``) for a permutation-sampling estimate with standard errors.
    case tooManyDriversForExact(count: Int, limit: Int)
    /// Matrix shapes or names that do not fit together.
    case dimensionMismatch(String)
    /// The work was cancelled through the progress callback.
    case cancelled

    /// A one-sentence message naming the drivers or limits concerned.
    public var description: String {
        switch self {
        case let .tooFewDrivers(count, minimum): return "relative importance needs at least \(minimum) drivers; got \(count)"
        case let .zeroVariance(driver): return "driver '\(driver)' has zero variance; remove it"
        case let .notPositiveSemidefinite(value, drivers):
            return "the correlation matrix is not positive semidefinite (smallest eigenvalue \(value)); check \(drivers.joined(separator: ", ")) — were they computed on different rows?"
        case let .tooManyDriversForExact(count, limit):
            return "exact Shapley values for \(count) drivers enumerate 2^\(count) subsets, beyond the limit of \(limit); name fewer drivers or group related ones (the analysis samples Shapley values beyond the limit; in Swift, SampledShapley or SampledLogisticShapley give estimates with standard errors)"
        case let .dimensionMismatch(message): return message
        case .cancelled: return "cancelled"
        }
    }
}
