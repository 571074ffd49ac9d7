import DriverAnalysis
import Foundation

/// `kda analyze --engine COMMAND --source TABLE:KEY …`: the profile joined and reduced in the
/// engine (``EngineProfile``), its coverage counted there, then one analysis over the join.
extension Analyze {
    func engineProfileAnalysis(_ engine: SQLEngine, _ configuration: AnalysisConfiguration, rowKey: String?) throws -> (DriverReport, ProfileCoverage) {
        let specs = try profileSources.specs()
        let rules = try profileSources.rules(specs.map(\.name))
        guard let keyCase = ProfileOptions.KeyCase(rawValue: profileSources.keyCase) else {
            throw UsageError(message: "--key-case must be sensitive or insensitive, not '\(profileSources.keyCase)'")
        }
        let profile = try EngineProfile(engine: engine, sources: specs.map { .init(name: $0.name, table: $0.path, key: $0.key, rule: rules[$0.name]) },
                                        keyCase: keyCase)
        let coverage = profile.coverage
        // The file path's default: listwise when at least 80 % of the base is in every source;
        // below that it would analyse per source or impute, which need the rows.
        let share = coverage.baseCustomers > 0 ? Double(coverage.presentInAll) / Double(coverage.baseCustomers) : 0
        if fragments == nil && share < FragmentChoice.listwiseThreshold {
            throw UsageError(message: "only \(coverage.presentInAll) of the \(coverage.baseCustomers) base customers (\(NumberFormat.percent(share))) are in every source: with fragmented answers the file path analyses per source or imputes, which needs the rows. In the engine, say --fragments listwise to analyse the customers complete in the analysed columns, or build the profile with kda profile from exports\n" + coverage.lines.joined(separator: "\n"))
        }
        var c = configuration
        c.notes.append(profile.note)
        // The profile's key identifies its rows (one per base customer): the bootstrap hashes it.
        let key = rowKey ?? (configuration.bootstrap > 0 ? specs[0].key : nil)
        let report = try KeyDriverAnalysis.analyze(engine: engine, table: profile.relation, c, rowKey: key, missing: try Self.csvOptions(naValues))
        return (report, coverage)
    }
}
