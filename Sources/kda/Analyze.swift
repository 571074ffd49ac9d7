import ArgumentParser
import DriverAnalysis
import Foundation

/// `kda analyze FILE --outcome COL …`: the public contract of DESIGN §8.
struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Rank the drivers of an outcome in a survey file.")

    @Argument(help: "Survey CSV (one row per respondent).") var file: String?
    @Option(help: "Outcome column.") var outcome: String
    @Option(help: "Driver columns, comma-separated; quote a name holding a comma: \"A,\\\"Billing, invoices\\\",C\" (default: every numeric column and every text column with 2–20 values but outcome, weight, segment).") var drivers: String?
    @Option(help: "One driver column, any name (repeatable; adds to --drivers).") var driver: [String] = []
    @Option(help: "The outcome value modelled as the event (1) of a two-valued outcome, e.g. Yes or \"neutral or dissatisfied\".") var event: String?
    @Option(help: "What the event is: defection (churn: customers retained and CLV apply), adverse or favourable (default: inferred from the names).") var eventMeaning: String?
    @Option(help: "Reference level of a categorical driver COL=LEVEL (repeatable; default: the most frequent level).") var reference: [String] = []
    @Option(help: "Numeric columns to treat as categorical, comma-separated.") var categorical: String?
    @Option(help: "What-if for a factor COL=FROM>TO, e.g. \"Contract=Month-to-month>Two year\" (repeatable; default: the most common level moves one level up).") var whatIfMove: [String] = []
    @Option(help: "Rating scale COLS=LO..HI: a name, a comma list or a glob, e.g. wifi=1..5 or 's*=1..7' (repeatable; default: inferred).") var scale: [String] = []
    @Option(help: "Role COLS=lever|attribute|control (names, comma lists or globs; repeatable): attributes stay in the model without a what-if or an action row; controls are adjusted for. Default: common profile names (gender, age, senior citizen, partner, region, tenure…) are attributes, with a note.") var role: [String] = []
    @Option(help: "Kind COLS=rating|count|amount|binary|factor (names, comma lists or globs; repeatable): counts and amounts are never ratings.") var kind: [String] = []
    @Option(help: "Drivers for which less is better (service calls, waiting time), comma-separated or globs: their what-if lowers them within the observed range.") var lowerIsBetter: String?
    @Option(help: "Columns to leave out of the drivers, comma-separated or globs.") var exclude: String?
    @Option(help: "hc0, hc1, hc2 or hc3: heteroscedasticity-robust standard errors for linear models.") var robust: String?
    @Option(help: "auto (logistic for a two-valued outcome), linear, logistic or ordinal.") var model: String = "auto"
    @Option(help: "Weight column.") var weight: String?
    @Option(help: "sampling (survey weights: design-based standard errors) or frequency (repeated respondents).") var weightKind: String = "sampling"
    @Option(help: "Segment column: the analysis per segment.") var segment: String?
    @OptionGroup(title: "Profile (instead of FILE: join exports first, as kda profile does)") var profileSources: ProfileSourceOptions
    @Option(help: "listwise or pairwise (default listwise; for a profile see --fragments).") var missing: String?
    @Option(help: "Customers missing from some sources or answers: listwise (complete customers only), pairwise (as --missing pairwise), per-source (one model per profile source on the customers who answered it) or impute (multiple imputation by chained equations, Rubin's rules). Default for a profile (--source, or a profile CSV with its profile.json): listwise when at least 80 % of the base customers answered every analysed source, else per-source; listwise for other files.") var fragments: String?
    @Option(parsing: .unconditional, help: "Imputed datasets for --fragments impute (2–200, default 20); --seed makes them reproducible.") var imputations: Int?
    @Option(parsing: .unconditionalSingleValue, help: "Missing-value codes: \"NA,99\" for every column, or COL=0,-99 for one column (repeatable).") var naValues: [String] = []
    @Option(help: "all, or a comma-separated subset of regression,correlation,shapley,relative-weights,dominance,pratt.") var methods: String = "all"
    @Option(parsing: .unconditional, help: "Bootstrap replicates for intervals.") var bootstrap: Int = 0
    @Option(parsing: .unconditional, help: "Random seed.") var seed: UInt64 = 1
    @Option(parsing: .unconditional, help: "Confidence level.") var confidence: Double = 0.95
    @Option(help: "table, json, csv, markdown or html.") var format: String = "table"
    @Option(help: "Write the report to this path (default: standard output).") var output: String?
    @Option(help: "Write the priority-matrix and importance charts to this SVG file.") var chart: String?
    @Flag(help: "Fit without an intercept.") var noIntercept = false
    @Option(parsing: .unconditional, help: "Removed: declare rating scales with --scale COLS=LO..HI (globs allowed, e.g. '*=1..10').") var scaleMax: Double?
    @Option(help: "Predictor group NAME=A,B,… (repeatable).") var group: [String] = []
    @Option(help: "Control variables, comma-separated.") var control: String?
    @Option(help: "Correlation or covariance matrix CSV (header row of names) instead of FILE.") var fromCorrelation: String?
    @Option(parsing: .unconditional, help: "Respondents behind --from-correlation.") var n: Int?
    @Option(help: "Moments CSV (kda sql output) instead of FILE.") var fromMoments: String?
    @Option(help: "Engine command that reads SQL on standard input and writes CSV with a header, e.g. 'sqlite3 -csv -header survey.db' or 'duckdb -csv warehouse.db' (with --table).") var engine: String?
    @Option(help: "Table (or view) in the --engine database.") var table: String?
    @Option(help: "SQL dialect of --engine: duckdb, sqlite, spark or bigquery (default: inferred from the command).") var dialect: String?
    @Option(parsing: .unconditional, help: "Seconds an --engine query may take.") var engineTimeout: Double = 600
    @Option(help: "Column identifying the rows, hashed for the --engine bootstrap's Poisson weights (required for spark and bigquery, which have no rowid; an integer column in sqlite).") var rowKey: String?
    @Flag(help: "Sort the action list by the lower bound of CLV at stake.") var conservative = false
    @Option(help: "Likelihood-to-recommend column (0–10) for NPS.") var nps: String?
    @Option(help: "The NPS item's coding when it is not 0–10: an 11-point scale LO..HI such as 1..11 (recoded to 0–10).") var npsScale: String?
    @Option(parsing: .unconditional, help: "Margin per customer per period: a number or a column.") var margin: String?
    @Option(parsing: .unconditional, help: "Discount rate per period, as a fraction: 0.01 = 1 % a month for monthly margins (default 0.10, with a note).") var discountRate: Double?
    @Option(parsing: .unconditional, help: "What-if lift in rating points.") var whatIfDelta: Double = 1
    @Option(help: "auto (stream a file whose in-memory analysis would exceed --memory-budget), always, or never.") var stream: String = "auto"
    @Option(parsing: .unconditional, help: "Memory budget in MB for loading a FILE; above it kda streams the file (summary statistics, IRLS passes).") var memoryBudget: Double = 1024
    @Flag(help: "No progress on standard error.") var quiet = false
    @Flag(help: "Compute exact Shapley/dominance however long it takes: logistic up to 2^20 submodels, linear with factors up to 30 drivers (default: exact only within a work budget of seconds to half a minute, else sampled Shapley with standard errors).") var exhaustive = false

    func analysisConfiguration() throws -> AnalysisConfiguration {
        guard let choice = AnalysisConfiguration.ModelChoice(rawValue: model) else {
            throw UsageError(message: "--model must be auto, linear, logistic or ordinal, not '\(model)'")
        }
        guard var policy = MissingDataPolicy(rawValue: missing ?? "listwise") else {
            throw UsageError(message: "--missing must be listwise or pairwise, not '\(missing ?? "")'")
        }
        if try fragmentRequest() == .pairwise { policy = .pairwise }   // --fragments pairwise is --missing pairwise
        let chosen = try chosenMethods()
        try checkNumericOptions()
        let discountRate = try checkedDiscountRate()
        try checkRespondentCount()
        let groups = try predictorGroups()
        if conservative && bootstrap == 0 { throw UsageError(message: "--conservative sorts by the lower bound of CLV at stake: add --bootstrap N") }
        let marginSource = try marginSource()
        let named = try (drivers.map { try Self.list($0, option: "--drivers") } ?? []) + driver
        let driverList: [String]? = drivers == nil && driver.isEmpty ? nil : named
        let controlList = try control.map { try Self.list($0, option: "--control") } ?? []
        try Self.checkRoles(outcome: outcome, drivers: driverList, controls: controlList, weight: weight, segment: segment, groups: groups)
        var configuration = AnalysisConfiguration(
            outcome: outcome, drivers: driverList,
            model: choice, weight: weight, segment: segment, missing: policy, methods: chosen, bootstrap: bootstrap, seed: seed,
            confidenceLevel: confidence, intercept: !noIntercept, nps: nps, margin: marginSource,
            discountRate: discountRate, whatIfDelta: whatIfDelta, conservative: conservative)
        guard let kind = Moments.WeightKind(rawValue: weightKind) else {
            throw UsageError(message: "--weight-kind must be sampling or frequency, not '\(weightKind)'")
        }
        configuration.weightKind = kind
        configuration.groups = groups
        configuration.controls = controlList
        configuration.event = event
        if margin != nil && self.discountRate == nil {
            configuration.notes.append(.init(.discountRateDefault, "no --discount-rate given: lifetime values use 10 % per period; with a monthly margin say the monthly rate (e.g. --discount-rate 0.01)"))
        }
        if exhaustive {
            configuration.logisticWorkBudget = .infinity
            configuration.linearWorkBudget = .infinity
        }
        if let meaning = try declaredEventMeaning() { configuration.eventMeaning = meaning }
        configuration.references = try referenceLevels()
        configuration.levelMoves = try levelMoves()
        configuration.categorical = try categorical.map { try Self.list($0, option: "--categorical") } ?? []
        configuration.scales = try ratingScales()
        try applyDeclarations(to: &configuration)
        if let type = try robustCovariance() { configuration.robust = type }
        return configuration
    }

    func run() throws {
        guard ["table", "json", "csv", "markdown", "html"].contains(format) else {
            throw UsageError(message: "--format must be table, json, csv, markdown or html, not '\(format)'")
        }
        var configuration = try analysisConfiguration()
        var sidecar: ProfileSidecar? = nil
        if let file, profileSources.source.isEmpty { (configuration, sidecar) = Self.applyingSidecar(of: file, to: configuration) }
        let inputs = try checkedInputs()
        let progress = ProgressLine(enabled: !quiet && isatty(2) == 1)
        defer { progress.finish() }   // also before an error message
        if engine == nil, table != nil {
            throw UsageError(message: "--table names a table in an --engine database; without --engine it would be ignored: give --engine 'COMMAND' or drop --table")
        }
        let (outcome, coverage) = try analysis(configuration, sidecar: sidecar, progress: progress)
        let report: DriverReport
        switch outcome {
        case let .report(single): report = single
        case let .perSource(analyses, choice): return try writePerSource(analyses, choice: choice, coverage: coverage, inputs: inputs)
        }
        progress.finish()
        try writeReport(report, coverage: coverage, inputs: inputs)
    }
}

