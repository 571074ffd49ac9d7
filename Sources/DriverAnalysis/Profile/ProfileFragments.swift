/// Who answered which source, the default strategy, and the per-source models: the logic behind
/// ``CustomerProfile/fragmentChoice(for:requested:)`` and ``CustomerProfile/analyzePerSource(_:)``,
/// shared with ``ProfileSidecar`` (a profile read back from its CSV).
///
/// A customer *answered* a source when at least one of the source's profile columns holds a
/// value in their row; every base customer answered the base.
enum ProfileFragments {
    /// The source of each profile column, by column name.
    static func sources(_ columns: [ProfileColumn]) -> [String: String] {
        Dictionary(columns.map { ($0.name, $0.source) }, uniquingKeysWith: { first, _ in first })
    }

    /// `body`, with an ``ImputationError`` about a column rethrown naming the column's source.
    static func namingSource<T>(_ columns: [ProfileColumn], _ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as ImputationError {
            let column: String?
            switch error {
            case let .unusableColumn(name, _), let .nothingObserved(name), let .singularModel(name): column = name
            case .invalidOption, .unsupported: column = nil
            }
            guard let column, let source = sources(columns)[column] else { throw error }
            throw ProfileError.imputation(source: source, error: error)
        }
    }

    /// Per row, whether the customer answered `source`. O(rows × the source's columns).
    static func answered(_ source: String, data: SurveyData, columns: [ProfileColumn]) -> [Bool] {
        guard source != columns.first?.source else { return [Bool](repeating: true, count: data.rowCount) }
        let own = Set(columns.filter { $0.source == source }.map(\.name))
        let cells = data.columns.filter { own.contains($0.name) }
        return (0..<data.rowCount).map { i in cells.contains { $0.hasValue(i) } }
    }

    /// Sources of the analysed columns (outcome, drivers, controls), in profile order.
    static func analysedSources(_ configuration: AnalysisConfiguration, drivers: [String], columns: [ProfileColumn]) -> [String] {
        let bySource = sources(columns)
        let used = Set(([configuration.outcome] + drivers + configuration.controls).compactMap { bySource[$0] })
        var order: [String] = []
        for column in columns where used.contains(column.source) && !order.contains(column.source) { order.append(column.source) }
        return order
    }

    /// The strategy: `requested`, else the default rule from the share of base customers who
    /// answered every analysed source. O(rows × columns).
    static func choice(_ configuration: AnalysisConfiguration, data: SurveyData, columns: [ProfileColumn],
                       requested: FragmentStrategy?) throws -> FragmentChoice {
        let drivers = try configuration.drivers ?? DriverSelection(data: data, configuration: configuration).drivers
        let used = analysedSources(configuration, drivers: drivers, columns: columns)
        let answers = used.map { answered($0, data: data, columns: columns) }
        let inAll = (0..<data.rowCount).reduce(0) { total, i in answers.allSatisfy { $0[i] } ? total + 1 : total }
        let share = data.rowCount > 0 ? Double(inAll) / Double(data.rowCount) : 0
        return FragmentChoice(strategy: requested ?? FragmentChoice.defaultStrategy(share: share), byDefault: requested == nil,
                              sources: used, customersInAll: inAll, baseCustomers: data.rowCount)
    }

    /// One model per source that holds a driver, on the customers who answered it, with the
    /// drivers of the base (and of the outcome's source) and its own; just the base's model when
    /// no other source holds a driver. `configuration` has its drivers chosen (``CustomerProfile/prepared(_:)``).
    static func perSource(_ configuration: AnalysisConfiguration, data: SurveyData, columns: [ProfileColumn],
                          progress: KeyDriverAnalysis.Progress? = nil) throws -> [SourceAnalysis] {
        let bySource = sources(columns)
        let drivers = try configuration.drivers ?? DriverSelection(data: data, configuration: configuration).drivers
        let base = columns.first?.source ?? ""
        let anchors = Set([base] + [bySource[configuration.outcome]].compactMap { $0 })
        let own = { (source: String) in drivers.filter { bySource[$0] == source } }
        let anchored = drivers.filter { bySource[$0].map(anchors.contains) ?? true }
        var order: [String] = []
        for column in columns where !anchors.contains(column.source) && !order.contains(column.source) && !own(column.source).isEmpty {
            order.append(column.source)
        }
        if order.isEmpty { order = [base] }
        return try order.map { source in
            let chosen = drivers.filter { anchored.contains($0) || bySource[$0] == source }
            let answered = answered(source, data: data, columns: columns)
            let rows = answered.indices.filter { answered[$0] }
            var c = configuration
            c.drivers = chosen
            let elsewhere = drivers.filter { !chosen.contains($0) }
            var text = "model of source '\(source)' on the \(rows.count) of \(data.rowCount) base customers who answered it"
            text += source == base ? "" : ", with the drivers of \(anchors.sorted().joined(separator: " and ")) and of \(source)"
            if !elsewhere.isEmpty { text += "; drivers of other sources are in their own models: \(elsewhere.joined(separator: ", "))" }
            c.notes.append(.init(.perSourceModel, text + "; importance is comparable within this model only, and its coefficients also carry what the left-out drivers would explain"))
            let report: DriverReport
            do { report = try KeyDriverAnalysis.analyze(data.rows(rows), c, progress: progress) } catch let error as any DriverAnalysisError where !(error is AnalysisError) {
                throw ProfileError.sourceAnalysis(source: source, customers: rows.count, reason: "\(error)")
            }
            return SourceAnalysis(source: source, customers: rows.count, drivers: chosen, report: report)
        }
    }
}

