import ArgumentParser
import DriverAnalysis
import Foundation

/// `kda analyze FILE --outcome COL …`: the public contract of DESIGN §8.
struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Rank the drivers of an outcome in a survey file.")

    @Argument(help: "Survey CSV (one row per respondent).") var file: String?
    @Option(help: "Outcome column.") var outcome: String
    @Option(help: "Driver columns, comma-separated (default: every numeric column but outcome, weight, segment).") var drivers: String?
    @Option(help: "auto (logistic for a two-valued outcome), linear, logistic or ordinal.") var model: String = "auto"
    @Option(help: "Weight column.") var weight: String?
    @Option(help: "sampling (survey weights: design-based standard errors) or frequency (repeated respondents).") var weightKind: String = "sampling"
    @Option(help: "Segment column: the analysis per segment.") var segment: String?
    @Option(help: "listwise or pairwise.") var missing: String = "listwise"
    @Option(help: "Extra missing-value codes, comma-separated, e.g. \"NA,99\".") var naValues: String?
    @Option(help: "all, or a comma-separated subset of regression,correlation,shapley,relative-weights,dominance,pratt.") var methods: String = "all"
    @Option(help: "Bootstrap replicates for intervals.") var bootstrap: Int = 0
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "Confidence level.") var confidence: Double = 0.95
    @Option(help: "table, json, csv, markdown or html.") var format: String = "table"
    @Option(help: "Write the report to this path (default: standard output).") var output: String?
    @Option(help: "Write the priority-matrix and importance charts to this SVG file.") var chart: String?
    @Flag(help: "Fit without an intercept.") var noIntercept = false
    @Option(help: "Top of the rating scale.") var scaleMax: Double = 10
    @Option(help: "Predictor group NAME=A,B,… (repeatable).") var group: [String] = []
    @Option(help: "Control variables, comma-separated.") var control: String?
    @Option(help: "Correlation or covariance matrix CSV (header row of names) instead of FILE.") var fromCorrelation: String?
    @Option(help: "Respondents behind --from-correlation.") var n: Int?
    @Option(help: "Moments CSV (kda sql output) instead of FILE.") var fromMoments: String?
    @Flag(help: "Sort the action list by the lower bound of CLV at stake.") var conservative = false
    @Option(help: "Likelihood-to-recommend column (0–10) for NPS.") var nps: String?
    @Option(help: "Margin per customer per period: a number or a column.") var margin: String?
    @Option(help: "Discount rate per period.") var discountRate: Double = 0.10
    @Option(help: "What-if lift in rating points.") var whatIfDelta: Double = 1
    @Flag(help: "No progress on standard error.") var quiet = false

    func analysisConfiguration() throws -> AnalysisConfiguration {
        guard let choice = AnalysisConfiguration.ModelChoice(rawValue: model) else {
            throw UsageError(message: "--model must be auto, linear, logistic or ordinal, not '\(model)'")
        }
        guard let policy = MissingDataPolicy(rawValue: missing) else {
            throw UsageError(message: "--missing must be listwise or pairwise, not '\(missing)'")
        }
        var chosen = Set(AnalysisConfiguration.Method.allCases)
        if methods != "all" {
            chosen = []
            for name in methods.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                guard let method = AnalysisConfiguration.Method(rawValue: name) else {
                    throw UsageError(message: "unknown method '\(name)'; expected regression, correlation, shapley, relative-weights, dominance or pratt")
                }
                chosen.insert(method)
            }
        }
        guard bootstrap >= 0 else { throw UsageError(message: "--bootstrap must be 0 or more") }
        guard confidence > 0, confidence < 1 else { throw UsageError(message: "--confidence must lie between 0 and 1") }
        guard scaleMax.isFinite else { throw UsageError(message: "--scale-max must be finite") }
        guard whatIfDelta.isFinite else { throw UsageError(message: "--what-if-delta must be finite") }
        guard discountRate > -1, discountRate.isFinite else { throw UsageError(message: "--discount-rate must be finite and greater than −1") }
        let groups = try group.map { text -> AnalysisConfiguration.PredictorGroup in
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            let members = parts.count == 2 ? parts[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } : []
            guard parts.count == 2, !parts[0].trimmingCharacters(in: .whitespaces).isEmpty, !members.isEmpty else {
                throw UsageError(message: "--group takes NAME=A,B,… (got '\(text)')")
            }
            return .init(name: parts[0].trimmingCharacters(in: .whitespaces), members: members)
        }
        if conservative && bootstrap == 0 { throw UsageError(message: "--conservative sorts by the lower bound of CLV at stake: add --bootstrap N") }
        let marginSource: AnalysisConfiguration.MarginSource? = margin.map { text in
            if let value = Double(text) { return .value(value) }
            return .column(text)
        }
        if case let .value(m)? = marginSource, !(m >= 0 && m.isFinite) {
            throw UsageError(message: "--margin must be a non-negative number or a column name, not '\(margin!)'")
        }
        var configuration = AnalysisConfiguration(
            outcome: outcome, drivers: drivers.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } },
            model: choice, weight: weight, segment: segment, missing: policy, methods: chosen, bootstrap: bootstrap, seed: seed,
            confidenceLevel: confidence, intercept: !noIntercept, scaleMax: scaleMax, nps: nps, margin: marginSource,
            discountRate: discountRate, whatIfDelta: whatIfDelta, conservative: conservative)
        guard let kind = Moments.WeightKind(rawValue: weightKind) else {
            throw UsageError(message: "--weight-kind must be sampling or frequency, not '\(weightKind)'")
        }
        configuration.weightKind = kind
        configuration.groups = groups
        configuration.controls = control.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } } ?? []
        return configuration
    }

    func run() throws {
        guard ["table", "json", "csv", "markdown", "html"].contains(format) else {
            throw UsageError(message: "--format must be table, json, csv, markdown or html, not '\(format)'")
        }
        let configuration = try analysisConfiguration()
        let progress = Progress(enabled: !quiet && isatty(2) == 1)
        let report: DriverReport
        if let fromMoments {
            guard file == nil, fromCorrelation == nil else { throw UsageError(message: "give one input: FILE, --from-moments or --from-correlation") }
            let text: String
            do { text = try String(contentsOfFile: fromMoments, encoding: .utf8) } catch {
                throw SurveyDataError.fileNotFound(path: fromMoments)
            }
            report = try KeyDriverAnalysis.analyze(moments: MomentsSQL.moments(fromCSV: text), configuration)
        } else if let fromCorrelation {
            guard file == nil else { throw UsageError(message: "give one input: FILE, --from-moments or --from-correlation") }
            guard let n, n > 0 else { throw UsageError(message: "--from-correlation needs --n, the number of respondents") }
            let table = try SurveyData.load(csv: fromCorrelation)
            let names = table.columnNames
            guard table.rowCount == names.count else {
                throw SurveyDataError.raggedRow(path: fromCorrelation, row: table.rowCount + 1, expected: names.count, found: table.rowCount)
            }
            let columns = try names.map { try table.numericValues($0) }
            let matrix = try Matrix(columns: columns)
            report = try KeyDriverAnalysis.analyze(correlation: matrix, names: names, observations: n, configuration)
        } else {
            guard let file else { throw UsageError(message: "missing FILE (or --from-moments / --from-correlation)") }
            var options = CSVOptions()
            if let naValues { options.missingCodes = naValues.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
            if streams(configuration), let drivers = configuration.drivers {
                // Correlation-based methods only: stream the file through Moments in bounded
                // memory instead of loading it (files larger than memory).
                let moments = try Moments(csv: file, variables: drivers + [configuration.outcome], weight: configuration.weight, options: options)
                report = try KeyDriverAnalysis.analyze(moments: moments, configuration)
            } else {
                let data = try SurveyData.load(csv: file, options: options)
                report = try KeyDriverAnalysis.analyze(data, configuration, progress: progress.callback)
            }
        }
        progress.finish()
        let text: String
        switch format {
        case "json": text = report.json.rendered() + "\n"
        case "csv": text = report.csv()
        case "markdown": text = report.markdown()
        case "html": text = report.html()
        default: text = report.table()
        }
        try OutputFile.write(text, to: output)
        if let chart { try OutputFile.write(PriorityChart.svg(report), to: chart) }
    }
}