extension Analyze {
    /// The analysis of `file` streamed in bounded memory: the linear model and correlation-based
    /// importance from `Moments` (one pass), a logistic model from IRLS passes over the file.
    static func streamedAnalysis(_ file: String, _ configuration: AnalysisConfiguration, options: CSVOptions) throws -> DriverReport {
        var c = configuration
        if c.model == .auto && c.event == nil {
            // As the in-memory analysis: a 0/1 outcome gets a logistic model; a text outcome needs
            // its event coded from the whole column, so it is loaded (signalled as text).
            let preview = try StreamingLogistic.outcomePreview(csv: file, outcome: c.outcome, options: options)
            if preview.hasText { throw SurveyDataError.nonNumeric(path: file, row: 0, column: c.outcome, value: "text") }
            if preview.values == [0, 1] { c.model = .logistic }
        }
        if c.model == .logistic || c.event != nil {
            // The streamed logistic model takes numeric drivers, named (text needs the rows).
            guard c.drivers != nil else { throw StreamingRefusal.needsRows("default drivers of a logistic model (name them with --drivers to stream)") }
            return try KeyDriverAnalysis.analyzeStreaming(csv: file, c, options: options)
        }
        return try KeyDriverAnalysis.analyzeStreamingLinear(csv: file, c, options: options)
    }

