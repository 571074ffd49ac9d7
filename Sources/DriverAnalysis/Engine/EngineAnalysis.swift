import Foundation

extension KeyDriverAnalysis {
    /// A driver analysis of a table inside a SQL engine, under the file path's data rules: the
    /// engine makes every pass over the rows, the library finishes the analysis.
    ///
    /// First one profiling query reads the named columns with their missing cells set to `NULL`
    /// (blank, `NA`, `N/A`, `NaN`, `null` and the codes of `missing`, as ``SurveyData/load(csv:options:)``
    /// reads them — never cast to 0) and checks what the file path checks: text in a number
    /// column (exit-3 data error naming the table, column and a value), negative or non-finite
    /// weights, an NPS column outside 0–10, a row key that is not unique. The model is chosen as
    /// the file path chooses it (`auto`: logistic for a 0/1 or two-valued text outcome). Then:
    /// a logistic model is fitted by IRLS in the engine; a linear one from the engine's moments
    /// (per segment with `configuration.segment`, with a Poisson bootstrap from one scan).
    ///
    /// - Parameters:
    ///   - engine: the engine holding the table; every query is sent through its command.
    ///   - table: the table or view, already quoted for the engine when it needs quoting (see
    ///     ``SQLDialect/tableReference(_:)``).
    ///   - configuration: the analysis, as for a file; ``AnalysisConfiguration/drivers`` must be
    ///     named (the engine's columns are not typed here), and the options the engine path does
    ///     not carry out are refused by name.
    ///   - rowKey: the column hashed for bootstrap draws (required for Spark SQL and BigQuery).
    ///   - missing: the missing tokens and codes, as for reading a file.
    /// - Throws: ``EngineError`` (the engine's own errors; ``EngineError/data(table:column:reason:)``
    ///   for data the file path refuses too), ``ModelError``, ``SurveyDataError``,
    ///   ``AnalysisError`` for a request the engine path does not carry out.
    public static func analyze(engine: SQLEngine, table: String, _ configuration: AnalysisConfiguration, rowKey: String? = nil,
                               missing: CSVOptions = CSVOptions()) throws -> DriverReport {
        var c = configuration
        try c.validate()
        guard let requested = c.drivers, !requested.isEmpty else {
            throw AnalysisError.invalidOption(option: "drivers", value: "", reason: "an engine analysis needs the drivers named (the engine's columns are not typed here)")
        }
        try DriverSelection.checkDeclarations(c, columns: requested + [c.outcome] + c.controls)
        let (drivers, excludedNote) = DriverSelection.removingExcluded(requested, c)
        c.drivers = drivers
        guard !drivers.isEmpty else { throw ImportanceError.tooFewDrivers(count: 0, minimum: 1) }
        var named = drivers + [c.outcome] + [c.weight, c.segment, c.nps, rowKey].compactMap { $0 }
        if case let .column(margin)? = c.margin { named.append(margin) }
        try engine.checkColumns(table: table, columns: named)
        let source = try EngineSource(engine: engine, table: table, columns: named, missing: missing, rowKey: rowKey,
                                      rowid: c.bootstrap > 0 && rowKey == nil)
        var notes: [DriverReport.Warning] = try EngineChecks(source: source, engine: engine).check(&c, rowKey: rowKey)
        let logistic = c.model == .logistic || c.event != nil
        try EngineSupport.check(c, logistic: logistic)
        var report: DriverReport
        if logistic {
            report = try analyzeLogistic(engine: engine, table: source.relation, c, rowKey: rowKey)
            try EnginePriority(source: source, engine: engine).apply(to: &report, c, conservative: c.conservative && c.bootstrap > 0)
        } else {
            if let text = drivers.first(where: { source.profiles[$0]?.isText == true }) {
                throw AnalysisError.invalidOption(option: "drivers", value: text,
                    reason: "'\(text)' holds text (a factor): a linear model with factors is not computed in the engine — analyse the table as a FILE, or give a logistic outcome")
            }
            if c.segment != nil {
                report = try engine.analyzeSegments(table: source.relation, c)
            } else {
                let moments = try engine.moments(table: source.relation, variables: drivers + [c.outcome], weight: c.weight)
                var pointOnly = c
                pointOnly.bootstrap = 0
                pointOnly.nps = nil
                report = try analyze(moments: moments, pointOnly)
                if c.bootstrap > 0 { try engine.bootstrap(&report, table: source.relation, c, rowKey: rowKey) }
            }
            try engine.netPromoterScores(&report, table: source.relation, c)
            let priority = EnginePriority(source: source, engine: engine)
            try priority.apply(to: &report, c)
            if let segment = c.segment, !report.segments.isEmpty {
                // As in the file path: a segment's performance is the mean of its every answer.
                let answers = try priority.segmentAnswers(drivers, segment: segment)
                for k in report.segments.indices {
                    try priority.apply(to: &report.segments[k].report, c, answers: answers[report.segments[k].name] ?? [:])
                }
            }
            report.warnings.removeAll { $0.code == .summaryInput }
            notes.append(.init(.engineMoments, "computed from the engine's weighted moments: no row-level diagnostics (residuals, robust errors, what-if)"))
        }
        report.warnings = (excludedNote.map { [$0] } ?? []) + notes + c.notes + report.warnings
        return report
    }
}