extension CustomerProfile {
    /// The strategy for customers missing from some sources: `requested`, or by default listwise
    /// when at least 80 % of the base customers answered every source holding the outcome, a
    /// driver or a control, else per-source (``FragmentChoice``). Its ``FragmentChoice/note``
    /// states the choice in the report.
    ///
    /// - Parameters:
    ///   - configuration: the analysis options; the outcome, drivers and controls decide which sources count.
    ///   - requested: the strategy asked for; `nil` (default): chosen by the 80 % rule.
    /// - Throws: what ``DriverSelection/init(data:configuration:)`` throws when the drivers are not named.
    /// Complexity: O(rows × columns).
    public func fragmentChoice(for configuration: AnalysisConfiguration, requested: FragmentStrategy? = nil) throws -> FragmentChoice {
        try ProfileFragments.choice(prepared(configuration), data: data, columns: columns, requested: requested)
    }

    /// One model per source on the customers who answered it: for each source holding a driver,
    /// the drivers of the base (and of the outcome's source) and of that source, on the base
    /// customers with at least one answer in that source; the base alone when no other source
    /// holds a driver. Each report says in a `per_source_model` note how many customers it rests
    /// on and which drivers are left to other models; importance is comparable within a source,
    /// not across (each model has its own customers and drivers).
    ///
    /// - Parameter configuration: the analysis options, applied to every source's model.
    /// - Throws: what ``KeyDriverAnalysis/analyze(_:_:)`` throws for a source's model,
    ///   wrapped as ``ProfileError/sourceAnalysis(source:customers:reason:)`` naming the source.
    /// Complexity: one analysis per source.
    public func analyzePerSource(_ configuration: AnalysisConfiguration) throws -> [SourceAnalysis] {
        try ProfileFragments.perSource(prepared(configuration), data: data, columns: columns)
    }

    /// The profile analysed with every base customer's missing answers multiply imputed
    /// (``KeyDriverAnalysis/analyzeImputed(_:_:options:progress:)`` on ``prepared(_:)``).
    ///
    /// - Parameters:
    ///   - configuration: the analysis options, prepared for the profile before the imputation.
    ///   - options: the imputation settings; default `mice`'s, with 20 imputations.
    ///   - progress: called with each dataset's ``ProgressStep/imputation(_:of:)`` step and the long steps of
    ///     its analysis; `nil` (default): no reports.
    /// - Throws: ``ProfileError/imputation(source:error:)`` naming the source and column that
    ///   cannot be imputed; ``ImputationError`` for an option out of range; what the analysis throws.
    /// Complexity: M analyses plus the chained equations.
    public func analyzeImputed(_ configuration: AnalysisConfiguration, options: ImputationOptions = .init(),
                               progress: KeyDriverAnalysis.Progress? = nil) throws -> ImputedAnalysis {
        try ProfileFragments.namingSource(columns) {
            try KeyDriverAnalysis.analyzeImputed(data, prepared(configuration), options: options, progress: progress)
        }
    }
}

extension ProfileSidecar {
    /// ``CustomerProfile/fragmentChoice(for:requested:)`` for the profile read back as `data`.
    ///
    /// - Parameters:
    ///   - configuration: the analysis options; the outcome, drivers and controls decide which sources count.
    ///   - data: the profile file read back, described by this sidecar.
    ///   - requested: the strategy asked for; `nil` (default): chosen by the 80 % rule.
    public func fragmentChoice(for configuration: AnalysisConfiguration, data: SurveyData, requested: FragmentStrategy? = nil) throws -> FragmentChoice {
        try ProfileFragments.choice(choosingDrivers(configuration, data: data), data: data, columns: columns, requested: requested)
    }

    /// ``CustomerProfile/analyzeImputed(_:options:progress:)`` for the profile read back as `data`.
    ///
    /// - Parameters:
    ///   - configuration: the analysis options.
    ///   - data: the profile file read back, described by this sidecar.
    ///   - options: the imputation settings; default `mice`'s, with 20 imputations.
    ///   - progress: called with each dataset's ``ProgressStep/imputation(_:of:)`` step and the long steps of
    ///     its analysis; `nil` (default): no reports.
    public func analyzeImputed(_ configuration: AnalysisConfiguration, data: SurveyData, options: ImputationOptions = .init(),
                               progress: KeyDriverAnalysis.Progress? = nil) throws -> ImputedAnalysis {
        try ProfileFragments.namingSource(columns) {
            try KeyDriverAnalysis.analyzeImputed(data, choosingDrivers(configuration, data: data), options: options, progress: progress)
        }
    }

    /// ``CustomerProfile/analyzePerSource(_:)`` for the profile read back as `data`.
    ///
    /// - Parameters:
    ///   - configuration: the analysis options, applied to every source's model.
    ///   - data: the profile file read back, described by this sidecar.
    ///   - progress: called with the long steps of each source's analysis; `nil` (default): no reports.
    public func analyzePerSource(_ configuration: AnalysisConfiguration, data: SurveyData,
                                 progress: KeyDriverAnalysis.Progress? = nil) throws -> [SourceAnalysis] {
        try ProfileFragments.perSource(choosingDrivers(configuration, data: data), data: data, columns: columns, progress: progress)
    }
}
