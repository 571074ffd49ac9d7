import DriverAnalysis
import Foundation

/// `--fragments`: listwise, pairwise, per-source models or multiple imputation, chosen from the
/// profile's coverage unless asked for (``FragmentChoice``).
extension Analyze {
    /// A profile to analyse — built from `--source`, or a profile CSV read back with its sidecar —
    /// as the operations the strategies need.
    struct ProfileInput {
        let data: SurveyData
        let choice: (AnalysisConfiguration, FragmentStrategy?) throws -> FragmentChoice
        let prepared: (AnalysisConfiguration) throws -> AnalysisConfiguration
        let perSource: (AnalysisConfiguration) throws -> [SourceAnalysis]
        let impute: (AnalysisConfiguration, ImputationOptions) throws -> ImputedAnalysis

        init(_ profile: CustomerProfile, progress: ProgressLine) {
            data = profile.data
            choice = { try profile.fragmentChoice(for: $0, requested: $1) }
            prepared = { try profile.prepared($0) }
            perSource = { try profile.analyzePerSource($0) }
            impute = { try profile.analyzeImputed($0, options: $1, progress: progress.callback) }
        }

        init(_ sidecar: ProfileSidecar, data: SurveyData, progress: ProgressLine) {
            self.data = data
            choice = { try sidecar.fragmentChoice(for: $0, data: data, requested: $1) }
            prepared = { try sidecar.choosingDrivers($0, data: data) }
            perSource = { try sidecar.analyzePerSource($0, data: data) }
            impute = { try sidecar.analyzeImputed($0, data: data, options: $1, progress: progress.callback) }
        }
    }

    /// One report, or one per source.
    enum Outcome {
        case report(DriverReport)
        case perSource([SourceAnalysis], FragmentChoice)
    }

    /// `--fragments` (and `--missing`, its older spelling for two of the strategies) parsed and
    /// checked against the other options; `nil` when neither is given.
    func fragmentRequest() throws -> FragmentStrategy? {
        var requested: FragmentStrategy? = nil
        if let fragments {
            guard let strategy = FragmentStrategy(rawValue: fragments) else {
                throw UsageError(message: "--fragments must be listwise, pairwise, per-source or impute, not '\(fragments)'")
            }
            requested = strategy
        }
        if let missing, let policy = FragmentStrategy(rawValue: missing) {
            if let requested, requested != policy {
                throw UsageError(message: "--missing \(missing) and --fragments \(requested) ask for two treatments of missing answers; give one (--fragments \(requested))")
            }
            requested = policy
        }
        if let imputations {
            guard requested == .impute else { throw UsageError(message: "--imputations sets the imputed datasets of --fragments impute; add --fragments impute") }
            guard imputations >= 2 else { throw UsageError(message: "--imputations must be at least 2 (Rubin's rules need two imputed datasets; 20 is the default)") }
            guard imputations <= ImputationOptions.maximumImputations else {
                throw UsageError(message: "--imputations \(imputations) is beyond the work budget of \(ImputationOptions.maximumImputations): each imputation is a full analysis (\(imputations) analyses after \(imputations) × 5 rounds of chained regressions over the analysed columns); 20–50 give pooled estimates within a few percent of their Monte Carlo limit")
            }
        }
        if requested == .impute {
            if bootstrap > 0 { throw UsageError(message: "--fragments impute carries the uncertainty of the missing answers in the between-imputation variance; drop --bootstrap (intervals are not pooled over imputations)") }
            if segment != nil { throw UsageError(message: "--fragments impute with --segment is not available: analyse each segment's file on its own") }
            if !group.isEmpty { throw UsageError(message: "--fragments impute with --group is not available: group importance is not pooled over imputations yet") }
        }
        if requested == .perSource, !PerSourceOutput.formats.contains(format) || chart != nil {
            throw UsageError(message: "--fragments per-source writes one section per source as table, markdown or json (no --chart): --format \(format)\(chart == nil ? "" : " with --chart") holds one analysis")
        }
        if requested == .impute || requested == .perSource, engine != nil || fromMoments != nil || fromCorrelation != nil {
            throw UsageError(message: "--fragments \(requested?.rawValue ?? "") needs the customers' rows: give FILE or --source, not --engine, --from-moments or --from-correlation")
        }
        return requested
    }

