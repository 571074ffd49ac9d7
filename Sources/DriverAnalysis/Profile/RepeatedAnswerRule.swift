/// Which answer a source keeps for a customer who appears on several of its rows (repeated
/// surveys, several calls). A source with repeated keys and no rule is refused
/// (``ProfileError/repeatedKeys(source:customers:rows:examples:)``): a join never multiplies
/// customers.
///
/// Dates are ISO 8601 (``ISODate``); a row whose date cell is empty ranks before every dated
/// row; ties keep file order. Text written as `latest:answered_at`, `earliest:answered_at`,
/// `first`, `last`, `mean` or `mean:answered_at` (``init(parsing:)``, ``description``).
public enum RepeatedAnswerRule: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The whole row with the latest date in `dateColumn` (the last such row on a tie).
    case latest(dateColumn: String)
    /// The whole row with the earliest date in `dateColumn` (the first such row on a tie).
    case earliest(dateColumn: String)
    /// The customer's first row in file order.
    case first
    /// The customer's last row in file order.
    case last
    /// Numeric columns: the mean of the customer's non-missing values. Every other column
    /// (text, Yes/No, dates): the latest non-missing value — by `dateColumn` when given, else the
    /// last in file order. Complexity O(rows × columns).
    case mean(dateColumn: String?)

    /// Parses `latest:COL`, `earliest:COL`, `first`, `last`, `mean` or `mean:COL`.
    ///
    /// - Parameter text: the rule as `--repeated` takes it; `COL` names an ISO 8601 date column.
    /// - Throws: ``AnalysisError/invalidOption(option:value:reason:)`` for anything else.
    public init(parsing text: String) throws {
        let parts = text.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        let column = parts.count == 2 && !parts[1].isEmpty ? parts[1] : nil
        switch (parts.first?.lowercased() ?? "", column) {
        case let ("latest", column?): self = .latest(dateColumn: column)
        case let ("earliest", column?): self = .earliest(dateColumn: column)
        case ("first", nil): self = .first
        case ("last", nil): self = .last
        case let ("mean", column): self = .mean(dateColumn: column)
        default:
            throw AnalysisError.invalidOption(option: "repeated", value: text,
                                              reason: "a rule is latest:DATECOL, earliest:DATECOL, first, last, mean or mean:DATECOL")
        }
    }

    /// The rule as text, as ``init(parsing:)`` reads it.
    public var description: String {
        switch self {
        case let .latest(column): return "latest:\(column)"
        case let .earliest(column): return "earliest:\(column)"
        case .first: return "first"
        case .last: return "last"
        case let .mean(column): return column.map { "mean:\($0)" } ?? "mean"
        }
    }

    /// The date column the rule orders by, if any.
    public var dateColumn: String? {
        switch self {
        case let .latest(column), let .earliest(column): return column
        case let .mean(column): return column
        case .first, .last: return nil
        }
    }

    /// Decodes the text form.
    public init(from decoder: any Decoder) throws {
        try self.init(parsing: try decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes the text form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
