import ArgumentParser
import DriverAnalysis
import Foundation

/// `kda analyze FILE`: streamed in bounded memory when `--stream` asks for it or the file's
/// analysis would exceed `--memory-budget` (and nothing needs the rows), else loaded and
/// analysed — a profile CSV with its sidecar by its fragment rule.
extension Analyze {
    /// The analysis of `file`, streamed or loaded.
    func fileAnalysis(_ file: String, _ configuration: AnalysisConfiguration, sidecar: ProfileSidecar?, progress: ProgressLine) throws -> Outcome {
        let options = try Self.csvOptions(naValues)
        guard ["auto", "always", "never"].contains(stream) else { throw UsageError(message: "--stream must be auto, always or never, not '\(stream)'") }
        guard memoryBudget.isFinite, memoryBudget > 0 else { throw UsageError(message: "--memory-budget must be a positive number of megabytes") }
        let (streamed, loadNote) = try streamedIfOverBudget(file, configuration, options: options, sidecar: sidecar)
        if let streamed { return .report(streamed) }
        let data = try SurveyData.load(csv: file, options: options)
        try Budget.check(data, configuration)
        if let weight = configuration.weight { try WeightCheck.check(data, weight: weight, path: file) }
        let loaded: DriverReport
        if let sidecar {
            let outcome = try analyze(ProfileInput(sidecar, data: data, progress: progress), configuration, progress: progress)
            guard case let .report(single) = outcome else { return outcome }
            loaded = single
        } else {
            loaded = try analyzePlain(data, configuration, progress: progress)
        }
        return .report(loaded.appendingWarnings(loadNote.map { [$0] } ?? []))
    }

    /// With `--stream always`, or `auto` above the memory budget for a file without a profile
    /// sidecar: the streamed report, or — when the analysis needs the rows — the note saying why
    /// the file is loaded anyway (`--stream always` refuses instead). Both `nil` otherwise.
    func streamedIfOverBudget(_ file: String, _ configuration: AnalysisConfiguration, options: CSVOptions,
                              sidecar: ProfileSidecar?) throws -> (report: DriverReport?, loadNote: DriverReport.Warning?) {
        let plan = MemoryPlan(path: file)
        let projected = plan?.projectedBytes ?? 0
        // A profile with its sidecar is loaded (it was built in memory): its fragment rule needs the rows.
        guard stream == "always" || (stream == "auto" && sidecar == nil && projected > memoryBudget * 1e6) else { return (nil, nil) }
        let size = "the analysis of \(file) (about \(NumberFormat.money(Double(plan?.estimatedRows ?? 0))) rows × \(plan?.columns ?? 0) columns) would hold about \(MemoryPlan.megabytes(projected)) in memory"
        if let needs = rowLevelNeeds(configuration) {
            if stream == "always" { throw UsageError(message: "--stream always: \(needs) need the rows in memory") }
            return (nil, .init(.memoryBudget, "\(size), above the budget of \(MemoryPlan.megabytes(memoryBudget * 1e6)); loaded anyway because \(needs) need the rows (name the drivers and leave those out to stream it)"))
        }
        if let drivers = configuration.drivers { try Budget.check(driverCount: drivers.count, configuration) }
        do {
            let streamed = try Self.streamedAnalysis(file, configuration, options: options)
            let reason = stream == "always" ? "--stream always" : "\(size), above the budget of \(MemoryPlan.megabytes(memoryBudget * 1e6)) (--memory-budget)"
            return (streamed.appendingWarnings([.init(.streamed, "\(reason): the file was streamed, not loaded — summary statistics and IRLS passes over the file; no row-level diagnostics, bootstrap, what-if, segments or Spearman correlations")]), nil)
        } catch StreamingRefusal.needsRows(let needs) {
            if stream == "always" { throw UsageError(message: "--stream always: \(needs) need the rows in memory") }
            return (nil, .init(.memoryBudget, "\(size), above the budget; loaded anyway because \(needs) need the rows"))
        } catch SurveyDataError.nonNumeric(_, let row, let column, let value) {
            // Text in a driver (a factor, Yes/No) needs the whole column to be coded: load.
            return (nil, .init(.memoryBudget, row > 0
                ? "\(size), above the budget; loaded anyway because '\(column)' holds text ('\(value)' in row \(row)), which needs the whole column"
                : "\(size), above the budget; loaded anyway because the outcome '\(column)' holds text: name the event (--event) to stream it"))
        }
    }
}
