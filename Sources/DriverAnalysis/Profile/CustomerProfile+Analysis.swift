extension CustomerProfile {
    /// `configuration` made ready for an analysis of ``data``: the profile's declared scales added
    /// (a scale already in `configuration` wins), its ``notes`` appended (once: preparing a
    /// prepared configuration changes nothing), and — when
    /// `configuration.drivers` is `nil` — the default drivers ``DriverSelection`` would choose,
    /// without the columns that are the profile's bookkeeping (``ProfileColumn/notADriver``), each
    /// named in a `column_left_out` note.
    ///
    /// - Parameter configuration: the analysis options; with `drivers` `nil`, the profile chooses them.
    /// - Throws: what ``DriverSelection/init(data:configuration:)`` throws for `configuration`.
    /// Complexity: O(rows × columns) when the drivers are chosen, else O(scales).
    public func prepared(_ configuration: AnalysisConfiguration) throws -> AnalysisConfiguration {
        var c = configuration
        c.scales += scales.filter { declared in !configuration.scales.contains { $0.column == declared.column } }
        c.notes += notes.filter { !c.notes.contains($0) }   // preparing twice adds nothing
        return try ProfileAssembly.defaultDrivers(c, data: data, columns: columns)
    }
}

extension ProfileSidecar {
    /// When `configuration.drivers` is `nil`: the default drivers of `data` (the profile read back)
    /// without the profile's bookkeeping columns, each named in a `column_left_out` note, as
    /// ``CustomerProfile/prepared(_:)`` chooses them; otherwise `configuration` unchanged.
    ///
    /// - Parameters:
    ///   - configuration: the analysis options; returned unchanged when its drivers are named.
    ///   - data: the profile file read back, described by this sidecar.
    /// - Throws: what ``DriverSelection/init(data:configuration:)`` throws for `configuration`.
    /// Complexity: O(rows × columns) when the drivers are chosen.
    public func choosingDrivers(_ configuration: AnalysisConfiguration, data: SurveyData) throws -> AnalysisConfiguration {
        try ProfileAssembly.defaultDrivers(configuration, data: data, columns: columns)
    }
}

extension ProfileAssembly {
    /// The default drivers without bookkeeping columns; the selection's `column_left_out` notes kept.
    static func defaultDrivers(_ configuration: AnalysisConfiguration, data: SurveyData, columns: [ProfileColumn]) throws -> AnalysisConfiguration {
        var reasons: [String: String] = [:]
        for column in columns { if let reason = column.notADriver { reasons[column.name] = reason } }
        guard configuration.drivers == nil, !reasons.isEmpty else { return configuration }
        let selection = try DriverSelection(data: data, configuration: configuration)
        let dropped = selection.drivers.filter { reasons[$0] != nil }
        guard !dropped.isEmpty else { return configuration }
        var c = configuration
        c.drivers = selection.drivers.filter { reasons[$0] == nil }
        c.notes += selection.warnings.filter { $0.code == .columnLeftOut }
        c.notes += dropped.map { name in
            .init(.columnLeftOut, "column '\(name)' is \(reasons[name] ?? "bookkeeping of the profile"); it is left out of the default drivers (name it with --driver to use it)")
        }
        return c
    }
}