/// The file path's data checks made by queries: each refusal is the file path's refusal, named
/// by table and column instead of file and row.
struct EngineChecks {
    let source: EngineSource
    let engine: SQLEngine

    /// Checks the columns of `c` and settles the model (`auto` and an undeclared event as the file
    /// path settles them); returns the notes the file path would give.
    func check(_ c: inout AnalysisConfiguration, rowKey: String?) throws -> [DriverReport.Warning] {
        for name in c.drivers ?? [] { try present(name); try notMixed(name) }
        if let weight = c.weight { try checkWeight(weight) }
        if let nps = c.nps { try checkRecommendation(nps) }
        if case let .column(margin)? = c.margin { try numbers(margin) }
        if let rowKey { try checkKey(rowKey) }
        return try settleOutcome(&c)
    }

    private func profile(_ column: String) -> EngineSource.ColumnProfile { source.profiles[column] ?? .init() }

    private func fail(_ column: String, _ reason: String) -> EngineError { .data(table: source.table, column: column, reason: reason) }

    private func present(_ column: String) throws {
        guard profile(column).present > 0 else { throw fail(column, "no value is present in its \(source.rows) rows (all blank or missing codes)") }
    }

    private func notMixed(_ column: String) throws {
        let p = profile(column)
        if p.isMixed {
            throw fail(column, "expected a number, found '\(Escaping.truncated(p.exampleText ?? "", limit: 60))' (\(p.texts) of \(p.present) present cells are text; declare codes that mean missing with --na-values)")
        }
    }

    private func numbers(_ column: String) throws {
        try notMixed(column)
        let p = profile(column)
        if p.isText { throw fail(column, "expected a number, found '\(Escaping.truncated(p.exampleText ?? "", limit: 60))'") }
        for bound in [p.minimum, p.maximum] {
            if let bound, !bound.isFinite { throw fail(column, "holds \(bound), not a finite number") }
        }
    }

    private func checkWeight(_ weight: String) throws {
        try numbers(weight)
        let p = profile(weight)
        if let low = p.minimum, low < 0 { throw fail(weight, "weights must not be negative, found \(NumberFormat.significant(low))") }
        guard let high = p.maximum, high > 0 else { throw SurveyDataError.allWeightsZero(column: weight) }
        if high < 1e-150 {
            throw fail(weight, "every weight is below 1e-150 (the largest is \(high)): their products underflow; rescale them (only their ratios matter)")
        }
    }

    private func checkRecommendation(_ nps: String) throws {
        try numbers(nps)
        let p = profile(nps)
        if let low = p.minimum, let high = p.maximum, low < 0 || high > 10 {
            throw fail(nps, "likelihood to recommend must be 0–10, found values from \(NumberFormat.significant(low)) to \(NumberFormat.significant(high)) (an 11-point item coded otherwise needs the file path's --nps-scale)")
        }
        if p.fractional > 0 { throw fail(nps, "likelihood to recommend must be a whole number 0–10; \(p.fractional) answers are not whole") }
    }

    private func checkKey(_ key: String) throws {
        let p = profile(key)
        if engine.dialect == .sqlite && (p.texts > 0 || p.fractional > 0) {
            throw fail(key, "SQLite has no hash function: the row key must be a whole-number column (found '\(Escaping.truncated(p.exampleText ?? "a fraction", limit: 40))'); use the rowid (no --row-key) or an integer id")
        }
        if let distinct = p.distinct, distinct < p.present {
            throw fail(key, "the row key is not unique: \(p.present - distinct) of its \(p.present) values repeat another row's, and rows sharing a key would share their bootstrap draws")
        }
        if p.present < source.rows { throw fail(key, "the row key is missing in \(source.rows - p.present) of \(source.rows) rows") }
    }

