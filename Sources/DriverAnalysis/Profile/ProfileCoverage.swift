/// Who is in which source, said plainly: the first thing to read about a customer profile.
///
/// Customers are distinct non-empty keys after trimming (and lower-casing with
/// ``ProfileOptions/KeyCase/insensitive``). The profile keeps every base customer (a left join);
/// a key of another source that is not in the base is left out, and counted here.
/// Encodes with snake_case keys (the `coverage` object of `kda profile --format json` and of the
/// `kda.profile/1` sidecar).
public struct ProfileCoverage: Sendable, Equatable, Codable {
    /// One source's counts.
    public struct Source: Sendable, Equatable, Codable {
        /// The source's name.
        public let name: String
        /// Where it was read from (`<memory>` for data in memory).
        public let path: String
        /// Its key column.
        public let key: String
        /// Data rows read.
        public let rows: Int
        /// Distinct customers (non-empty keys).
        public let customers: Int
        /// Rows with an empty or missing key, left out.
        public let emptyKeys: Int
        /// The first file rows (header = row 1) with an empty key, at most ``ProfileOptions/exampleLimit``.
        public let emptyKeyRows: [Int]
        /// Customers on more than one row.
        public let repeatedCustomers: Int
        /// Rows beyond each repeated customer's first (the rows the rule reduced away).
        public let repeatedRows: Int
        /// Example repeated keys.
        public let repeatedExamples: [String]
        /// The declared repeated-answer rule (its text form), `nil` when none was declared.
        public let rule: String?
        /// Customers also in the base source (for the base: all of them).
        public let matchedWithBase: Int
        /// Customers not in the base, left out of the profile (0 for the base).
        public let notInBase: Int
        /// Example keys not in the base.
        public let notInBaseExamples: [String]
        /// Keys not in the base that would match a base key ignoring case (0 when keys already
        /// ignore case): a hint to use ``ProfileOptions/KeyCase/insensitive``.
        public let caseOnlyMatches: Int
        /// Customers found in no other source.
        public let matchedNothing: Int
        /// Example keys found in no other source.
        public let matchedNothingExamples: [String]

        enum CodingKeys: String, CodingKey {
            case name, path, key, rows, customers, rule
            case emptyKeys = "empty_keys", emptyKeyRows = "empty_key_rows"
            case repeatedCustomers = "repeated_customers", repeatedRows = "repeated_rows", repeatedExamples = "repeated_examples"
            case matchedWithBase = "matched_with_base", notInBase = "not_in_base", notInBaseExamples = "not_in_base_examples"
            case caseOnlyMatches = "case_only_matches"
            case matchedNothing = "matched_nothing", matchedNothingExamples = "matched_nothing_examples"
        }
    }

    /// Customers in both of two sources.
    public struct Pair: Sendable, Equatable, Codable {
        /// The first source's name.
        public let first: String
        /// The second source's name.
        public let second: String
        /// Customers in both.
        public let matched: Int

        /// `matched` customers are in both `first` and `second`.
        ///
        /// - Parameters:
        ///   - first: the first source's name.
        ///   - second: the second source's name.
        ///   - matched: customers in both.
        public init(first: String, second: String, matched: Int) {
            self.first = first
            self.second = second
            self.matched = matched
        }
    }

    /// Customers of the base source: the profile's rows.
    public let baseCustomers: Int
    /// Base customers present in every source.
    public let presentInAll: Int
    /// Per source, in the order given (the base first).
    public let sources: [Source]
    /// Every pair of sources, in the order given.
    public let pairs: [Pair]

    enum CodingKeys: String, CodingKey {
        case baseCustomers = "base_customers", presentInAll = "present_in_all", sources, pairs
    }

    /// The coverage as lines for a terminal: customers per source, matches, left-out keys,
    /// repeats and the rule that reduced them. O(sources²).
    public var lines: [String] {
        var lines = ["\(baseCustomers) customers in the base source '\(sources.first?.name ?? "")' (one profile row each); \(presentInAll) present in all \(sources.count) sources"]
        for source in sources {
            var line = "\(source.name) (\(source.path), key \(source.key)): \(source.rows) rows, \(source.customers) customers"
            if source.name != sources.first?.name {
                line += ", \(source.matchedWithBase) matched with the base, \(source.notInBase) not in the base (left out)"
                    + Self.examples(source.notInBaseExamples, total: source.notInBase)
                if source.caseOnlyMatches > 0 {
                    line += " — \(source.caseOnlyMatches) of them match a base key ignoring case (--key-case insensitive)"
                }
            }
            line += "; \(source.matchedNothing) match no other source" + Self.examples(source.matchedNothingExamples, total: source.matchedNothing)
            if source.emptyKeys > 0 {
                line += "; \(source.emptyKeys) rows with an empty key left out (rows \(source.emptyKeyRows.map(String.init).joined(separator: ", "))\(source.emptyKeys > source.emptyKeyRows.count ? ", …" : ""))"
            }
            if source.repeatedCustomers > 0 {
                line += "; \(source.repeatedCustomers) customers repeated on \(source.repeatedRows) extra rows, reduced by \(source.rule ?? "no rule")"
            }
            lines.append(line)
        }
        for pair in pairs where pair.first != sources.first?.name {
            lines.append("\(pair.first) ∩ \(pair.second): \(pair.matched) customers")
        }
        return lines
    }

    static func examples(_ keys: [String], total: Int) -> String {
        keys.isEmpty ? "" : " (e.g. \(keys.joined(separator: ", "))\(total > keys.count ? ", …" : ""))"
    }
}
