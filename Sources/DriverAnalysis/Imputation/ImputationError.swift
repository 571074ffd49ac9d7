/// Multiple imputation that cannot be carried out as asked. Every message names the column
/// (and, for a profile, the source) concerned.
public enum ImputationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An option out of range (`imputations`, `iterations`, `donors`, `ridge`).
    case invalidOption(option: String, value: String, reason: String)
    /// A column to impute holds mixed numbers and text, or non-finite numbers.
    case unusableColumn(column: String, reason: String)
    /// A column has no observed value to draw from.
    case nothingObserved(column: String)
    /// The regression of `column` on the other columns could not be solved (collinear predictors).
    case singularModel(column: String)
    /// An option the imputed analysis cannot honour (bootstrap, segments, streaming).
    case unsupported(option: String, reason: String)

    /// A one-sentence message naming the column and what to do.
    public var description: String {
        switch self {
        case let .invalidOption(option, value, reason):
            return "imputation option \(option) = \(value): \(reason)"
        case let .unusableColumn(column, reason):
            return "column '\(column)' cannot be imputed: \(reason)"
        case let .nothingObserved(column):
            return "column '\(column)' has no observed value: there is nothing to impute it from; leave it out of the analysis"
        case let .singularModel(column):
            return "column '\(column)': its imputation model (a regression on the other analysed columns) cannot be solved; two analysed columns are probably copies — leave one out"
        case let .unsupported(option, reason):
            return "\(option) with multiple imputation: \(reason)"
        }
    }
}

extension ImputationError: DriverAnalysisError {}
