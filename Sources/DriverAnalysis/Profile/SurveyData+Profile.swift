extension SurveyData {
    /// One customer profile from fragmented exports: a left join of every source on its key,
    /// one row per customer of the first source (the base, e.g. the CRM).
    ///
    /// - Keys are matched as text after trimming spaces (ignoring case with
    ///   ``ProfileOptions/KeyCase/insensitive``); rows with an empty key are left out and counted.
    /// - A source with a customer on several rows needs a ``RepeatedAnswerRule``; it reduces
    ///   the source to one row per customer before the join, so a join is never many-to-many.
    /// - Columns keep their names; where a name is held by more than one source, the base keeps
    ///   it and the other sources' columns are named `source.column` (all of them, when the base
    ///   does not hold it). Other sources' key columns are not repeated.
    /// - Two-valued text columns (Yes/No, Y/N, True/False, any case) are written `Yes`/`No`
    ///   (values 1/0); numeric 0/1 columns stay numeric 0/1. Categorical levels are those the
    ///   profile's customers use.
    /// - Same-named columns whose values differ for a customer are reported as
    ///   ``ProfileConflict``s; the base's value keeps the plain name.
    ///
    /// - Parameters:
    ///   - sources: the exports, the base first; their names must be distinct.
    ///   - options: key matching and the number of example keys listed; default: case-sensitive keys, five
    ///     examples.
    /// - Throws: ``ProfileError`` naming the source: no source, two sources with one name, a
    ///   missing key column (with the nearest names), repeated keys without a rule, a date that is
    ///   not ISO 8601, a scale on an unknown column or a value outside it.
    /// Complexity: O(Σ rows × columns + customers × sources²) time, one copy of the data.
    public static func joined(_ sources: [ProfileSource], options: ProfileOptions = .init()) throws -> CustomerProfile {
        guard let base = sources.first else { throw ProfileError.noSources }
        var names = Set<String>()
        for source in sources where !names.insert(source.name).inserted { throw ProfileError.duplicateSourceName(name: source.name) }
        for source in sources { try ProfileAssembly.checkScales(source) }
        let reduced = try sources.map { try ReducedSource($0, options: options) }
        guard !reduced[0].keys.isEmpty else { throw ProfileError.noCustomers(source: base.name) }
        let lookups = reduced.map(ProfileAssembly.lookup)
        let baseKeys = reduced[0].keys
        let matches = lookups.map { lookup in baseKeys.map { lookup[$0] } }

        let plan = ProfileAssembly.plan(sources)
        var columns: [SurveyColumn] = [], provenance: [ProfileColumn] = []
        for (k, entry) in plan.enumerated() {
            let source = reduced[entry.source].data
            guard let column = source.columns.first(where: { $0.name == entry.column }) else { continue }
            let (joined, coding) = ProfileAssembly.gather(column, rows: matches[entry.source])
            columns.append(joined.renamed(entry.name, position: k + 1))
            provenance.append(ProfileColumn(name: entry.name, source: sources[entry.source].name, sourceColumn: entry.column, coding: coding,
                                            notADriver: ProfileAssembly.notADriver(entry, sources: sources)))
        }
        let data = SurveyData(source: "profile of " + sources.map(\.name).joined(separator: ", "), columns: columns,
                              rowNumbers: Array(2..<(baseKeys.count + 2)))
        let everywhere = baseKeys.indices.filter { i in matches.allSatisfy { $0[i] != nil } }
        let spelled = reduced[0].spelled
        let conflicts = ProfileAssembly.conflicts(plan: plan, columns: columns, sources: sources, keys: spelled, limit: options.exampleLimit)
        let scales = sources.enumerated().flatMap { s, source in
            source.scales.compactMap { scale in
                plan.first { $0.source == s && $0.column == scale.column }.map {
                    AnalysisConfiguration.RatingScale(column: $0.name, lower: scale.lower, upper: scale.upper)
                }
            }
        }
        return CustomerProfile(data: data, key: base.key, keyCase: options.keyCase,
                               coverage: ProfileAssembly.coverage(reduced, lookups: lookups, presentInAll: everywhere.count,
                                                                  limit: options.exampleLimit, keyCase: options.keyCase),
                               columns: provenance, scales: scales, conflicts: conflicts, rowsInAllSources: everywhere)
    }
}
