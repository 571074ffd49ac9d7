/// One row per customer of the base source, with every source's columns: the result of
/// ``SurveyData/joined(_:options:)``.
///
/// Carries what it was made from — coverage (``ProfileCoverage``), where each column came from
/// (``ProfileColumn``), declared rating scales in the profile's column names, and conflicting
/// values between sources (``ProfileConflict``) — so an analysis needs no repeated declarations.
public struct CustomerProfile: Sendable {
    /// The joined data: the base's columns (key included) first, then each other source's columns
    /// without its key; missing cells where a customer is absent from a source. Row numbers are
    /// those of the written profile (2, 3, … after the header).
    public let data: SurveyData
    /// The key column (the base's key column name; the base's spelling of each key).
    public let key: String
    /// How keys were matched.
    public let keyCase: ProfileOptions.KeyCase
    /// Customers per source, matches, left-out keys and repeats.
    public let coverage: ProfileCoverage
    /// Where each profile column came from, in profile order.
    public let columns: [ProfileColumn]
    /// Declared rating scales, in profile column names.
    public let scales: [AnalysisConfiguration.RatingScale]
    /// Columns of one name in two sources whose values differ for the same customer.
    public let conflicts: [ProfileConflict]
    /// 0-based rows of ``data`` whose customer is present in every source.
    public let rowsInAllSources: [Int]

    /// The profile restricted to customers present in every source. O(rows × columns).
    ///
    /// - Throws: never in practice (``SurveyDataError/rowOutOfRange(index:rowCount:)`` guards the indices).
    public func inAllSources() throws -> SurveyData { try data.rows(rowsInAllSources) }

    /// Notes for an analysis of the profile: `profile_coverage` (customers per source, matched,
    /// left out, repeats) and, when sources disagree, `profile_conflicts`. Feed them to
    /// ``AnalysisConfiguration/notes`` so the report carries them.
    public var notes: [DriverReport.Warning] {
        let c = coverage
        let parts = c.sources.map { s -> String in
            var text = "\(s.name) \(s.customers) customers"
            if s.name != c.sources.first?.name { text += " (\(s.matchedWithBase) matched with the base, \(s.notInBase) left out)" }
            if s.repeatedCustomers > 0 { text += ", \(s.repeatedCustomers) repeated reduced by \(s.rule ?? "no rule")" }
            if s.emptyKeys > 0 { text += ", \(s.emptyKeys) empty keys left out" }
            return text
        }
        var notes: [DriverReport.Warning] = [.init(.profileCoverage,
            "profile of \(c.baseCustomers) base customers from \(c.sources.count) sources: \(parts.joined(separator: "; ")); \(c.presentInAll) present in all sources, the others have missing cells from the sources they are absent from")]
        if !conflicts.isEmpty {
            let text = conflicts.map { "'\($0.column)' differs between \($0.sources.joined(separator: " and ")) for \($0.customers) customers (kept apart as \($0.columns.joined(separator: " and ")))" }
            notes.append(.init(.profileConflicts, text.joined(separator: "; ") + "; a column the base holds keeps its plain name with the base's values"))
        }
        return notes
    }
}

/// Where one column of a ``CustomerProfile`` came from.
public struct ProfileColumn: Sendable, Equatable, Codable {
    /// Its name in the profile: its name in the source, or `source.column` where another source holds the same name (the base keeps its names).
    public let name: String
    /// The source it came from.
    public let source: String
    /// Its name in that source.
    public let sourceColumn: String
    /// How its two-valued coding was reconciled, e.g. `Y/N -> Yes/No`; `nil` when unchanged.
    public let coding: String?
    /// Why the column is not a default driver of an analysis of the profile — the date of a
    /// repeated-answer rule, or another source's copy of a base column (`app.tenure`, which would
    /// repeat the driver `tenure`); `nil` for every other column.
    public let notADriver: String?

    enum CodingKeys: String, CodingKey {
        case name, source, coding
        case sourceColumn = "source_column", notADriver = "not_a_driver"
    }
}

/// A column name held by two sources whose values differ for some customers (both present and
/// non-missing). The profile keeps both: the base's (or first-listed source's) under the plain
/// name, the other under `source.column`.
public struct ProfileConflict: Sendable, Equatable, Codable {
    /// One customer's two values.
    public struct Example: Sendable, Equatable, Codable {
        /// The customer's key (the base's spelling).
        public let key: String
        /// The two values, in the order of ``ProfileConflict/sources``.
        public let values: [String]

        /// Customer `key` holds `values` in the two sources.
        ///
        /// - Parameters:
        ///   - key: the customer's key.
        ///   - values: the two values, in the order of ``ProfileConflict/sources``.
        public init(key: String, values: [String]) {
            self.key = key
            self.values = values
        }
    }

    /// The column name shared by the sources.
    public let column: String
    /// The two sources, the winning one (base, or listed first) first.
    public let sources: [String]
    /// The two profile columns, in the same order.
    public let columns: [String]
    /// Customers whose values differ.
    public let customers: Int
    /// Up to ``ProfileOptions/exampleLimit`` of them.
    public let examples: [Example]
}
