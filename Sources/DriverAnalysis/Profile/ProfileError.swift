/// A customer profile that cannot be built from its sources as given. Every message names the
/// source concerned (its name, as given to ``ProfileSource``), and where it applies the file, row
/// and column.
public enum ProfileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// ``SurveyData/joined(_:options:)`` was given no source.
    case noSources
    /// Two sources share `name`; names tell sources apart in column prefixes and messages.
    case duplicateSourceName(name: String)
    /// The key column `key` is not in the source; `suggestions` are its nearest column names.
    case unknownKey(source: String, key: String, suggestions: [String])
    /// A column named for a `role` (a date column of a rule, a rating scale) is not in the source.
    case unknownColumn(source: String, column: String, role: String, suggestions: [String])
    /// A rule or a scale names a source that is not among the sources.
    case unknownSource(name: String, known: [String])
    /// `customers` keys occur on more than one row of the source (`rows` rows in all), and no
    /// ``RepeatedAnswerRule`` says which answer to keep: joining would multiply customers.
    case repeatedKeys(source: String, customers: Int, rows: Int, examples: [String])
    /// A cell of a rule's date column that is not an ISO 8601 date or date-time.
    case unparsableDate(source: String, path: String, row: Int, column: String, value: String)
    /// The base source has no row with a non-empty key: the profile would have no customer.
    case noCustomers(source: String)
    /// A problem reading or typing the source's data (file missing, malformed CSV, a value
    /// outside a declared scale), with the source's name in front.
    case sourceData(source: String, error: SurveyDataError)
    /// A per-source model (``CustomerProfile/analyzePerSource(_:)``) that cannot be fitted on the
    /// `customers` who answered the source, with the analysis's own message.
    case sourceAnalysis(source: String, customers: Int, reason: String)
    /// A column of the source cannot be multiply imputed (``ImputationError``).
    case imputation(source: String, error: ImputationError)

    /// A one-sentence message naming the source and how to fix it.
    public var description: String {
        switch self {
        case .noSources:
            return "a customer profile needs at least one source (the first is the base: one row per customer)"
        case let .duplicateSourceName(name):
            return "two sources are named '\(name)'; name them apart with NAME=PATH:KEY (e.g. \(name)2=…)"
        case let .unknownKey(source, key, suggestions):
            return "source '\(source)': there is no key column '\(key)'"
                + (suggestions.isEmpty ? "" : "; the nearest names are: \(suggestions.joined(separator: ", "))")
        case let .unknownColumn(source, column, role, suggestions):
            return "source '\(source)': there is no column '\(column)' (named as the \(role))"
                + (suggestions.isEmpty ? "" : "; the nearest names are: \(suggestions.joined(separator: ", "))")
        case let .unknownSource(name, known):
            return "there is no source named '\(name)'; the sources are: \(known.joined(separator: ", "))"
        case let .repeatedKeys(source, customers, rows, examples):
            return "source '\(source)': \(customers) customer\(customers == 1 ? "" : "s") appear on more than one row (\(rows) rows in all, e.g. \(examples.map { "'\($0)'" }.joined(separator: ", "))); say which answer to keep with a rule — \(source)=latest:DATECOL, \(source)=first, \(source)=last or \(source)=mean — a repeated key is never joined many-to-many"
        case let .unparsableDate(source, path, row, column, value):
            return "source '\(source)' (\(path)), row \(row), column '\(column)': '\(value)' is not an ISO 8601 date (YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS])"
        case let .noCustomers(source):
            return "source '\(source)': no row has a key; the base source gives the profile its customers"
        case let .sourceData(source, error):
            return "source '\(source)': \(error.description)"
        case let .imputation(source, error):
            return "source '\(source)': \(error.description)"
        case let .sourceAnalysis(source, customers, reason):
            return "source '\(source)': its model on the \(customers) customers who answered it cannot be fitted: \(reason)"
        }
    }
}

extension ProfileError: DriverAnalysisError {}