    /// The outcome's type, and with `auto` (or a logistic model of a text outcome without an
    /// event) the model and event the file path would choose.
    private func settleOutcome(_ c: inout AnalysisConfiguration) throws -> [DriverReport.Warning] {
        let outcome = c.outcome
        try present(outcome)
        try notMixed(outcome)
        let p = profile(outcome)
        if p.isText {
            guard c.model != .linear else { throw fail(outcome, "expected a number, found '\(Escaping.truncated(p.exampleText ?? "", limit: 60))'") }
            guard c.model != .ordinal else { return [] }
            c.model = .logistic
            guard c.event == nil else { return [] }
            let levels = try outcomeLevels(outcome)
            guard levels.count == 2 else {
                throw SurveyDataError.unusableOutcome(column: outcome,
                    reason: "a text outcome needs exactly two values to model an event; it has \(levels.count > 2 ? "more than 2" : "\(levels.count)")")
            }
            let lowered = Set(levels.map { $0.level.lowercased() })
            if let pair = SurveyColumnBuilder.binaryPairs.first(where: { lowered.isSubset(of: [$0.zero, $0.one]) }),
               let one = levels.first(where: { $0.level.lowercased() == pair.one }) {
                c.event = one.level
                return []
            }
            let sorted = levels.sorted { $0.count < $1.count || ($0.count == $1.count && $0.level > $1.level) }
            c.event = sorted[0].level
            return [.init(.eventGuessed, "the outcome '\(outcome)' has the values '\(sorted[0].level)' and '\(sorted[1].level)'; '\(sorted[0].level)' (the rarer) is modelled as the event — say --event to choose")]
        }
        for bound in [p.minimum, p.maximum] {
            if let bound, !bound.isFinite { throw fail(outcome, "holds \(bound), not a finite number") }
        }
        let twoValued = try onlyValues(outcome, p.minimum, p.maximum)
        if let event = c.event {
            // As the file path: the event of a numeric outcome is one of its two values.
            // A BOOLEAN column (DuckDB reads Yes/No files so) profiles as 0/1: Yes/Y/True name its 1, No/N/False its 0.
            let named: Double? = SurveyColumnBuilder.binaryPairs.contains { $0.one == event.lowercased() } ? 1
                : SurveyColumnBuilder.binaryPairs.contains { $0.zero == event.lowercased() } ? 0 : nil
            let value = DecimalParser.parse(event.trimmingCharacters(in: .whitespaces)) ?? (p.minimum == 0 && p.maximum == 1 ? named : nil)
            guard let value, twoValued, value == p.minimum || value == p.maximum else {
                let levels = twoValued ? [p.minimum, p.maximum].compactMap { $0 }.map { NumberFormat.significant($0, digits: 15) } : ["(numeric outcome)"]
                throw SurveyDataError.unknownLevel(column: outcome, level: event, levels: levels)
            }
            return []
        }
        let zeroOne = p.minimum == 0 && p.maximum == 1 && twoValued
        if c.model == .auto && zeroOne && c.event == nil { c.model = .logistic }
        if c.model == .logistic && c.event == nil && !zeroOne {
            throw fail(outcome, "--model logistic needs a two-valued outcome (0/1, or name the event with --event); found values from \(NumberFormat.significant(p.minimum ?? .nan)) to \(NumberFormat.significant(p.maximum ?? .nan))")
        }
        return []
    }

    /// Whether every present value of a numeric column is its smallest or its largest (one query).
    private func onlyValues(_ column: String, _ low: Double?, _ high: Double?) throws -> Bool {
        guard let low, let high, low.isFinite, high.isFinite, low < high else { return false }
        let d = engine.dialect
        let sql = "SELECT SUM(CASE WHEN \(d.tryNumeric(column)) IN (\(d.number(low)), \(d.number(high))) THEN 0 ELSE 1 END) AS other FROM \(source.relation) WHERE \(d.quote(column)) IS NOT NULL"
        let row = try EngineSource.textRow(engine.run(sql), query: sql, engine: engine)
        return row["other"].flatMap { Double($0) } == 0
    }

    /// Up to three levels of a text column with their counts (one `GROUP BY` query).
    private func outcomeLevels(_ column: String) throws -> [(level: String, count: Int)] {
        let d = engine.dialect
        let sql = "SELECT \(d.hex(d.text(column))) AS lv, COUNT(*) AS n FROM \(source.relation) WHERE \(d.quote(column)) IS NOT NULL GROUP BY \(d.text(column)) ORDER BY 1 LIMIT 3"
        return try EngineSource.textRows(engine.run(sql), query: sql, engine: engine).map { row in
            guard let level = row["lv"].flatMap(EngineSource.unhex), let n = row["n"].flatMap(Double.init), n >= 0, n < 1e15 else {
                throw EngineError.badResult(command: engine.command, reason: "a level row is not (level, count): \(row)", query: sql)
            }
            return (level, Int(n))
        }
    }
}
