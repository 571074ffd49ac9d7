import DriverAnalysis
import Foundation

/// `kda analyze --source …` (the profile step, then the analysis) and `kda analyze profile.csv`
/// with a `kda.profile/1` sidecar beside it (declared scales and coverage carried over).
extension Analyze {
    /// Builds the profile from `--source`s and analyses it as `--fragments` says (by default as
    /// its coverage says). `--scale SOURCE:COL=LO..HI` goes to the source; other `--scale`s name
    /// profile columns and win over the sources' declarations.
    func profiledAnalysis(_ configuration: AnalysisConfiguration, options: CSVOptions, progress: ProgressLine) throws -> (Outcome, ProfileCoverage) {
        guard file == nil, engine == nil, fromMoments == nil, fromCorrelation == nil else {
            throw UsageError(message: "--source builds the input from its sources: give no FILE, --engine, --from-moments or --from-correlation with it")
        }
        guard stream != "always" else { throw UsageError(message: "--stream always: a profile joined from --source is built in memory") }
        let names = try profileSources.specs().map(\.name)
        let (bySource, rest) = ProfileSourceOptions.sourceScales(configuration.scales, names: names)
        let profile = try profileSources.profile(scales: bySource, csv: options)
        var c = configuration
        c.scales = rest
        return (try analyze(ProfileInput(profile, progress: progress), c, progress: progress), profile.coverage)
    }

    /// The configuration with what the sidecar of `file` declares (scales of columns not given
    /// with `--scale`; the profile's coverage as a note), and the sidecar; unchanged without one.
    /// (Its default drivers are chosen once the file is loaded: ``ProfileSidecar/choosingDrivers(_:data:)``.)
    static func applyingSidecar(of file: String, to configuration: AnalysisConfiguration) -> (AnalysisConfiguration, ProfileSidecar?) {
        guard let sidecar = ProfileSidecar.find(forData: file) else { return (configuration, nil) }
        var c = configuration
        let added = sidecar.scales.filter { declared in !c.scales.contains { $0.column == declared.column } }
        c.scales += added
        let coverage = sidecar.coverage
        var text = "\(ProfileSidecar.path(forData: file)) (\(ProfileSidecar.schemaName)): profile of \(coverage.baseCustomers) base customers from \(coverage.sources.count) sources (\(coverage.sources.map { "\($0.name) \($0.customers)" }.joined(separator: ", "))), \(coverage.presentInAll) present in all"
        if !added.isEmpty {
            text += "; scales from it: " + added.map { "\($0.column)=\(NumberFormat.significant($0.lower))..\(NumberFormat.significant($0.upper))" }.joined(separator: ", ")
        }
        c.notes.append(.init(.profileCoverage, text))
        return (c, sidecar)
    }

    /// The report's JSON with `"coverage"` (the profile's, keys sorted) before `"warnings"`.
    static func withCoverage(_ json: JSONValue, _ coverage: ProfileCoverage?) -> JSONValue {
        guard let coverage, case var .object(fields) = json,
              let data = try? JSONEncoder().encode(coverage), let value = try? JSONDecoder().decode(JSONValue.self, from: data) else { return json }
        func sorted(_ value: JSONValue) -> JSONValue {
            switch value {
            case let .object(fields): return .object(fields.sorted { $0.0 < $1.0 }.map { ($0.0, sorted($0.1)) })
            case let .array(items): return .array(items.map(sorted))
            default: return value
            }
        }
        fields.insert(("coverage", sorted(value)), at: fields.firstIndex { $0.0 == "warnings" } ?? fields.count)
        return .object(fields)
    }
}