    /// A streamed analysis that turns out to need the rows in memory, and why.
    enum StreamingRefusal: Error { case needsRows(String) }

    /// `--na-values`: each value is either codes for every column ("NA,99") or COL=codes.
    static func csvOptions(_ values: [String]) throws -> CSVOptions {
        var options = CSVOptions()
        for text in values {
            if let equals = text.firstIndex(of: "="), !text[..<equals].trimmingCharacters(in: .whitespaces).isEmpty {
                let column = text[..<equals].trimmingCharacters(in: .whitespaces)
                let codes = text[text.index(after: equals)...].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                guard !codes.isEmpty else { throw UsageError(message: "--na-values \(column)= needs at least one code, e.g. \(column)=0,99") }
                options.columnMissingCodes[column, default: []] += codes
            } else {
                options.missingCodes += text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
        }
        return options
    }

    /// `COL=VALUE` split at the first `=`; both sides non-empty.
    static func assignment(_ text: String, option: String, form: String) throws -> (String, String) {
        guard let equals = text.firstIndex(of: "=") else { throw UsageError(message: "\(option) takes \(form) (got '\(text)')") }
        let column = text[..<equals].trimmingCharacters(in: .whitespaces), value = String(text[text.index(after: equals)...])
        guard !column.isEmpty, !value.isEmpty else { throw UsageError(message: "\(option) takes \(form) (got '\(text)')") }
        return (column, value)
    }

    /// A comma-separated list of column names, trimmed, with CSV-style quoting for names that
    /// hold commas (`A,"Billing, invoices",C`; `""` inside quotes is one quote); empty lists and
    /// empty names are refused.
    static func list(_ text: String, option: String) throws -> [String] {
        var names: [String] = [], current = "", quoted = false, wasQuoted = false
        var characters = Array(text)[...]
        while let ch = characters.popFirst() {
            if quoted {
                if ch == "\"" {
                    if characters.first == "\"" { current.append("\""); characters.removeFirst() } else { quoted = false }
                } else {
                    current.append(ch)
                }
            } else if ch == "\"" && current.trimmingCharacters(in: .whitespaces).isEmpty {
                quoted = true
                wasQuoted = true
                current = ""
            } else if ch == "," {
                names.append(wasQuoted ? current : current.trimmingCharacters(in: .whitespaces))
                current = ""
                wasQuoted = false
            } else if !(wasQuoted && ch == " ") {
                current.append(ch)
            }
        }
        guard !quoted else { throw UsageError(message: "\(option): a quoted name is never closed (got '\(text)')") }
        names.append(wasQuoted ? current : current.trimmingCharacters(in: .whitespaces))
        guard !names.contains(where: \.isEmpty) else {
            throw UsageError(message: "\(option) takes column names separated by commas, with no empty name (got '\(text)')")
        }
        return names
    }

    /// Every column plays one role: the outcome is not a driver or a control, no driver or
    /// control is listed twice, and weight and segment are not analysed as drivers.
    static func checkRoles(outcome: String, drivers: [String]?, controls: [String], weight: String?, segment: String?,
                           groups: [AnalysisConfiguration.PredictorGroup]) throws {
        guard !outcome.isEmpty else { throw UsageError(message: "--outcome needs a column name") }
        func firstDuplicate(_ names: [String]) -> String? {
            var seen = Set<String>()
            return names.first { !seen.insert($0).inserted }
        }
        if let drivers {
            if drivers.contains(outcome) { throw UsageError(message: "the outcome '\(outcome)' is also listed in --drivers; a driver cannot explain itself") }
            if let twice = firstDuplicate(drivers) { throw UsageError(message: "driver '\(twice)' is listed twice in --drivers") }
            if let both = controls.first(where: drivers.contains) { throw UsageError(message: "'\(both)' is both a driver and a control; list it once") }
            for (option, column) in [("--weight", weight), ("--segment", segment)] {
                if let column, drivers.contains(column) { throw UsageError(message: "'\(column)' is the \(option) column and cannot also be a driver") }
            }
        }
        if controls.contains(outcome) { throw UsageError(message: "the outcome '\(outcome)' cannot be a control") }
        if let twice = firstDuplicate(controls) { throw UsageError(message: "control '\(twice)' is listed twice in --control") }
        for (option, column) in [("--weight", weight), ("--segment", segment)] where column == outcome {
            throw UsageError(message: "the outcome '\(outcome)' cannot also be the \(option) column")
        }
        if let twice = firstDuplicate(groups.map(\.name)) { throw UsageError(message: "group '\(twice)' is defined twice") }
        if let twice = firstDuplicate(groups.flatMap(\.members)) { throw UsageError(message: "'\(twice)' is a member of more than one group, or listed twice") }
        if groups.flatMap(\.members).contains(outcome) { throw UsageError(message: "the outcome '\(outcome)' cannot be a group member") }
    }
}