    /// Writes the per-source sections (table, Markdown or JSON; a chart or a CSV/HTML report holds
    /// one analysis and is refused, naming the way to get one).
    func writePerSource(_ analyses: [SourceAnalysis], choice: FragmentChoice, coverage: ProfileCoverage?, inputs: [String]) throws {
        let why = choice.byDefault ? " (per-source was chosen from the coverage: \(choice.note.message))" : ""
        guard PerSourceOutput.formats.contains(format) else {
            throw UsageError(message: "--format \(format) holds one report, and a per-source analysis has one per source: use table, markdown or json, or ask for one model with --fragments listwise or impute\(why)")
        }
        guard chart == nil else {
            throw UsageError(message: "--chart draws one analysis, and a per-source analysis has one per source: drop --chart, or ask for one model with --fragments listwise or impute\(why)")
        }
        try OutputFile.write([(PerSourceOutput.render(analyses, choice: choice, format: format, coverage: coverage), output)], inputs: inputs)
    }

    /// The imputation settings from `--imputations` and `--seed`.
    var imputationOptions: ImputationOptions { ImputationOptions(imputations: imputations ?? 20, seed: seed) }

    /// Analyses a profile with the requested strategy, or the one its coverage chooses; every
    /// report carries the `fragments` note.
    func analyze(_ input: ProfileInput, _ configuration: AnalysisConfiguration, progress: ProgressLine) throws -> Outcome {
        let choice = try input.choice(configuration, try fragmentRequest())
        let prepared = try input.prepared(configuration)
        try Budget.check(input.data, prepared)
        if let weight = prepared.weight { try WeightCheck.check(input.data, weight: weight, path: input.data.source) }
        switch choice.strategy {
        case .perSource:
            let analyses = try input.perSource(configuration).map { analysis -> SourceAnalysis in
                SourceAnalysis(source: analysis.source, customers: analysis.customers, drivers: analysis.drivers,
                               report: analysis.report.appendingWarnings([choice.note]))
            }
            return .perSource(analyses, choice)
        case .impute:
            let options = imputationOptions
            let report = try Self.imputed { try input.impute(configuration, options) }
            return .report(report.appendingWarnings([choice.note]))
        case .listwise, .pairwise:
            var c = prepared
            c.missing = choice.strategy == .pairwise ? .pairwise : .listwise
            let report = try KeyDriverAnalysis.analyze(input.data, c, progress: progress.callback)
            return .report(report.appendingWarnings([choice.note]))
        }
    }

    /// A file that is not a profile: listwise or pairwise as asked, or imputed; per-source is refused.
    func analyzePlain(_ data: SurveyData, _ configuration: AnalysisConfiguration, progress: ProgressLine) throws -> DriverReport {
        switch try fragmentRequest() {
        case .perSource?:
            throw UsageError(message: "--fragments per-source needs a customer profile: join the exports with --source PATH:KEY (or analyse a profile CSV written by kda profile, with its profile.json beside it)")
        case .impute?:
            let options = imputationOptions
            return try Self.imputed { try KeyDriverAnalysis.analyzeImputed(data, configuration, options: options, progress: progress.callback) }
        default:
            return try KeyDriverAnalysis.analyze(data, configuration, progress: progress.callback)
        }
    }

    /// The pooled report of the imputed analysis; an option it cannot honour is a usage problem.
    static func imputed(_ analysis: () throws -> ImputedAnalysis) throws -> DriverReport {
        do {
            return try analysis().report
        } catch let error as ImputationError {
            switch error {
            case .invalidOption, .unsupported: throw UsageError(message: error.description)
            default: throw error
            }
        }
    }
}
