extension ProfileAssembly {
    /// Counts who is where. O(customers × sources²) dictionary look-ups.
    static func coverage(_ reduced: [ReducedSource], lookups: [[String: Int]], presentInAll: Int, limit: Int,
                         keyCase: ProfileOptions.KeyCase) -> ProfileCoverage {
        let folded = keyCase == .sensitive ? Set(reduced.first?.keys.map { $0.lowercased() } ?? []) : []
        let sources = reduced.enumerated().map { s, source -> ProfileCoverage.Source in
            var notInBase: [Int] = [], alone: [Int] = []
            for (k, key) in source.keys.enumerated() {
                if s > 0 && lookups[0][key] == nil { notInBase.append(k) }
                if !lookups.indices.contains(where: { $0 != s && lookups[$0][key] != nil }) { alone.append(k) }
            }
            return ProfileCoverage.Source(
                name: source.source.name, path: source.source.data.source, key: source.source.key, rows: source.source.data.rowCount,
                customers: source.keys.count, emptyKeys: source.emptyKeyCount, emptyKeyRows: source.emptyKeyRows,
                repeatedCustomers: source.repeatedCustomers, repeatedRows: source.repeatedRows, repeatedExamples: source.repeatedExamples,
                rule: source.source.repeated?.description,
                matchedWithBase: source.keys.count - notInBase.count, notInBase: notInBase.count,
                notInBaseExamples: notInBase.prefix(limit).map { source.spelled[$0] },
                caseOnlyMatches: folded.isEmpty ? 0 : notInBase.reduce(0) { folded.contains(source.keys[$1].lowercased()) ? $0 + 1 : $0 },
                matchedNothing: alone.count, matchedNothingExamples: alone.prefix(limit).map { source.spelled[$0] })
        }
        var pairs: [ProfileCoverage.Pair] = []
        for a in reduced.indices {
            for b in reduced.indices where b > a {
                let matched = reduced[a].keys.reduce(0) { lookups[b][$1] == nil ? $0 : $0 + 1 }
                pairs.append(.init(first: reduced[a].source.name, second: reduced[b].source.name, matched: matched))
            }
        }
        return ProfileCoverage(baseCustomers: reduced.first?.keys.count ?? 0, presentInAll: presentInAll, sources: sources, pairs: pairs)
    }
}
