/// An analysis configuration that cannot be carried out as asked: the message names the option
/// and the columns concerned. (Problems with the data themselves are ``SurveyDataError``s.)
public enum AnalysisError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The outcome column is also listed among the drivers (it would explain itself: R² = 1).
    case outcomeAmongDrivers(outcome: String)
    /// A column is listed more than once among the drivers (or controls).
    case duplicateDriver(name: String, role: String)
    /// A column has two roles at once (driver and control, outcome and weight, …).
    case conflictingRoles(column: String, roles: [String])
    /// An option value outside its valid range.
    case invalidOption(option: String, value: String, reason: String)

    /// A one-sentence message naming the option or columns concerned and how to fix the configuration.
    public var description: String {
        switch self {
        case let .outcomeAmongDrivers(outcome):
            return "the outcome '\(outcome)' is also listed as a driver; it would explain itself (R² = 1): remove it from the drivers"
        case let .duplicateDriver(name, role):
            return "'\(name)' is listed more than once among the \(role)s; list each column once"
        case let .conflictingRoles(column, roles):
            return "'\(column)' cannot be both \(roles.joined(separator: " and ")); give each column one role"
        case let .invalidOption(option, value, reason):
            return "\(option) = \(value): \(reason)"
        }
    }
}

extension AnalysisError: DriverAnalysisError {}