extension Analyze {
    /// Whether the run can stream: only correlation-based methods, linear, listwise, no
    /// row-level extras, and drivers named (defaults need the whole file to type the columns).
    func streams(_ c: AnalysisConfiguration) -> Bool {
        !c.methods.contains(.regression) && c.model != .logistic && c.model != .ordinal && c.missing == .listwise
            && c.margin == nil && c.bootstrap == 0 && c.segment == nil && c.nps == nil && c.groups.isEmpty && c.controls.isEmpty
            && c.drivers != nil
    }
}

/// Progress on standard error, only on a terminal.
final class Progress: @unchecked Sendable {
    let enabled: Bool
    init(enabled: Bool) { self.enabled = enabled }
    var callback: KeyDriverAnalysis.Progress? {
        guard enabled else { return nil }
        return { label, fraction in
            FileHandle.standardError.write(Data(String(format: "\r%@: %3.0f%%", label, 100 * fraction).utf8))
        }
    }
    func finish() { if enabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) } }
}

/// Writes to standard output, or to a file atomically (temporary file, then rename), so an
/// interrupted run never leaves a partial report behind.
enum OutputFile {
    static func write(_ text: String, to path: String?) throws {
        guard let path else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).kda-\(getpid()).tmp")
        temporaryOutputPath = strdup(temporary.path)
        defer {
            let path = temporaryOutputPath
            temporaryOutputPath = nil
            free(path)
        }
        do {
            try Data(text.utf8).write(to: temporary)
            // rename(2) replaces the target atomically.
            guard rename(temporary.path, url.path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw UsageError(message: "cannot write \(path): \(error.localizedDescription)")
        }
    }
}
